/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the term helpers and constant tables: no syscalls beyond printing, no port.
 * Linked alone with term.c, buf.c, the constant tables and -lei: it is no part of priv/nook.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consts/landlock.h"
#include "term.h"

static int passed, failed;

static void check(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s - ", ok ? "ok" : "FAIL");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (ok)
        passed++;
    else
        failed++;
}

/* A fresh buffer holding the version byte: each test encodes one term after it. */
static void fresh(ei_x_buff *x)
{
    if (ei_x_new_with_version(x) < 0) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
}

/* Validate x and position *idx on its term, as the dispatcher does before any handler. */
static int start(const ei_x_buff *x, int *idx)
{
    int version;
    *idx = 0;
    if (term_validate(x->buff, (size_t)x->index) < 0)
        return -1;
    return ei_decode_version(x->buff, idx, &version);
}

static int validates(const void *p, size_t n) { return term_validate(p, n) == 0; }

static void test_validate_accepts(void)
{
    ei_x_buff x;
    fresh(&x);
    ei_x_encode_tuple_header(&x, 9);
    ei_x_encode_atom(&x, "ok");
    ei_x_encode_binary(&x, "abc", 3);
    ei_x_encode_list_header(&x, 2);
    ei_x_encode_long(&x, 1);
    ei_x_encode_long(&x, 100000);
    ei_x_encode_empty_list(&x);
    ei_x_encode_string(&x, "str");
    ei_x_encode_double(&x, 1.5);
    ei_x_encode_longlong(&x, INT64_MAX);
    ei_x_encode_map_header(&x, 1);
    ei_x_encode_atom(&x, "k");
    ei_x_encode_long(&x, -7);
    ei_x_encode_empty_list(&x);
    ei_x_encode_atom_len_as(&x, "\xc3\xa9t\xc3\xa9", 5, ERLANG_UTF8, ERLANG_UTF8);
    check(validates(x.buff, (size_t)x.index), "validate accepts a tuple of every argument type");

    /* Every strict prefix is truncated somewhere: none may pass. */
    int prefixes_rejected = 1;
    for (int n = 0; n < x.index; n++)
        if (validates(x.buff, (size_t)n))
            prefixes_rejected = 0;
    check(prefixes_rejected, "validate rejects every truncation of that tuple");

    char *longer = malloc((size_t)x.index + 1);
    memcpy(longer, x.buff, (size_t)x.index);
    longer[x.index] = 'j';
    check(!validates(longer, (size_t)x.index + 1), "validate rejects trailing bytes");
    free(longer);
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_tuple_header(&x, 0);
    check(validates(x.buff, (size_t)x.index), "validate accepts {}");
    ei_x_free(&x);
}

