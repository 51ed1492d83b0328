/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* symlink(2): symlink(Task, Target, LinkPath) -> ok | {error, posix()} */
int nook_call_symlink(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *target = NULL;
    autofree char *linkpath = NULL;
    int rv = term_cstring(buf, idx, &target);
    rv |= term_cstring(buf, idx, &linkpath);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, symlink(target, linkpath));
    return TERM_OK;
}
