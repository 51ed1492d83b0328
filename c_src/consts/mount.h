/* SPDX-License-Identifier: ISC */
/* Flags of mount(2) and umount2(2). */
#pragma once

#include "const.h"

extern const struct nook_const nook_mount_flags_table[];
extern const struct nook_const nook_umount_flags_table[];