static void test_validate_rejects(void)
{
    static const unsigned char garbage[] = {131, 0xee, 1, 2, 3};
    check(!validates(garbage, sizeof(garbage)), "validate rejects an unknown tag");
    static const unsigned char nomagic[] = {130, 106};
    check(!validates(nomagic, sizeof(nomagic)), "validate rejects a wrong version byte");
    check(!validates("", 0), "validate rejects an empty buffer");
    static const unsigned char magic_only[] = {131};
    check(!validates(magic_only, sizeof(magic_only)), "validate rejects a version byte alone");

    /* Lengths that point past the end of the buffer. */
    static const unsigned char bin[] = {131, 109, 0, 0, 0, 10, 'a', 'b'};
    check(!validates(bin, sizeof(bin)), "validate rejects a binary longer than the buffer");
    static const unsigned char hugebin[] = {131, 109, 0xff, 0xff, 0xff, 0xff, 'a'};
    check(!validates(hugebin, sizeof(hugebin)), "validate rejects a 4 GiB binary length");
    static const unsigned char list[] = {131, 108, 0xff, 0xff, 0xff, 0xff, 106};
    check(!validates(list, sizeof(list)), "validate rejects a list count beyond the buffer");
    static const unsigned char tuple[] = {131, 104, 3, 97, 1, 106};
    check(!validates(tuple, sizeof(tuple)), "validate rejects a tuple missing an element");
    static const unsigned char map[] = {131, 116, 0, 0, 0, 1, 97, 1};
    check(!validates(map, sizeof(map)), "validate rejects a map missing a value");
    static const unsigned char str[] = {131, 107, 0xff, 0xff, 'a'};
    check(!validates(str, sizeof(str)), "validate rejects a string longer than the buffer");
    static const unsigned char atom[] = {131, 119, 9, 'o', 'k'};
    check(!validates(atom, sizeof(atom)), "validate rejects an atom longer than the buffer");
    static const unsigned char big[] = {131, 111, 0, 0, 1, 0, 0, 1};
    check(!validates(big, sizeof(big)), "validate rejects a bignum longer than the buffer");
    static const unsigned char flt[] = {131, 70, 0, 0, 0};
    check(!validates(flt, sizeof(flt)), "validate rejects a truncated float");

    ei_x_buff x;
    erlang_pid pid = {.num = 1, .serial = 0, .creation = 1};
    strcpy(pid.node, "a@b");
    fresh(&x);
    ei_x_encode_tuple_header(&x, 2);
    ei_x_encode_atom(&x, "ok");
    ei_x_encode_pid(&x, &pid);
    check(!validates(x.buff, (size_t)x.index), "validate rejects a term holding a pid");
    ei_x_free(&x);

    erlang_ref ref = {.len = 1, .n = {1}, .creation = 1};
    strcpy(ref.node, "a@b");
    fresh(&x);
    ei_x_encode_list_header(&x, 1);
    ei_x_encode_ref(&x, &ref);
    ei_x_encode_empty_list(&x);
    check(!validates(x.buff, (size_t)x.index), "validate rejects a term holding a reference");
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_bitstring(&x, "\xff", 0, 3);
    check(!validates(x.buff, (size_t)x.index), "validate rejects a bitstring");
    ei_x_free(&x);
}

/* count nested 1-tuples around an atom */
static void nested_tuples(ei_x_buff *x, int count)
{
    fresh(x);
    for (int i = 0; i < count; i++)
        ei_x_encode_tuple_header(x, 1);
    ei_x_encode_atom(x, "a");
}

static void test_validate_depth(void)
{
    ei_x_buff x;
    nested_tuples(&x, TERM_DEPTH_MAX);
    check(validates(x.buff, (size_t)x.index), "validate accepts nesting of TERM_DEPTH_MAX");
    ei_x_free(&x);
    nested_tuples(&x, TERM_DEPTH_MAX + 1);
    check(!validates(x.buff, (size_t)x.index), "validate rejects nesting beyond TERM_DEPTH_MAX");
    ei_x_free(&x);
    nested_tuples(&x, 100000);
    check(!validates(x.buff, (size_t)x.index),
          "validate stops at the depth limit, not at 100000 levels");
    ei_x_free(&x);
}

/* Run term_iodata on x; returns its result, *out the bytes (freed by the caller). */
static int iodata_of(ei_x_buff *x, char **out, size_t *len)
{
    int idx;
    *out = NULL;
    *len = 0;
    if (start(x, &idx) < 0)
        return -100;
    int rv = term_iodata(x->buff, &idx, out, len);
    if (rv == TERM_OK && idx != x->index)
        return -101; /* not all of the term consumed */
    return rv;
}

static int iodata_is(ei_x_buff *x, const char *want, size_t wantlen)
{
    char *out;
    size_t len;
    int ok = iodata_of(x, &out, &len) == TERM_OK && len == wantlen && memcmp(out, want, len) == 0 &&
             out[len] == '\0';
    free(out);
    ei_x_free(x);
    return ok;
}

static int iodata_rejected(ei_x_buff *x)
{
    char *out;
    size_t len;
    int ok = iodata_of(x, &out, &len) == TERM_BADARG;
    free(out);
    ei_x_free(x);
    return ok;
}

