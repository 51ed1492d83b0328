/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../relay.h"

/*
 * stdin_write(Task, ChildPid, Data) -> {ok, Taken} | {error, posix()}: queue Data for a
 * child's stdin as far as the queue has room. Unlike the STDIN frame behind nook:stdin/2,
 * the caller learns how much was taken; when some was refused, {stdin, Child, ready} follows
 * once the program has read enough for more to fit. Nothing is dropped silently. Writing so
 * queues the child's stdin from then on (setcpid stdin_queue), as nook_stream wants it.
 */
int nook_call_stdin_write(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    autofree char *data = NULL;
    size_t n;
    if (term_int(buf, idx, &pid) < 0 || term_iodata(buf, idx, &data, &n) < 0)
        return TERM_BADARG;
    struct nook_child *c = child_by_pid(pid);
    if (c == NULL) {
        reply_error(reply, ESRCH);
        return TERM_OK;
    }
    if (c->in < 0 || c->close_in_when_drained) {
        reply_error(reply, EPIPE);
        return TERM_OK;
    }
    c->stdin_queued = true;
    reply_ok_int(reply, (int64_t)relay_queue_stdin(c, data, n));
    return TERM_OK;
}
