/* SPDX-License-Identifier: ISC */
#include <sys/resource.h>

#include "../call.h"
#include "../consts/resource.h"

/* setpriority(2): setpriority(Task, Which, Who, Prio) -> ok | {error, posix()} */
int nook_call_setpriority(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t which, who;
    int prio;
    int rv = term_constant(buf, idx, nook_prio_which_table, &which);
    /* Decode Who and Prio before acting on an unknown Which: a type error must raise badarg. */
    if (rv == TERM_BADARG || term_int64(buf, idx, &who) < 0 || term_int(buf, idx, &prio) < 0)
        return TERM_BADARG;
    if (rv == TERM_UNKNOWN) {
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    }
    /* Who is an id_t: a pid, a process group or a uid; 0 means the caller's own. */
    if (which < 0 || which > INT32_MAX || who < 0 || who > UINT32_MAX)
        return TERM_BADARG;
    if (setpriority((int)which, (id_t)who, prio) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
