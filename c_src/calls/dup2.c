/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/*
 * dup2(2): dup2(Task, OldFD, NewFD) -> {ok, NewFD} | {error, posix()}. NewFD is not
 * close-on-exec: what a program is to start with (a terminal as 0, 1 and 2, say). nook's own
 * fds are ebadf either way: as OldFD one would reach the program, as NewFD it would be closed.
 */
int nook_call_dup2(const char *buf, int *idx, ei_x_buff *reply)
{
    int oldfd, newfd;
    int rv = term_int(buf, idx, &oldfd);
    rv |= term_int(buf, idx, &newfd);
    if (rv != TERM_OK)
        return rv;
    if (reply_if_internal_fd(reply, oldfd) || reply_if_internal_fd(reply, newfd))
        return TERM_OK;
    reply_ok_int_or_errno(reply, dup2(oldfd, newfd));
    return TERM_OK;
}
