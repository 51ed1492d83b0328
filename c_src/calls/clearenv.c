/* SPDX-License-Identifier: ISC */
#include <stdlib.h>

#include "../call.h"

/* clearenv(3): clearenv(Task) -> ok | {error, posix()} */
int nook_call_clearenv(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    if (clearenv() != 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
