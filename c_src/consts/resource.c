/* SPDX-License-Identifier: ISC */
/* Resources of the rlimit calls and kinds of the priority calls, by lowercase name. */
#include <stddef.h>
#include <sys/resource.h>

#include "resource.h"

const struct nook_const nook_rlimit_table[] = {
#ifdef RLIMIT_AS
    NOOK_CONST("rlimit_as", RLIMIT_AS),
#endif
#ifdef RLIMIT_CORE
    NOOK_CONST("rlimit_core", RLIMIT_CORE),
#endif
#ifdef RLIMIT_CPU
    NOOK_CONST("rlimit_cpu", RLIMIT_CPU),
#endif
#ifdef RLIMIT_DATA
    NOOK_CONST("rlimit_data", RLIMIT_DATA),
#endif
#ifdef RLIMIT_FSIZE
    NOOK_CONST("rlimit_fsize", RLIMIT_FSIZE),
#endif
#ifdef RLIMIT_LOCKS
    NOOK_CONST("rlimit_locks", RLIMIT_LOCKS),
#endif
#ifdef RLIMIT_MEMLOCK
    NOOK_CONST("rlimit_memlock", RLIMIT_MEMLOCK),
#endif
#ifdef RLIMIT_MSGQUEUE
    NOOK_CONST("rlimit_msgqueue", RLIMIT_MSGQUEUE),
#endif
#ifdef RLIMIT_NICE
    NOOK_CONST("rlimit_nice", RLIMIT_NICE),
#endif
#ifdef RLIMIT_NOFILE
    NOOK_CONST("rlimit_nofile", RLIMIT_NOFILE),
#endif
#ifdef RLIMIT_NPROC
    NOOK_CONST("rlimit_nproc", RLIMIT_NPROC),
#endif
#ifdef RLIMIT_RSS
    NOOK_CONST("rlimit_rss", RLIMIT_RSS),
#endif
#ifdef RLIMIT_RTPRIO
    NOOK_CONST("rlimit_rtprio", RLIMIT_RTPRIO),
#endif
#ifdef RLIMIT_RTTIME
    NOOK_CONST("rlimit_rttime", RLIMIT_RTTIME),
#endif
#ifdef RLIMIT_SIGPENDING
    NOOK_CONST("rlimit_sigpending", RLIMIT_SIGPENDING),
#endif
#ifdef RLIMIT_STACK
    NOOK_CONST("rlimit_stack", RLIMIT_STACK),
#endif
    NOOK_CONST_END,
};

const struct nook_const nook_prio_which_table[] = {
#ifdef PRIO_PROCESS
    NOOK_CONST("prio_process", PRIO_PROCESS),
#endif
#ifdef PRIO_PGRP
    NOOK_CONST("prio_pgrp", PRIO_PGRP),
#endif
#ifdef PRIO_USER
    NOOK_CONST("prio_user", PRIO_USER),
#endif
    NOOK_CONST_END,
};
