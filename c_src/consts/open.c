/* SPDX-License-Identifier: ISC */
/* open(2) flags. o_direct, o_noatime, o_path and o_tmpfile are defined only with _GNU_SOURCE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stddef.h>

#include "const.h"

const struct nook_const nook_open_flags_table[] = {
#ifdef O_RDONLY
    NOOK_CONST("o_rdonly", O_RDONLY),
#endif
#ifdef O_WRONLY
    NOOK_CONST("o_wronly", O_WRONLY),
#endif
#ifdef O_RDWR
    NOOK_CONST("o_rdwr", O_RDWR),
#endif
#ifdef O_APPEND
    NOOK_CONST("o_append", O_APPEND),
#endif
#ifdef O_ASYNC
    NOOK_CONST("o_async", O_ASYNC),
#endif
#ifdef O_CLOEXEC
    NOOK_CONST("o_cloexec", O_CLOEXEC),
#endif
#ifdef O_CREAT
    NOOK_CONST("o_creat", O_CREAT),
#endif
#ifdef O_DIRECT
    NOOK_CONST("o_direct", O_DIRECT),
#endif
#ifdef O_DIRECTORY
    NOOK_CONST("o_directory", O_DIRECTORY),
#endif
#ifdef O_DSYNC
    NOOK_CONST("o_dsync", O_DSYNC),
#endif
#ifdef O_EXCL
    NOOK_CONST("o_excl", O_EXCL),
#endif
#ifdef O_LARGEFILE
    NOOK_CONST("o_largefile", O_LARGEFILE),
#endif
#ifdef O_NOATIME
    NOOK_CONST("o_noatime", O_NOATIME),
#endif
#ifdef O_NOCTTY
    NOOK_CONST("o_noctty", O_NOCTTY),
#endif
#ifdef O_NOFOLLOW
    NOOK_CONST("o_nofollow", O_NOFOLLOW),
#endif
#ifdef O_NONBLOCK
    NOOK_CONST("o_nonblock", O_NONBLOCK),
#endif
#ifdef O_NDELAY
    NOOK_CONST("o_ndelay", O_NDELAY),
#endif
#ifdef O_PATH
    NOOK_CONST("o_path", O_PATH),
#endif
#ifdef O_SYNC
    NOOK_CONST("o_sync", O_SYNC),
#endif
#ifdef O_TMPFILE
    NOOK_CONST("o_tmpfile", O_TMPFILE),
#endif
#ifdef O_TRUNC
    NOOK_CONST("o_trunc", O_TRUNC),
#endif
    NOOK_CONST_END,
};
