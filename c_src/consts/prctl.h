/* SPDX-License-Identifier: ISC */
/* prctl(2) options, and the names of a few option arguments (pr_cap_ambient_raise, ...). */
#pragma once

#include "const.h"

extern const struct nook_const nook_prctl_table[];
