/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* setgid(2): setgid(Task, Gid) -> ok | {error, posix()} */
int nook_call_setgid(const char *buf, int *idx, ei_x_buff *reply)
{
    id_t id;
    /* -1 is passed on, for the kernel to refuse with einval like any invalid id. */
    int rv = term_id(buf, idx, &id);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, setgid(id));
    return TERM_OK;
}
