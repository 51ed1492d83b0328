/* SPDX-License-Identifier: ISC */
/* Children of this nook process: creating them, relaying their channels, reaping them. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nook.h"
#include "term.h"

/* Output read from a dead child's pipes before its exit is reported. */
#define DRAIN_LIMIT (4u << 20)
/* How long exec'd children get to act on a gentle signaloneof before SIGKILL. */
#define GRACE_MS 2000

struct nook_child *child_by_pid(pid_t pid)
{
    if (pid <= 0)
        return NULL;
    for (int i = 0; i < nook.child_hi; i++)
        if (nook.child[i].pid == pid)
            return &nook.child[i];
    return NULL;
}

int child_count(void) { return nook.nchild; }

/* Slots allocated when a process starts; the table doubles as children come, up to maxchild.
   A new process pays for the slots it uses only: each page it touches is a page fault, and
   a table sized for maxchild up front cost a forked child ~140 of them. */
#define CHILD_TABLE_START 16

static int grow_table(void)
{
    int cap = nook.nchild_slots * 2;
    if (cap > nook.opt.maxchild)
        cap = nook.opt.maxchild;
    if (cap <= nook.nchild_slots)
        return -1;
    struct nook_child *t = realloc(nook.child, (size_t)cap * sizeof(*t));
    if (t == NULL)
        return -1;
    memset(t + nook.nchild_slots, 0, (size_t)(cap - nook.nchild_slots) * sizeof(*t));
    nook.child = t;
    nook.nchild_slots = cap;
    return 0;
}

struct nook_child *child_free_slot(void)
{
    if (child_count() >= nook.opt.maxchild)
        return NULL;
    for (int i = 0; i < nook.nchild_slots; i++)
        if (nook.child[i].pid == 0)
            return &nook.child[i];
    int first_new = nook.nchild_slots;
    return grow_table() < 0 ? NULL : &nook.child[first_new];
}

int child_resize_table(int maxchild)
{
    if (maxchild < child_count())
        return -1;
    int cap = maxchild < CHILD_TABLE_START ? maxchild : CHILD_TABLE_START;
    if (cap < nook.nchild)
        cap = nook.nchild;
    struct nook_child *t = calloc((size_t)(cap > 0 ? cap : 1), sizeof(*t));
    if (t == NULL)
        return -1;
    int j = 0;
    for (int i = 0; i < nook.child_hi; i++)
        if (nook.child[i].pid != 0)
            t[j++] = nook.child[i];
    free(nook.child);
    nook.child = t;
    nook.nchild_slots = cap;
    nook.child_hi = j;
    nook.nchild = j;
    nook.opt.maxchild = maxchild;
    return 0;
}

void child_default_opts(int maxchild)
{
    nook.opt.maxchild = maxchild;
    nook.opt.maxforkdepth = NOOK_MAXFORKDEPTH_DEFAULT;
    nook.opt.exit_status = true;
    nook.opt.termsig = true;
    nook.opt.flowcontrol = -1;
    nook.opt.signaloneof = SIGKILL;
}

int child_max_for_nofile(rlim_t nofile)
{
    if (nofile == RLIM_INFINITY)
        return NOOK_MAXCHILD_LIMIT;
    if (nofile <= NOOK_FDS_RESERVED)
        return 0;
    rlim_t n = (nofile - NOOK_FDS_RESERVED) / NOOK_FDS_PER_CHILD;
    return n > NOOK_MAXCHILD_LIMIT ? NOOK_MAXCHILD_LIMIT : (int)n;
}

int nook_fd_is_internal(int fd)
{
    if (fd < 0)
        return 0;
    if (fd == nook.up.rfd || fd == nook.up.wfd || fd == nook.sigfd)
        return 1;
    for (int i = 0; i < nook.child_hi; i++) {
        const struct nook_child *c = &nook.child[i];
        if (c->pid != 0 && (fd == c->ctl || fd == c->in || fd == c->out || fd == c->err))
            return 1;
    }
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        int saved = errno;
        (void)close(*fd);
        errno = saved;
        *fd = -1;
    }
}

