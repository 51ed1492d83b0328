/* SPDX-License-Identifier: ISC */
/*
 * Signals by lowercase name, in number order. Aliases (sigiot, sigcld, sigpoll) follow the
 * signal they name, so that const_name() gives the usual one. Realtime signals have no fixed
 * number (SIGRTMIN moves with the C library) and are left to integers.
 */
#include <signal.h>
#include <stddef.h>

#include "const.h"

const struct nook_const nook_signal_table[] = {
#ifdef SIGHUP
    NOOK_CONST("sighup", SIGHUP),
#endif
#ifdef SIGINT
    NOOK_CONST("sigint", SIGINT),
#endif
#ifdef SIGQUIT
    NOOK_CONST("sigquit", SIGQUIT),
#endif
#ifdef SIGILL
    NOOK_CONST("sigill", SIGILL),
#endif
#ifdef SIGTRAP
    NOOK_CONST("sigtrap", SIGTRAP),
#endif
#ifdef SIGABRT
    NOOK_CONST("sigabrt", SIGABRT),
#endif
#ifdef SIGIOT
    NOOK_CONST("sigiot", SIGIOT),
#endif
#ifdef SIGBUS
    NOOK_CONST("sigbus", SIGBUS),
#endif
#ifdef SIGFPE
    NOOK_CONST("sigfpe", SIGFPE),
#endif
#ifdef SIGKILL
    NOOK_CONST("sigkill", SIGKILL),
#endif
#ifdef SIGUSR1
    NOOK_CONST("sigusr1", SIGUSR1),
#endif
#ifdef SIGSEGV
    NOOK_CONST("sigsegv", SIGSEGV),
#endif
#ifdef SIGUSR2
    NOOK_CONST("sigusr2", SIGUSR2),
#endif
#ifdef SIGPIPE
    NOOK_CONST("sigpipe", SIGPIPE),
#endif
#ifdef SIGALRM
    NOOK_CONST("sigalrm", SIGALRM),
#endif
#ifdef SIGTERM
    NOOK_CONST("sigterm", SIGTERM),
#endif
#ifdef SIGSTKFLT
    NOOK_CONST("sigstkflt", SIGSTKFLT),
#endif
#ifdef SIGCHLD
    NOOK_CONST("sigchld", SIGCHLD),
#endif
#ifdef SIGCLD
    NOOK_CONST("sigcld", SIGCLD),
#endif
#ifdef SIGCONT
    NOOK_CONST("sigcont", SIGCONT),
#endif
#ifdef SIGSTOP
    NOOK_CONST("sigstop", SIGSTOP),
#endif
#ifdef SIGTSTP
    NOOK_CONST("sigtstp", SIGTSTP),
#endif
#ifdef SIGTTIN
    NOOK_CONST("sigttin", SIGTTIN),
#endif
#ifdef SIGTTOU
    NOOK_CONST("sigttou", SIGTTOU),
#endif
#ifdef SIGURG
    NOOK_CONST("sigurg", SIGURG),
#endif
#ifdef SIGXCPU
    NOOK_CONST("sigxcpu", SIGXCPU),
#endif
#ifdef SIGXFSZ
    NOOK_CONST("sigxfsz", SIGXFSZ),
#endif
#ifdef SIGVTALRM
    NOOK_CONST("sigvtalrm", SIGVTALRM),
#endif
#ifdef SIGPROF
    NOOK_CONST("sigprof", SIGPROF),
#endif
#ifdef SIGWINCH
    NOOK_CONST("sigwinch", SIGWINCH),
#endif
#ifdef SIGIO
    NOOK_CONST("sigio", SIGIO),
#endif
#ifdef SIGPOLL
    NOOK_CONST("sigpoll", SIGPOLL),
#endif
#ifdef SIGPWR
    NOOK_CONST("sigpwr", SIGPWR),
#endif
#ifdef SIGSYS
    NOOK_CONST("sigsys", SIGSYS),
#endif
    NOOK_CONST_END,
};
