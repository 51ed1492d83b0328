/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* unlink(2): unlink(Task, Path) -> ok | {error, posix()} */
int nook_call_unlink(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    if (term_cstring(buf, idx, &path) < 0)
        return TERM_BADARG;
    reply_ok_or_errno(reply, unlink(path));
    return TERM_OK;
}