static void test_iodata(void)
{
    ei_x_buff x;
    fresh(&x);
    ei_x_encode_binary(&x, "a\0b", 3);
    check(iodata_is(&x, "a\0b", 3), "iodata: binary with a NUL");

    fresh(&x);
    ei_x_encode_binary(&x, "", 0);
    check(iodata_is(&x, "", 0), "iodata: empty binary");

    fresh(&x);
    ei_x_encode_string(&x, "hello");
    check(iodata_is(&x, "hello", 5), "iodata: string");

    fresh(&x);
    ei_x_encode_empty_list(&x);
    check(iodata_is(&x, "", 0), "iodata: []");

    /* [<<"ab">>, [$c, "de", [<<"f">>]], 255 | <<"gh">>] */
    fresh(&x);
    ei_x_encode_list_header(&x, 3);
    ei_x_encode_binary(&x, "ab", 2);
    ei_x_encode_list_header(&x, 3);
    ei_x_encode_long(&x, 'c');
    ei_x_encode_string(&x, "de");
    ei_x_encode_list_header(&x, 1);
    ei_x_encode_binary(&x, "f", 1);
    ei_x_encode_empty_list(&x);
    ei_x_encode_empty_list(&x);
    ei_x_encode_long(&x, 255);
    ei_x_encode_binary(&x, "gh", 2);
    check(iodata_is(&x, "abcdef\xffgh", 9), "iodata: nested iolist with a binary tail");

    fresh(&x);
    ei_x_encode_list_header(&x, 2);
    ei_x_encode_long(&x, 'a');
    ei_x_encode_long(&x, 256);
    ei_x_encode_empty_list(&x);
    check(iodata_rejected(&x), "iodata rejects an integer > 255");

    fresh(&x);
    ei_x_encode_list_header(&x, 1);
    ei_x_encode_long(&x, -1);
    ei_x_encode_empty_list(&x);
    check(iodata_rejected(&x), "iodata rejects a negative integer");

    fresh(&x);
    ei_x_encode_list_header(&x, 1);
    ei_x_encode_long(&x, 'a');
    ei_x_encode_long(&x, 'b');
    check(iodata_rejected(&x), "iodata rejects an integer tail");

    fresh(&x);
    ei_x_encode_list_header(&x, 1);
    ei_x_encode_binary(&x, "a", 1);
    ei_x_encode_atom(&x, "b");
    check(iodata_rejected(&x), "iodata rejects an atom tail");

    fresh(&x);
    ei_x_encode_list_header(&x, 1);
    ei_x_encode_binary(&x, "a", 1);
    ei_x_encode_string(&x, "bc");
    check(iodata_rejected(&x), "iodata rejects a string tail");

    fresh(&x);
    ei_x_encode_list_header(&x, 1);
    ei_x_encode_atom(&x, "a");
    ei_x_encode_empty_list(&x);
    check(iodata_rejected(&x), "iodata rejects an atom element");

    fresh(&x);
    ei_x_encode_atom(&x, "abc");
    check(iodata_rejected(&x), "iodata rejects an atom");

    fresh(&x);
    ei_x_encode_long(&x, 65);
    check(iodata_rejected(&x), "iodata rejects a bare integer");

    fresh(&x);
    ei_x_encode_tuple_header(&x, 1);
    ei_x_encode_binary(&x, "a", 1);
    check(iodata_rejected(&x), "iodata rejects a tuple");
}

