/* SPDX-License-Identifier: ISC */
/* ioctl(2) requests worth a name; any other is given as an integer. */
#pragma once

#include "const.h"

extern const struct nook_const nook_ioctl_table[];
