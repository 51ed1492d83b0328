/* SPDX-License-Identifier: ISC */
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../call.h"
#include "../child.h"
#include "../relay.h"

/* A terminal's stdin is not closed: that would hang its session up. Its EOF character is
   typed instead, after what is queued, as a user at the keyboard ends input (^D where none
   is set). */
static void type_eof(struct nook_child *c, ei_x_buff *reply)
{
    struct termios t;
    if (tcgetattr(c->in, &t) < 0) {
        reply_error(reply, errno);
        return;
    }
    char veof = t.c_cc[VEOF] != _POSIX_VDISABLE ? (char)t.c_cc[VEOF] : 4;
    if (relay_queue_stdin(c, &veof, 1) == 0)
        reply_error(reply, EAGAIN);
    else
        reply_ok(reply);
}

/*
 * eof(Task, ChildPid, stdin | stdout | stderr) -> ok | {error, posix()}: close this process's
 * end of a child's pipe. A queued stdin (setcpid stdin_queue) closes once what waits is
 * written; a terminal's (pty) gets its EOF character instead.
 */
int nook_call_eof(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    char which[8];
    if (term_int(buf, idx, &pid) < 0 || term_atom(buf, idx, which, sizeof(which)) < 0)
        return TERM_BADARG;
    int *fd;
    struct nook_child *c = child_by_pid(pid);
    if (strcmp(which, "stdin") != 0 && strcmp(which, "stdout") != 0 && strcmp(which, "stderr") != 0)
        return TERM_BADARG;
    if (c == NULL) {
        reply_error(reply, ESRCH);
        return TERM_OK;
    }
    fd = which[3] == 'i' ? &c->in : which[3] == 'o' ? &c->out : &c->err;
    if (*fd < 0 || (fd == &c->in && c->close_in_when_drained)) {
        reply_error(reply, EBADF);
        return TERM_OK;
    }
    if (fd == &c->in && c->pty) {
        type_eof(c, reply);
        return TERM_OK;
    }
    if (fd == &c->in && buf_len(&c->stdin_queue) > 0)
        c->close_in_when_drained = true;
    else
        child_close_fd(fd);
    reply_ok(reply);
    return TERM_OK;
}
