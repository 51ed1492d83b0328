/* SPDX-License-Identifier: ISC */
#include <string.h>

#include "signals.h"
#include "state.h"

struct nook_state nook;

void state_init(int maxchild)
{
    memset(&nook, 0, sizeof(nook));
    nook.up.rfd = nook.up.wfd = nook.sigfd = nook.exe_fd = -1;
    nook.opt.maxchild = maxchild;
    nook.opt.maxforkdepth = NOOK_MAXFORKDEPTH_DEFAULT;
    nook.opt.exit_status = true;
    nook.opt.termsig = true;
    nook.opt.flowcontrol = -1;
    nook.opt.signaloneof = SIGKILL;
    nook.exit_after_reply = -1;
    sigemptyset(&nook.sigfd_mask);
    signals_caught_by_default(&nook.user_caught);
    sigemptyset(&nook.user_ignored);
}
