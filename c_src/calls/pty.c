/* SPDX-License-Identifier: ISC */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../call.h"
#include "../child.h"

/* Closes a descriptor still held when the handler returns, errno kept. */
static void close_held(int *fd) { child_close_fd(fd); }

/*
 * pty(Task, ChildPid, Owner) -> {ok, Path} | {error, posix()}: a new pseudo-terminal (pts(4))
 * for a child that has not exec'd. Its primary replaces this process's ends of the child's
 * stdin and stdout pipes, which are closed: what is written to the child's stdin is typed on
 * the terminal, what the terminal shows comes up as the child's stdout. Path is the
 * secondary's, in this process's /dev/pts (inside a container, the container's own, so the
 * child opens it by that path and makes it its controlling terminal and its 0, 1 and 2).
 * Owner is the uid the secondary is given (lchown(2)), -1 for the kernel's choice (this
 * process's uid, or a devpts uid= option). A child with a terminal already is eexist, one
 * that has exec'd ebusy, one whose stdin or stdout is closed ebadf.
 */
int nook_call_pty(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    id_t owner;
    int rv = term_int(buf, idx, &pid);
    rv |= term_id(buf, idx, &owner);
    if (rv != TERM_OK)
        return rv;
    struct nook_child *c = child_by_pid(pid);
    int refused = c == NULL                                             ? ESRCH
                  : c->pty                                              ? EEXIST
                  : child_flow_controlled(c)                            ? EBUSY
                  : c->in < 0 || c->out < 0 || c->close_in_when_drained ? EBADF
                                                                        : 0;
    if (refused != 0) {
        reply_error(reply, refused);
        return TERM_OK;
    }
    /* posix_openpt(3), unlockpt(3) and ptsname(3), as the calls they make */
    __attribute__((cleanup(close_held))) int primary =
        open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    __attribute__((cleanup(close_held))) int second = -1;
    int unlock = 0;
    unsigned int n = 0;
    char path[32];
    if (primary < 0 || ioctl(primary, TIOCSPTLCK, &unlock) < 0 ||
        ioctl(primary, TIOCGPTN, &n) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    snprintf(path, sizeof(path), "/dev/pts/%u", n);
    if ((owner != (id_t)-1 && lchown(path, (uid_t)owner, (gid_t)-1) < 0) ||
        (second = fcntl(primary, F_DUPFD_CLOEXEC, 0)) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    /* Two descriptors of one primary: stdin's and stdout's ends close apart, as pipes do. What
       is queued for stdin goes to the terminal; what the stdin pipe held is dropped with it. */
    child_close_fd(&c->in);
    child_close_fd(&c->out);
    c->in = primary;
    c->out = second;
    primary = second = -1;
    c->pty = true;
    c->out_size = -1; /* no pipe to grow */
    reply_ok_binary(reply, path, strlen(path));
    return TERM_OK;
}