static void test_cstring(void)
{
    ei_x_buff x;
    int idx;
    char *s = NULL;

    fresh(&x);
    ei_x_encode_list_header(&x, 2);
    ei_x_encode_string(&x, "/tm");
    ei_x_encode_binary(&x, "p", 1);
    ei_x_encode_empty_list(&x);
    check(start(&x, &idx) == 0 && term_cstring(x.buff, &idx, &s) == TERM_OK && s != NULL &&
              strcmp(s, "/tmp") == 0,
          "cstring: iolist to a C string");
    free(s);
    s = NULL;
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_binary(&x, "a\0b", 3);
    check(start(&x, &idx) == 0 && term_cstring(x.buff, &idx, &s) == TERM_BADARG && s == NULL,
          "cstring rejects an embedded NUL");
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_list_header(&x, 2);
    ei_x_encode_long(&x, 'a');
    ei_x_encode_long(&x, 0);
    ei_x_encode_empty_list(&x);
    check(start(&x, &idx) == 0 && term_cstring(x.buff, &idx, &s) == TERM_BADARG,
          "cstring rejects a NUL in a string");
    ei_x_free(&x);

    char **v = NULL;
    fresh(&x);
    ei_x_encode_list_header(&x, 3);
    ei_x_encode_string(&x, "ls");
    ei_x_encode_binary(&x, "-l", 2);
    ei_x_encode_empty_list(&x);
    ei_x_encode_empty_list(&x);
    check(start(&x, &idx) == 0 && term_cstrings(x.buff, &idx, &v) == TERM_OK && v != NULL &&
              strcmp(v[0], "ls") == 0 && strcmp(v[1], "-l") == 0 && v[2][0] == '\0' && v[3] == NULL,
          "cstrings: [\"ls\", <<\"-l\">>, \"\"]");
    term_free_cstrings(v);
    v = NULL;
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_empty_list(&x);
    check(start(&x, &idx) == 0 && term_cstrings(x.buff, &idx, &v) == TERM_OK && v != NULL &&
              v[0] == NULL,
          "cstrings: [] is an empty vector");
    term_free_cstrings(v);
    v = NULL;
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_string(&x, "ls");
    check(start(&x, &idx) == 0 && term_cstrings(x.buff, &idx, &v) == TERM_BADARG && v == NULL,
          "cstrings rejects a flat string");
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_list_header(&x, 2);
    ei_x_encode_string(&x, "ok");
    ei_x_encode_binary(&x, "n\0o", 3);
    ei_x_encode_empty_list(&x);
    check(start(&x, &idx) == 0 && term_cstrings(x.buff, &idx, &v) == TERM_BADARG && v == NULL,
          "cstrings rejects an element with a NUL");
    ei_x_free(&x);
}

static void test_scalars(void)
{
    ei_x_buff x;
    int idx, i;
    int64_t l;

    fresh(&x);
    ei_x_encode_longlong(&x, (long long)1 << 40);
    check(start(&x, &idx) == 0 && term_int(x.buff, &idx, &i) == TERM_BADARG, "int rejects 2^40");
    check(start(&x, &idx) == 0 && term_int64(x.buff, &idx, &l) == TERM_OK && l == (int64_t)1 << 40,
          "int64 accepts 2^40");
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_long(&x, -5);
    check(start(&x, &idx) == 0 && term_int(x.buff, &idx, &i) == TERM_OK && i == -5,
          "int accepts -5");
    uint64_t u = 7;
    check(start(&x, &idx) == 0 && term_uint64(x.buff, &idx, &u) == TERM_BADARG && u == 7 &&
              idx == x.index,
          "uint64 rejects -5 and skips it");
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_ulonglong(&x, UINT64_MAX);
    check(start(&x, &idx) == 0 && term_uint64(x.buff, &idx, &u) == TERM_OK && u == UINT64_MAX,
          "uint64 accepts 2^64-1");
    check(start(&x, &idx) == 0 && term_int64(x.buff, &idx, &l) == TERM_BADARG,
          "int64 rejects 2^64-1");
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_atom(&x, "seven");
    check(start(&x, &idx) == 0 && term_uint64(x.buff, &idx, &u) == TERM_BADARG && idx == x.index,
          "uint64 rejects an atom and skips it");
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_atom(&x, "true");
    check(start(&x, &idx) == 0 && term_bool(x.buff, &idx, &i) == TERM_OK && i == 1, "bool: true");
    check(start(&x, &idx) == 0 && term_int(x.buff, &idx, &i) == TERM_BADARG, "int rejects an atom");
    ei_x_free(&x);

    fresh(&x);
    ei_x_encode_atom(&x, "yes");
    check(start(&x, &idx) == 0 && term_bool(x.buff, &idx, &i) == TERM_BADARG, "bool rejects yes");
    ei_x_free(&x);

    char name[4];
    fresh(&x);
    ei_x_encode_atom(&x, "toolong");
    check(start(&x, &idx) == 0 && term_atom(x.buff, &idx, name, sizeof(name)) == TERM_BADARG,
          "atom rejects a name longer than the buffer");
    ei_x_free(&x);
}

