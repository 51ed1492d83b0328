/* SPDX-License-Identifier: ISC */
#include <string.h>

#include "../call.h"
#include "../child.h"

/* getcpid(Task, ChildPid, Opt) -> integer() | false: see setcpid */
int nook_call_getcpid(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    char opt[MAXATOMLEN_UTF8];
    if (term_int(buf, idx, &pid) < 0 || term_atom(buf, idx, opt, sizeof(opt)) < 0)
        return TERM_BADARG;
    const struct nook_child *c = child_by_pid(pid);
    if (c != NULL && strcmp(opt, "flowcontrol") == 0)
        reply_int(reply, c->flowcontrol);
    else if (c != NULL && strcmp(opt, "flowcontrol_bytes") == 0)
        reply_int(reply, c->flowcontrol_bytes);
    else if (c != NULL && strcmp(opt, "signaloneof") == 0)
        reply_int(reply, c->signaloneof);
    else if (c != NULL && strcmp(opt, "exec") == 0)
        reply_int(reply, c->execed);
    else if (c != NULL && strcmp(opt, "stdin_queue") == 0)
        reply_int(reply, c->stdin_queued);
    else
        reply_atom(reply, "false");
    return TERM_OK;
}
