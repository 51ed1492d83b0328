/* SPDX-License-Identifier: ISC */
/* A policy term -> a libseccomp filter -> the BPF program seccomp(2) loads (seccomp_policy.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "consts/fcntl.h"
#include "consts/file.h"
#include "consts/ioctl.h"
#include "consts/mount.h"
#include "consts/prctl.h"
#include "protocol.h"
#include "seccomp_policy.h"
#include "term.h"

/* The kernel never returns an errno above this (MAX_ERRNO). */
#define ERRNO_MAX 4095
/* x32 syscalls are x86_64's audit arch with this bit in the number. */
#define X32_SYSCALL_BIT 0x40000000

/* Where a condition's constant name is looked up, in this order (names do not collide). */
static const struct nook_const *const datum_tables[] = {
    nook_ioctl_table,       nook_clone_flags_table, nook_socket_domain_table,
    nook_socket_type_table, nook_prctl_table,       nook_fcntl_cmd_table,
    nook_open_flags_table,  nook_mount_flags_table, nook_signal_table,
};

static const struct {
    const char *name;
    enum scmp_compare op;
} compare_ops[] = {
    {"eq", SCMP_CMP_EQ},
    {"ne", SCMP_CMP_NE},
    {"lt", SCMP_CMP_LT},
    {"le", SCMP_CMP_LE},
    {"gt", SCMP_CMP_GT},
    {"ge", SCMP_CMP_GE},
    {"masked_eq", SCMP_CMP_MASKED_EQ},
};

/* What one compilation holds, released on every path by compile_done(). */
struct compile {
    scmp_filter_ctx ctx;
    int memfd;
    char *atom; /* scratch for one atom of any length */
    int nconds; /* conditions so far, in all rules */
    struct seccomp_compiled *out;
};

static void compile_done(struct compile *c)
{
    int saved = errno;
    if (c->ctx != NULL)
        seccomp_release(c->ctx);
    if (c->memfd >= 0)
        close(c->memfd);
    free(c->atom);
    errno = saved;
}

static void set_outcome(struct compile *c, enum seccomp_outcome o, int err)
{
    c->out->outcome = o;
    c->out->err = err;
}

/* An outcome about the atom at buf[start..end), which the reply names exactly as it came. */
static void set_outcome_naming(struct compile *c, enum seccomp_outcome o, const char *buf,
                               int start, int end, int err)
{
    set_outcome(c, o, err);
    c->out->name = buf + start;
    c->out->namelen = end - start;
}

static int is_atom(const char *buf, const int *idx)
{
    switch (term_type(buf, idx)) {
    case ERL_ATOM_EXT:
    case ERL_SMALL_ATOM_EXT:
    case ERL_ATOM_UTF8_EXT:
    case ERL_SMALL_ATOM_UTF8_EXT:
        return 1;
    default:
        return 0;
    }
}

/* allow | kill_process | kill_thread | trap | log | notify | {errno, Errno}; -1 if not compiled. */
static int decode_action(struct compile *c, const char *buf, int *idx, uint32_t *action)
{
    if (is_atom(buf, idx)) {
        if (term_atom(buf, idx, c->atom, MAXATOMLEN_UTF8) < 0)
            goto badarg;
        if (strcmp(c->atom, "allow") == 0)
            *action = SCMP_ACT_ALLOW;
        else if (strcmp(c->atom, "kill_process") == 0)
            *action = SCMP_ACT_KILL_PROCESS;
        else if (strcmp(c->atom, "kill_thread") == 0)
            *action = SCMP_ACT_KILL_THREAD;
        else if (strcmp(c->atom, "trap") == 0)
            *action = SCMP_ACT_TRAP;
        else if (strcmp(c->atom, "log") == 0)
            *action = SCMP_ACT_LOG;
        else if (strcmp(c->atom, "notify") == 0)
            *action = SCMP_ACT_NOTIFY;
        else
            goto badarg;
        return 0;
    }
    int arity;
    int64_t err;
    if (ei_decode_tuple_header(buf, idx, &arity) < 0 || arity != 2 ||
        term_atom(buf, idx, c->atom, MAXATOMLEN_UTF8) < 0 || strcmp(c->atom, "errno") != 0)
        goto badarg;
    if (is_atom(buf, idx)) {
        int start = *idx;
        if (term_atom(buf, idx, c->atom, MAXATOMLEN_UTF8) < 0)
            goto badarg;
        if (const_value(nook_errno_table, c->atom, &err) < 0) {
            set_outcome_naming(c, SECCOMP_UNKNOWN_CONSTANT, buf, start, *idx, 0);
            return -1;
        }
    } else if (term_int64(buf, idx, &err) < 0) {
        goto badarg;
    }
    if (err < 0 || err > ERRNO_MAX)
        goto badarg;
    *action = SCMP_ACT_ERRNO((uint32_t)err);
    return 0;
badarg:
    set_outcome(c, SECCOMP_BADARG, 0);
    return -1;
}

