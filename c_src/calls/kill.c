/* SPDX-License-Identifier: ISC */
#include <signal.h>

#include "../call.h"

/* kill(2): kill(Task, Pid, Signal) -> ok | {error, posix()} */
int nook_call_kill(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    int64_t sig;
    int rv = term_int(buf, idx, &pid);
    rv |= term_const(buf, idx, nook_signal_table, 0, INT32_MAX, &sig);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, kill(pid, (int)sig));
    return TERM_OK;
}
