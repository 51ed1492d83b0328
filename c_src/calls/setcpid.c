/* SPDX-License-Identifier: ISC */
#include <signal.h>
#include <string.h>

#include "../call.h"
#include "../child.h"

/*
 * setcpid(Task, ChildPid, Opt, Value) -> boolean(): per-child flowcontrol (output reads left
 * before pausing; -1 unlimited), flowcontrol_bytes (output bytes left, likewise),
 * flowcontrol_grant (adds to flowcontrol_bytes), signaloneof and stdin_queue (1: stdin waits
 * in a queue, eof once it is written; 0: once the queue is empty, what the pipe cannot take
 * at once is refused, as in prx). false for an unknown child or option.
 */
int nook_call_setcpid(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid, v;
    char opt[MAXATOMLEN_UTF8];
    if (term_int(buf, idx, &pid) < 0 || term_atom(buf, idx, opt, sizeof(opt)) < 0 ||
        term_int(buf, idx, &v) < 0)
        return TERM_BADARG;
    struct nook_child *c = child_by_pid(pid);
    bool ok = false;
    if (c != NULL && strcmp(opt, "flowcontrol") == 0) {
        c->flowcontrol = v < 0 ? -1 : v;
        ok = true;
    } else if (c != NULL && strcmp(opt, "flowcontrol_bytes") == 0) {
        c->flowcontrol_bytes = v < 0 ? -1 : v;
        ok = true;
    } else if (c != NULL && strcmp(opt, "flowcontrol_grant") == 0 && v >= 0) {
        /* Add to the byte credit: a consumer that counts what it received never overshoots. */
        c->flowcontrol_bytes = (c->flowcontrol_bytes < 0 ? 0 : c->flowcontrol_bytes) + v;
        ok = true;
    } else if (c != NULL && strcmp(opt, "signaloneof") == 0 && v > 0 && v < NSIG) {
        c->signaloneof = v;
        ok = true;
    } else if (c != NULL && strcmp(opt, "stdin_queue") == 0 && (v == 0 || v == 1)) {
        c->stdin_queued = v == 1;
        ok = true;
    }
    reply_atom(reply, ok ? "true" : "false");
    return TERM_OK;
}
