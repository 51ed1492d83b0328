/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../spawn.h"

/*
 * clone(2): clone(Task, Flags) -> {ok, pid_t()} | {error, posix()}: fork with new namespaces.
 * Flags that would share memory, threads, fds or signal handlers with this process are
 * refused with einval: the child runs an event loop of its own.
 */
int nook_call_clone(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t flags;
    int rv = term_flags(buf, idx, nook_clone_flags_table, 0, UINT32_MAX, &flags);
    if (rv != TERM_OK)
        return rv;
    pid_t pid = spawn_child((unsigned long)flags);
    if (pid == 0)
        return CALL_NEW_CHILD;
    if (pid < 0)
        reply_error(reply, (int)-pid);
    else
        reply_ok_int(reply, pid);
    return TERM_OK;
}
