/* SPDX-License-Identifier: ISC */
#include <sys/resource.h>
#include <unistd.h>

#include "../call.h"
#include "../consts/resource.h"

/* A limit as Erlang sees it: infinity for RLIM_INFINITY, else the number, all 64 bits of it. */
static void enc_rlim(ei_x_buff *reply, rlim_t v)
{
    if (v == RLIM_INFINITY)
        enc_atom(reply, "infinity");
    else
        enc_uint(reply, v);
}

/* getrlimit(2): getrlimit(Task, Resource) -> {ok, #{cur := Cur, max := Max}} | {error, posix()} */
int nook_call_getrlimit(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t resource;
    int rv = term_const(buf, idx, nook_rlimit_table, 0, INT32_MAX, &resource);
    if (rv != TERM_OK)
        return rv;
    struct rlimit rl;
    if (getrlimit((int)resource, &rl) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    enc_tuple(reply, 2);
    enc_atom(reply, "ok");
    enc_map(reply, 2);
    enc_atom(reply, "cur");
    enc_rlim(reply, rl.rlim_cur);
    enc_atom(reply, "max");
    enc_rlim(reply, rl.rlim_max);
    return TERM_OK;
}
