/* SPDX-License-Identifier: ISC */
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
    autofree_bpf struct sock_fprog prog;
    if (policy_decode_bpf(buf, idx, &prog) < 0)
        return TERM_BADARG;
    if (prog.len == 0)
        reply_error(reply, EINVAL);
    else
        reply_ok_or_errno(reply, syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog));
    return TERM_OK;
}
