/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"

/* signal_constant(Task, Name) -> integer() | unknown: a signal */
int nook_call_signal_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_signal_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
