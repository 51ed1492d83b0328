/* SPDX-License-Identifier: ISC */
/*
 * fcntl(2) commands whose argument is an integer (the call refuses every other command: one
 * taking a pointer would be handed a number as an address), then argument values: fd flags,
 * lease types, seals, dnotify events. f_setfl takes the o_* names of open(2) as well.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stddef.h>

#include "fcntl.h"

const struct nook_const nook_fcntl_cmd_table[] = {
#ifdef F_DUPFD
    NOOK_CONST("f_dupfd", F_DUPFD),
#endif
#ifdef F_GETFD
    NOOK_CONST("f_getfd", F_GETFD),
#endif
#ifdef F_SETFD
    NOOK_CONST("f_setfd", F_SETFD),
#endif
#ifdef F_GETFL
    NOOK_CONST("f_getfl", F_GETFL),
#endif
#ifdef F_SETFL
    NOOK_CONST("f_setfl", F_SETFL),
#endif
#ifdef F_GETOWN
    NOOK_CONST("f_getown", F_GETOWN),
#endif
#ifdef F_SETOWN
    NOOK_CONST("f_setown", F_SETOWN),
#endif
#ifdef F_GETSIG
    NOOK_CONST("f_getsig", F_GETSIG),
#endif
#ifdef F_SETSIG
    NOOK_CONST("f_setsig", F_SETSIG),
#endif
#ifdef F_SETLEASE
    NOOK_CONST("f_setlease", F_SETLEASE),
#endif
#ifdef F_GETLEASE
    NOOK_CONST("f_getlease", F_GETLEASE),
#endif
#ifdef F_NOTIFY
    NOOK_CONST("f_notify", F_NOTIFY),
#endif
#ifdef F_DUPFD_CLOEXEC
    NOOK_CONST("f_dupfd_cloexec", F_DUPFD_CLOEXEC),
#endif
#ifdef F_SETPIPE_SZ
    NOOK_CONST("f_setpipe_sz", F_SETPIPE_SZ),
#endif
#ifdef F_GETPIPE_SZ
    NOOK_CONST("f_getpipe_sz", F_GETPIPE_SZ),
#endif
#ifdef F_ADD_SEALS
    NOOK_CONST("f_add_seals", F_ADD_SEALS),
#endif
#ifdef F_GET_SEALS
    NOOK_CONST("f_get_seals", F_GET_SEALS),
#endif
    NOOK_CONST_END,
};

const struct nook_const nook_fcntl_arg_table[] = {
#ifdef FD_CLOEXEC
    NOOK_CONST("fd_cloexec", FD_CLOEXEC),
#endif
#ifdef F_RDLCK
    NOOK_CONST("f_rdlck", F_RDLCK),
#endif
#ifdef F_WRLCK
    NOOK_CONST("f_wrlck", F_WRLCK),
#endif
#ifdef F_UNLCK
    NOOK_CONST("f_unlck", F_UNLCK),
#endif
#ifdef F_SEAL_SEAL
    NOOK_CONST("f_seal_seal", F_SEAL_SEAL),
#endif
#ifdef F_SEAL_SHRINK
    NOOK_CONST("f_seal_shrink", F_SEAL_SHRINK),
#endif
#ifdef F_SEAL_GROW
    NOOK_CONST("f_seal_grow", F_SEAL_GROW),
#endif
#ifdef F_SEAL_WRITE
    NOOK_CONST("f_seal_write", F_SEAL_WRITE),
#endif
#ifdef F_SEAL_FUTURE_WRITE
    NOOK_CONST("f_seal_future_write", F_SEAL_FUTURE_WRITE),
#endif
#ifdef DN_ACCESS
    NOOK_CONST("dn_access", DN_ACCESS),
#endif
#ifdef DN_MODIFY
    NOOK_CONST("dn_modify", DN_MODIFY),
#endif
#ifdef DN_CREATE
    NOOK_CONST("dn_create", DN_CREATE),
#endif
#ifdef DN_DELETE
    NOOK_CONST("dn_delete", DN_DELETE),
#endif
#ifdef DN_RENAME
    NOOK_CONST("dn_rename", DN_RENAME),
#endif
#ifdef DN_ATTRIB
    NOOK_CONST("dn_attrib", DN_ATTRIB),
#endif
#ifdef DN_MULTISHOT
    NOOK_CONST("dn_multishot", DN_MULTISHOT),
#endif
    NOOK_CONST_END,
};
