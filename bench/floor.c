/* SPDX-License-Identifier: ISC */
/*
 * The floor for a rootless container start: nook_rootless's sequence made directly, with no
 * protocol in between (task/1, init/1 with nook_root's checks, ops/2 with mount_ops/2,
 * nook_etc's generated /etc, lo, the limits, and nook's compiled default seccomp profile).
 *   floor [-s BPF] ROOT PROG ARG...   exits with PROG's status (126 and a message if a step
 *                                     fails); -s FILE loads the filter in FILE before exec
 * Same tree as nook: this process checks the root and clones the container's init, which
 * maps its ids, opens the root's directories and forks the process that prepares the sandbox
 * through those fds and execs; each waits for its child. What only nook does: the cgroup
 * (where this machine lets the user make one) and nook's own call filters.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
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

/* nook_rootless's ?SKELETON: the directories mounted onto, in the order they are opened. */
enum { BIN, SBIN, USR, LIB, LIB64, TMP, HOME, PROC, DEV, ETC, SKELETON_N };
static const char *const skeleton[SKELETON_N] = {"bin", "sbin", "usr",  "lib", "lib64",
                                                 "tmp", "home", "proc", "dev", "etc"};
static const char *const devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
static const char *const dev_links[][2] = {{"pts/ptmx", "dev/ptmx"},
                                           {"/proc/self/fd", "dev/fd"},
                                           {"/proc/self/fd/0", "dev/stdin"},
                                           {"/proc/self/fd/1", "dev/stdout"},
                                           {"/proc/self/fd/2", "dev/stderr"}};
