/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"
#include "../seccomp_policy.h"

/* The offending name exactly as it came: any atom, however long or unusual. */
static void enc_name(ei_x_buff *reply, const struct seccomp_compiled *c)
{
    if (ei_x_append_buf(reply, c->name, c->namelen) < 0)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
}

/*
 * seccomp_init(3), seccomp_rule_add(3), seccomp_export_bpf(3): seccomp_compile(Task, Policy)
 *     -> {ok, BPF :: binary()} | {error, {unknown_syscall, Name}} |
 *        {error, {unknown_constant, Name}} | {error, {rule_refused, Syscall, posix()}} |
 *        {error, {too_many, rules | conditions, Max}} | {error, {too_large, Bytes}} |
 *        {error, posix()}
 * Policy is the normalized term of seccomp_policy.h (nook_seccomp makes it); BPF is the
 * program for seccomp_load/2, for the native architecture and its compat ones.
 */
int nook_call_seccomp_compile(const char *buf, int *idx, ei_x_buff *reply)
{
    struct seccomp_compiled c;
    policy_compile(buf, idx, &c);
    switch (c.outcome) {
    case SECCOMP_COMPILED:
        reply_ok_binary(reply, c.bpf, c.len);
        break;
    case SECCOMP_BADARG:
        policy_compiled_free(&c);
        return TERM_BADARG;
    case SECCOMP_UNKNOWN_SYSCALL:
    case SECCOMP_UNKNOWN_CONSTANT:
        enc_tuple(reply, 2);
        enc_atom(reply, "error");
        enc_tuple(reply, 2);
        enc_atom(reply,
                 c.outcome == SECCOMP_UNKNOWN_SYSCALL ? "unknown_syscall" : "unknown_constant");
        enc_name(reply, &c);
        break;
    case SECCOMP_RULE_REFUSED:
        enc_tuple(reply, 2);
        enc_atom(reply, "error");
        enc_tuple(reply, 3);
        enc_atom(reply, "rule_refused");
        enc_name(reply, &c);
        enc_atom(reply, errno_name(c.err));
        break;
    case SECCOMP_TOO_MANY_RULES:
    case SECCOMP_TOO_MANY_CONDS:
        enc_tuple(reply, 2);
        enc_atom(reply, "error");
        enc_tuple(reply, 3);
        enc_atom(reply, "too_many");
        enc_atom(reply, c.outcome == SECCOMP_TOO_MANY_RULES ? "rules" : "conditions");
        enc_int(reply,
                c.outcome == SECCOMP_TOO_MANY_RULES ? SECCOMP_RULES_MAX : SECCOMP_CONDS_TOTAL_MAX);
        break;
    case SECCOMP_TOO_LARGE:
        enc_tuple(reply, 2);
        enc_atom(reply, "error");
        enc_tuple(reply, 2);
        enc_atom(reply, "too_large");
        enc_int(reply, (int64_t)c.len);
        break;
    case SECCOMP_FAILED:
        reply_error(reply, c.err);
        break;
    }
    policy_compiled_free(&c);
    return TERM_OK;
}
