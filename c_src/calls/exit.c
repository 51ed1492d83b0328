/* SPDX-License-Identifier: ISC */
#include "../call.h"
#include "../state.h"

/* exit(3): exit(Task, Status) -> ok, then the process ends with its children and Status */
int nook_call_exit(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t status;
    int rv = term_int_range(buf, idx, 0, 255, &status);
    if (rv != TERM_OK)
        return rv;
    nook.exit_after_reply = (int)status;
    reply_ok(reply);
    return TERM_OK;
}
