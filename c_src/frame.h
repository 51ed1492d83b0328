/* SPDX-License-Identifier: ISC */
/* Upward frames: every reply, event and relayed frame is appended to the parent channel's
   queue (nook.up.out). */
#pragma once

#include <ei.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol.h"

/* Program output read per readiness event. */
#define NOOK_READ_CHUNK 65536

void frame_reply(int32_t reqid, enum nook_reply_status status, const ei_x_buff *term);
/* A reply that makes the caller raise reason (badarg, undef). */
void frame_raise(int32_t reqid, const char *reason);
/* The root's first frame. */
void frame_hello(const ei_x_buff *term);
void frame_event(const ei_x_buff *term);
/* {protocol_error, What}: a frame this process could make nothing of. */
void frame_protocol_error(const char *what);
void frame_child_event(pid_t pid, const ei_x_buff *term);
/* An event about child pid that is one atom (execed, badpid, protocol_error). */
void frame_child_event_atom(pid_t pid, const char *atom);
void frame_from_child(pid_t pid, const char *frame, size_t len);
/* One read of a child's stdout or stderr into a frame; returns read(2)'s result. A pipe's
   bytes may be spliced; a terminal's are read (FIONREAD counts what a read may not give). */
ssize_t frame_read_child_output(enum nook_up_type type, pid_t pid, int fd, size_t max, bool pipe);
/* Looks at the channel up: a pipe lets program output be spliced into it. */
void frame_note_up_pipe(void);
/* Write everything queued upward, blocking: before exec or exit drops the channel. */
void frame_flush_up(void);
