/* SPDX-License-Identifier: ISC */
/*
 * (Not named seccomp.h: with -Ic_src it would shadow libseccomp's <seccomp.h>.)
 * Policies compiled by libseccomp into a BPF program for seccomp(2). nook_seccomp (Erlang)
 * checks a policy's shape and sends it normalized:
 *   {Default :: Action, [{Action, Syscall :: atom(), [{Arg, Op, A, B}]}]}
 *   Action = allow | kill_process | kill_thread | trap | log | notify | {errno, Errno}
 *   Op = eq | ne | lt | le | gt | ge | masked_eq (A the mask, B the value; else A the value)
 * A and B are integers or constant names (ioctl requests, clone flags, socket domains ...).
 * The filter covers the native architecture and its compat ones (x86 and x32 beside x86_64,
 * arm beside aarch64); a syscall some of them lack is filtered where it exists.
 */
#pragma once

#include <ei.h>
#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Rules in one policy, conditions in one rule (a syscall has six arguments) and in all. The
 * time libseccomp takes grows fast with conditions on one syscall (512 pairs: 10 s): these
 * limits keep a compilation, which holds up its process, under half a second.
 */
#define SECCOMP_RULES_MAX 1024
#define SECCOMP_CONDS_MAX 6
#define SECCOMP_CONDS_TOTAL_MAX 256
/* The kernel's limit on a filter: BPF_MAXINSNS instructions of 8 bytes. */
#define SECCOMP_INSNS_MAX 4096
#define SECCOMP_INSN_SIZE 8

enum seccomp_outcome {
    SECCOMP_COMPILED,
    SECCOMP_BADARG,           /* not a policy: the caller raises badarg */
    SECCOMP_UNKNOWN_SYSCALL,  /* name: no architecture of the filter knows it */
    SECCOMP_UNKNOWN_CONSTANT, /* name: an errno or argument name no table has */
    SECCOMP_RULE_REFUSED,     /* name (the rule's syscall), err: libseccomp refused the rule */
    SECCOMP_TOO_MANY_RULES,
    SECCOMP_TOO_MANY_CONDS,
    SECCOMP_TOO_LARGE, /* len: the program has more instructions than the kernel takes */
    SECCOMP_FAILED,    /* err: memory, memfd, export */
};

struct seccomp_compiled {
    enum seccomp_outcome outcome;
    const char *name; /* the atom term as sent, namelen bytes inside the request's buffer */
    int namelen;
    int err;
    char *bpf; /* malloc'd: the program's instructions, len bytes */
    size_t len;
};

/* Compile the policy term at *idx. Always fills out; policy_compiled_free() it after. */
void policy_compile(const char *buf, int *idx, struct seccomp_compiled *out);
void policy_compiled_free(struct seccomp_compiled *c);

/*
 * The name of syscall nr on arch (a libseccomp token, 0 for native, or the AUDIT_ARCH_*
 * of a siginfo_t, where x32 is x86_64 with bit 30 set in nr). NULL if unknown, else a malloc'd
 * string; *resolved is the architecture it was found on.
 */
char *policy_syscall_name(uint32_t arch, int nr, uint32_t *resolved);

/*
 * A program as seccomp_compile/2 returns it (whole 8-byte instructions) for seccomp(2):
 * prog->filter is malloc'd (free it). TERM_BADARG for a term that is no such binary; TERM_OK
 * with prog->len 0 (and no filter) for one the kernel would refuse, empty or too long.
 */
int policy_decode_bpf(const char *buf, int *idx, struct sock_fprog *prog);
/* Frees what policy_decode_bpf() decoded when the program goes out of scope. */
void policy_bpf_free(struct sock_fprog *prog);
#define autofree_bpf __attribute__((cleanup(policy_bpf_free)))
