/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* Larger reads could not be framed in a reply. */
#define READ_MAX (NOOK_FRAME_MAX / 2)

/* read(2): read(Task, FD, Count) -> {ok, binary()} | {error, posix()} */
int nook_call_read(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    int64_t count;
    int rv = term_int(buf, idx, &fd);
    rv |= term_int_range(buf, idx, 0, READ_MAX, &count);
    if (rv != TERM_OK)
        return rv;
    /* Reading a channel or a child's pipe would steal protocol bytes. */
    if (reply_if_internal_fd(reply, fd))
        return TERM_OK;
    /* One byte at least, so that malloc(0) returning NULL is never taken for no memory. */
    autofree char *data = malloc(count > 0 ? (size_t)count : 1);
    if (data == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    ssize_t n;
    do {
        n = read(fd, data, (size_t)count);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        reply_error(reply, errno);
    else
        reply_ok_binary(reply, data, (size_t)n);
    return TERM_OK;
}
