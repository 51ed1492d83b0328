/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../constants.h"
#include "../consts/ptrace.h"

/* ptrace_constant(Task, Name) -> integer() | unknown: a ptrace(2) request or option */
int nook_call_ptrace_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    static const struct nook_const *const tables[] = {nook_ptrace_table, NULL};
    return constants_reply(buf, idx, reply, tables);
}
