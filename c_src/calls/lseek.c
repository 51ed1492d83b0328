/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"
#include "../consts/file.h"

/* lseek(2): lseek(Task, FD, Offset, Whence) -> ok | {error, posix()}, as prx: no offset back */
int nook_call_lseek(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    int64_t offset, whence;
    if (term_int(buf, idx, &fd) < 0 || term_int64(buf, idx, &offset) < 0 ||
        (int64_t)(off_t)offset != offset)
        return TERM_BADARG;
    switch (term_constant(buf, idx, nook_seek_whence_table, &whence)) {
    case TERM_OK:
        break;
    case TERM_UNKNOWN:
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    default:
        return TERM_BADARG;
    }
    if (whence < INT32_MIN || whence > INT32_MAX)
        return TERM_BADARG;
    /* nook's own fds are not the caller's to move: act as if they were not open. */
    if (nook_fd_is_internal(fd)) {
        reply_error(reply, EBADF);
        return TERM_OK;
    }
    if (lseek(fd, (off_t)offset, (int)whence) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
