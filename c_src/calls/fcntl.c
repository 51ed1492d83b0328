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
    int64_t cmd = 0, arg; /* term_constant leaves cmd unset for an unknown name */
    if (term_int(buf, idx, &fd) < 0)
        return TERM_BADARG;
    int rv_cmd = term_constant(buf, idx, nook_fcntl_cmd_table, &cmd);
    if (rv_cmd == TERM_BADARG || cmd < INT_MIN || cmd > INT_MAX)
        return TERM_BADARG;
    int at = *idx;
    int rv_arg = term_flags(buf, idx, nook_fcntl_arg_table, &arg);
    if (rv_arg == TERM_UNKNOWN) {
        *idx = at;
        rv_arg = term_flags(buf, idx, nook_open_flags_table, &arg);
    }
    if (rv_arg == TERM_BADARG || arg < INT_MIN || arg > UINT_MAX)
        return TERM_BADARG;
    if (rv_cmd == TERM_UNKNOWN || rv_arg == TERM_UNKNOWN) {
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    }
    if (const_name(nook_fcntl_cmd_table, cmd) == NULL) {
        reply_error(reply, EINVAL);
        return TERM_OK;
    }
    /* nook's own fds are not the caller's to change, as read, write and close agree. */
    if (nook_fd_is_internal(fd)) {
        reply_error(reply, EBADF);
        return TERM_OK;
    }
    int ret = fcntl(fd, (int)cmd, (long)arg);
    if (ret < 0)
        reply_error(reply, errno);
    else
        reply_ok_int(reply, ret);
    return TERM_OK;
}
