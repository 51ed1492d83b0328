/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* link(2): link(Task, OldPath, NewPath) -> ok | {error, posix()} */
int nook_call_link(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *oldpath = NULL;
    autofree char *newpath = NULL;
    if (term_cstring(buf, idx, &oldpath) < 0 || term_cstring(buf, idx, &newpath) < 0)
        return TERM_BADARG;
    if (link(oldpath, newpath) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
