/* SPDX-License-Identifier: ISC */
/* A constant table maps lowercase names to values; a NULL name ends it. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct nook_const {
    const char *name;
    int64_t value;
};

/* clang-format would spread these braced initializers over four lines each. */
/* clang-format off */
#define NOOK_CONST(name, value) {name, (int64_t)(value)}
#define NOOK_CONST_END {NULL, 0}
/* clang-format on */

/* The name of a value (first match), or NULL. */
const char *const_name(const struct nook_const *table, int64_t value);
/* Case-insensitive lookup; returns 0 and sets *value, or -1. */
int const_value(const struct nook_const *table, const char *name, int64_t *value);

extern const struct nook_const nook_errno_table[];
extern const struct nook_const nook_signal_table[];
extern const struct nook_const nook_open_flags_table[];
extern const struct nook_const nook_clone_flags_table[];

/* errno as the lowercase atom Erlang uses (enoent); "unknown" when it has none. */
const char *errno_name(int err);
