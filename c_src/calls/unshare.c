/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <sched.h>

#include "../call.h"

/* unshare(2): unshare(Task, Flags) -> ok | {error, posix()}, Flags clone_new* constants */
int nook_call_unshare(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t flags;
    int rv = term_flags(buf, idx, nook_clone_flags_table, INT32_MIN, UINT32_MAX, &flags);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, unshare((int)flags));
    return TERM_OK;
}
