/* SPDX-License-Identifier: ISC */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../call.h"
#include "../seccomp_policy.h"

/*
 * seccomp(2) SECCOMP_SET_MODE_FILTER: seccomp_load(Task, BPF) -> ok | {error, posix()}
 * BPF is a program as seccomp_compile/2 returns it, whole 8-byte instructions. The kernel
 * refuses a filter with eacces unless no_new_privs is set (prctl pr_set_no_new_privs) or the
 * process has CAP_SYS_ADMIN in its user namespace; an empty or oversized one with einval.
 * Filters stack: a process and its descendants keep every filter loaded, strictest wins.
 */
int nook_call_seccomp_load(const char *buf, int *idx, ei_x_buff *reply)
{
    int type, size;
    if (ei_get_type(buf, idx, &type, &size) < 0 || type != ERL_BINARY_EXT || size < 0 ||
        size % SECCOMP_INSN_SIZE != 0)
        return TERM_BADARG;
    if (size == 0 || size > SECCOMP_INSNS_MAX * SECCOMP_INSN_SIZE) {
        if (ei_skip_term(buf, idx) < 0)
            return TERM_BADARG;
        reply_error(reply, EINVAL);
        return TERM_OK;
    }
    autofree struct sock_filter *insns = malloc((size_t)size);
    long n;
    if (insns == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    if (ei_decode_binary(buf, idx, insns, &n) < 0 || n != size)
        return TERM_BADARG;
    struct sock_fprog prog = {.len = (unsigned short)(size / SECCOMP_INSN_SIZE), .filter = insns};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
