/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"
#include "../consts/prctl.h"

/* prctl_constant(Task, Name) -> integer() | unknown: a prctl(2) option or argument */
int nook_call_prctl_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_prctl_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
