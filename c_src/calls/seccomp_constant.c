/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"
#include "../consts/seccomp.h"

/* seccomp_constant(Task, Name) -> integer() | unknown: a seccomp(2) operation or flag */
int nook_call_seccomp_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_seccomp_op_table,
                                                      nook_seccomp_flag_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
