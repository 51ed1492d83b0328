/* SPDX-License-Identifier: ISC */
#include "../call.h"

/*
 * clone(2): clone(Task, Flags) -> {ok, pid_t()} | {error, posix()}: fork with new namespaces.
 * Flags that would share memory, threads, fds or signal handlers with this process are
 * refused with einval: the child runs an event loop of its own.
 */
int nook_call_clone(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t flags;
    switch (term_flags(buf, idx, nook_clone_flags_table, &flags)) {
    case TERM_OK:
        break;
    case TERM_UNKNOWN:
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    default:
        return TERM_BADARG;
    }
    if (flags < 0 || flags > UINT32_MAX)
        return TERM_BADARG;
    pid_t pid = child_spawn((unsigned long)flags);
    if (pid < 0)
        reply_error(reply, (int)-pid);
    else
        reply_ok_int(reply, pid);
    return TERM_OK;
}
