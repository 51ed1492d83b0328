/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* setsid(2): setsid(Task) -> {ok, Sid} | {error, posix()} */
int nook_call_setsid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    pid_t sid = setsid();
    if (sid < 0)
        reply_error(reply, errno);
    else
        reply_ok_int(reply, sid);
    return TERM_OK;
}
