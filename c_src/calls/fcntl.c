/* SPDX-License-Identifier: ISC */
#include <fcntl.h>
#include <limits.h>

#include "../call.h"
#include "../consts/fcntl.h"

/*
 * fcntl(2): fcntl(Task, FD, Cmd, Arg) -> {ok, Int} | {error, posix()}
 * Only the commands of consts/fcntl.c, whose argument is an integer, are made; any other is
 * einval, as one taking a pointer would be handed Arg as an address. Arg is an integer, or
 * names: fd_cloexec, lease types, seals, dnotify events, or the o_* flags of open(2).
 */
int nook_call_fcntl(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    int64_t cmd, arg;
    int rv = term_int(buf, idx, &fd);
    rv |= term_const(buf, idx, nook_fcntl_cmd_table, INT_MIN, INT_MAX, &cmd);
    /* Arg's names are fcntl's own, else open(2)'s flags (for f_setfl). */
    int at = *idx;
    int arg_rv = term_flags(buf, idx, nook_fcntl_arg_table, INT_MIN, UINT_MAX, &arg);
    if (arg_rv == TERM_UNKNOWN) {
        *idx = at;
        arg_rv = term_flags(buf, idx, nook_open_flags_table, INT_MIN, UINT_MAX, &arg);
    }
    rv |= arg_rv;
    if (rv != TERM_OK)
        return rv;
    if (const_name(nook_fcntl_cmd_table, cmd) == NULL) {
        reply_error(reply, EINVAL);
        return TERM_OK;
    }
    /* nook's own fds are not the caller's to change, as read, write and close agree. */
    if (reply_if_internal_fd(reply, fd))
        return TERM_OK;
    reply_ok_int_or_errno(reply, fcntl(fd, (int)cmd, (long)arg));
    return TERM_OK;
}
