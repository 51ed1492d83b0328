/* SPDX-License-Identifier: ISC */
/* waitpid(2) options. */
#pragma once

#include "const.h"

extern const struct nook_const nook_wait_table[];
