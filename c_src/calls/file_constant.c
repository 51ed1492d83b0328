/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"

/* file_constant(Task, Name) -> integer() | unknown: an open(2) flag */
int nook_call_file_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_open_flags_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
