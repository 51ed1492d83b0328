/* SPDX-License-Identifier: ISC */
#include <sys/resource.h>

#include "../call.h"
#include "../consts/resource.h"

/* getpriority(2): getpriority(Task, Which, Who) -> {ok, Prio} | {error, posix()} */
int nook_call_getpriority(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t which, who;
    int rv = term_constant(buf, idx, nook_prio_which_table, &which);
    if (rv == TERM_BADARG || term_int64(buf, idx, &who) < 0)
        return TERM_BADARG;
    if (rv == TERM_UNKNOWN) {
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    }
    if (which < 0 || which > INT32_MAX || who < 0 || who > UINT32_MAX)
        return TERM_BADARG;
    /* -1 is a valid priority: only errno tells a failure from it. */
    errno = 0;
    int prio = getpriority((int)which, (id_t)who);
    if (prio == -1 && errno != 0)
        reply_error(reply, errno);
    else
        reply_ok_int(reply, prio);
    return TERM_OK;
}
