/* SPDX-License-Identifier: ISC */
/* Signals reach the event loop through a signalfd; nothing runs in a signal handler. */
#pragma once

#include <signal.h>
#include <stdbool.h>

/*
 * The signals a process in call mode catches from the start, as prx's do, each an event
 * {signal, Sig, Info}: all that can be caught but those that report a fault of the process
 * itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS, SIGTRAP: caught, they would come back at
 * once), SIGCHLD (nook reaps) and SIGPIPE (ignored: a write to a closed pipe must fail, not
 * kill), and glibc's own below SIGRTMIN. An exec'd program starts with default dispositions.
 */
static inline void signals_caught_by_default(sigset_t *set)
{
    sigemptyset(set);
    for (int sig = 1; sig <= SIGRTMAX; sig++)
        sigaddset(set, sig);
    static const int kept[] = {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS,  SIGILL,
                               SIGFPE,  SIGSYS,  SIGTRAP, SIGCHLD, SIGPIPE};
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        sigdelset(set, kept[i]);
    for (int sig = 32; sig < SIGRTMIN; sig++)
        sigdelset(set, sig);
}

/* Ignore SIGPIPE and read SIGCHLD and the user's caught signals through nook.sigfd. 0 or -1. */
int signals_init(void);
/* Make nook.sigfd read what nook.user_caught now holds, and SIGCHLD. 0 or -1. */
int signals_update_sigfd(void);
void signals_block_all(sigset_t *old);
void signals_restore(const sigset_t *old);
/* Read what nook.sigfd has: caught signals go up as events. True when a child may be
   waiting to be reaped (SIGCHLD). */
bool signals_handle_readable(void);
/* Before execve: default dispositions (a user's sig_ign kept) and an empty mask. */
void signals_prepare_exec(void);
void signals_restore_after_failed_exec(void);
