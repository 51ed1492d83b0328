/* SPDX-License-Identifier: ISC */
#include <signal.h>
#include <unistd.h>

#include "../call.h"
#include "../child.h"

/*
 * stop(Task, ChildPid) -> ok | {error, esrch}: SIGKILL a child of this process (and the
 * process group it leads, if any). What nook:stop/1 uses; no call filter refuses it, so that
 * a restricted supervisor can always end its children. The exit is reported on reaping.
 */
int nook_call_stop(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    if (term_int(buf, idx, &pid) < 0)
        return TERM_BADARG;
    const struct nook_child *c = child_by_pid(pid);
    if (c == NULL) {
        reply_error(reply, ESRCH);
        return TERM_OK;
    }
    if (getpgid(pid) == pid)
        (void)kill(-pid, SIGKILL);
    if (kill(pid, SIGKILL) < 0 && errno != ESRCH) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    reply_ok(reply);
    return TERM_OK;
}
