/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* getpgrp(2): getpgrp(Task) -> pid_t() */
int nook_call_getpgrp(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_int(reply, getpgrp());
    return TERM_OK;
}