/* An argument's value: an integer (negative ones as the same 64 bits) or a constant name. */
static int decode_datum(struct compile *c, const char *buf, int *idx, scmp_datum_t *v)
{
    int start = *idx;
    if (is_atom(buf, idx)) {
        if (term_atom(buf, idx, c->atom, MAXATOMLEN_UTF8) < 0)
            goto badarg;
        for (size_t i = 0; i < sizeof(datum_tables) / sizeof(datum_tables[0]); i++) {
            int64_t found;
            if (const_value(datum_tables[i], c->atom, &found) == 0) {
                *v = (scmp_datum_t)found;
                return 0;
            }
        }
        set_outcome_naming(c, SECCOMP_UNKNOWN_CONSTANT, buf, start, *idx, 0);
        return -1;
    }
    long long s;
    unsigned long long u;
    if (ei_decode_longlong(buf, idx, &s) == 0) {
        *v = (scmp_datum_t)s;
        return 0;
    }
    *idx = start;
    if (ei_decode_ulonglong(buf, idx, &u) == 0) {
        *v = (scmp_datum_t)u;
        return 0;
    }
badarg:
    set_outcome(c, SECCOMP_BADARG, 0);
    return -1;
}

/* {Arg, Op, A, B}: for masked_eq A is the mask and B the value, else A is the value. */
static int decode_cond(struct compile *c, const char *buf, int *idx, struct scmp_arg_cmp *cmp)
{
    int arity, arg;
    if (ei_decode_tuple_header(buf, idx, &arity) < 0 || arity != 4 ||
        term_int(buf, idx, &arg) < 0 || arg < 0 || arg >= SECCOMP_CONDS_MAX ||
        term_atom(buf, idx, c->atom, MAXATOMLEN_UTF8) < 0) {
        set_outcome(c, SECCOMP_BADARG, 0);
        return -1;
    }
    size_t i, n = sizeof(compare_ops) / sizeof(compare_ops[0]);
    for (i = 0; i < n && strcmp(compare_ops[i].name, c->atom) != 0; i++)
        ;
    if (i == n) {
        set_outcome(c, SECCOMP_BADARG, 0);
        return -1;
    }
    cmp->arg = (unsigned int)arg;
    cmp->op = compare_ops[i].op;
    if (decode_datum(c, buf, idx, &cmp->datum_a) < 0 ||
        decode_datum(c, buf, idx, &cmp->datum_b) < 0)
        return -1;
    return 0;
}

