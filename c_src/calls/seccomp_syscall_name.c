/* SPDX-License-Identifier: ISC */
#include <stdlib.h>

#include "../call.h"
#include "../consts/seccomp.h"
#include "../seccomp_policy.h"

/*
 * seccomp_syscall_resolve_num_arch(3): seccomp_syscall_name(Task, Nr, Arch) ->
 *     {ok, Name :: atom(), Arch :: atom()} | {error, {unknown_syscall, Nr}} | {error, enotsup}
 * Arch is native, a name (x86_64, x86, x32, aarch64, arm, ...) or the AUDIT_ARCH_* value of a
 * siginfo_t's si_arch; the reply names the architecture the number was found on (x32 for an
 * x86_64 number with the x32 bit).
 */
int nook_call_seccomp_syscall_name(const char *buf, int *idx, ei_x_buff *reply)
{
    int nr;
    int64_t arch;
    int rv = term_int(buf, idx, &nr);
    rv |= term_const(buf, idx, nook_seccomp_arch_table, 0, UINT32_MAX, &arch);
    if (rv != TERM_OK)
        return rv;
    uint32_t resolved;
    autofree char *name = policy_syscall_name((uint32_t)arch, nr, &resolved);
    if (name == NULL) {
        enc_tuple(reply, 2);
        enc_atom(reply, "error");
        enc_tuple(reply, 2);
        enc_atom(reply, "unknown_syscall");
        enc_int(reply, nr);
        return TERM_OK;
    }
    const char *arch_name = const_name(nook_seccomp_arch_table, resolved);
    enc_tuple(reply, 3);
    enc_atom(reply, "ok");
    enc_atom(reply, name);
    if (arch_name != NULL)
        enc_atom(reply, arch_name);
    else
        enc_int(reply, resolved);
    return TERM_OK;
}
