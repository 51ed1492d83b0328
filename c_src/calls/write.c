/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* write(2): write(Task, FD, iodata()) -> {ok, non_neg_integer()} | {error, posix()} */
int nook_call_write(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    autofree char *data = NULL;
    size_t len;
    int rv = term_int(buf, idx, &fd);
    rv |= term_iodata(buf, idx, &data, &len);
    if (rv != TERM_OK)
        return rv;
    /* Writing into a channel or a child's pipe would forge protocol frames. */
    if (reply_if_internal_fd(reply, fd))
        return TERM_OK;
    ssize_t n;
    do {
        n = write(fd, data, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        reply_error(reply, errno);
    else
        reply_ok_int(reply, n);
    return TERM_OK;
}
