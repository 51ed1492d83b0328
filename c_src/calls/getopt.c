/* SPDX-License-Identifier: ISC */
#include <string.h>

#include "../call.h"
#include "../state.h"

/* getopt(Task, Opt) -> integer() | false: see setopt */
int nook_call_getopt(const char *buf, int *idx, ei_x_buff *reply)
{
    char opt[MAXATOMLEN_UTF8];
    if (term_atom(buf, idx, opt, sizeof(opt)) < 0)
        return TERM_BADARG;
    const struct {
        const char *name;
        int value;
    } opts[] = {
        {"maxchild", nook.opt.maxchild},       {"maxforkdepth", nook.opt.maxforkdepth},
        {"exit_status", nook.opt.exit_status}, {"termsig", nook.opt.termsig},
        {"flowcontrol", nook.opt.flowcontrol}, {"signaloneof", nook.opt.signaloneof},
    };
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        if (strcmp(opt, opts[i].name) == 0) {
            reply_int(reply, opts[i].value);
            return TERM_OK;
        }
    }
    reply_atom(reply, "false");
    return TERM_OK;
}
