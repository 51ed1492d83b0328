/* SPDX-License-Identifier: ISC */
#include <stdint.h>
#include <sys/ioctl.h>

#include "../call.h"
#include "../consts/ioctl.h"
#include "../cstruct.h"

/*
 * ioctl(2): ioctl(Task, FD, Request, Arg) -> {ok, #{return_value := Int, arg := Arg}} |
 *     {error, posix()}
 * Arg is an integer, a binary or a cstruct (cstruct.h), returned as the call left it. Request
 * is 32 bits, as Linux takes it; a negative one stands for the same bits.
 */
int nook_call_ioctl(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    int64_t request;
    autofree_cstruct struct cstruct arg = CSTRUCT_INIT;
    int rv = term_int(buf, idx, &fd);
    rv |= term_const(buf, idx, nook_ioctl_table, INT32_MIN, UINT32_MAX, &request);
    rv |= cstruct_decode(buf, idx, NULL, &arg);
    if (rv != TERM_OK)
        return rv;
    /* A channel or a child's pipe switched to blocking, say, would stall the event loop. */
    if (reply_if_internal_fd(reply, fd))
        return TERM_OK;
    int ret = ioctl(fd, (unsigned long)(uint32_t)request, arg.value);
    if (ret < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    enc_tuple(reply, 2);
    enc_atom(reply, "ok");
    enc_map(reply, 2);
    enc_atom(reply, "return_value");
    enc_int(reply, ret);
    enc_atom(reply, "arg");
    cstruct_encode(reply, &arg);
    return TERM_OK;
}
