/* SPDX-License-Identifier: ISC */
/* What one nook process keeps that several parts of it read: its channel up, its signals,
   its options and call filters. Its children are child.c's. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define NOOK_MAXFORKDEPTH_DEFAULT 16
#define NOOK_MAXFORKDEPTH_LIMIT 255

struct nook_channel {
    int rfd; /* -1 once at EOF */
    int wfd;
    size_t pipe_size;    /* wfd's capacity when it is a pipe (program output is spliced), else 0 */
    int pipe_grow;       /* pipe_note_read()'s state for wfd */
    struct nook_buf in;  /* bytes read, not yet a whole frame */
    struct nook_buf out; /* frames not yet written */
};

/* What getopt/setopt read and change. */
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
    int exe_fd;            /* priv/nook, for reexec (reexec.h); -1 if it could not be opened */
    sigset_t sigfd_mask;   /* signals read through sigfd */
    sigset_t user_caught;  /* signals that come as events: most, in call mode (signals.h) */
    sigset_t user_ignored; /* signals the user set to SIG_IGN: kept across exec */
    int depth;             /* 0 for the root */
    struct nook_opts opt;
    int exit_after_reply;     /* -1, or the status exit/2 asked for, once its reply is out */
    uint8_t filter[64];       /* calls refused here: bit per call id */
    uint8_t filter_child[64]; /* calls refused in children forked later */
};

extern struct nook_state nook;

/* The state a process starts with, maxchild aside, as main() and the fuzz harness set it. */
void state_init(int maxchild);
