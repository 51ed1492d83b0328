/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* setpgid(2): setpgid(Task, Pid, Pgid) -> ok | {error, posix()}; 0 for either is the caller */
int nook_call_setpgid(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid, pgid;
    if (term_int(buf, idx, &pid) < 0 || term_int(buf, idx, &pgid) < 0)
        return TERM_BADARG;
    if (setpgid(pid, pgid) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
