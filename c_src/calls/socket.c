/* SPDX-License-Identifier: ISC */
#include <limits.h>
#include <sys/socket.h>

#include "../call.h"
#include "../consts/file.h"

/*
 * socket(2): socket(Task, Domain, Type, Protocol) -> {ok, fd()} | {error, posix()}.
 * Type is a type and flags, one constant or a list: [sock_stream, sock_nonblock].
 */
int nook_call_socket(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t domain, type, protocol;
    /* Decode all three before acting on an unknown name: a type error must still raise badarg. */
    int rd = TERM_OK, rt = TERM_OK, rp = TERM_OK;
    if ((rd = term_constant(buf, idx, nook_socket_domain_table, &domain)) == TERM_BADARG ||
        (rt = term_flags(buf, idx, nook_socket_type_table, &type)) == TERM_BADARG ||
        (rp = term_constant(buf, idx, nook_socket_protocol_table, &protocol)) == TERM_BADARG)
        return TERM_BADARG;
    if (rd == TERM_UNKNOWN || rt == TERM_UNKNOWN || rp == TERM_UNKNOWN) {
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    }
    if (domain < INT_MIN || domain > INT_MAX || type < INT_MIN || type > INT_MAX ||
        protocol < INT_MIN || protocol > INT_MAX)
        return TERM_BADARG;
    /* Born close-on-exec like every fd nook makes; exec closes fds above 2 in any case. */
    int fd = socket((int)domain, (int)type | SOCK_CLOEXEC, (int)protocol);
    if (fd < 0)
        reply_error(reply, errno);
    else
        reply_ok_int(reply, fd);
    return TERM_OK;
}
