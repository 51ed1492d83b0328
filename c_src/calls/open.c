/* SPDX-License-Identifier: ISC */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>

#include "../call.h"

/* open(2): open(Task, Path, Flags, Mode) -> {ok, fd()} | {error, posix()} */
int nook_call_open(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    int64_t flags;
    int mode;
    if (term_cstring(buf, idx, &path) < 0)
        return TERM_BADARG;
    int rv = term_flags(buf, idx, nook_open_flags_table, &flags);
    /* Decode Mode before acting on an unknown flag: a type error must still raise badarg. */
    if (rv == TERM_BADARG || flags < INT_MIN || flags > UINT_MAX || term_int(buf, idx, &mode) < 0 ||
        mode < 0)
        return TERM_BADARG;
    if (rv == TERM_UNKNOWN) {
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    }
    int fd = open(path, (int)flags, (mode_t)mode);
    if (fd < 0)
        reply_error(reply, errno);
    else
        reply_ok_int(reply, fd);
    return TERM_OK;
}