static int constant_of(ei_x_buff *x, const struct nook_const *table, int64_t *v)
{
    int idx;
    *v = -1;
    if (start(x, &idx) < 0)
        return -100;
    int rv = term_const(x->buff, &idx, table, INT64_MIN, INT64_MAX, v);
    ei_x_free(x);
    return rv;
}

static void test_constant(void)
{
    ei_x_buff x;
    int64_t v;

    fresh(&x);
    ei_x_encode_atom(&x, "SIGKILL");
    check(constant_of(&x, nook_signal_table, &v) == TERM_OK && v == SIGKILL,
          "constant: 'SIGKILL' is %d", SIGKILL);

    fresh(&x);
    ei_x_encode_atom(&x, "sigkill");
    check(constant_of(&x, nook_signal_table, &v) == TERM_OK && v == SIGKILL,
          "constant: sigkill is %d", SIGKILL);

    fresh(&x);
    ei_x_encode_long(&x, 9);
    check(constant_of(&x, nook_signal_table, &v) == TERM_OK && v == 9, "constant: 9 is 9");

    fresh(&x);
    ei_x_encode_long(&x, 1000);
    check(constant_of(&x, nook_signal_table, &v) == TERM_OK && v == 1000,
          "constant: integers need not be in the table");

    fresh(&x);
    ei_x_encode_atom(&x, "sigfoo");
    check(constant_of(&x, nook_signal_table, &v) == TERM_UNKNOWN, "constant: sigfoo is unknown");

    fresh(&x);
    ei_x_encode_binary(&x, "sigkill", 7);
    check(constant_of(&x, nook_signal_table, &v) == TERM_BADARG, "constant rejects a binary");

    fresh(&x);
    ei_x_encode_double(&x, 9.0);
    check(constant_of(&x, nook_signal_table, &v) == TERM_BADARG, "constant rejects a float");
}

/* One encoded term to decode with lo..hi and table; the result, *v, and whether idx ended past it.
 */
static int ranged(ei_x_buff *x, const struct nook_const *table, int64_t lo, int64_t hi, int64_t *v,
                  int *past)
{
    int idx;
    if (start(x, &idx) < 0)
        return -100;
    int rv = term_const(x->buff, &idx, table, lo, hi, v);
    *past = idx == x->index;
    ei_x_free(x);
    return rv;
}

static void test_ranges(void)
{
    ei_x_buff x;
    int64_t v;
    int past;

    fresh(&x);
    ei_x_encode_long(&x, 255);
    check(ranged(&x, NULL, 0, 255, &v, &past) == TERM_OK && v == 255, "range: 255 in 0..255");
    fresh(&x);
    ei_x_encode_long(&x, 256);
    check(ranged(&x, NULL, 0, 255, &v, &past) == TERM_BADARG && past,
          "range: 256 is badarg for 0..255, and skipped");
    fresh(&x);
    ei_x_encode_atom(&x, "sigkill");
    check(ranged(&x, NULL, 0, 255, &v, &past) == TERM_BADARG && past,
          "range: an atom with no table is badarg");
    fresh(&x);
    ei_x_encode_atom(&x, "sigkill");
    check(ranged(&x, nook_signal_table, 0, 1, &v, &past) == TERM_BADARG,
          "range: a known name whose value is out of range is badarg");
    fresh(&x);
    ei_x_encode_atom(&x, "sigfoo");
    check(ranged(&x, nook_signal_table, 0, 1, &v, &past) == TERM_UNKNOWN && past,
          "range: an unknown name is unknown, whatever the range");

    id_t id;
    int idx;
    fresh(&x);
    ei_x_encode_long(&x, -1);
    check(start(&x, &idx) == 0 && term_id(x.buff, &idx, &id) == TERM_OK && id == (id_t)-1,
          "id: -1 is (id_t)-1");
    ei_x_free(&x);
    fresh(&x);
    ei_x_encode_longlong(&x, 4294967295LL);
    check(start(&x, &idx) == 0 && term_id(x.buff, &idx, &id) == TERM_OK && id == 4294967295u,
          "id: 4294967295");
    ei_x_free(&x);
    fresh(&x);
    ei_x_encode_longlong(&x, 4294967296LL);
    check(start(&x, &idx) == 0 && term_id(x.buff, &idx, &id) == TERM_BADARG, "id: 2^32 is badarg");
    ei_x_free(&x);
    fresh(&x);
    ei_x_encode_long(&x, -2);
    check(start(&x, &idx) == 0 && term_id(x.buff, &idx, &id) == TERM_BADARG, "id: -2 is badarg");
    ei_x_free(&x);
}

