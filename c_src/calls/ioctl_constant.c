/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"
#include "../consts/ioctl.h"

/* ioctl_constant(Task, Name) -> integer() | unknown: an ioctl(2) request */
int nook_call_ioctl_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_ioctl_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
