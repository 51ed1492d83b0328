/* SPDX-License-Identifier: ISC */
/*
 * ptrace(2) requests. glibc declares the older ones as enum values with only PT_* macros
 * beside them, so those entries are guarded by the PT_* name.
 */
#include <stddef.h>
#include <sys/ptrace.h>

#include "ptrace.h"

const struct nook_const nook_ptrace_table[] = {
#ifdef PT_TRACE_ME
    NOOK_CONST("ptrace_traceme", PTRACE_TRACEME),
#endif
#ifdef PT_READ_I
    NOOK_CONST("ptrace_peektext", PTRACE_PEEKTEXT),
#endif
#ifdef PT_READ_D
    NOOK_CONST("ptrace_peekdata", PTRACE_PEEKDATA),
#endif
#ifdef PT_READ_U
    NOOK_CONST("ptrace_peekuser", PTRACE_PEEKUSER),
#endif
#ifdef PT_WRITE_I
    NOOK_CONST("ptrace_poketext", PTRACE_POKETEXT),
#endif
#ifdef PT_WRITE_D
    NOOK_CONST("ptrace_pokedata", PTRACE_POKEDATA),
#endif
#ifdef PT_WRITE_U
    NOOK_CONST("ptrace_pokeuser", PTRACE_POKEUSER),
#endif
#ifdef PT_CONTINUE
    NOOK_CONST("ptrace_cont", PTRACE_CONT),
#endif
#ifdef PT_KILL
    NOOK_CONST("ptrace_kill", PTRACE_KILL),
#endif
#ifdef PT_STEP
    NOOK_CONST("ptrace_singlestep", PTRACE_SINGLESTEP),
#endif
#ifdef PT_GETREGS
    NOOK_CONST("ptrace_getregs", PTRACE_GETREGS),
#endif
#ifdef PT_SETREGS
    NOOK_CONST("ptrace_setregs", PTRACE_SETREGS),
#endif
#ifdef PT_GETFPREGS
    NOOK_CONST("ptrace_getfpregs", PTRACE_GETFPREGS),
#endif
#ifdef PT_SETFPREGS
    NOOK_CONST("ptrace_setfpregs", PTRACE_SETFPREGS),
#endif
#ifdef PT_ATTACH
    NOOK_CONST("ptrace_attach", PTRACE_ATTACH),
#endif
#ifdef PT_DETACH
    NOOK_CONST("ptrace_detach", PTRACE_DETACH),
#endif
#ifdef PT_SYSCALL
    NOOK_CONST("ptrace_syscall", PTRACE_SYSCALL),
#endif
#ifdef PT_SETOPTIONS
    NOOK_CONST("ptrace_setoptions", PTRACE_SETOPTIONS),
#endif
#ifdef PT_GETEVENTMSG
    NOOK_CONST("ptrace_geteventmsg", PTRACE_GETEVENTMSG),
#endif
#ifdef PT_GETSIGINFO
    NOOK_CONST("ptrace_getsiginfo", PTRACE_GETSIGINFO),
#endif
#ifdef PT_SETSIGINFO
    NOOK_CONST("ptrace_setsiginfo", PTRACE_SETSIGINFO),
#endif
#ifdef PTRACE_GETREGSET
    NOOK_CONST("ptrace_getregset", PTRACE_GETREGSET),
#endif
#ifdef PTRACE_SETREGSET
    NOOK_CONST("ptrace_setregset", PTRACE_SETREGSET),
#endif
#ifdef PTRACE_SEIZE
    NOOK_CONST("ptrace_seize", PTRACE_SEIZE),
#endif
#ifdef PTRACE_INTERRUPT
    NOOK_CONST("ptrace_interrupt", PTRACE_INTERRUPT),
#endif
#ifdef PTRACE_LISTEN
    NOOK_CONST("ptrace_listen", PTRACE_LISTEN),
#endif
#ifdef PTRACE_PEEKSIGINFO
    NOOK_CONST("ptrace_peeksiginfo", PTRACE_PEEKSIGINFO),
#endif
#ifdef PTRACE_GETSIGMASK
    NOOK_CONST("ptrace_getsigmask", PTRACE_GETSIGMASK),
#endif
#ifdef PTRACE_SETSIGMASK
    NOOK_CONST("ptrace_setsigmask", PTRACE_SETSIGMASK),
#endif
    NOOK_CONST_END,
};
