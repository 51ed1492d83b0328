/* SPDX-License-Identifier: ISC */
/* waitpid(2) options. wnowait is waitid(2)'s: Linux's waitpid refuses it with einval. */
#include <stddef.h>
#include <sys/wait.h>

#include "wait.h"

const struct nook_const nook_wait_table[] = {
#ifdef WNOHANG
    NOOK_CONST("wnohang", WNOHANG),
#endif
#ifdef WUNTRACED
    NOOK_CONST("wuntraced", WUNTRACED),
#endif
#ifdef WSTOPPED
    NOOK_CONST("wstopped", WSTOPPED),
#endif
#ifdef WCONTINUED
    NOOK_CONST("wcontinued", WCONTINUED),
#endif
#ifdef WNOWAIT
    NOOK_CONST("wnowait", WNOWAIT),
#endif
#ifdef __WNOTHREAD
    NOOK_CONST("__wnothread", __WNOTHREAD),
#endif
#ifdef __WALL
    NOOK_CONST("__wall", __WALL),
#endif
#ifdef __WCLONE
    NOOK_CONST("__wclone", __WCLONE),
#endif
    NOOK_CONST_END,
};
