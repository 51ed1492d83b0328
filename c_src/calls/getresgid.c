/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <unistd.h>

#include "../call.h"

/* getresgid(2): getresgid(Task) -> {ok, Real, Effective, Saved} | {error, posix()} */
int nook_call_getresgid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    gid_t real, effective, saved;
    if (getresgid(&real, &effective, &saved) < 0)
        reply_error(reply, errno);
    else
        reply_ok_ids(reply, real, effective, saved);
    return TERM_OK;
}
