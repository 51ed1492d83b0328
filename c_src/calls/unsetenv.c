/* SPDX-License-Identifier: ISC */
#include <stdlib.h>

#include "../call.h"

/* unsetenv(3): unsetenv(Task, Name) -> ok | {error, posix()} */
int nook_call_unsetenv(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *name = NULL;
    if (term_cstring(buf, idx, &name) < 0)
        return TERM_BADARG;
    reply_ok_or_errno(reply, unsetenv(name));
    return TERM_OK;
}
