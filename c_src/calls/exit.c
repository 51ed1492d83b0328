/* SPDX-License-Identifier: ISC */
#include "../call.h"

/* exit(3): exit(Task, Status) -> ok, then the process ends with its children and Status */
int nook_call_exit(const char *buf, int *idx, ei_x_buff *reply)
{
    int status;
    if (term_int(buf, idx, &status) < 0 || status < 0 || status > 255)
        return TERM_BADARG;
    nook.exit_after_reply = status;
    reply_ok(reply);
    return TERM_OK;
}
