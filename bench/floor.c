/* SPDX-License-Identifier: ISC */
/*
 * The floor for a rootless container start: nook_rootless's sequence (its task/1, init/1,
 * ops/1, mount_ops/1 and dev_ops/1) made directly, with no protocol in between.
 *   floor ROOT PROG ARG...     exits with PROG's status (126 and a message if a step fails)
 * Same tree as nook: this process clones the container's init, which forks the process that
 * prepares the sandbox and execs; each waits for its child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* What nook_rootless:make_root/1 creates under the root. */
static const char *const skeleton[] = {"bin", "sbin", "usr", "lib", "lib64", "tmp", "home",
                                       "proc", "dev"};
/* Read-only binds: the last one may be missing (no errexit in nook). */
static const char *const binds[] = {"/bin", "/sbin", "/usr", "/lib"};
static const char *const optional_binds[] = {"/lib64"};
static const char *const devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
static const char *const dev_links[][2] = {{"/proc/self/fd", "fd"},
                                           {"/proc/self/fd/0", "stdin"},
                                           {"/proc/self/fd/1", "stdout"},
                                           {"/proc/self/fd/2", "stderr"}};
/* nook_rootless:environ/1 */
static char *const environ_rootless[] = {
    "PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin", "HOME=/home",
    "TMPDIR=/tmp", "LANG=C.UTF-8", NULL};

static const unsigned long read_only = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID;
static const unsigned long scratch = MS_NOEXEC | MS_NODEV | MS_NOATIME | MS_NOSUID;

static const char *root;

static void fail(const char *what, const char *arg)
{
    fprintf(stderr, "floor: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
    _exit(126);
}

/* ROOT joined with a path below it; a static buffer is enough, one path at a time. */
static const char *in_root(const char *dir)
{
    static char path[PATH_MAX];
    while (*dir == '/')
        dir++;
    int n = snprintf(path, sizeof(path), "%s/%s", root, dir);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        errno = ENAMETOOLONG;
        fail("path", dir);
    }
    return path;
}

static void must_mount(const char *src, const char *target, const char *type,
                       unsigned long flags, const char *data)
{
    if (mount(src, target, type, flags, data) < 0)
        fail("mount", target);
}

static void write_file(const char *file, const char *data)
{
    int fd = open(file, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        fail("open", file);
    if (write(fd, data, strlen(data)) < 0)
        fail("write", file);
    close(fd);
}

/* nook_rootless:make_root/1: idempotent, as nook does it before every start. */
static void make_root(void)
{
    if (mkdir(root, 0755) < 0 && errno != EEXIST)
        fail("mkdir", root);
    for (size_t i = 0; i < sizeof(skeleton) / sizeof(skeleton[0]); i++)
        if (mkdir(in_root(skeleton[i]), 0755) < 0 && errno != EEXIST)
            fail("mkdir", skeleton[i]);
}

static void bind_read_only(const char *dir, int optional)
{
    char target[PATH_MAX];
    snprintf(target, sizeof(target), "%s", in_root(dir));
    if (mount(dir, target, "", MS_BIND | MS_REC, "") < 0) {
        if (optional)
            return;
        fail("mount", target);
    }
    if (mount(dir, target, "", read_only, "") < 0 && !optional)
        fail("remount", target);
}

/* mount_ops/1 and dev_ops/1, in their order. */
static void mounts(void)
{
    must_mount("none", "/", "", MS_REC | MS_PRIVATE, "");
    must_mount(root, root, "", MS_BIND, "");
    (void)mount(root, root, "", read_only, "");
    for (size_t i = 0; i < sizeof(binds) / sizeof(binds[0]); i++)
        bind_read_only(binds[i], 0);
    for (size_t i = 0; i < sizeof(optional_binds) / sizeof(optional_binds[0]); i++)
        bind_read_only(optional_binds[i], 1);
    must_mount("tmpfs", in_root("/tmp"), "tmpfs", scratch, "mode=1777,size=4M");
    must_mount("tmpfs", in_root("/home"), "tmpfs", scratch, "mode=700,size=8M");
    must_mount("proc", in_root("/proc"), "proc", MS_NOEXEC | MS_NOSUID | MS_NODEV, "");

    char dev[PATH_MAX], node[PATH_MAX + 16], host[32];
    snprintf(dev, sizeof(dev), "%s", in_root("/dev"));
    must_mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k");
    for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
        snprintf(node, sizeof(node), "%s/%s", dev, devices[i]);
        snprintf(host, sizeof(host), "/dev/%s", devices[i]);
        int fd = open(node, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            fail("touch", node);
        close(fd);
        must_mount(host, node, "", MS_BIND, "");
    }
    for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
        snprintf(node, sizeof(node), "%s/%s", dev, dev_links[i][1]);
        if (symlink(dev_links[i][0], node) < 0)
            fail("symlink", node);
    }

    if (chdir(root) < 0)
        fail("chdir", root);
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        fail("pivot_root", ".");
    if (umount2(".", MNT_DETACH) < 0)
        fail("umount2", ".");
    if (chdir("/") < 0)
        fail("chdir", "/");
}

/* nook_rootless:lo_up/1: SIOCSIFFLAGS with IFF_UP on an inet socket. */
static void lo_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        fail("socket", NULL);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    ifr.ifr_flags = IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
        fail("ioctl", "lo");
    close(fd);
}

/* ops/1 on the process that execs: session, hostname, mounts, lo, then process_ops/1. */
static void prepare_and_exec(char **argv)
{
    if (setsid() < 0)
        fail("setsid", NULL);
    if (sethostname("nook", 4) < 0)
        fail("sethostname", NULL);
    mounts();
    lo_up();
    if (setpriority(PRIO_PROCESS, 0, 0) < 0)
        fail("setpriority", NULL);
    struct rlimit core = {0, 0};
    if (setrlimit(RLIMIT_CORE, &core) < 0)
        fail("setrlimit", NULL);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        fail("prctl", "no_new_privs");
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        fail("prctl", "pdeathsig");
    execve(argv[0], argv, environ_rootless);
    fail("execve", argv[0]);
}

static int wait_status(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            fail("waitpid", NULL);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: floor ROOT PROG ARG...\n");
        return 2;
    }
    root = argv[1];
    make_root();
    uid_t uid = getuid();
    gid_t gid = getgid();

    /* The raw system call, as bubblewrap does: it forks into the new namespaces. */
    pid_t init = (pid_t)syscall(SYS_clone, CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWPID |
                                CLONE_NEWUTS | CLONE_NEWUSER | CLONE_NEWNET | SIGCHLD,
                                NULL, NULL, NULL, NULL);
    if (init < 0)
        fail("clone", NULL);
    if (init > 0)
        return wait_status(init);

    /* The container's init maps its ids, then forks the process that execs. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        fail("prctl", "pdeathsig");
    char map[64];
    snprintf(map, sizeof(map), "65534 %u 1\n", (unsigned)uid);
    write_file("/proc/self/uid_map", map);
    write_file("/proc/self/setgroups", "deny");
    snprintf(map, sizeof(map), "65534 %u 1\n", (unsigned)gid);
    write_file("/proc/self/gid_map", map);
    pid_t task = fork();
    if (task < 0)
        fail("fork", NULL);
    if (task == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
            fail("prctl", "pdeathsig");
        prepare_and_exec(argv + 2);
    }
    _exit(wait_status(task));
}
