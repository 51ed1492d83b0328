/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"
#include "../consts/resource.h"

/* rlimit_constant(Task, Name) -> integer() | unknown: a resource of setrlimit(2) */
int nook_call_rlimit_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_rlimit_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
