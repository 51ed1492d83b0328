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
    int rv = term_const(buf, idx, nook_socket_domain_table, INT_MIN, INT_MAX, &domain);
    rv |= term_flags(buf, idx, nook_socket_type_table, INT_MIN, INT_MAX, &type);
    rv |= term_const(buf, idx, nook_socket_protocol_table, INT_MIN, INT_MAX, &protocol);
    if (rv != TERM_OK)
        return rv;
    /* Born close-on-exec like every fd nook makes; exec closes fds above 2 in any case. */
    reply_ok_int_or_errno(reply, socket((int)domain, (int)type | SOCK_CLOEXEC, (int)protocol));
    return TERM_OK;
}