/* {Action, Syscall, [Cond]} added to the filter. */
static int add_rule(struct compile *c, const char *buf, int *idx)
{
    int arity, nconds = 0;
    uint32_t action;
    struct scmp_arg_cmp cmp[SECCOMP_CONDS_MAX];
    if (ei_decode_tuple_header(buf, idx, &arity) < 0 || arity != 3 ||
        decode_action(c, buf, idx, &action) < 0)
        goto failed;
    int name_start = *idx;
    if (term_atom(buf, idx, c->atom, MAXATOMLEN_UTF8) < 0)
        goto badarg;
    int name_end = *idx;
    int nr = seccomp_syscall_resolve_name(c->atom);
    if (nr == __NR_SCMP_ERROR) {
        set_outcome_naming(c, SECCOMP_UNKNOWN_SYSCALL, buf, name_start, name_end, 0);
        return -1;
    }
    if (term_type(buf, idx) == ERL_NIL_EXT) {
        if (ei_skip_term(buf, idx) < 0)
            goto badarg;
    } else {
        if (ei_decode_list_header(buf, idx, &nconds) < 0 || nconds < 0 ||
            nconds > SECCOMP_CONDS_MAX)
            goto badarg;
        c->nconds += nconds;
        if (c->nconds > SECCOMP_CONDS_TOTAL_MAX) {
            set_outcome(c, SECCOMP_TOO_MANY_CONDS, 0);
            return -1;
        }
        for (int i = 0; i < nconds; i++)
            if (decode_cond(c, buf, idx, &cmp[i]) < 0)
                goto failed;
        if (term_type(buf, idx) != ERL_NIL_EXT || ei_skip_term(buf, idx) < 0)
            goto badarg;
    }
    int rv = seccomp_rule_add_array(c->ctx, action, nr, (unsigned int)nconds, cmp);
    /* -EACCES: the rule's action is the default one, so it changes nothing. */
    if (rv < 0 && rv != -EACCES) {
        set_outcome_naming(c, SECCOMP_RULE_REFUSED, buf, name_start, name_end, -rv);
        return -1;
    }
    return 0;
badarg:
    set_outcome(c, SECCOMP_BADARG, 0);
failed:
    return -1;
}

/* The native architecture's compat ones go into the same filter. */
static int add_compat_arches(struct compile *c)
{
    static const struct {
        uint32_t native, compat;
    } compat[] = {
        {SCMP_ARCH_X86_64, SCMP_ARCH_X86},
        {SCMP_ARCH_X86_64, SCMP_ARCH_X32},
        {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM},
    };
    uint32_t native = seccomp_arch_native();
    for (size_t i = 0; i < sizeof(compat) / sizeof(compat[0]); i++) {
        if (compat[i].native != native)
            continue;
        int rv = seccomp_arch_add(c->ctx, compat[i].compat);
        if (rv < 0 && rv != -EEXIST) {
            set_outcome(c, SECCOMP_FAILED, -rv);
            return -1;
        }
    }
    return 0;
}