/*
 * A handler's decoding: {Bad, sigfoo, 7} with Bad a term no decoder of it takes. Every decoder
 * ends after its term, so the statuses combine: badarg wins over unknown, unknown over ok.
 */
static void test_combined(void)
{
    ei_x_buff x;
    int idx, arity, n;
    int64_t sig;
    char *s = NULL;

    fresh(&x);
    ei_x_encode_tuple_header(&x, 3);
    ei_x_encode_list_header(&x, 1); /* a cstring with a NUL in it: refused part way */
    ei_x_encode_binary(&x, "a\0b", 3);
    ei_x_encode_empty_list(&x);
    ei_x_encode_atom(&x, "sigfoo");
    ei_x_encode_long(&x, 7);
    check(start(&x, &idx) == 0 && ei_decode_tuple_header(x.buff, &idx, &arity) == 0,
          "combined: a tuple");
    int rv = term_cstring(x.buff, &idx, &s);
    rv |= term_const(x.buff, &idx, nook_signal_table, 0, 64, &sig);
    rv |= term_int(x.buff, &idx, &n);
    check(rv == TERM_BADARG && n == 7 && idx == x.index,
          "combined: badarg wins, and the next decoders still find their terms");
    check(start(&x, &idx) == 0 && ei_decode_tuple_header(x.buff, &idx, &arity) == 0 &&
              ei_skip_term(x.buff, &idx) == 0,
          "combined: skip the first");
    rv = term_const(x.buff, &idx, nook_signal_table, 0, 64, &sig);
    rv |= term_int(x.buff, &idx, &n);
    check(rv == TERM_UNKNOWN && n == 7, "combined: unknown wins over ok");
    ei_x_free(&x);

    /* A decoder that fails inside an iolist still ends after it. */
    fresh(&x);
    ei_x_encode_tuple_header(&x, 2);
    ei_x_encode_list_header(&x, 2);
    ei_x_encode_binary(&x, "ab", 2);
    ei_x_encode_atom(&x, "not_a_byte");
    ei_x_encode_empty_list(&x);
    ei_x_encode_long(&x, 9);
    char *data = NULL;
    size_t len;
    check(start(&x, &idx) == 0 && ei_decode_tuple_header(x.buff, &idx, &arity) == 0 &&
              term_iodata(x.buff, &idx, &data, &len) == TERM_BADARG &&
              term_int(x.buff, &idx, &n) == TERM_OK && n == 9,
          "combined: iodata refused part way leaves idx after the list");
    ei_x_free(&x);
}

static int flags_of(ei_x_buff *x, int64_t *v)
{
    int idx;
    *v = -1;
    if (start(x, &idx) < 0)
        return -100;
    int rv = term_flags(x->buff, &idx, nook_open_flags_table, INT64_MIN, INT64_MAX, v);
    if (rv == TERM_OK && idx != x->index)
        rv = -101;
    ei_x_free(x);
    return rv;
}

