/* SPDX-License-Identifier: ISC */
#include <string.h>
#include <sys/resource.h>

#include "../call.h"
#include "../child.h"
#include "../state.h"

/* n children fit the soft RLIMIT_NOFILE. */
static bool maxchild_fits(int n)
{
    struct rlimit rl;
    return getrlimit(RLIMIT_NOFILE, &rl) < 0 || n <= child_max_for_nofile(rl.rlim_cur);
}

static bool set(const char *opt, int v)
{
    if (strcmp(opt, "maxchild") == 0)
        return v >= 0 && v <= NOOK_MAXCHILD_LIMIT && maxchild_fits(v) && child_resize_table(v) == 0;
    if (strcmp(opt, "maxforkdepth") == 0) {
        if (v < 0 || v > NOOK_MAXFORKDEPTH_LIMIT)
            return false;
        nook.opt.maxforkdepth = v;
        return true;
    }
    if (strcmp(opt, "exit_status") == 0 || strcmp(opt, "termsig") == 0) {
        if (v != 0 && v != 1)
            return false;
        *(opt[0] == 'e' ? &nook.opt.exit_status : &nook.opt.termsig) = v == 1;
        return true;
    }
    if (strcmp(opt, "flowcontrol") == 0) {
        nook.opt.flowcontrol = v < 0 ? -1 : v;
        return true;
    }
    if (strcmp(opt, "signaloneof") == 0) {
        if (v <= 0 || v >= NSIG)
            return false;
        nook.opt.signaloneof = v;
        return true;
    }
    return false;
}

/*
 * setopt(Task, Opt, Value) -> boolean(): options of this nook process. flowcontrol and
 * signaloneof are the defaults given to children forked later. false: unknown or refused.
 */
int nook_call_setopt(const char *buf, int *idx, ei_x_buff *reply)
{
    char opt[MAXATOMLEN_UTF8];
    int v;
    if (term_atom(buf, idx, opt, sizeof(opt)) < 0 || term_int(buf, idx, &v) < 0)
        return TERM_BADARG;
    reply_atom(reply, set(opt, v) ? "true" : "false");
    return TERM_OK;
}
