/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <sys/stat.h>

#include "../call.h"

/* mkfifo(3): mkfifo(Task, Path, Mode) -> ok | {error, posix()} */
int nook_call_mkfifo(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    int mode;
    if (term_cstring(buf, idx, &path) < 0 || term_int(buf, idx, &mode) < 0 || mode < 0)
        return TERM_BADARG;
    if (mkfifo(path, (mode_t)mode) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