static void test_flags(void)
{
    ei_x_buff x;
    int64_t v;

    fresh(&x);
    ei_x_encode_list_header(&x, 3);
    ei_x_encode_atom(&x, "o_wronly");
    ei_x_encode_atom(&x, "O_CREAT");
    ei_x_encode_long(&x, O_TRUNC);
    ei_x_encode_empty_list(&x);
    check(flags_of(&x, &v) == TERM_OK && v == (O_WRONLY | O_CREAT | O_TRUNC),
          "flags: [o_wronly, 'O_CREAT', O_TRUNC] are OR'ed");

    fresh(&x);
    ei_x_encode_atom(&x, "o_cloexec");
    check(flags_of(&x, &v) == TERM_OK && v == O_CLOEXEC, "flags: a single atom");

    fresh(&x);
    ei_x_encode_empty_list(&x);
    check(flags_of(&x, &v) == TERM_OK && v == 0, "flags: [] is 0");

    fresh(&x);
    ei_x_encode_list_header(&x, 2);
    ei_x_encode_atom(&x, "o_rdwr");
    ei_x_encode_atom(&x, "o_bogus");
    ei_x_encode_empty_list(&x);
    check(flags_of(&x, &v) == TERM_UNKNOWN, "flags: an unknown name gives TERM_UNKNOWN");

    fresh(&x);
    ei_x_encode_list_header(&x, 2);
    ei_x_encode_atom(&x, "o_bogus");
    ei_x_encode_binary(&x, "o_rdwr", 6);
    ei_x_encode_empty_list(&x);
    check(flags_of(&x, &v) == TERM_BADARG, "flags: a type error wins over an unknown name");

    fresh(&x);
    ei_x_encode_list_header(&x, 1);
    ei_x_encode_atom(&x, "o_rdwr");
    ei_x_encode_atom(&x, "o_creat");
    check(flags_of(&x, &v) == TERM_BADARG, "flags rejects an improper list");
}

static void test_tables(void)
{
    check(strcmp(errno_name(ENOENT), "enoent") == 0, "errno_name(ENOENT) is enoent");
    check(strcmp(errno_name(EAGAIN), "eagain") == 0, "errno_name(EAGAIN) is eagain");
    check(strcmp(errno_name(EWOULDBLOCK), "eagain") == 0, "errno_name(EWOULDBLOCK) is eagain");
    check(strcmp(errno_name(EDEADLOCK), "edeadlk") == 0, "errno_name(EDEADLOCK) is edeadlk");
    check(strcmp(errno_name(EOPNOTSUPP), "enotsup") == 0, "errno_name(EOPNOTSUPP) is enotsup");
    check(strcmp(errno_name(E2BIG), "e2big") == 0, "errno_name(E2BIG) is e2big");
    check(strcmp(errno_name(EXDEV), "exdev") == 0, "errno_name(EXDEV) is exdev");
    check(strcmp(errno_name(0), "unknown") == 0, "errno_name(0) is unknown");
    check(strcmp(errno_name(99999), "unknown") == 0, "errno_name(99999) is unknown");

    /* Every errno from 1 up to the largest Linux has should have a name. */
    int unnamed = 0;
    for (int e = 1; e <= 133; e++)
        if (e != 41 && e != 58 && strcmp(errno_name(e), "unknown") == 0)
            unnamed = e;
    check(unnamed == 0, "every Linux errno 1..133 has a name (first missing: %d)", unnamed);

    int64_t v;
    check(const_value(nook_errno_table, "EWOULDBLOCK", &v) == 0 && v == EAGAIN,
          "ewouldblock looks up as EAGAIN");

    check(strcmp(const_name(nook_signal_table, SIGABRT), "sigabrt") == 0,
          "SIGABRT is named sigabrt, not sigiot");
    check(strcmp(const_name(nook_signal_table, SIGCHLD), "sigchld") == 0,
          "SIGCHLD is named sigchld, not sigcld");
    check(strcmp(const_name(nook_signal_table, SIGIO), "sigio") == 0,
          "SIGIO is named sigio, not sigpoll");
    check(const_value(nook_signal_table, "sigsys", &v) == 0 && v == SIGSYS, "sigsys is SIGSYS");
    check(const_value(nook_signal_table, "sigrtmin", &v) < 0, "realtime signals are not named");
    int sigs_named = 1;
    for (int s = 1; s < 32; s++)
        if (const_name(nook_signal_table, s) == NULL)
            sigs_named = 0;
    check(sigs_named, "signals 1..31 all have names");

    check(strcmp(const_name(nook_open_flags_table, O_NONBLOCK), "o_nonblock") == 0,
          "O_NONBLOCK is named o_nonblock, not o_ndelay");
    check(const_value(nook_open_flags_table, "o_tmpfile", &v) == 0 && v == O_TMPFILE,
          "o_tmpfile is defined");

    /* Names must be lowercase and unique within a table, or lookups would be ambiguous. */
    /* Landlock's rights beyond Debian 12's headers are the kernel's values all the same. */
    check(const_value(nook_landlock_access_fs_table, "landlock_access_fs_ioctl_dev", &v) == 0 &&
              v == 1 << 15,
          "landlock_access_fs_ioctl_dev is bit 15 (ABI 5)");
    check(const_value(nook_landlock_access_net_table, "LANDLOCK_ACCESS_NET_CONNECT_TCP", &v) == 0 &&
              v == 2,
          "landlock_access_net_connect_tcp is bit 1 (ABI 4)");

    const struct nook_const *tables[] = {nook_errno_table, nook_signal_table, nook_open_flags_table,
                                         nook_landlock_access_fs_table};
    const char *table_names[] = {"errno", "signal", "open flags", "landlock fs rights"};
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        const char *bad = NULL;
        int n = 0;
        for (const struct nook_const *c = tables[t]; c->name != NULL; c++, n++) {
            for (const char *p = c->name; *p != '\0'; p++)
                if (isupper((unsigned char)*p))
                    bad = c->name;
            for (const struct nook_const *d = tables[t]; d != c; d++)
                if (strcmp(c->name, d->name) == 0)
                    bad = c->name;
        }
        check(bad == NULL && n > 0, "%s table: %d names, lowercase and unique%s%s", table_names[t],
              n, bad ? ", bad: " : "", bad ? bad : "");
    }
}

