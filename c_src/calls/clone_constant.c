/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"

/* clone_constant(Task, Name) -> integer() | unknown: a clone(2) flag */
int nook_call_clone_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_clone_flags_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
