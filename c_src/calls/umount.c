/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <sys/mount.h>

#include "../call.h"

/* umount(2): umount(Task, Target) -> ok | {error, posix()} */
int nook_call_umount(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    if (term_cstring(buf, idx, &path) < 0)
        return TERM_BADARG;
    reply_ok_or_errno(reply, umount(path));
    return TERM_OK;
}
