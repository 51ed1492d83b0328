/* SPDX-License-Identifier: ISC */
#include <stddef.h>
#include <sys/pidfd.h>

#include "../call.h"

/*
 * pidfd_send_signal(2): pidfd_send_signal(Task, PidFD, Signal, Flags) -> ok | {error, posix()}:
 * kill(2) through a descriptor of pidfd_open/3, the siginfo made by the kernel as kill(2)
 * makes it. Flags: 0 (Linux 6.9 adds PIDFD_SIGNAL_*).
 */
int nook_call_pidfd_send_signal(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    int64_t sig, flags;
    int rv = term_int(buf, idx, &fd);
    rv |= term_const(buf, idx, nook_signal_table, 0, INT32_MAX, &sig);
    rv |= term_int_range(buf, idx, 0, UINT32_MAX, &flags);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, pidfd_send_signal(fd, (int)sig, NULL, (unsigned int)flags));
    return TERM_OK;
}
