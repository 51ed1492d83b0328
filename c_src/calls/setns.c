/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/*
 * setns(2): setns(Task, Path, NSType) -> ok | {error, posix()}: join the namespace the file
 * (/proc/Pid/ns/uts...) stands for; NSType 0 or the clone_new* constant it must be.
 */
int nook_call_setns(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    int64_t nstype;
    int rv = term_cstring(buf, idx, &path);
    rv |= term_const(buf, idx, nook_clone_flags_table, INT32_MIN, UINT32_MAX, &nstype);
    if (rv != TERM_OK)
        return rv;
    /*
     * The fd lives only for this call: the namespace stays joined once it is closed.
     * O_NONBLOCK: a FIFO named by mistake must not hang the event loop waiting for a writer.
     */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    int joined = setns(fd, (int)nstype);
    int err = errno;
    (void)close(fd);
    errno = err;
    reply_ok_or_errno(reply, joined);
    return TERM_OK;
}
