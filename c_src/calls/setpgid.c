/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* setpgid(2): setpgid(Task, Pid, Pgid) -> ok | {error, posix()}; 0 for either is the caller */
int nook_call_setpgid(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid, pgid;
    int rv = term_int(buf, idx, &pid);
    rv |= term_int(buf, idx, &pgid);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, setpgid(pid, pgid));
    return TERM_OK;
}
