/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <sched.h>

#include "const.h"

/* clone(2) flags a task may ask for; those that would share memory or threads are refused. */
const struct nook_const nook_clone_flags_table[] = {
#ifdef CLONE_NEWUSER
    NOOK_CONST("clone_newuser", CLONE_NEWUSER),
#endif
#ifdef CLONE_NEWNS
    NOOK_CONST("clone_newns", CLONE_NEWNS),
#endif
#ifdef CLONE_NEWPID
    NOOK_CONST("clone_newpid", CLONE_NEWPID),
#endif
#ifdef CLONE_NEWUTS
    NOOK_CONST("clone_newuts", CLONE_NEWUTS),
#endif
#ifdef CLONE_NEWIPC
    NOOK_CONST("clone_newipc", CLONE_NEWIPC),
#endif
#ifdef CLONE_NEWNET
    NOOK_CONST("clone_newnet", CLONE_NEWNET),
#endif
#ifdef CLONE_NEWCGROUP
    NOOK_CONST("clone_newcgroup", CLONE_NEWCGROUP),
#endif
#ifdef CLONE_NEWTIME
    NOOK_CONST("clone_newtime", CLONE_NEWTIME),
#endif
#ifdef CLONE_SYSVSEM
    NOOK_CONST("clone_sysvsem", CLONE_SYSVSEM),
#endif
#ifdef CLONE_FS
    NOOK_CONST("clone_fs", CLONE_FS),
#endif
#ifdef CLONE_FILES
    NOOK_CONST("clone_files", CLONE_FILES),
#endif
#ifdef CLONE_VM
    NOOK_CONST("clone_vm", CLONE_VM),
#endif
#ifdef CLONE_SIGHAND
    NOOK_CONST("clone_sighand", CLONE_SIGHAND),
#endif
#ifdef CLONE_THREAD
    NOOK_CONST("clone_thread", CLONE_THREAD),
#endif
#ifdef CLONE_PARENT
    NOOK_CONST("clone_parent", CLONE_PARENT),
#endif
#ifdef CLONE_PTRACE
    NOOK_CONST("clone_ptrace", CLONE_PTRACE),
#endif
#ifdef CLONE_UNTRACED
    NOOK_CONST("clone_untraced", CLONE_UNTRACED),
#endif
#ifdef CLONE_VFORK
    NOOK_CONST("clone_vfork", CLONE_VFORK),
#endif
#ifdef CLONE_IO
    NOOK_CONST("clone_io", CLONE_IO),
#endif
    NOOK_CONST_END,
};
