/* SPDX-License-Identifier: ISC */
/* fcntl(2) commands that take an integer argument, and names of argument values. */
#pragma once

#include "const.h"

extern const struct nook_const nook_fcntl_cmd_table[];
extern const struct nook_const nook_fcntl_arg_table[];
