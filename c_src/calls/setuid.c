/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* setuid(2): setuid(Task, Uid) -> ok | {error, posix()} */
int nook_call_setuid(const char *buf, int *idx, ei_x_buff *reply)
{
    id_t id;
    /* -1 is passed on, for the kernel to refuse with einval like any invalid id. */
    int rv = term_id(buf, idx, &id);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, setuid(id));
    return TERM_OK;
}
