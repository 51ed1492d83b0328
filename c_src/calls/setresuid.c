/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <unistd.h>

#include "../call.h"

/* setresuid(2): setresuid(Task, Real, Effective, Saved) -> ok | {error, posix()}; -1 leaves one */
int nook_call_setresuid(const char *buf, int *idx, ei_x_buff *reply)
{
    id_t real, effective, saved;
    int rv = term_id(buf, idx, &real);
    rv |= term_id(buf, idx, &effective);
    rv |= term_id(buf, idx, &saved);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, setresuid(real, effective, saved));
    return TERM_OK;
}
