/* SPDX-License-Identifier: ISC */
/* A child's channels: frames up from its control socket, calls down to it, its stdin and its
   program's output (the conventions of child.h). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "child.h"
#include "protocol.h"

/* stdin bytes queued for one child before further writes are refused. */
#define NOOK_STDIN_QUEUE_MAX (8u << 20)

/* Read what the control socket has (all of it with drain) and pass whole frames up. */
void relay_read_ctl(struct nook_child *c, bool drain);
/* Write what is queued for the control socket. */
void relay_write_ctl(struct nook_child *c);
/* Write what is queued for stdin; closes it once drained if eof asked. */
void relay_write_stdin(struct nook_child *c);
/* Queue what fits of data for the child's stdin, or, unless its stdin is queued, write what
   its pipe takes now; returns the bytes taken. A write that fails closes stdin and says so. */
size_t relay_queue_stdin(struct nook_child *c, const char *data, size_t n);
/* One read of the program's stdout or stderr (*fd), within its consumer's credit. */
void relay_read_output(struct nook_child *c, int *fd, enum nook_up_type type);
/* {stdin, {error, Reason}}, or {stdin, {error, {Reason, Written}}} when written >= 0 */
void relay_event_stdin_error(pid_t pid, const char *reason, int64_t written);
