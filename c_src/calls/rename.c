/* SPDX-License-Identifier: ISC */
#include <stdio.h>
#include <stdlib.h>

#include "../call.h"

/* rename(2): rename(Task, OldPath, NewPath) -> ok | {error, posix()} */
int nook_call_rename(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *oldpath = NULL;
    autofree char *newpath = NULL;
    if (term_cstring(buf, idx, &oldpath) < 0 || term_cstring(buf, idx, &newpath) < 0)
        return TERM_BADARG;
    if (rename(oldpath, newpath) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
