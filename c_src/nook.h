/* SPDX-License-Identifier: ISC */
/* Shared state of one nook process: its channel to its parent, its children, its options. */
#pragma once

#include <ei.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "protocol.h"

/* Program output read per readiness event. */
#define NOOK_READ_CHUNK 65536
/* While this much waits to go up, children are not read: back-pressure down the tree. */
#define NOOK_UPQUEUE_HIGH (1u << 20)
/* stdin bytes queued for one child before further writes are refused. */
#define NOOK_STDIN_QUEUE_MAX (8u << 20)
#define NOOK_MAXFORKDEPTH_DEFAULT 16
#define NOOK_MAXFORKDEPTH_LIMIT 255
#define NOOK_MAXCHILD_LIMIT 4096
/* fds a child costs its parent: ctl, stdin, stdout, stderr */
#define NOOK_FDS_PER_CHILD 4
/* fds a nook process keeps for itself: 0-2, signalfd, parent ctl, and room for calls */
#define NOOK_FDS_RESERVED 16

struct nook_channel {
    int rfd; /* -1 once at EOF */
    int wfd;
    size_t pipe_size;    /* wfd's capacity when it is a pipe (program output is spliced), else 0 */
    int pipe_grow;       /* pipe_note_read()'s state for wfd */
    struct nook_buf in;  /* bytes read, not yet a whole frame */
    struct nook_buf out; /* frames not yet written */
};

struct nook_child {
    pid_t pid;         /* 0: free slot */
    int ctl;           /* socket to the child's event loop; -1 closed */
    int in, out, err;  /* parent ends of the program's stdio; -1 closed */
    bool execed;       /* ctl closed after the child announced its exec */
    bool pending_exec; /* the child announced an exec and has not replied since */
    bool close_in_when_drained;
    bool stdin_refused;        /* bytes were refused: say {stdin, ready} once there is room */
    int flowcontrol;           /* -1 unlimited, else output reads left before pausing */
    int64_t flowcontrol_bytes; /* -1 unlimited, else output bytes left before pausing */
    int signaloneof;           /* signal sent to an exec'd child when this process ends */
    int out_size, err_size;    /* capacity of the stdout and stderr pipes, see pipe_note_read() */
    struct nook_buf ctl_in;
    struct nook_buf ctl_out;
    struct nook_buf stdin_queue;
};

struct nook_opts {
    int maxchild;
    int maxforkdepth;
    bool exit_status; /* report children's exit statuses */
    bool termsig;     /* report children's killing signals */
    int flowcontrol;  /* default for children forked later */
    int signaloneof;  /* default for children forked later */
};

struct nook_state {
    struct nook_channel up;
    int sigfd;
    sigset_t sigfd_mask;   /* signals read through sigfd */
    sigset_t user_caught;  /* signals the user asked to receive as events */
    sigset_t user_ignored; /* signals the user set to SIG_IGN: kept across exec */
    int depth;             /* 0 for the root */
    struct nook_opts opt;
    struct nook_child *child;
    int nchild_slots;         /* allocated; grows up to opt.maxchild */
    int child_hi;             /* one past the highest slot in use: scans stop here */
    int nchild;               /* slots in use */
    int exit_after_reply;     /* -1, or the status exit/2 asked for, once its reply is out */
    uint8_t filter[64];       /* calls refused here: bit per call id */
    uint8_t filter_child[64]; /* calls refused in children forked later */
};

extern struct nook_state nook;

/* loop.c */
void nook_loop(void) __attribute__((noreturn));
void nook_terminate(int status) __attribute__((noreturn));
/* Handle the whole frames nook.up.in holds; an oversized frame is dropped as it arrives. */
void loop_up_frames(void);
/* The parent channel's input ended: the exit status saying where (inside a frame is an error). */
int loop_up_ended(void);

/* frame.c: append whole frames to a channel's or child's out queue */
void frame_reply(int32_t reqid, enum nook_reply_status status, const ei_x_buff *term);
void frame_event(const ei_x_buff *term);
void frame_child_event(pid_t pid, const ei_x_buff *term);
/* One read of a child's stdout or stderr into a frame; returns read(2)'s result. */
ssize_t frame_read_child_output(enum nook_up_type type, pid_t pid, int fd, size_t max);
/* Looks at the channel up: a pipe lets program output be spliced into it. */
void frame_note_up_pipe(void);
/* After n bytes came from pipe fd: grow it if they filled it. *size: its capacity as known
   (0 unknown, -1 not to be grown). */
void pipe_note_read(int fd, size_t n, int *size);
void frame_from_child(pid_t pid, const char *frame, size_t len);
/* Write everything queued upward, blocking: before exec or exit drops the channel. */
void frame_flush_up(void);

/* child.c */
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
/* How many children an RLIMIT_NOFILE soft limit leaves room for (4 fds each). */
#include <sys/resource.h>
/* The options a process starts with (getopt/setopt), maxchild aside. */
void child_default_opts(int maxchild);
int child_max_for_nofile(rlim_t nofile);
/* True for fds nook uses itself (channels, children's pipes): calls must not touch them. */
int nook_fd_is_internal(int fd);
struct nook_child *child_by_pid(pid_t pid);
struct nook_child *child_free_slot(void);
int child_count(void);
int child_resize_table(int maxchild);
void child_release(struct nook_child *c);
void child_read_ctl(struct nook_child *c, bool drain);
void child_write_ctl(struct nook_child *c);
void child_write_stdin(struct nook_child *c);
/* Queue what fits of data for the child's stdin; returns the bytes taken. */
size_t child_queue_stdin(struct nook_child *c, const char *data, size_t n);
void child_read_output(struct nook_child *c, int *fd, enum nook_up_type type);
/* {stdin, {error, Reason}}, or {stdin, {error, {Reason, Written}}} when written >= 0 */
void child_event_stdin_error(pid_t pid, const char *reason, int64_t written);
void child_reap_all_exited(void);
/* Orphans left by the dead are looked for a little later, once for a burst of deaths. */
void child_schedule_orphan_scan(void);
int child_orphan_scan_timeout(void); /* ms until the scan is due, -1 for none: a poll timeout */
void child_run_due_orphan_scan(void);
/* A call reaped pid itself (waitpid): report and release it as the reaper would. */
void child_note_reaped(pid_t pid, int status);
void child_kill_all_and_wait(void);
/* Fork a child running this event loop; clone_flags 0 for plain fork. Returns pid or -errno. */
pid_t child_spawn(unsigned long clone_flags);
/* Before execve: flush the channel, then signals and fds as a program expects. 0 or errno. */
int child_prepare_exec(void);
void child_restore_after_failed_exec(void);

/* signals.c */
int signals_init(void);
void signals_block_all(sigset_t *old);
void signals_restore(const sigset_t *old);
void signals_handle_readable(void);
int signals_update_sigfd(void);
void signals_prepare_exec(void);
void signals_restore_after_failed_exec(void);

/* dispatch.c */
void dispatch_call(const char *body, size_t len);
/* Checks a call as if sent alone (filter, arity), then runs it: NULL, or the reason to raise. */
const char *dispatch_run(unsigned id, const char *buf, int *idx, ei_x_buff *reply);
