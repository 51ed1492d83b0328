/* SPDX-License-Identifier: ISC */
/* Relaying a child's seccomp notifications and answering them (notify.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "consts/seccomp.h"
#include "frame.h"
#include "notify.h"
#include "seccomp_policy.h"
#include "term.h"

/* Reads of another process's memory are split here: a read stops at the first page that is
   not mapped, not before it. */
#define MEM_CHUNK 4096

/*
 * The calls whose event carries what a pointer argument points to: a path (len_arg -1: a
 * string) or a socket address (its length in argument len_arg). What a pointer points to
 * may change between this read and the call itself: it is for reporting, never deciding.
 */
static const struct {
    const char *syscall;
    int arg, len_arg;
} pointer_args[] = {
    {"execve", 0, -1},     {"execveat", 1, -1},  {"open", 0, -1},       {"openat", 1, -1},
    {"openat2", 1, -1},    {"creat", 0, -1},     {"unlink", 0, -1},     {"unlinkat", 1, -1},
    {"mkdir", 0, -1},      {"mkdirat", 1, -1},   {"rmdir", 0, -1},      {"rename", 0, -1},
    {"renameat", 1, -1},   {"renameat2", 1, -1}, {"link", 0, -1},       {"linkat", 1, -1},
    {"symlink", 1, -1},    {"symlinkat", 2, -1}, {"chdir", 0, -1},      {"chroot", 0, -1},
    {"chmod", 0, -1},      {"fchmodat", 1, -1},  {"chown", 0, -1},      {"lchown", 0, -1},
    {"fchownat", 1, -1},   {"truncate", 0, -1},  {"mknod", 0, -1},      {"mknodat", 1, -1},
    {"stat", 0, -1},       {"lstat", 0, -1},     {"newfstatat", 1, -1}, {"statx", 1, -1},
    {"access", 0, -1},     {"faccessat", 1, -1}, {"faccessat2", 1, -1}, {"readlink", 0, -1},
    {"readlinkat", 1, -1}, {"mount", 1, -1},     {"umount2", 0, -1},    {"connect", 1, 2},
    {"bind", 1, 2},        {"sendto", 4, 5},
};

/* The notification and the response, each as large as the larger of the kernel's structure
   (it may have grown beyond our headers) and ours: made once, reused for every one. */
static struct seccomp_notif *notif;
static struct seccomp_notif_resp *notif_resp;
static size_t notif_size, notif_resp_size;

static size_t larger(size_t a, size_t b) { return a > b ? a : b; }

static void make_notif_buffers(void)
{
    /* If the kernel cannot say, kernels stays zero and our sizes serve. */
    struct seccomp_notif_sizes kernels = {0};
    (void)syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &kernels);
    notif_size = larger(sizeof(struct seccomp_notif), kernels.seccomp_notif);
    notif_resp_size = larger(sizeof(struct seccomp_notif_resp), kernels.seccomp_notif_resp);
    notif = malloc(notif_size);
    notif_resp = malloc(notif_resp_size);
    if (notif == NULL || notif_resp == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
}

/* Zeroed before each use: the kernel refuses a RECV into a buffer that is not (EINVAL). */
static struct seccomp_notif *zeroed_notif(void)
{
    if (notif == NULL)
        make_notif_buffers();
    memset(notif, 0, notif_size);
    return notif;
}

static struct seccomp_notif_resp *zeroed_notif_resp(void)
{
    if (notif_resp == NULL)
        make_notif_buffers();
    memset(notif_resp, 0, notif_resp_size);
    return notif_resp;
}

/* Up to len bytes at addr in process pid (as this process numbers it): what could be read. */
static size_t read_target(pid_t pid, uint64_t addr, char *out, size_t len)
{
    struct iovec local = {.iov_base = out, .iov_len = len};
    struct iovec remote[NOTIFY_MEM_MAX / MEM_CHUNK + 1];
    size_t n = 0;
    for (size_t done = 0; done < len && n < sizeof(remote) / sizeof(remote[0]); n++) {
        uint64_t at = addr + done;
        size_t piece = MEM_CHUNK - (size_t)(at % MEM_CHUNK);
        if (piece > len - done)
            piece = len - done;
        remote[n] = (struct iovec){.iov_base = (void *)(uintptr_t)at, .iov_len = piece};
        done += piece;
    }
    ssize_t got = process_vm_readv(pid, &local, 1, remote, n, 0);
    return got > 0 ? (size_t)got : 0;
}

