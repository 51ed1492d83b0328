/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* symlink(2): symlink(Task, Target, LinkPath) -> ok | {error, posix()} */
int nook_call_symlink(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *target = NULL;
    autofree char *linkpath = NULL;
    if (term_cstring(buf, idx, &target) < 0 || term_cstring(buf, idx, &linkpath) < 0)
        return TERM_BADARG;
    if (symlink(target, linkpath) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
