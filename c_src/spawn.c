/* SPDX-License-Identifier: ISC */
/* Making children and preparing an exec (spawn.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "child.h"
#include "frame.h"
#include "reap.h"
#include "signals.h"
#include "spawn.h"
#include "state.h"

/* clone(2) flags that would share memory, signal handlers or threads with the parent. */
#define CLONE_FORBIDDEN                                                                            \
    (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_SETTLS | CLONE_VFORK | CLONE_PARENT_SETTID |  \
     CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PARENT | CLONE_FILES | CLONE_FS |           \
     CLONE_IO | CLONE_PTRACE | CLONE_UNTRACED | CLONE_PIDFD | 0xff)

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void close_inherited_internal_fds(void)
{
    /* The parent's channels and its other children's pipes are no business of this process. */
    child_close_fd(&nook.sigfd);
    if (nook.up.rfd > 2)
        child_close_fd(&nook.up.rfd);
    if (nook.up.wfd > 2)
        child_close_fd(&nook.up.wfd);
    buf_free(&nook.up.in);
    buf_free(&nook.up.out);
    child_forget_all();
}

/* The child's side of spawn_child(): its own channel, stdio and state. */
static void start_child(pid_t expect_ppid, int ctl, int fds[3], const int parent_ends[4])
{
    /* Die with the parent, and before doing anything if it is already gone. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != expect_ppid)
        _exit(NOOK_EXIT_INIT_FAILED);
    /* Orphans of anything below come to us, so that we can reap and kill them. */
    (void)prctl(PR_SET_CHILD_SUBREAPER, 1);

    close_inherited_internal_fds();
    for (int i = 0; i < 4; i++)
        (void)close(parent_ends[i]);
    /* If the user closed some of 0-2, our fds may sit there: lift them before the dup2s. */
    if (ctl <= 2 && (ctl = fcntl(ctl, F_DUPFD_CLOEXEC, 3)) < 0)
        _exit(NOOK_EXIT_INIT_FAILED);
    for (int i = 0; i < 3; i++)
        if (fds[i] <= 2 && fds[i] != i && (fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3)) < 0)
            _exit(NOOK_EXIT_INIT_FAILED);
    for (int i = 0; i < 3; i++) {
        if (fds[i] != i) {
            if (dup2(fds[i], i) < 0)
                _exit(NOOK_EXIT_INIT_FAILED);
            (void)close(fds[i]);
        }
    }
    set_nonblock(ctl);
    nook.up.rfd = nook.up.wfd = ctl;
    frame_note_up_pipe();
    nook.depth++;
    reap_forget_orphan_scan();
    memcpy(nook.filter, nook.filter_child, sizeof(nook.filter));
    if (child_resize_table(nook.opt.maxchild) < 0 || signals_init() < 0)
        _exit(NOOK_EXIT_INIT_FAILED);
}

pid_t spawn_child(unsigned long clone_flags)
{
    if (clone_flags & (unsigned long)CLONE_FORBIDDEN)
        return -EINVAL;
    if (nook.depth >= nook.opt.maxforkdepth)
        return -EAGAIN;
    struct nook_child *c = child_free_slot();
    if (c == NULL)
        return -EAGAIN;

    int ctl[2] = {-1, -1}, in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0 || pipe2(in, O_CLOEXEC) < 0 ||
        pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
        int e = errno;
        int *all[] = {ctl, in, out, err};
        for (int i = 0; i < 4; i++) {
            child_close_fd(&all[i][0]);
            child_close_fd(&all[i][1]);
        }
        return -e;
    }

    sigset_t old;
    signals_block_all(&old);
    pid_t parent = getpid();
    pid_t pid;
    if (clone_flags == 0)
        pid = fork();
    else
        pid = (pid_t)syscall(SYS_clone, clone_flags | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        int fds[3] = {in[0], out[1], err[1]};
        int parent_ends[4] = {ctl[0], in[1], out[0], err[0]};
        start_child((clone_flags & CLONE_NEWPID) ? 0 : parent, ctl[1], fds, parent_ends);
        return 0;
    }
    int e = errno;
    signals_restore(&old);
    child_close_fd(&ctl[1]);
    child_close_fd(&in[0]);
    child_close_fd(&out[1]);
    child_close_fd(&err[1]);
    if (pid < 0) {
        child_close_fd(&ctl[0]);
        child_close_fd(&in[1]);
        child_close_fd(&out[0]);
        child_close_fd(&err[0]);
        return -e;
    }
    set_nonblock(ctl[0]);
    set_nonblock(in[1]);
    set_nonblock(out[0]);
    set_nonblock(err[0]);
    child_occupy(c, pid);
    c->ctl = ctl[0];
    c->in = in[1];
    c->out = out[0];
    c->err = err[0];
    c->flowcontrol = nook.opt.flowcontrol;
    c->flowcontrol_bytes = -1;
    c->signaloneof = nook.opt.signaloneof;
    return pid;
}

int spawn_prepare_exec(void)
{
    /* A process with children cannot become a program: nobody would relay for them. */
    if (child_count() > 0)
        return -EACCES;
    /* The root's channel is the port itself: exec'ing it would hand the BEAM raw output. */
    if (nook.depth == 0)
        return -EPERM;
    /* Signals that came before the exec are the caller's events, not the program's fate. */
    (void)signals_handle_readable();
    frame_flush_up();
    /* Tell the parent that EOF on the channel now means "exec'd", not "died". */
    static const char pending[5] = {0, 0, 0, 1, NOOK_UP_EXEC_PENDING};
    struct nook_buf *out = &nook.up.out;
    buf_append(out, pending, sizeof(pending));
    frame_flush_up();
    signals_prepare_exec();
    /* Only fds 0, 1 and 2 reach the program. */
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
        for (int fd = 3; fd < 65536; fd++) {
            int fl = fcntl(fd, F_GETFD);
            if (fl >= 0)
                (void)fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
        }
    }
    return 0;
}

void spawn_exec_failed(void) { signals_restore_after_failed_exec(); }
