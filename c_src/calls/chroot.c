/* SPDX-License-Identifier: ISC */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* chroot(2): chroot(Task, Path) -> ok | {error, posix()} */
int nook_call_chroot(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    if (term_cstring(buf, idx, &path) < 0)
        return TERM_BADARG;
    reply_ok_or_errno(reply, chroot(path));
    return TERM_OK;
}
