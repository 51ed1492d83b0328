/* SPDX-License-Identifier: ISC */
#include <signal.h>

#include "../call.h"

/* kill(2): kill(Task, Pid, Signal) -> ok | {error, posix()} */
int nook_call_kill(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    int64_t sig;
    if (term_int(buf, idx, &pid) < 0)
        return TERM_BADARG;
    switch (term_constant(buf, idx, nook_signal_table, &sig)) {
    case TERM_OK:
        break;
    case TERM_UNKNOWN:
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    default:
        return TERM_BADARG;
    }
    if (sig < 0 || sig > INT32_MAX)
        return TERM_BADARG;
    if (kill(pid, (int)sig) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