/* nook_etc:generated/1 for the default config (uid 65534, hostname nook). */
static const char *const etc_files[][2] = {
    {"etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/sh\n"},
    {"etc/group", "root:x:0:\nnogroup:x:65534:\n"},
    {"etc/hostname", "nook\n"},
    {"etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                  "127.0.1.1\tnook\n"},
    {"etc/nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n"
                          "networks: files\nprotocols: files\nservices: files\n"}};
/* nook_etc's ?FROM_HOST, where they exist, and the directories above them. */
static const char *const etc_from_host[] = {"alternatives", "ssl/certs", "ssl/openssl.cnf"};
/* nook_rootless:environ/1 */
static char *const environ_rootless[] = {
    "PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin", "HOME=/home",
    "TMPDIR=/tmp", "LANG=C.UTF-8", NULL};

#define OWNER ",uid=65534,gid=65534"
/* nook_rootless's ?DEVPTS, the terminals its user's */
#define DEVPTS "newinstance,ptmxmode=0666,mode=0620,max=64" OWNER
#define FILTER_MAX 4096

static const unsigned long read_only = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID;
static const unsigned long scratch = MS_NOEXEC | MS_NODEV | MS_NOATIME | MS_NOSUID;

static const char *root;
/* Filled by check_root() (device, inode) and open_root() (the fds the mounts go through). */
static struct stat root_st, dir_st[SKELETON_N];
static int root_fd = -1, dir_fd[SKELETON_N];
static struct sock_filter filter[FILTER_MAX];
static struct sock_fprog filter_prog;

static void fail(const char *what, const char *arg)
{
    fprintf(stderr, "floor: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
    _exit(126);
}

/* ROOT joined with a path below it, into the caller's buffer. */
static const char *in_root(char *buf, size_t size, const char *dir)
{
    while (*dir == '/')
        dir++;
    int n = snprintf(buf, size, "%s/%s", root, dir);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        fail("path", dir);
    }
    return buf;
}

/* nook_root:fd_path/1 */
static const char *fd_path(char *buf, size_t size, int fd)
{
    snprintf(buf, size, "/proc/self/fd/%d", fd);
    return buf;
}

static void must_mount(const char *src, const char *target, const char *type, unsigned long flags,
                       const char *data)
{
    if (mount(src, target, type, flags, data) < 0)
        fail("mount", target);
}

static void write_file(const char *file, const char *data, int flags)
{
    int fd = open(file, O_WRONLY | O_CLOEXEC | flags, 0644);
    if (fd < 0)
        fail("open", file);
    if (write(fd, data, strlen(data)) < 0)
        fail("write", file);
    close(fd);
}

/* nook_root's rules: owned by the caller (the root and inside) or also root (above it),
 * writable by nobody else unless sticky (above only). */
static void check_dir(const char *path, struct stat *st, uid_t uid, int above)
{
    if (lstat(path, st) < 0)
        fail("lstat", path);
    int sticky = above && (st->st_mode & S_ISVTX);
    if (!S_ISDIR(st->st_mode) || (st->st_uid != uid && !(above && st->st_uid == 0)) ||
        ((st->st_mode & 022) && !sticky)) {
        errno = EPERM;
        fail("unsafe root", path);
    }
}

/* nook_root:make/2 and check/3: every directory above ROOT checked, ROOT and its skeleton
 * made where missing, then each checked and its device and inode kept. */
static void check_root(uid_t uid)
{
    char path[PATH_MAX], buf[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof(path), "%s", root);
    check_dir("/", &st, uid, 1);
    for (char *slash = strchr(path + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        check_dir(path, &st, uid, 1);
        *slash = '/';
    }
    if (mkdir(root, 0755) < 0 && errno != EEXIST)
        fail("mkdir", root);
    check_dir(root, &root_st, uid, 0);
    for (int i = 0; i < SKELETON_N; i++) {
        in_root(buf, sizeof(buf), skeleton[i]);
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            fail("mkdir", buf);
        check_dir(buf, &dir_st[i], uid, 0);
    }
}

/* nook_root:open_ops/1 and verify/2: opened without following a symlink, and the very
 * directory that was checked. */
static int open_checked(const char *path, const struct stat *want)
{
    struct stat st;
    int fd = open(path, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        fail("open", path);
    if (fstat(fd, &st) < 0)
        fail("fstat", path);
    if (st.st_dev != want->st_dev || st.st_ino != want->st_ino) {
        errno = ESTALE;
        fail("changed", path);
    }
    return fd;
}

/* In the init, nook_rootless:bind_root/4: the mount tree made private, a cgroup namespace,
 * the root opened and bound onto itself through its fd, made read-only, and the directories
 * inside opened through that mount. */
static void open_root(void)
{
    char at[64], buf[PATH_MAX];
    must_mount("none", "/", "", MS_REC | MS_PRIVATE, "");
    if (unshare(CLONE_NEWCGROUP) < 0)
        fail("unshare", "cgroup");
    root_fd = open_checked(root, &root_st);
    must_mount(fd_path(at, sizeof(at), root_fd), at, "", MS_BIND, "");
    /* Read-only with both nodev and noexec, each, then neither: the last the kernel takes
       stays, as in nook_rootless:open_inside/4. */
    static const unsigned long locked[] = {MS_NODEV | MS_NOEXEC, MS_NODEV, MS_NOEXEC, 0};
    bool remounted = false;
    for (size_t i = 0; i < sizeof(locked) / sizeof(locked[0]); i++)
        remounted |= mount(root, root, "", read_only | locked[i], "") == 0;
    if (!remounted)
        fail("remount", root);
    for (int i = 0; i < SKELETON_N; i++)
        dir_fd[i] = open_checked(in_root(buf, sizeof(buf), skeleton[i]), &dir_st[i]);
}

/* A read-only bind onto a skeleton directory: through its fd, then remounted by path. */
static void bind_read_only(const char *dir, int at, int optional)
{
    char target[64], path[PATH_MAX];
    if (mount(dir, fd_path(target, sizeof(target), dir_fd[at]), "", MS_BIND | MS_REC, "") < 0) {
        if (optional)
            return;
        fail("mount", dir);
    }
    if (mount(dir, in_root(path, sizeof(path), dir), "", read_only, "") < 0 && !optional)
        fail("remount", path);
}

static void mount_at(const char *src, int at, const char *type, unsigned long flags,
                     const char *data)
{
    char target[64];
    must_mount(src, fd_path(target, sizeof(target), dir_fd[at]), type, flags, data);
}

/* nook_etc:generated/1's binds: the directories above, a directory or a file to bind onto,
 * the bind, read-only. */
static void etc_binds(void)
{
    char host[PATH_MAX], in[PATH_MAX];
    const unsigned long ro = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV;
    int made_ssl = 0;
    for (size_t i = 0; i < sizeof(etc_from_host) / sizeof(etc_from_host[0]); i++) {
        struct stat st;
        snprintf(host, sizeof(host), "/etc/%s", etc_from_host[i]);
        snprintf(in, sizeof(in), "etc/%s", etc_from_host[i]);
        if (stat(host, &st) < 0)
            continue;
        if (strchr(etc_from_host[i], '/') != NULL && !made_ssl) {
            if (mkdir("etc/ssl", 0755) < 0)
                fail("mkdir", "etc/ssl");
            made_ssl = 1;
        }
        if (S_ISDIR(st.st_mode)) {
            if (mkdir(in, 0755) < 0)
                fail("mkdir", in);
        } else {
            int fd = open(in, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0)
                fail("open", in);
            close(fd);
        }
        must_mount(host, in, "", MS_BIND | MS_REC, "");
        must_mount(host, in, "", ro, "");
    }
}

/* nook_rootless:mount_ops/2 with dev_files/0 and nook_etc's, to the pivot into the root. */
static void mounts(void)
{
    char node[64], host[32];
    bind_read_only("/bin", BIN, 0);
    bind_read_only("/sbin", SBIN, 0);
    bind_read_only("/usr", USR, 0);
    bind_read_only("/lib", LIB, 0);
    bind_read_only("/lib64", LIB64, 1);
    mount_at("tmpfs", TMP, "tmpfs", scratch, "mode=1777,size=4M" OWNER);
    mount_at("tmpfs", HOME, "tmpfs", scratch, "mode=700,size=8M" OWNER);
    mount_at("proc", PROC, "proc", MS_NOEXEC | MS_NOSUID | MS_NODEV, "");
    mount_at("tmpfs", DEV, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k" OWNER);
    mount_at("tmpfs", ETC, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
             "mode=755,size=256k,uid=65534,gid=65534");
    if (chdir(root) < 0)
        fail("chdir", root);
    for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
        snprintf(node, sizeof(node), "dev/%s", devices[i]);
        snprintf(host, sizeof(host), "/dev/%s", devices[i]);
        int fd = open(node, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            fail("touch", node);
        close(fd);
        must_mount(host, node, "", MS_BIND, "");
    }
    if (mkdir("dev/pts", 0755) < 0)
        fail("mkdir", "dev/pts");
    must_mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, DEVPTS);
    for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
        if (symlink(dev_links[i][0], dev_links[i][1]) < 0)
            fail("symlink", dev_links[i][1]);
    for (size_t i = 0; i < sizeof(etc_files) / sizeof(etc_files[0]); i++)
        write_file(etc_files[i][0], etc_files[i][1], O_CREAT | O_EXCL);
    etc_binds();
    must_mount("none", "etc", "", read_only | MS_NODEV | MS_NOEXEC, "");
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

static void limit(int resource, rlim_t value)
{
    struct rlimit r = {value, value};
    if (setrlimit(resource, &r) < 0)
        fail("setrlimit", NULL);
}

/* ops/2 on the process that execs: session, hostname, mounts, lo, then process_ops/2 with
 * nook_limits' container defaults, final_ops/1, the seccomp filter last. */
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
    limit(RLIMIT_NPROC, 1024);
    limit(RLIMIT_FSIZE, 1UL << 30);
    limit(RLIMIT_NOFILE, 1024);
    limit(RLIMIT_CORE, 0);
    limit(RLIMIT_DATA, 1UL << 30);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        fail("prctl", "no_new_privs");
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        fail("prctl", "pdeathsig");
    if (filter_prog.len > 0 && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter_prog) < 0)
        fail("seccomp", NULL);
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

/* The compiled filter nook loads (nook_seccomp:compiled/2, written by the bench). */
static void read_filter(const char *file)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail("open", file);
    ssize_t n = read(fd, filter, sizeof(filter));
    if (n <= 0 || n % (ssize_t)sizeof(filter[0]) != 0) {
        errno = EINVAL;
        fail("read", file);
    }
    close(fd);
    filter_prog.len = (unsigned short)((size_t)n / sizeof(filter[0]));
    filter_prog.filter = filter;
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-s") == 0) {
        read_filter(argv[2]);
        first = 3;
    }
    if (argc - first < 2) {
        fprintf(stderr, "usage: floor [-s BPF] ROOT PROG ARG...\n");
        return 2;
    }
    root = argv[first];
    uid_t uid = getuid();
    gid_t gid = getgid();
    check_root(uid);

    /* The raw system call, as bubblewrap does: it forks into the new namespaces. */
    pid_t init = (pid_t)syscall(SYS_clone,
                                CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS |
                                    CLONE_NEWUSER | CLONE_NEWNET | SIGCHLD,
                                NULL, NULL, NULL, NULL);
    if (init < 0)
        fail("clone", NULL);
    if (init > 0)
        return wait_status(init);

    /* The container's init maps its ids, opens the root, then forks the process that execs. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        fail("prctl", "pdeathsig");
    char map[64];
    snprintf(map, sizeof(map), "65534 %u 1\n", (unsigned)uid);
    write_file("/proc/self/uid_map", map, 0);
    write_file("/proc/self/setgroups", "deny", 0);
    snprintf(map, sizeof(map), "65534 %u 1\n", (unsigned)gid);
    write_file("/proc/self/gid_map", map, 0);
    open_root();
    pid_t task = fork();
    if (task < 0)
        fail("fork", NULL);
    if (task == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
            fail("prctl", "pdeathsig");
        prepare_and_exec(argv + first + 1);
    }
    _exit(wait_status(task));
}
