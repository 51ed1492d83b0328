/* SPDX-License-Identifier: ISC */
#include <sys/pidfd.h>

#include "../call.h"

/*
 * pidfd_open(2): pidfd_open(Task, Pid, Flags) -> {ok, fd()} | {error, posix()}: a descriptor
 * standing for process Pid, close-on-exec. Flags: 0, or PIDFD_NONBLOCK's value.
 */
int nook_call_pidfd_open(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    int64_t flags;
    int rv = term_int(buf, idx, &pid);
    rv |= term_int_range(buf, idx, 0, UINT32_MAX, &flags);
    if (rv != TERM_OK)
        return rv;
    reply_ok_int_or_errno(reply, pidfd_open(pid, (unsigned int)flags));
    return TERM_OK;
}
