/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* getppid(2): getppid(Task) -> pid_t() */
int nook_call_getppid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_int(reply, getppid());
    return TERM_OK;
}
