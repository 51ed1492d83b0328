/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../child.h"

/* cpid(Task) -> [#{pid, exec, flowcontrol, flowcontrol_bytes, signaloneof, fdctl, stdin, stdout,
 * stderr}] */
int nook_call_cpid(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    int n = child_count();
    if (n > 0)
        enc_list(reply, n);
    const struct nook_child *c;
    for (int pos = 0; (c = child_next(&pos)) != NULL;) {
        enc_map(reply, 9);
        enc_atom(reply, "pid");
        enc_int(reply, c->pid);
        enc_atom(reply, "exec");
        enc_atom(reply, c->execed ? "true" : "false");
        enc_atom(reply, "flowcontrol");
        enc_int(reply, c->flowcontrol);
        enc_atom(reply, "flowcontrol_bytes");
        enc_int(reply, c->flowcontrol_bytes);
        enc_atom(reply, "signaloneof");
        enc_int(reply, c->signaloneof);
        enc_atom(reply, "fdctl");
        enc_int(reply, c->ctl);
        enc_atom(reply, "stdin");
        enc_int(reply, c->in);
        enc_atom(reply, "stdout");
        enc_int(reply, c->out);
        enc_atom(reply, "stderr");
        enc_int(reply, c->err);
    }
    enc_nil(reply);
    return TERM_OK;
}
