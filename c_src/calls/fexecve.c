/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"
#include "../spawn.h"

/*
 * fexecve(3): fexecve(Task, FD, Argv, Env) -> ok (the parent sees it) | {error, posix()}.
 * FD is close-on-exec by then, as every fd but 0-2 is: a script cannot be run so (enoent).
 */
int nook_call_fexecve(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    autofree_cstrings char **argv = NULL;
    autofree_cstrings char **env = NULL;
    if (term_int(buf, idx, &fd) < 0 || term_cstrings(buf, idx, &argv) < 0 ||
        term_cstrings(buf, idx, &env) < 0)
        return TERM_BADARG;
    int err = -spawn_prepare_exec();
    if (err == 0) {
        fexecve(fd, argv, env);
        err = errno;
        spawn_exec_failed();
    }
    reply_error(reply, err);
    return TERM_OK;
}
