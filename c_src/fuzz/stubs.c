/* SPDX-License-Identifier: ISC */
/*
 * Stand-ins for every library function in c_src/fuzz/libc.txt marked "stub": the fuzz build
 * renames nook's calls to them (objcopy --redefine-sym), so that a fuzzed call can decode its
 * arguments, "make" its system call and encode the result, while nothing happens to this
 * machine. Each mirrors the real prototype; this file itself calls the real functions.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>

#include "buf.h"
#include "fuzz.h"

jmp_buf fuzz_exit_jump;
struct nook_buf fuzz_up_written;

static enum fuzz_kernel kernel;
static int next_fd;
static pid_t next_pid;

void fuzz_stubs_reset(enum fuzz_kernel k)
{
    kernel = k;
    next_fd = FUZZ_FD_FIRST_FREE;
    next_pid = FUZZ_PID_FIRST;
    buf_free(&fuzz_up_written);
}

static int refused(void)
{
    errno = EPERM;
    return -1;
}

/* 0 from a kernel that accepts, -1/EPERM from one that refuses. */
static int status(void) { return kernel == FUZZ_ACCEPT ? 0 : refused(); }
static int new_fd(void) { return kernel == FUZZ_ACCEPT ? next_fd++ : refused(); }

static int new_fd_pair(int fds[2])
{
    if (kernel != FUZZ_ACCEPT)
        return refused();
    fds[0] = next_fd++;
    fds[1] = next_fd++;
    return 0;
}

static pid_t new_pid(void) { return kernel == FUZZ_ACCEPT ? next_pid++ : refused(); }

void fuzz__exit(int st) __attribute__((noreturn));
void fuzz__exit(int st) { longjmp(fuzz_exit_jump, st + 1); }

/* Paths, names and ids: success or EPERM, nothing done. */
int fuzz_chdir(const char *p) { return status(); }
int fuzz_chmod(const char *p, mode_t m) { return status(); }
int fuzz_chown(const char *p, uid_t u, gid_t g) { return status(); }
int fuzz_chroot(const char *p) { return status(); }
int fuzz_lchown(const char *p, uid_t u, gid_t g) { return status(); }
int fuzz_clearenv(void) { return status(); }
int fuzz_link(const char *a, const char *b) { return status(); }
int fuzz_mkdir(const char *p, mode_t m) { return status(); }
int fuzz_mkfifo(const char *p, mode_t m) { return status(); }
int fuzz_mount(const char *s, const char *t, const char *f, unsigned long fl, const void *d)
{
    return status();
}
int fuzz_rename(const char *a, const char *b) { return status(); }
int fuzz_rmdir(const char *p) { return status(); }
int fuzz_setenv(const char *n, const char *v, int o) { return status(); }
int fuzz_setgid(gid_t g) { return status(); }
int fuzz_setgroups(size_t n, const gid_t *g) { return status(); }
int fuzz_sethostname(const char *n, size_t l) { return status(); }
int fuzz_setns(int fd, int t) { return status(); }
int fuzz_setpgid(pid_t p, pid_t g) { return status(); }
int fuzz_setpriority(int w, id_t who, int prio) { return status(); }
int fuzz_setresgid(gid_t r, gid_t e, gid_t s) { return status(); }
int fuzz_setresuid(uid_t r, uid_t e, uid_t s) { return status(); }
int fuzz_setrlimit(int r, const struct rlimit *rl) { return status(); }
int fuzz_setuid(uid_t u) { return status(); }
int fuzz_symlink(const char *a, const char *b) { return status(); }
int fuzz_umount(const char *t) { return status(); }
int fuzz_umount2(const char *t, int f) { return status(); }
int fuzz_unlink(const char *p) { return status(); }
int fuzz_unsetenv(const char *n) { return status(); }
int fuzz_unshare(int f) { return status(); }
int fuzz_kill(pid_t p, int s) { return status(); }
int fuzz_pidfd_send_signal(int fd, int s, siginfo_t *i, unsigned int fl) { return status(); }
int fuzz_nanosleep(const struct timespec *t, struct timespec *rem) { return status(); }
pid_t fuzz_setsid(void) { return kernel == FUZZ_ACCEPT ? getpid() : refused(); }

/* An exec never succeeds: it would not return, and the caller's next step assumes that. */
int fuzz_execve(const char *p, char *const a[], char *const e[])
{
    errno = kernel == FUZZ_ACCEPT ? ENOEXEC : EPERM;
    return -1;
}
int fuzz_execvp(const char *p, char *const a[])
{
    errno = kernel == FUZZ_ACCEPT ? ENOEXEC : EPERM;
    return -1;
}
int fuzz_fexecve(int fd, char *const a[], char *const e[])
{
    errno = kernel == FUZZ_ACCEPT ? ENOEXEC : EPERM;
    return -1;
}