static void test_reply(void)
{
    ei_x_buff x;
    int idx = 0, version, arity;
    char a[MAXATOMLEN], b[MAXATOMLEN];
    fresh(&x);
    reply_error(&x, ENOENT);
    check(ei_decode_version(x.buff, &idx, &version) == 0 &&
              ei_decode_tuple_header(x.buff, &idx, &arity) == 0 && arity == 2 &&
              ei_decode_atom(x.buff, &idx, a) == 0 && ei_decode_atom(x.buff, &idx, b) == 0 &&
              strcmp(a, "error") == 0 && strcmp(b, "enoent") == 0 && idx == x.index,
          "reply_error(ENOENT) is {error, enoent}");
    ei_x_free(&x);

    long long n;
    idx = 0;
    fresh(&x);
    reply_ok_int(&x, (int64_t)1 << 40);
    check(ei_decode_version(x.buff, &idx, &version) == 0 &&
              ei_decode_tuple_header(x.buff, &idx, &arity) == 0 && arity == 2 &&
              ei_decode_atom(x.buff, &idx, a) == 0 && strcmp(a, "ok") == 0 &&
              ei_decode_longlong(x.buff, &idx, &n) == 0 && n == (long long)1 << 40,
          "reply_ok_int(2^40) is {ok, 1099511627776}");
    ei_x_free(&x);

    errno = EPERM;
    idx = 0;
    fresh(&x);
    reply_ok_or_errno(&x, -1);
    check(ei_decode_version(x.buff, &idx, &version) == 0 &&
              ei_decode_tuple_header(x.buff, &idx, &arity) == 0 && arity == 2 &&
              ei_decode_atom(x.buff, &idx, a) == 0 && ei_decode_atom(x.buff, &idx, b) == 0 &&
              strcmp(b, "eperm") == 0,
          "reply_ok_or_errno(-1) is {error, errno}");
    ei_x_free(&x);
    idx = 0;
    fresh(&x);
    reply_ok_or_errno(&x, 0);
    check(ei_decode_version(x.buff, &idx, &version) == 0 && ei_decode_atom(x.buff, &idx, a) == 0 &&
              strcmp(a, "ok") == 0,
          "reply_ok_or_errno(0) is ok");
    ei_x_free(&x);
}

int main(void)
{
    test_validate_accepts();
    test_validate_rejects();
    test_validate_depth();
    test_iodata();
    test_cstring();
    test_scalars();
    test_constant();
    test_ranges();
    test_combined();
    test_flags();
    test_tables();
    test_reply();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
