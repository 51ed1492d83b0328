/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <sys/prctl.h>

#include "../call.h"

/*
 * setproctitle(3) as Linux allows it: setproctitle(Task, Name) -> ok | {error, posix()}.
 * prctl(PR_SET_NAME): the name ps, top and /proc/PID/comm show, cut by the kernel to its first
 * 15 bytes. The command line (ps -f, /proc/PID/cmdline) is left as it is.
 */
int nook_call_setproctitle(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *name = NULL;
    if (term_cstring(buf, idx, &name) < 0)
        return TERM_BADARG;
    reply_ok_or_errno(reply, prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL));
    return TERM_OK;
}