void child_release(struct nook_child *c)
{
    close_fd(&c->ctl);
    close_fd(&c->in);
    close_fd(&c->out);
    close_fd(&c->err);
    buf_free(&c->ctl_in);
    buf_free(&c->ctl_out);
    buf_free(&c->stdin_queue);
    bool was_used = c->pid != 0;
    memset(c, 0, sizeof(*c));
    c->ctl = c->in = c->out = c->err = -1;
    if (was_used)
        nook.nchild--;
    while (nook.child_hi > 0 && nook.child[nook.child_hi - 1].pid == 0)
        nook.child_hi--;
}

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void child_event_atom(pid_t pid, const char *what)
{
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_atom(&ev, what);
    frame_child_event(pid, &ev);
    ei_x_free(&ev);
}

void child_event_stdin_error(pid_t pid, const char *reason, int64_t written)
{
    /* {stdin, {error, Reason}} or, for a full queue, {stdin, {error, {eagain, Written}}} */
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_tuple(&ev, 2);
    enc_atom(&ev, "stdin");
    enc_tuple(&ev, 2);
    enc_atom(&ev, "error");
    if (written >= 0) {
        enc_tuple(&ev, 2);
        enc_atom(&ev, reason);
        enc_int(&ev, written);
    } else {
        enc_atom(&ev, reason);
    }
    frame_child_event(pid, &ev);
    ei_x_free(&ev);
}

static void child_event_stdin_ready(pid_t pid)
{
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_tuple(&ev, 2);
    enc_atom(&ev, "stdin");
    enc_atom(&ev, "ready");
    frame_child_event(pid, &ev);
    ei_x_free(&ev);
}

/* ---- the child's side of a fork ---- */

static void close_inherited_internal_fds(void)
{
    /* The parent's channels and its other children's pipes are no business of this process. */
    close_fd(&nook.sigfd);
    if (nook.up.rfd > 2)
        close_fd(&nook.up.rfd);
    if (nook.up.wfd > 2)
        close_fd(&nook.up.wfd);
    buf_free(&nook.up.in);
    buf_free(&nook.up.out);
    for (int i = 0; i < nook.child_hi; i++)
        if (nook.child[i].pid != 0)
            child_release(&nook.child[i]);
    free(nook.child);
    nook.child = NULL;
    nook.nchild_slots = 0;
    nook.child_hi = 0;
    nook.nchild = 0;
}

static int64_t orphan_scan_at; /* 0: none due; see child_schedule_orphan_scan() */

static void __attribute__((noreturn))
child_start(pid_t expect_ppid, int ctl, int fds[3], const int parent_ends[4])
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
    /* A scan due in the parent is the parent's: this process has no dead children yet. */
    orphan_scan_at = 0;
    memcpy(nook.filter, nook.filter_child, sizeof(nook.filter));
    if (child_resize_table(nook.opt.maxchild) < 0 || signals_init() < 0)
        _exit(NOOK_EXIT_INIT_FAILED);
    nook_loop();
}

/* clone(2) flags that would share memory, signal handlers or threads with the parent. */
#define CLONE_FORBIDDEN                                                                            \
    (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_SETTLS | CLONE_VFORK | CLONE_PARENT_SETTID |  \
     CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PARENT | CLONE_FILES | CLONE_FS |           \
     CLONE_IO | CLONE_PTRACE | CLONE_UNTRACED | CLONE_PIDFD | 0xff)

