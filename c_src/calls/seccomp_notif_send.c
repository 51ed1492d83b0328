/* SPDX-License-Identifier: ISC */
#include <stdbool.h>
#include <string.h>

#include "../call.h"
#include "../child.h"
#include "../notify.h"

/* allow, or {errno, Errno} with Errno a name or 1..4095. */
static int decode_response(const char *buf, int *idx, bool *allow, int *err)
{
    int start = *idx, arity;
    char name[8];
    int64_t e;
    if (term_type(buf, idx) != ERL_SMALL_TUPLE_EXT) {
        if (term_atom(buf, idx, name, sizeof(name)) < 0)
            return TERM_BADARG;
        *allow = true;
        return strcmp(name, "allow") == 0 ? TERM_OK : term_settle(buf, idx, start, TERM_BADARG);
    }
    if (ei_decode_tuple_header(buf, idx, &arity) < 0 || arity != 2 ||
        term_atom(buf, idx, name, sizeof(name)) < 0 || strcmp(name, "errno") != 0)
        return term_settle(buf, idx, start, TERM_BADARG);
    int rv = term_const(buf, idx, nook_errno_table, 1, 4095, &e);
    *allow = false;
    *err = (int)e;
    return rv;
}

/*
 * SECCOMP_IOCTL_NOTIF_SEND (seccomp_unotify(2)): seccomp_notif_send(Task, Pid, Id, Response)
 *     -> ok | {error, posix()}
 * Answers notification Id of child Pid's listener, which this process holds (see
 * seccomp_load_notify/2): allow lets the call run (SECCOMP_USER_NOTIF_FLAG_CONTINUE),
 * {errno, Errno} fails it with Errno. enoent: the notification waits no more (its caller
 * died, or it was answered); einprogress: answered, its caller not yet on its way again;
 * esrch: no such child; ebadf: the child handed no listener over.
 * No call filter refuses it, and an Errno with no name here fails the call with EPERM (the
 * reply is {error, enotsup} as for any unknown constant): a notification left unanswered
 * would hold its caller forever.
 */
int nook_call_seccomp_notif_send(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid, err = 0;
    uint64_t id;
    bool allow = false;
    int rv = term_int(buf, idx, &pid);
    rv |= term_uint64(buf, idx, &id);
    rv |= decode_response(buf, idx, &allow, &err);
    if (rv == TERM_BADARG)
        return rv;
    struct nook_child *c = child_by_pid(pid);
    if (rv == TERM_UNKNOWN) {
        if (c != NULL && c->notify >= 0)
            (void)notify_answer(c, id, false, EPERM);
        return rv;
    }
    err = c == NULL ? -ESRCH : c->notify < 0 ? -EBADF : notify_answer(c, id, allow, err);
    if (err < 0)
        reply_error(reply, -err);
    else
        reply_ok(reply);
    return TERM_OK;
}
