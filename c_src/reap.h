/* SPDX-License-Identifier: ISC */
/* Reaping children, reporting their exits, and killing the orphans the dead leave (the
   conventions of child.h). */
#pragma once

#include <sys/types.h>

/* Reap every child that has exited, reporting it after all its output. */
void reap_exited(void);
/* A call reaped pid itself (waitpid): report and release it as reap_exited() would. */
void reap_note_reaped(pid_t pid, int status);
/*
 * Orphans left by the dead are looked for a little later, once for a burst of deaths:
 * the poll loop waits no longer than reap_orphan_scan_timeout() (ms; -1 for none due), then
 * calls reap_run_due_orphan_scan().
 */
void reap_schedule_orphan_scan(void);
int reap_orphan_scan_timeout(void);
void reap_run_due_orphan_scan(void);
/* A child just made: a scan its parent had due is the parent's. */
void reap_forget_orphan_scan(void);
/* Signal every child (signaloneof, then SIGKILL) and wait until none is left, adopted or not. */
void reap_kill_all_and_wait(void);
