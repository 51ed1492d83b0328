/* SPDX-License-Identifier: ISC */
#include <sys/resource.h>

#include "../call.h"
#include "../consts/resource.h"

/* getpriority(2): getpriority(Task, Which, Who) -> {ok, Prio} | {error, posix()} */
int nook_call_getpriority(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t which, who;
    int rv = term_const(buf, idx, nook_prio_which_table, 0, INT32_MAX, &which);
    rv |= term_int_range(buf, idx, 0, UINT32_MAX, &who);
    if (rv != TERM_OK)
        return rv;
    /* -1 is a valid priority: only errno tells a failure from it. */
    errno = 0;
    int prio = getpriority((int)which, (id_t)who);
    if (prio == -1 && errno != 0)
        reply_error(reply, errno);
    else
        reply_ok_int(reply, prio);
    return TERM_OK;
}