/* libseccomp 2.5 exports only to an fd: a memfd, read back whole. */
static int export_program(struct compile *c)
{
    struct stat st;
    c->memfd = memfd_create("nook-seccomp", MFD_CLOEXEC);
    if (c->memfd < 0) {
        set_outcome(c, SECCOMP_FAILED, errno);
        return -1;
    }
    int rv = seccomp_export_bpf(c->ctx, c->memfd);
    if (rv < 0) {
        set_outcome(c, SECCOMP_FAILED, -rv);
        return -1;
    }
    if (fstat(c->memfd, &st) < 0) {
        set_outcome(c, SECCOMP_FAILED, errno);
        return -1;
    }
    size_t len = (size_t)st.st_size;
    if (len > (size_t)SECCOMP_INSNS_MAX * SECCOMP_INSN_SIZE) {
        set_outcome(c, SECCOMP_TOO_LARGE, 0);
        c->out->len = len;
        return -1;
    }
    if (len == 0 || len % SECCOMP_INSN_SIZE != 0) {
        set_outcome(c, SECCOMP_FAILED, EINVAL);
        return -1;
    }
    c->out->bpf = malloc(len);
    if (c->out->bpf == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    for (size_t got = 0; got < len;) {
        ssize_t n = pread(c->memfd, c->out->bpf + got, len - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            set_outcome(c, SECCOMP_FAILED, n < 0 ? errno : EIO);
            return -1;
        }
        got += (size_t)n;
    }
    c->out->len = len;
    return 0;
}

static int compile(struct compile *c, const char *buf, int *idx)
{
    int arity, nrules = 0;
    uint32_t dflt;
    if (ei_decode_tuple_header(buf, idx, &arity) < 0 || arity != 2) {
        set_outcome(c, SECCOMP_BADARG, 0);
        return -1;
    }
    if (decode_action(c, buf, idx, &dflt) < 0)
        return -1;
    c->ctx = seccomp_init(dflt);
    if (c->ctx == NULL) {
        set_outcome(c, SECCOMP_FAILED, EINVAL);
        return -1;
    }
    if (add_compat_arches(c) < 0)
        return -1;
    if (term_type(buf, idx) == ERL_NIL_EXT) {
        if (ei_skip_term(buf, idx) < 0) {
            set_outcome(c, SECCOMP_BADARG, 0);
            return -1;
        }
        return export_program(c);
    }
    if (ei_decode_list_header(buf, idx, &nrules) < 0 || nrules < 0) {
        set_outcome(c, SECCOMP_BADARG, 0);
        return -1;
    }
    if (nrules > SECCOMP_RULES_MAX) {
        set_outcome(c, SECCOMP_TOO_MANY_RULES, 0);
        return -1;
    }
    for (int i = 0; i < nrules; i++)
        if (add_rule(c, buf, idx) < 0)
            return -1;
    if (term_type(buf, idx) != ERL_NIL_EXT || ei_skip_term(buf, idx) < 0) {
        set_outcome(c, SECCOMP_BADARG, 0);
        return -1;
    }
    return export_program(c);
}

void policy_compile(const char *buf, int *idx, struct seccomp_compiled *out)
{
    memset(out, 0, sizeof(*out));
    struct compile c = {
        .ctx = NULL, .memfd = -1, .atom = malloc(MAXATOMLEN_UTF8), .nconds = 0, .out = out};
    if (c.atom == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    if (compile(&c, buf, idx) == 0)
        out->outcome = SECCOMP_COMPILED;
    compile_done(&c);
}

void policy_compiled_free(struct seccomp_compiled *c)
{
    free(c->bpf);
    c->bpf = NULL;
    c->len = 0;
}

char *policy_syscall_name(uint32_t arch, int nr, uint32_t *resolved)
{
    if (arch == SCMP_ARCH_NATIVE)
        arch = seccomp_arch_native();
    /* A siginfo_t says x86_64 for x32 calls too; their numbers carry the x32 bit. */
    if (arch == SCMP_ARCH_X86_64 && (nr & X32_SYSCALL_BIT) != 0)
        arch = SCMP_ARCH_X32;
    *resolved = arch;
    return seccomp_syscall_resolve_num_arch(arch, nr);
}

void policy_bpf_free(struct sock_fprog *prog)
{
    free(prog->filter);
    prog->filter = NULL;
}

int policy_decode_bpf(const char *buf, int *idx, struct sock_fprog *prog)
{
    int type, size;
    long n;
    prog->len = 0;
    prog->filter = NULL;
    if (ei_get_type(buf, idx, &type, &size) < 0 || type != ERL_BINARY_EXT || size < 0 ||
        size % SECCOMP_INSN_SIZE != 0)
        return TERM_BADARG;
    if (size == 0 || size > SECCOMP_INSNS_MAX * SECCOMP_INSN_SIZE)
        return ei_skip_term(buf, idx) < 0 ? TERM_BADARG : TERM_OK;
    prog->filter = malloc((size_t)size);
    if (prog->filter == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    if (ei_decode_binary(buf, idx, prog->filter, &n) < 0 || n != size) {
        free(prog->filter);
        prog->filter = NULL;
        return TERM_BADARG;
    }
    prog->len = (unsigned short)(size / SECCOMP_INSN_SIZE);
    return TERM_OK;
}
