/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <sched.h>

#include "../call.h"

/* unshare(2): unshare(Task, Flags) -> ok | {error, posix()}, Flags clone_new* constants */
int nook_call_unshare(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t flags;
    switch (term_flags(buf, idx, nook_clone_flags_table, &flags)) {
    case TERM_OK:
        break;
    case TERM_UNKNOWN:
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    default:
        return TERM_BADARG;
    }
    if (flags < INT32_MIN || flags > UINT32_MAX)
        return TERM_BADARG;
    if (unshare((int)flags) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
