/* SPDX-License-Identifier: ISC */
#include <string.h>

#include "../call.h"

/* version(Task) -> binary(): the nook release of this binary */
int nook_call_version(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    reply_binary(reply, NOOK_VERSION, strlen(NOOK_VERSION));
    return TERM_OK;
}
