/* SPDX-License-Identifier: ISC */
/* Constants of the files and descriptors calls: lseek(2) whence, socket(2) arguments. */
#pragma once

#include "const.h"

extern const struct nook_const nook_seek_whence_table[];
extern const struct nook_const nook_socket_domain_table[];
/* socket types and the flags OR'ed into the type (sock_cloexec, sock_nonblock) */
extern const struct nook_const nook_socket_type_table[];
extern const struct nook_const nook_socket_protocol_table[];
