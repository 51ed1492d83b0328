/* SPDX-License-Identifier: ISC */
#include <sys/resource.h>

#include "../call.h"
#include "../consts/resource.h"

/* setpriority(2): setpriority(Task, Which, Who, Prio) -> ok | {error, posix()} */
int nook_call_setpriority(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t which, who;
    int prio;
    int rv = term_const(buf, idx, nook_prio_which_table, 0, INT32_MAX, &which);
    /* Who is an id_t: a pid, a process group or a uid; 0 means the caller's own. */
    rv |= term_int_range(buf, idx, 0, UINT32_MAX, &who);
    rv |= term_int(buf, idx, &prio);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, setpriority((int)which, (id_t)who, prio));
    return TERM_OK;
}
