/* SPDX-License-Identifier: ISC */
/*
 * The children of this nook process: the table of them (child.c), making them and preparing
 * an exec (spawn.h), relaying their channels (relay.h), reaping them (reap.h).
 *
 * Convention of these four: a function returning int gives 0 (or a pid) on success and
 * -errno on failure; one returning a pointer gives NULL when there is none.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "buf.h"

#define NOOK_MAXCHILD_LIMIT 4096
/* fds a child costs its parent: ctl, stdin, stdout, stderr */
#define NOOK_FDS_PER_CHILD 4
/* fds a nook process keeps for itself: 0-2, signalfd, parent ctl, and room for calls */
#define NOOK_FDS_RESERVED 16

struct nook_child {
    pid_t pid;         /* 0: free slot */
    int ctl;           /* socket to the child's event loop; -1 closed */
    int in, out, err;  /* parent ends of the program's stdio; -1 closed */
    int notify;        /* the seccomp listener the child handed over (notify.h); -1 none */
    int notify_in;     /* an fd that came over ctl, not yet claimed by a LISTENER frame */
    bool execed;       /* ctl closed after the child announced its exec */
    bool pending_exec; /* the child announced an exec and has not replied since */
    bool stdin_queued; /* stdin waits in a queue (stdin_write's); else what the pipe cannot
                          take at once is refused, as prx does */
    bool close_in_when_drained;
    bool stdin_refused;        /* bytes were refused: say {stdin, ready} once there is room */
    bool pty;                  /* in and out are a pseudo-terminal's primary (calls/pty.c) */
    int flowcontrol;           /* -1 unlimited, else output reads left before pausing */
    int64_t flowcontrol_bytes; /* -1 unlimited, else output bytes left before pausing */
    int signaloneof;           /* signal sent to an exec'd child when this process ends */
    int out_size, err_size;    /* capacity of the stdout and stderr pipes, see pipe_note_read() */
    struct nook_buf ctl_in;
    struct nook_buf ctl_out;
    struct nook_buf stdin_queue;
};

/* Output flow control applies to programs, from the moment a child announces its exec. */
static inline bool child_flow_controlled(const struct nook_child *c)
{
    return c->execed || c->pending_exec;
}

/* Its consumer's credit (reads or bytes) is used up: its output waits in the pipe. */
static inline bool child_output_paused(const struct nook_child *c)
{
    return child_flow_controlled(c) && (c->flowcontrol == 0 || c->flowcontrol_bytes == 0);
}

/* Whether *fd, the child's out or err, is a pipe: a terminal's primary is none (calls/pty.c). */
static inline bool child_output_is_pipe(const struct nook_child *c, const int *fd)
{
    return !(c->pty && fd == &c->out);
}

struct nook_child *child_by_pid(pid_t pid);
/*
 * The children in turn: `for (int pos = 0; (c = child_next(&pos)) != NULL;)`. The slot of the
 * one returned is pos - 1, and child_in_slot() finds it again, unless it was released.
 */
struct nook_child *child_next(int *pos);
struct nook_child *child_in_slot(int slot, pid_t pid);
int child_count(void);
/* A free slot, the table grown if need be (up to maxchild); child_occupy() takes it. */
struct nook_child *child_free_slot(void);
void child_occupy(struct nook_child *c, pid_t pid);
/* Close one of a child's fds, errno kept, and mark it closed (-1). */
void child_close_fd(int *fd);
/* Close its fds, free its queues, free its slot. */
void child_release(struct nook_child *c);
/* Release every child and the table itself: the parent's children are no business of a child. */
void child_forget_all(void);
/* Size the table for maxchild children (-EBUSY: more than that are alive). */
int child_resize_table(int maxchild);
/* How many children an RLIMIT_NOFILE soft limit leaves room for (4 fds each). */
int child_max_for_nofile(rlim_t nofile);
/* True for fds nook uses itself (channels, children's pipes): calls must not touch them. */
bool nook_fd_is_internal(int fd);
