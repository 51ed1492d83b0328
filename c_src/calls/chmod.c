/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <sys/stat.h>

#include "../call.h"

/* chmod(2): chmod(Task, Path, Mode) -> ok | {error, posix()} */
int nook_call_chmod(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    int64_t mode;
    int rv = term_cstring(buf, idx, &path);
    rv |= term_int_range(buf, idx, 0, INT32_MAX, &mode);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, chmod(path, (mode_t)mode));
    return TERM_OK;
}
