/* SPDX-License-Identifier: ISC */
#include <limits.h>
#include <sys/ioctl.h>

#include "../call.h"
#include "../child.h"

/*
 * winsize(Task, ChildPid, Rows, Cols) -> ok | {error, posix()}: resize the terminal pty gave
 * a child, TIOCSWINSZ on its primary (ioctl_tty(2)); the kernel sends SIGWINCH to the
 * terminal's foreground process group. enotty for a child without one.
 */
int nook_call_winsize(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    int64_t rows, cols;
    int rv = term_int(buf, idx, &pid);
    rv |= term_int_range(buf, idx, 0, USHRT_MAX, &rows);
    rv |= term_int_range(buf, idx, 0, USHRT_MAX, &cols);
    if (rv != TERM_OK)
        return rv;
    const struct nook_child *c = child_by_pid(pid);
    int fd = c == NULL ? -1 : c->in >= 0 ? c->in : c->out;
    if (c == NULL || !c->pty || fd < 0) {
        reply_error(reply, c == NULL ? ESRCH : !c->pty ? ENOTTY : EBADF);
        return TERM_OK;
    }
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    reply_ok_or_errno(reply, ioctl(fd, TIOCSWINSZ, &ws));
    return TERM_OK;
}
