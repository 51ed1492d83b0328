/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* getegid(2): getegid(Task) -> gid_t() */
int nook_call_getegid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_int(reply, getegid());
    return TERM_OK;
}