/* Processes: fake pids, and no child ever to wait for (so that every wait loop ends). */
pid_t fuzz_fork(void) { return new_pid(); }
pid_t fuzz_waitpid(pid_t p, int *st, int opt)
{
    errno = ECHILD;
    return -1;
}
long fuzz_syscall(long nr, ...)
{
    if (nr == SYS_clone)
        return new_pid();
    return status();
}
int fuzz_prctl(int opt, ...) { return status(); }
long fuzz_ptrace(int req, ...) { return status(); }

/* Descriptors: fake numbers, reads at EOF, writes taken whole (the up channel's kept). */
int fuzz_open(const char *p, int fl, ...) { return new_fd(); }
int fuzz_socket(int d, int t, int p) { return new_fd(); }
int fuzz_pidfd_open(pid_t p, unsigned int fl) { return new_fd(); }
int fuzz_pipe2(int fds[2], int fl) { return new_fd_pair(fds); }
int fuzz_socketpair(int d, int t, int p, int fds[2]) { return new_fd_pair(fds); }
int fuzz_signalfd(int fd, const sigset_t *m, int fl) { return fd >= 0 ? fd : new_fd(); }
int fuzz_close(int fd) { return status(); }
int fuzz_dup2(int a, int b) { return kernel == FUZZ_ACCEPT ? b : refused(); }
int fuzz_fcntl(int fd, int cmd, ...) { return status(); }
int fuzz_ioctl(int fd, unsigned long req, ...) { return status(); }
/* A terminal with every setting 0: no EOF character set (eof types ^D then). */
int fuzz_tcgetattr(int fd, struct termios *t)
{
    memset(t, 0, sizeof(*t));
    return status();
}
off_t fuzz_lseek(int fd, off_t off, int whence) { return status(); }
ssize_t fuzz_read(int fd, void *p, size_t n) { return status(); }
/* Messages on sockets: sent whole (the up channel's kept), received at EOF, as write and read. */
ssize_t fuzz_sendmsg(int fd, const struct msghdr *m, int flags)
{
    if (kernel != FUZZ_ACCEPT)
        return refused();
    size_t n = 0;
    for (size_t i = 0; i < m->msg_iovlen; i++) {
        if (fd == FUZZ_FD_UP_WRITE)
            buf_append(&fuzz_up_written, m->msg_iov[i].iov_base, m->msg_iov[i].iov_len);
        n += m->msg_iov[i].iov_len;
    }
    return (ssize_t)n;
}
ssize_t fuzz_recvmsg(int fd, struct msghdr *m, int flags) { return status(); }
/* Another process's memory: nothing to read. */
ssize_t fuzz_process_vm_readv(pid_t p, const struct iovec *l, unsigned long ln,
                              const struct iovec *r, unsigned long rn, unsigned long fl)
{
    return status();
}
ssize_t fuzz_splice(int in, loff_t *inoff, int out, loff_t *outoff, size_t n, unsigned flags)
{
    return status();
}
ssize_t fuzz_write(int fd, const void *p, size_t n)
{
    if (kernel != FUZZ_ACCEPT)
        return refused();
    if (fd == FUZZ_FD_UP_WRITE)
        buf_append(&fuzz_up_written, p, n);
    return (ssize_t)n;
}
int fuzz_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    if (kernel != FUZZ_ACCEPT)
        return refused();
    for (nfds_t i = 0; i < n; i++)
        fds[i].revents = fds[i].events;
    return (int)n;
}
/* Every fd asked about is ready, as poll's stand-in says: the sets come back as given. */
int fuzz_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t)
{
    return kernel == FUZZ_ACCEPT ? n : refused();
}

/* A directory with nothing in it. */
static DIR *const empty_dir = (DIR *)&empty_dir;
DIR *fuzz_opendir(const char *p) { return kernel == FUZZ_ACCEPT ? empty_dir : (refused(), NULL); }
struct dirent *fuzz_readdir(DIR *d) { return NULL; }
int fuzz_closedir(DIR *d) { return status(); }

/* Signals: the dispositions and the mask may be read, never changed. */
int fuzz_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (act == NULL)
        return sigaction(sig, NULL, old);
    if (old != NULL && sigaction(sig, NULL, old) < 0)
        return -1;
    return status();
}
sighandler_t fuzz_signal(int sig, sighandler_t h)
{
    if (kernel != FUZZ_ACCEPT) {
        errno = EPERM;
        return SIG_ERR;
    }
    return SIG_DFL;
}
int fuzz_sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    if (old != NULL)
        sigprocmask(SIG_BLOCK, NULL, old);
    return status();
}
