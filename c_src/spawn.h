/* SPDX-License-Identifier: ISC */
/* Making a child that runs this event loop, and making this process ready to exec (the
   conventions of child.h). */
#pragma once

#include <sys/types.h>

/*
 * fork(2), or clone(2) with clone_flags, a child running this event loop with channels of its
 * own. Like fork: the child's pid in the parent, 0 in the child (its state set up; the loop
 * starts over in it), -errno on failure.
 */
pid_t spawn_child(unsigned long clone_flags);
/* Before execve: flush the channel, then signals and fds as a program expects. 0 or -errno. */
int spawn_prepare_exec(void);
/* The exec failed: back to serving calls. */
void spawn_exec_failed(void);
