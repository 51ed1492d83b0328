/* SPDX-License-Identifier: ISC */
/* Bounded decoding of call arguments and encoding of replies (Erlang external term format). */
#pragma once

#include <ei.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "consts/const.h"

/*
 * Results of the term_* decoders, made to combine with |: after `rv = term_a(...); rv |=
 * term_b(...);` rv is TERM_BADARG if either was, else TERM_UNKNOWN if either was, else TERM_OK.
 * Every decoder leaves *idx after its term whatever it returns, so a handler decodes all its
 * arguments, then returns rv unless it is TERM_OK: the dispatcher raises badarg, or answers
 * {error, enotsup} for an unknown constant. A type error so wins over an unknown name, always.
 */
#define TERM_OK 0
#define TERM_UNKNOWN 1   /* a constant this platform does not know: {error, enotsup} */
#define TERM_BADARG (-1) /* wrong type, out of range: the caller raises badarg */

/* Nesting allowed in arguments (iolists, tuples) before a term is refused. */
#define TERM_DEPTH_MAX 32
/* Elements in one list argument (argv, environ) before it is refused. */
#define TERM_LIST_MAX 65536

/*
 * Check that buf[0..len) is exactly one versioned term made only of the types calls take
 * (numbers, atoms, binaries, strings, lists, tuples, maps), every length inside the buffer and
 * nesting at most TERM_DEPTH_MAX. Only after this may the ei_decode_* functions read it.
 */
int term_validate(const char *buf, size_t len);

int term_int(const char *buf, int *idx, int *v); /* an int32 */
int term_int64(const char *buf, int *idx, int64_t *v);
/* an integer 0..2^64-1: all 64 bits (a seccomp notification's id) */
int term_uint64(const char *buf, int *idx, uint64_t *v);
/* an integer lo..hi */
int term_int_range(const char *buf, int *idx, int64_t lo, int64_t hi, int64_t *v);
/* a uid or gid: 0..4294967295, or -1 ((id_t)-1: "unchanged" to setresuid(2) and chown(2)) */
int term_id(const char *buf, int *idx, id_t *id);
int term_atom(const char *buf, int *idx, char *name, size_t size);
int term_bool(const char *buf, int *idx, int *v);
/* iodata (binary, string, nested list of bytes and binaries) appended to out */
int term_iodata(const char *buf, int *idx, char **out, size_t *outlen);
/* iodata with no NUL byte, returned NUL-terminated and malloc'd: free() it */
int term_cstring(const char *buf, int *idx, char **s);
/* list of cstrings, NULL-terminated (argv, envp): term_free_cstrings() it */
int term_cstrings(const char *buf, int *idx, char ***v);
void term_free_cstrings(char **v);
/*
 * A constant in lo..hi: an integer, or a lowercase or uppercase atom named in table (NULL: no
 * names). TERM_UNKNOWN for a name the table lacks, TERM_BADARG out of range.
 */
int term_const(const char *buf, int *idx, const struct nook_const *table, int64_t lo, int64_t hi,
               int64_t *v);
/* flags: one constant or a list of them, OR'ed, the result in lo..hi */
int term_flags(const char *buf, int *idx, const struct nook_const *table, int64_t lo, int64_t hi,
               int64_t *v);
/*
 * How a decoder written elsewhere (cstruct.c, a handler's own) keeps the promise above: it
 * returns term_settle(buf, idx, start, rv), start being where its term began.
 */
int term_settle(const char *buf, int *idx, int start, int rv);
/* the type byte of the next term */
int term_type(const char *buf, const int *idx);

/* Reply encoders: they exit the process when memory runs out, so return nothing to check. */
void reply_atom(ei_x_buff *r, const char *atom);
void reply_ok(ei_x_buff *r);
void reply_error(ei_x_buff *r, int err);           /* {error, Posix} */
void reply_error_atom(ei_x_buff *r, const char *); /* {error, Atom} */
void reply_int(ei_x_buff *r, int64_t v);
void reply_ok_int(ei_x_buff *r, int64_t v); /* {ok, V} */
void reply_ok_binary(ei_x_buff *r, const void *p, size_t n);
void reply_binary(ei_x_buff *r, const void *p, size_t n);
/* A system call's result: ok, or {error, errno} for -1; errno is read before anything else. */
void reply_ok_or_errno(ei_x_buff *r, long rv);
/* A system call's result: {ok, Rv}, or {error, errno} for -1. */
void reply_ok_int_or_errno(ei_x_buff *r, long rv);
/* {ok, Real, Effective, Saved}: what getresuid(2) and getresgid(2) give. */
void reply_ok_ids(ei_x_buff *r, id_t real, id_t effective, id_t saved);
/* Building blocks for replies of other shapes. */
void enc_tuple(ei_x_buff *r, int arity);
void enc_list(ei_x_buff *r, int n);
void enc_nil(ei_x_buff *r);
void enc_atom(ei_x_buff *r, const char *atom);
void enc_int(ei_x_buff *r, int64_t v);
void enc_uint(ei_x_buff *r, uint64_t v); /* all 64 bits: inode numbers, rlimits */
void enc_binary(ei_x_buff *r, const void *p, size_t n);
void enc_map(ei_x_buff *r, int n);

/* Frees a malloc'd pointer when it goes out of scope. */
void term_autofree_fn(void *p);
#define autofree __attribute__((cleanup(term_autofree_fn)))
void term_autofree_cstrings_fn(char ***p);
#define autofree_cstrings __attribute__((cleanup(term_autofree_cstrings_fn)))
