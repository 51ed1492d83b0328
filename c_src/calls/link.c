/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* link(2): link(Task, OldPath, NewPath) -> ok | {error, posix()} */
int nook_call_link(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *oldpath = NULL;
    autofree char *newpath = NULL;
    int rv = term_cstring(buf, idx, &oldpath);
    rv |= term_cstring(buf, idx, &newpath);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, link(oldpath, newpath));
    return TERM_OK;
}
