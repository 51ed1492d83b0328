/* SPDX-License-Identifier: ISC */
/* lseek(2) whence values and socket(2) domains, types and protocols. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* seek_data and seek_hole */
#endif
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

#include "file.h"

const struct nook_const nook_seek_whence_table[] = {
#ifdef SEEK_SET
    NOOK_CONST("seek_set", SEEK_SET),
#endif
#ifdef SEEK_CUR
    NOOK_CONST("seek_cur", SEEK_CUR),
#endif
#ifdef SEEK_END
    NOOK_CONST("seek_end", SEEK_END),
#endif
#ifdef SEEK_DATA
    NOOK_CONST("seek_data", SEEK_DATA),
#endif
#ifdef SEEK_HOLE
    NOOK_CONST("seek_hole", SEEK_HOLE),
#endif
    NOOK_CONST_END,
};

/* af_unix before its alias af_local, so that const_name() gives the usual one. */
const struct nook_const nook_socket_domain_table[] = {
#ifdef AF_UNSPEC
    NOOK_CONST("af_unspec", AF_UNSPEC),
#endif
#ifdef AF_UNIX
    NOOK_CONST("af_unix", AF_UNIX),
#endif
#ifdef AF_LOCAL
    NOOK_CONST("af_local", AF_LOCAL),
#endif
#ifdef AF_INET
    NOOK_CONST("af_inet", AF_INET),
#endif
#ifdef AF_INET6
    NOOK_CONST("af_inet6", AF_INET6),
#endif
#ifdef AF_NETLINK
    NOOK_CONST("af_netlink", AF_NETLINK),
#endif
#ifdef AF_PACKET
    NOOK_CONST("af_packet", AF_PACKET),
#endif
    NOOK_CONST_END,
};

const struct nook_const nook_socket_type_table[] = {
#ifdef SOCK_STREAM
    NOOK_CONST("sock_stream", SOCK_STREAM),
#endif
#ifdef SOCK_DGRAM
    NOOK_CONST("sock_dgram", SOCK_DGRAM),
#endif
#ifdef SOCK_RAW
    NOOK_CONST("sock_raw", SOCK_RAW),
#endif
#ifdef SOCK_RDM
    NOOK_CONST("sock_rdm", SOCK_RDM),
#endif
#ifdef SOCK_SEQPACKET
    NOOK_CONST("sock_seqpacket", SOCK_SEQPACKET),
#endif
#ifdef SOCK_CLOEXEC
    NOOK_CONST("sock_cloexec", SOCK_CLOEXEC),
#endif
#ifdef SOCK_NONBLOCK
    NOOK_CONST("sock_nonblock", SOCK_NONBLOCK),
#endif
    NOOK_CONST_END,
};

/* glibc defines each IPPROTO_* as a macro naming its enum value, so #ifdef sees them. */
const struct nook_const nook_socket_protocol_table[] = {
#ifdef IPPROTO_IP
    NOOK_CONST("ipproto_ip", IPPROTO_IP),
#endif
#ifdef IPPROTO_ICMP
    NOOK_CONST("ipproto_icmp", IPPROTO_ICMP),
#endif
#ifdef IPPROTO_TCP
    NOOK_CONST("ipproto_tcp", IPPROTO_TCP),
#endif
#ifdef IPPROTO_UDP
    NOOK_CONST("ipproto_udp", IPPROTO_UDP),
#endif
#ifdef IPPROTO_IPV6
    NOOK_CONST("ipproto_ipv6", IPPROTO_IPV6),
#endif
#ifdef IPPROTO_ICMPV6
    NOOK_CONST("ipproto_icmpv6", IPPROTO_ICMPV6),
#endif
#ifdef IPPROTO_RAW
    NOOK_CONST("ipproto_raw", IPPROTO_RAW),
#endif
    NOOK_CONST_END,
};