pid_t child_spawn(unsigned long clone_flags)
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
            close_fd(&all[i][0]);
            close_fd(&all[i][1]);
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
        child_start((clone_flags & CLONE_NEWPID) ? 0 : parent, ctl[1], fds, parent_ends);
    }
    int e = errno;
    signals_restore(&old);
    close_fd(&ctl[1]);
    close_fd(&in[0]);
    close_fd(&out[1]);
    close_fd(&err[1]);
    if (pid < 0) {
        close_fd(&ctl[0]);
        close_fd(&in[1]);
        close_fd(&out[0]);
        close_fd(&err[0]);
        return -e;
    }
    set_nonblock(ctl[0]);
    set_nonblock(in[1]);
    set_nonblock(out[0]);
    set_nonblock(err[0]);
    memset(c, 0, sizeof(*c));
    c->pid = pid;
    nook.nchild++;
    if (c - nook.child >= nook.child_hi)
        nook.child_hi = (int)(c - nook.child) + 1;
    c->ctl = ctl[0];
    c->in = in[1];
    c->out = out[0];
    c->err = err[0];
    c->flowcontrol = nook.opt.flowcontrol;
    c->flowcontrol_bytes = -1;
    c->signaloneof = nook.opt.signaloneof;
    return pid;
}

/* ---- relaying ---- */

static uint32_t be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static void ctl_closed(struct nook_child *c)
{
    close_fd(&c->ctl);
    buf_free(&c->ctl_in);
    buf_free(&c->ctl_out);
    if (c->pending_exec) {
        c->pending_exec = false;
        c->execed = true;
        child_event_atom(c->pid, "execed");
    }
}

/* Pass whole frames from the child's ctl up, each wrapped with the child's pid. */
static void relay_ctl_frames(struct nook_child *c)
{
    while (buf_len(&c->ctl_in) >= 4) {
        const char *head = buf_head(&c->ctl_in);
        uint32_t len = be32(head);
        if (len == 0 || len > NOOK_FRAME_MAX) {
            /* Our own code on the other end broke the protocol: it cannot be trusted further. */
            (void)kill(c->pid, SIGKILL);
            child_event_atom(c->pid, "protocol_error");
            close_fd(&c->ctl);
            buf_free(&c->ctl_in);
            buf_free(&c->ctl_out);
            return;
        }
        if (buf_len(&c->ctl_in) < 4 + (size_t)len)
            return;
        if ((uint8_t)head[4] == NOOK_UP_EXEC_PENDING) {
            c->pending_exec = true;
        } else {
            c->pending_exec = false;
            frame_from_child(c->pid, head, 4 + (size_t)len);
        }
        buf_consume(&c->ctl_in, 4 + (size_t)len);
    }
}

void child_read_ctl(struct nook_child *c, bool drain)
{
    do {
        ssize_t n = buf_read_from(&c->ctl_in, c->ctl, NOOK_READ_CHUNK);
        if (n > 0) {
            relay_ctl_frames(c);
            continue;
        }
        if (n < 0 && errno == EAGAIN)
            return;
        ctl_closed(c);
        return;
    } while (drain && c->ctl >= 0);
}

void child_write_ctl(struct nook_child *c)
{
    if (buf_write_to(&c->ctl_out, c->ctl) < 0 && errno != EAGAIN)
        buf_free(&c->ctl_out); /* the child is going: its exit is reported on reaping */
}

void child_write_stdin(struct nook_child *c)
{
    if (buf_len(&c->stdin_queue) > 0 && buf_write_to(&c->stdin_queue, c->in) < 0 &&
        errno != EAGAIN) {
        int e = errno;
        /* The program closed its stdin: what it did not read is reported, not kept. */
        buf_free(&c->stdin_queue);
        close_fd(&c->in);
        child_event_stdin_error(c->pid, errno_name(e), -1);
        return;
    }
    if (buf_len(&c->stdin_queue) == 0 && c->close_in_when_drained)
        close_fd(&c->in);
    if (c->stdin_refused && buf_len(&c->stdin_queue) <= NOOK_STDIN_QUEUE_MAX / 2) {
        c->stdin_refused = false;
        child_event_stdin_ready(c->pid);
    }
}

