/* SPDX-License-Identifier: ISC */
/* The event loop every nook process runs until it execs: poll, relay, dispatch, reap. */
#pragma once

#include <stdbool.h>

#include "dispatch.h"

void nook_loop(void) __attribute__((noreturn));
/* Kill and reap every child, flush what is queued up, exit with status. */
void nook_terminate(int status) __attribute__((noreturn));
/* Handle the whole frames nook.up.in holds; an oversized frame is dropped as it arrives. */
enum dispatch_next loop_up_frames(void);
/* True when the frame being handled is all the input read from the parent channel. */
bool loop_up_idle(void);
/* The parent channel's input ended: the exit status saying where (inside a frame is an error). */
int loop_up_ended(void);
