/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"
#include "../consts/fcntl.h"

/* fcntl_constant(Task, Name) -> integer() | unknown: an fcntl(2) command or argument */
int nook_call_fcntl_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_fcntl_cmd_table, nook_fcntl_arg_table,
                                                      NULL};
    return constants_reply(buf, idx, reply, tables);
}
