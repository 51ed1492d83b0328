/* SPDX-License-Identifier: ISC */
/* seccomp(2) operations and filter flags; libseccomp's architectures by their usual names. */
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>

#include "seccomp.h"

const struct nook_const nook_seccomp_op_table[] = {
#ifdef SECCOMP_SET_MODE_STRICT
    NOOK_CONST("seccomp_set_mode_strict", SECCOMP_SET_MODE_STRICT),
#endif
#ifdef SECCOMP_SET_MODE_FILTER
    NOOK_CONST("seccomp_set_mode_filter", SECCOMP_SET_MODE_FILTER),
#endif
#ifdef SECCOMP_GET_ACTION_AVAIL
    NOOK_CONST("seccomp_get_action_avail", SECCOMP_GET_ACTION_AVAIL),
#endif
#ifdef SECCOMP_GET_NOTIF_SIZES
    NOOK_CONST("seccomp_get_notif_sizes", SECCOMP_GET_NOTIF_SIZES),
#endif
    NOOK_CONST_END,
};

const struct nook_const nook_seccomp_flag_table[] = {
#ifdef SECCOMP_FILTER_FLAG_TSYNC
    NOOK_CONST("seccomp_filter_flag_tsync", SECCOMP_FILTER_FLAG_TSYNC),
#endif
#ifdef SECCOMP_FILTER_FLAG_LOG
    NOOK_CONST("seccomp_filter_flag_log", SECCOMP_FILTER_FLAG_LOG),
#endif
#ifdef SECCOMP_FILTER_FLAG_SPEC_ALLOW
    NOOK_CONST("seccomp_filter_flag_spec_allow", SECCOMP_FILTER_FLAG_SPEC_ALLOW),
#endif
#ifdef SECCOMP_FILTER_FLAG_NEW_LISTENER
    NOOK_CONST("seccomp_filter_flag_new_listener", SECCOMP_FILTER_FLAG_NEW_LISTENER),
#endif
#ifdef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
    NOOK_CONST("seccomp_filter_flag_tsync_esrch", SECCOMP_FILTER_FLAG_TSYNC_ESRCH),
#endif
#ifdef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
    NOOK_CONST("seccomp_filter_flag_wait_killable_recv", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV),
#endif
    NOOK_CONST_END,
};

const struct nook_const nook_seccomp_arch_table[] = {
    NOOK_CONST("native", SCMP_ARCH_NATIVE),
#ifdef SCMP_ARCH_X86_64
    NOOK_CONST("x86_64", SCMP_ARCH_X86_64),
#endif
#ifdef SCMP_ARCH_X86
    NOOK_CONST("x86", SCMP_ARCH_X86),
#endif
#ifdef SCMP_ARCH_X32
    NOOK_CONST("x32", SCMP_ARCH_X32),
#endif
#ifdef SCMP_ARCH_AARCH64
    NOOK_CONST("aarch64", SCMP_ARCH_AARCH64),
#endif
#ifdef SCMP_ARCH_ARM
    NOOK_CONST("arm", SCMP_ARCH_ARM),
#endif
#ifdef SCMP_ARCH_RISCV64
    NOOK_CONST("riscv64", SCMP_ARCH_RISCV64),
#endif
#ifdef SCMP_ARCH_PPC64LE
    NOOK_CONST("ppc64le", SCMP_ARCH_PPC64LE),
#endif
#ifdef SCMP_ARCH_PPC64
    NOOK_CONST("ppc64", SCMP_ARCH_PPC64),
#endif
#ifdef SCMP_ARCH_PPC
    NOOK_CONST("ppc", SCMP_ARCH_PPC),
#endif
#ifdef SCMP_ARCH_S390X
    NOOK_CONST("s390x", SCMP_ARCH_S390X),
#endif
#ifdef SCMP_ARCH_S390
    NOOK_CONST("s390", SCMP_ARCH_S390),
#endif
#ifdef SCMP_ARCH_MIPSEL64
    NOOK_CONST("mipsel64", SCMP_ARCH_MIPSEL64),
#endif
#ifdef SCMP_ARCH_MIPS64
    NOOK_CONST("mips64", SCMP_ARCH_MIPS64),
#endif
#ifdef SCMP_ARCH_MIPSEL
    NOOK_CONST("mipsel", SCMP_ARCH_MIPSEL),
#endif
#ifdef SCMP_ARCH_MIPS
    NOOK_CONST("mips", SCMP_ARCH_MIPS),
#endif
#ifdef SCMP_ARCH_LOONGARCH64
    NOOK_CONST("loongarch64", SCMP_ARCH_LOONGARCH64),
#endif
    NOOK_CONST_END,
};