/* What the call's pointer argument points to, if it is one of pointer_args': into mem. */
static bool read_pointer_arg(const char *name, const struct seccomp_notif *n, char *mem, int *arg,
                             size_t *len)
{
    size_t i, count = sizeof(pointer_args) / sizeof(pointer_args[0]);
    for (i = 0; i < count && strcmp(pointer_args[i].syscall, name) != 0; i++)
        ;
    if (i == count || n->data.args[pointer_args[i].arg] == 0)
        return false;
    int len_arg = pointer_args[i].len_arg;
    size_t want = len_arg < 0                              ? NOTIFY_MEM_MAX
                  : n->data.args[len_arg] < NOTIFY_MEM_MAX ? (size_t)n->data.args[len_arg]
                                                           : NOTIFY_MEM_MAX;
    size_t got = read_target((pid_t)n->pid, n->data.args[pointer_args[i].arg], mem, want);
    if (len_arg < 0) {
        const char *end = memchr(mem, '\0', got);
        if (end != NULL)
            got = (size_t)(end - mem);
    }
    *arg = pointer_args[i].arg;
    *len = got;
    return true;
}

static void relay_one(struct nook_child *c)
{
    static char mem[NOTIFY_MEM_MAX];
    struct seccomp_notif *n = zeroed_notif();
    if (ioctl(c->notify, SECCOMP_IOCTL_NOTIF_RECV, n) < 0) {
        /* ENOENT: the caller went away in the meantime; EINTR: poll again. */
        if (errno != ENOENT && errno != EINTR)
            child_close_fd(&c->notify);
        return;
    }
    uint32_t arch;
    autofree char *name = policy_syscall_name(n->data.arch, n->data.nr, &arch);
    const char *arch_name = const_name(nook_seccomp_arch_table, arch);
    int mem_arg = 0;
    size_t mem_len = 0;
    bool has_mem = name != NULL && read_pointer_arg(name, n, mem, &mem_arg, &mem_len);
    /* What was read belongs to this call only if the call still waits: the pid may be
       another process's by now. A notification gone needs no answer. */
    if (has_mem && ioctl(c->notify, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) < 0)
        return;
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_tuple(&ev, 2);
    enc_atom(&ev, "seccomp_notify");
    enc_map(&ev, has_mem ? 6 : 5);
    enc_atom(&ev, "id");
    enc_uint(&ev, n->id);
    enc_atom(&ev, "pid");
    enc_int(&ev, n->pid);
    enc_atom(&ev, "syscall");
    if (name != NULL)
        enc_atom(&ev, name);
    else
        enc_int(&ev, n->data.nr);
    enc_atom(&ev, "arch");
    if (arch_name != NULL)
        enc_atom(&ev, arch_name);
    else
        enc_int(&ev, arch);
    enc_atom(&ev, "args");
    enc_list(&ev, 6);
    for (int i = 0; i < 6; i++)
        enc_uint(&ev, n->data.args[i]);
    enc_nil(&ev);
    if (has_mem) {
        enc_atom(&ev, "mem");
        enc_tuple(&ev, 2);
        enc_int(&ev, mem_arg);
        enc_binary(&ev, mem, mem_len);
    }
    frame_child_event(c->pid, &ev);
    ei_x_free(&ev);
}

void notify_relay(struct nook_child *c, short revents)
{
    if (revents & POLLIN)
        relay_one(c);
    /* No process uses the filter any more: nothing will come. */
    else if (revents & (POLLHUP | POLLERR | POLLNVAL))
        child_close_fd(&c->notify);
}

int notify_answer(struct nook_child *c, uint64_t id, bool allow, int err)
{
    struct seccomp_notif_resp *r = zeroed_notif_resp();
    r->id = id;
    if (allow)
        r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    else
        r->error = -err;
    return ioctl(c->notify, SECCOMP_IOCTL_NOTIF_SEND, r) < 0 ? -errno : 0;
}
