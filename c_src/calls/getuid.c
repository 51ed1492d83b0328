/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* getuid(2): getuid(Task) -> uid_t() */
int nook_call_getuid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_int(reply, getuid());
    return TERM_OK;
}
