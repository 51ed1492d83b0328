/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* setsid(2): setsid(Task) -> {ok, Sid} | {error, posix()} */
int nook_call_setsid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_ok_int_or_errno(reply, setsid());
    return TERM_OK;
}
