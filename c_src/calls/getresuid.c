/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <unistd.h>

#include "../call.h"

/* getresuid(2): getresuid(Task) -> {ok, Real, Effective, Saved} | {error, posix()} */
int nook_call_getresuid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    uid_t r, e, s;
    if (getresuid(&r, &e, &s) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    enc_tuple(reply, 4);
    enc_atom(reply, "ok");
    enc_int(reply, r);
    enc_int(reply, e);
    enc_int(reply, s);
    return TERM_OK;
}
