/* SPDX-License-Identifier: ISC */
/* ptrace(2) requests. */
#pragma once

#include "const.h"

extern const struct nook_const nook_ptrace_table[];
