/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"
#include "../spawn.h"

/* execve(2): execve(Task, Path, Argv, Env) -> ok (the parent sees it) | {error, posix()} */
int nook_call_execve(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    autofree_cstrings char **argv = NULL;
    autofree_cstrings char **env = NULL;
    if (term_cstring(buf, idx, &path) < 0 || term_cstrings(buf, idx, &argv) < 0 ||
        term_cstrings(buf, idx, &env) < 0)
        return TERM_BADARG;
    int err = -spawn_prepare_exec();
    if (err == 0) {
        execve(path, argv, env);
        err = errno;
        spawn_exec_failed();
    }
    reply_error(reply, err);
    return TERM_OK;
}
