/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* getpid(2): getpid(Task) -> pid_t() */
int nook_call_getpid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_int(reply, getpid());
    return TERM_OK;
}
