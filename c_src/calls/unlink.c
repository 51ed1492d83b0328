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
    if (unlink(path) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
