/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* geteuid(2): geteuid(Task) -> uid_t() */
int nook_call_geteuid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_int(reply, geteuid());
    return TERM_OK;
}
