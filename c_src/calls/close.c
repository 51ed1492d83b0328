/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"

/* close(2): close(Task, FD) -> ok | {error, posix()} */
int nook_call_close(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    if (term_int(buf, idx, &fd) < 0)
        return TERM_BADARG;
    /* Closing a channel or a child's pipe would break the protocol: act as if it were not open. */
    if (reply_if_internal_fd(reply, fd))
        return TERM_OK;
    /* Not retried on EINTR: Linux has released the fd by then, and it may be reused already. */
    reply_ok_or_errno(reply, close(fd));
    return TERM_OK;
}
