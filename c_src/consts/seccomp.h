/* SPDX-License-Identifier: ISC */
/* seccomp(2) operations and filter flags, and the architectures libseccomp builds filters for. */
#pragma once

#include "const.h"

extern const struct nook_const nook_seccomp_op_table[];
extern const struct nook_const nook_seccomp_flag_table[];
/* libseccomp's architecture tokens (the kernel's AUDIT_ARCH_* but for x32); native is 0. */
extern const struct nook_const nook_seccomp_arch_table[];