size_t child_queue_stdin(struct nook_child *c, const char *data, size_t n)
{
    size_t room = NOOK_STDIN_QUEUE_MAX - buf_len(&c->stdin_queue);
    size_t take = n < room ? n : room;
    buf_append(&c->stdin_queue, data, take);
    if (take < n)
        c->stdin_refused = true;
    child_write_stdin(c);
    return take;
}

void child_read_output(struct nook_child *c, int *fd, enum nook_up_type type)
{
    /* Credit the other stream used up in this same turn: a read of 0 bytes would look like
       EOF, and closing the pipe would kill the program with SIGPIPE. */
    if (child_output_paused(c))
        return;
    bool counted = child_flow_controlled(c);
    size_t max =
        counted && c->flowcontrol_bytes >= 0 ? (size_t)c->flowcontrol_bytes : NOOK_READ_CHUNK;
    ssize_t n = frame_read_child_output(type, c->pid, *fd, max);
    if (n > 0 && c->execed)
        pipe_note_read(*fd, (size_t)n, type == NOOK_UP_STDOUT ? &c->out_size : &c->err_size);
    if (n > 0) {
        if (counted && c->flowcontrol > 0)
            c->flowcontrol--;
        if (counted && c->flowcontrol_bytes > 0)
            c->flowcontrol_bytes -= n;
        return;
    }
    if (n < 0 && errno == EAGAIN)
        return;
    close_fd(fd); /* EOF: the program closed it; polling it again would spin */
}

/* ---- reaping ---- */

static void drain_output(struct nook_child *c, int *fd, enum nook_up_type type)
{
    size_t total = 0;
    while (*fd >= 0 && total < DRAIN_LIMIT) {
        ssize_t n = frame_read_child_output(type, c->pid, *fd, NOOK_READ_CHUNK);
        if (n <= 0)
            break;
        total += (size_t)n;
    }
}

static void report_exit(pid_t pid, int status)
{
    ei_x_buff ev;
    if (WIFEXITED(status) && nook.opt.exit_status) {
        ei_x_new_with_version(&ev);
        enc_tuple(&ev, 2);
        enc_atom(&ev, "exit_status");
        enc_int(&ev, WEXITSTATUS(status));
    } else if (WIFSIGNALED(status) && nook.opt.termsig) {
        const char *name = const_name(nook_signal_table, WTERMSIG(status));
        ei_x_new_with_version(&ev);
        enc_tuple(&ev, 2);
        enc_atom(&ev, "termsig");
        enc_atom(&ev, name ? name : "unknown");
    } else {
        return;
    }
    frame_child_event(pid, &ev);
    ei_x_free(&ev);
}

/* Every output byte and every relayed frame goes up before the exit: callers rely on order. */
static void child_finish(struct nook_child *c, int status)
{
    if (c->ctl >= 0)
        child_read_ctl(c, true);
    drain_output(c, &c->out, NOOK_UP_STDOUT);
    drain_output(c, &c->err, NOOK_UP_STDERR);
    report_exit(c->pid, status);
    child_release(c);
}

static pid_t parent_pid_of(pid_t pid)
{
    char path[64], stat[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, stat, sizeof(stat) - 1);
    (void)close(fd);
    if (n <= 0)
        return -1;
    stat[n] = '\0';
    /* The command name may hold spaces and parentheses: fields resume after the last ')'. */
    char *p = strrchr(stat, ')');
    int ppid;
    if (p == NULL || sscanf(p + 1, " %*c %d", &ppid) != 1)
        return -1;
    return ppid;
}

/*
 * SIGKILL our children that are not in the table (include_table: all of them). Being a
 * subreaper, such a child is an orphan left by a child that died: nothing owns it any more.
 */
static int kill_untracked_children(bool include_table)
{
    DIR *d = opendir("/proc");
    if (d == NULL)
        return 0;
    pid_t self = getpid();
    int killed = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        if (parent_pid_of((pid_t)pid) != self)
            continue;
        if (!include_table && child_by_pid((pid_t)pid) != NULL)
            continue;
        if (kill((pid_t)pid, SIGKILL) == 0)
            killed++;
    }
    closedir(d);
    return killed;
}

