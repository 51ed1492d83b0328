/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <unistd.h>

#include "../call.h"

/* getresuid(2): getresuid(Task) -> {ok, Real, Effective, Saved} | {error, posix()} */
int nook_call_getresuid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    uid_t real, effective, saved;
    if (getresuid(&real, &effective, &saved) < 0)
        reply_error(reply, errno);
    else
        reply_ok_ids(reply, real, effective, saved);
    return TERM_OK;
}
