/* SPDX-License-Identifier: ISC */
/* Signals reach the event loop through a signalfd; nothing runs in a signal handler. */
#pragma once

#include <signal.h>
#include <stdbool.h>

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
