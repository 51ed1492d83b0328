/* SPDX-License-Identifier: ISC */
#include <unistd.h>

#include "../call.h"
#include "../consts/file.h"

/* lseek(2): lseek(Task, FD, Offset, Whence) -> ok | {error, posix()}, as prx: no offset back */
int nook_call_lseek(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    int64_t offset, whence;
    int rv = term_int(buf, idx, &fd);
    rv |= term_int64(buf, idx, &offset);
    rv |= term_const(buf, idx, nook_seek_whence_table, INT32_MIN, INT32_MAX, &whence);
    if (rv != TERM_OK)
        return rv;
    if ((int64_t)(off_t)offset != offset) /* an off_t of 32 bits */
        return TERM_BADARG;
    /* nook's own fds are not the caller's to move: act as if they were not open. */
    if (reply_if_internal_fd(reply, fd))
        return TERM_OK;
    reply_ok_or_errno(reply, lseek(fd, (off_t)offset, (int)whence) < 0 ? -1 : 0);
    return TERM_OK;
}
