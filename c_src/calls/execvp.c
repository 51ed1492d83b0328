/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"
#include "../spawn.h"

/* execvp(3): execvp(Task, File, Argv) -> ok (the parent sees it) | {error, posix()} */
int nook_call_execvp(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *file = NULL;
    autofree_cstrings char **argv = NULL;
    if (term_cstring(buf, idx, &file) < 0 || term_cstrings(buf, idx, &argv) < 0)
        return TERM_BADARG;
    int err = -spawn_prepare_exec();
    if (err == 0) {
        execvp(file, argv);
        err = errno;
        spawn_exec_failed();
    }
    reply_error(reply, err);
    return TERM_OK;
}
