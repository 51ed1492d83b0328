/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <sys/mount.h>

#include "../call.h"

/* umount(2): umount(Task, Target) -> ok | {error, posix()} */
int nook_call_umount(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *target = NULL;
    if (term_cstring(buf, idx, &target) < 0)
        return TERM_BADARG;
    if (umount(target) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
