/* SPDX-License-Identifier: ISC */
#include <stdlib.h>

#include "../call.h"

/* clearenv(3): clearenv(Task) -> ok | {error, posix()} */
int nook_call_clearenv(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    /* Non-zero, not -1, on failure. */
    reply_ok_or_errno(reply, clearenv() != 0 ? -1 : 0);
    return TERM_OK;
}
