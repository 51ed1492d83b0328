/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* getgid(2): getgid(Task) -> gid_t() */
int nook_call_getgid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_int(reply, getgid());
    return TERM_OK;
}
