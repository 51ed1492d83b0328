/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* setuid(2): setuid(Task, Uid) -> ok | {error, posix()} */
int nook_call_setuid(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t v;
    /* -1 is passed on, for the kernel to refuse with einval like any invalid id. */
    if (term_int64(buf, idx, &v) < 0 || v < -1 || v > UINT32_MAX)
        return TERM_BADARG;
    if (setuid((uid_t)v) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
