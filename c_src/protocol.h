/* SPDX-License-Identifier: ISC */
/* The wire protocol's numbers as C names: see protocol.def. */
#pragma once

#include <stdint.h>

#define NOOK_VERSION "0.1.0"

enum nook_protocol_limit {
#define NOOK_LIMIT(name, value) NOOK_PROTOCOL_##name = value,
#include "protocol.def"
};

/* The largest frame body accepted on any channel. */
#ifndef NOOK_FRAME_MAX /* the fuzz build lowers it, so that an oversized frame fits an input */
#define NOOK_FRAME_MAX ((unsigned)NOOK_PROTOCOL_FRAME_MAX)
#endif

/* Frames sent toward a process (from the BEAM or a parent). */
enum nook_down_type {
#define NOOK_DOWN(name, value) NOOK_DOWN_##name = value,
#include "protocol.def"
};

/* Frames sent toward the BEAM. */
enum nook_up_type {
#define NOOK_UP(name, value) NOOK_UP_##name = value,
#include "protocol.def"
};

/* Status byte of a reply. */
enum nook_reply_status {
#define NOOK_REPLY(name, value) NOOK_REPLY_##name = value,
#include "protocol.def"
};

/* Exit statuses of a nook process that cannot go on. */
enum nook_exit {
#define NOOK_EXIT(name, value) NOOK_EXIT_##name = value,
#include "protocol.def"
};

/*
 * The table hash priv/nook reports at HELLO: FNV-1a over calls.def and protocol.def, line by
 * line as bin/gen_calls reads them, so that nook_port refuses a binary built from others.
 */
uint32_t protocol_hash(void);
