/* SPDX-License-Identifier: ISC */
#include <stdio.h>
#include <stdlib.h>

#include "../call.h"

/* rename(2): rename(Task, OldPath, NewPath) -> ok | {error, posix()} */
int nook_call_rename(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *oldpath = NULL;
    autofree char *newpath = NULL;
    int rv = term_cstring(buf, idx, &oldpath);
    rv |= term_cstring(buf, idx, &newpath);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, rename(oldpath, newpath));
    return TERM_OK;
}
