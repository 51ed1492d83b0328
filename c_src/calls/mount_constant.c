/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"
#include "../consts/mount.h"

/* mount_constant(Task, Name) -> integer() | unknown: a mount(2) or umount2(2) flag */
int nook_call_mount_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_mount_flags_table,
                                                      nook_umount_flags_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
