/* SPDX-License-Identifier: ISC */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>

#include "../call.h"

/* open(2): open(Task, Path, Flags, Mode) -> {ok, fd()} | {error, posix()} */
int nook_call_open(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    int64_t flags, mode;
    int rv = term_cstring(buf, idx, &path);
    rv |= term_flags(buf, idx, nook_open_flags_table, INT_MIN, UINT_MAX, &flags);
    rv |= term_int_range(buf, idx, 0, INT32_MAX, &mode);
    if (rv != TERM_OK)
        return rv;
    reply_ok_int_or_errno(reply, open(path, (int)flags, (mode_t)mode));
    return TERM_OK;
}
