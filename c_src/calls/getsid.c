/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* getsid(2): getsid(Task, Pid) -> {ok, Sid} | {error, posix()}; Pid 0 is the caller */
int nook_call_getsid(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    if (term_int(buf, idx, &pid) < 0)
        return TERM_BADARG;
    reply_ok_int_or_errno(reply, getsid(pid));
    return TERM_OK;
}