void child_note_reaped(pid_t pid, int status)
{
    if (!WIFEXITED(status) && !WIFSIGNALED(status))
        return; /* stopped or continued: still ours */
    struct nook_child *c = child_by_pid(pid);
    if (c != NULL)
        child_finish(c, status);
    child_schedule_orphan_scan();
}

/* How long after a death the orphans it left are looked for: scans cost a /proc walk, so the
   deaths of a burst share one, off the path of the reply that reports them. */
#define ORPHAN_SCAN_DELAY_MS 20

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void child_schedule_orphan_scan(void)
{
    if (orphan_scan_at == 0)
        orphan_scan_at = now_ms() + ORPHAN_SCAN_DELAY_MS;
}

int child_orphan_scan_timeout(void)
{
    if (orphan_scan_at == 0)
        return -1;
    int64_t left = orphan_scan_at - now_ms();
    return left < 0 ? 0 : (int)left;
}

void child_run_due_orphan_scan(void)
{
    if (orphan_scan_at != 0 && now_ms() >= orphan_scan_at) {
        orphan_scan_at = 0;
        (void)kill_untracked_children(false);
    }
}

void child_reap_all_exited(void)
{
    bool reaped = false;
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid <= 0)
            break;
        /* A traced child's stop is not an end: it stays in the table, and alive. */
        if (!WIFEXITED(status) && !WIFSIGNALED(status))
            continue;
        reaped = true;
        struct nook_child *c = child_by_pid(pid);
        if (c != NULL)
            child_finish(c, status);
    }
    /* Whatever died, tracked or adopted, handed its own children to us before we reaped it. */
    if (reaped)
        child_schedule_orphan_scan();
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

void child_kill_all_and_wait(void)
{
    bool gentle = false;
    for (int i = 0; i < nook.child_hi; i++) {
        struct nook_child *c = &nook.child[i];
        if (c->pid == 0)
            continue;
        int sig = c->execed && c->signaloneof > 0 ? c->signaloneof : SIGKILL;
        gentle |= sig != SIGKILL;
        (void)kill(-c->pid, sig); /* its process group, if it leads one */
        (void)kill(c->pid, sig);
        if (sig != SIGKILL)
            (void)kill(c->pid, SIGCONT);
    }
    for (int waited = 0; gentle && child_count() > 0 && waited < GRACE_MS; waited += 10) {
        child_reap_all_exited();
        if (child_count() > 0)
            sleep_ms(10);
    }
    /* Then nothing is left to chance: kill every child, adopted or not, until none is left.
       Our own children, killed, go soon: they are waited for first. /proc is walked for
       adopted ones only once none of ours is left and something still is. */
    for (;;) {
        for (int i = 0; i < nook.child_hi; i++)
            if (nook.child[i].pid != 0)
                (void)kill(nook.child[i].pid, SIGKILL);
        int status;
        pid_t pid = waitpid(-1, &status, child_count() > 0 ? 0 : WNOHANG);
        if (pid == 0) {
            (void)kill_untracked_children(true);
            pid = waitpid(-1, &status, 0);
        }
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0)
            break; /* ECHILD: none left */
        struct nook_child *c = child_by_pid(pid);
        if (c != NULL && (WIFEXITED(status) || WIFSIGNALED(status)))
            child_finish(c, status);
    }
}

/* ---- exec ---- */

int child_prepare_exec(void)
{
    /* A process with children cannot become a program: nobody would relay for them. */
    if (child_count() > 0)
        return EACCES;
    /* The root's channel is the port itself: exec'ing it would hand the BEAM raw output. */
    if (nook.depth == 0)
        return EPERM;
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

void child_restore_after_failed_exec(void) { signals_restore_after_failed_exec(); }
