/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../spawn.h"

/* fork(2): fork(Task) -> {ok, pid_t()} | {error, posix()}; the child runs the event loop */
int nook_call_fork(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    pid_t pid = spawn_child(0);
    if (pid == 0)
        return CALL_NEW_CHILD;
    if (pid < 0)
        reply_error(reply, (int)-pid);
    else
        reply_ok_int(reply, pid);
    return TERM_OK;
}
