/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "protocol.h"
#include "term.h"

#define ERL_NEW_FLOAT_EXT_TAG 'F'
#define TERM_VERSION_MAGIC 131

static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }

/* Advance *pos past one term; -1 if it does not fit in len or is of a type calls never take. */
static int skip_term(const unsigned char *p, size_t len, size_t *pos, int depth)
{
    if (depth > TERM_DEPTH_MAX || *pos >= len)
        return -1;
    unsigned char tag = p[(*pos)++];
    size_t left = len - *pos;
    size_t n;
    switch (tag) {
    case ERL_SMALL_INTEGER_EXT:
        n = 1;
        break;
    case ERL_INTEGER_EXT:
        n = 4;
        break;
    case ERL_NEW_FLOAT_EXT_TAG:
        n = 8;
        break;
    case ERL_FLOAT_EXT:
        n = 31;
        break;
    case ERL_ATOM_EXT:
    case ERL_ATOM_UTF8_EXT:
    case ERL_STRING_EXT:
        if (left < 2)
            return -1;
        n = 2 + be16(p + *pos);
        break;
    case ERL_SMALL_ATOM_EXT:
    case ERL_SMALL_ATOM_UTF8_EXT:
        if (left < 1)
            return -1;
        n = 1 + (size_t)p[*pos];
        break;
    case ERL_BINARY_EXT:
        if (left < 4)
            return -1;
        n = 4 + (size_t)be32_get(p + *pos);
        break;
    case ERL_SMALL_BIG_EXT:
        if (left < 1)
            return -1;
        n = 2 + (size_t)p[*pos];
        break;
    case ERL_LARGE_BIG_EXT:
        if (left < 4)
            return -1;
        n = 5 + (size_t)be32_get(p + *pos);
        break;
    case ERL_NIL_EXT:
        n = 0;
        break;
    case ERL_SMALL_TUPLE_EXT:
    case ERL_LARGE_TUPLE_EXT:
    case ERL_LIST_EXT:
    case ERL_MAP_EXT: {
        size_t hdr = tag == ERL_SMALL_TUPLE_EXT ? 1 : 4;
        if (left < hdr)
            return -1;
        size_t count = hdr == 1 ? p[*pos] : be32_get(p + *pos);
        *pos += hdr;
        /* Every element takes at least one byte: a count beyond the bytes left is a lie. */
        if (count > len - *pos)
            return -1;
        if (tag == ERL_MAP_EXT)
            count *= 2;
        if (tag == ERL_LIST_EXT)
            count += 1; /* the tail */
        for (size_t i = 0; i < count; i++)
            if (skip_term(p, len, pos, depth + 1) < 0)
                return -1;
        return 0;
    }
    default:
        return -1;
    }
    if (n > left)
        return -1;
    *pos += n;
    return 0;
}

int term_validate(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    if (len < 2 || p[0] != TERM_VERSION_MAGIC)
        return -1;
    size_t pos = 1;
    if (skip_term(p, len, &pos, 0) < 0 || pos != len)
        return -1;
    return 0;
}

int term_type(const char *buf, const int *idx)
{
    int type, size;
    if (ei_get_type(buf, idx, &type, &size) < 0)
        return -1;
    return type;
}

_Static_assert((TERM_BADARG | TERM_UNKNOWN) == TERM_BADARG &&
                   (TERM_UNKNOWN | TERM_OK) == TERM_UNKNOWN,
               "decoder results combine with |: badarg over unknown over ok");

int term_settle(const char *buf, int *idx, int start, int rv)
{
    if (rv == TERM_BADARG) {
        /* The term may have been left part way: skip it whole (it was validated). */
        *idx = start;
        (void)ei_skip_term(buf, idx);
    }
    return rv;
}

int term_int64(const char *buf, int *idx, int64_t *v)
{
    long long n;
    if (ei_decode_longlong(buf, idx, &n) < 0)
        return term_settle(buf, idx, *idx, TERM_BADARG);
    *v = n;
    return TERM_OK;
}

int term_uint64(const char *buf, int *idx, uint64_t *v)
{
    unsigned long long n;
    int start = *idx;
    switch (term_type(buf, idx)) {
    case ERL_SMALL_INTEGER_EXT:
    case ERL_INTEGER_EXT:
    case ERL_SMALL_BIG_EXT:
        /* ei refuses negative numbers and numbers beyond 64 bits here. */
        if (ei_decode_ulonglong(buf, idx, &n) == 0) {
            *v = n;
            return TERM_OK;
        }
        break;
    default:
        break;
    }
    return term_settle(buf, idx, start, TERM_BADARG);
}

int term_int_range(const char *buf, int *idx, int64_t lo, int64_t hi, int64_t *v)
{
    return term_const(buf, idx, NULL, lo, hi, v);
}

int term_int(const char *buf, int *idx, int *v)
{
    int64_t n;
    int rv = term_int_range(buf, idx, INT32_MIN, INT32_MAX, &n);
    if (rv == TERM_OK)
        *v = (int)n;
    return rv;
}

int term_id(const char *buf, int *idx, id_t *id)
{
    int64_t n;
    int rv = term_int_range(buf, idx, -1, UINT32_MAX, &n);
    if (rv == TERM_OK)
        *id = (id_t)n;
    return rv;
}

static bool is_atom(int type)
{
    return type == ERL_ATOM_EXT || type == ERL_SMALL_ATOM_EXT || type == ERL_ATOM_UTF8_EXT ||
           type == ERL_SMALL_ATOM_UTF8_EXT;
}

int term_atom(const char *buf, int *idx, char *name, size_t size)
{
    char tmp[MAXATOMLEN_UTF8];
    int start = *idx;
    if (!is_atom(term_type(buf, idx)) ||
        ei_decode_atom_as(buf, idx, tmp, sizeof(tmp), ERLANG_UTF8, NULL, NULL) < 0 ||
        strlen(tmp) >= size)
        return term_settle(buf, idx, start, TERM_BADARG);
    strcpy(name, tmp);
    return TERM_OK;
}

int term_bool(const char *buf, int *idx, int *v)
{
    char name[8];
    int start = *idx;
    if (term_atom(buf, idx, name, sizeof(name)) < 0)
        return TERM_BADARG;
    if (strcmp(name, "true") == 0)
        *v = 1;
    else if (strcmp(name, "false") == 0)
        *v = 0;
    else
        return term_settle(buf, idx, start, TERM_BADARG);
    return TERM_OK;
}

/* Append the bytes of an iodata term; the buffer was validated, lengths fit. */
static int iodata_append(const char *buf, int *idx, struct nook_buf *out, int depth)
{
    int type, size;
    if (depth > TERM_DEPTH_MAX || ei_get_type(buf, idx, &type, &size) < 0)
        return TERM_BADARG;
    switch (type) {
    case ERL_BINARY_EXT: {
        long n;
        char *dst = buf_reserve(out, (size_t)size + 1);
        if (ei_decode_binary(buf, idx, dst, &n) < 0)
            return TERM_BADARG;
        out->end += (size_t)n;
        return TERM_OK;
    }
    case ERL_STRING_EXT: {
        char *dst = buf_reserve(out, (size_t)size + 1);
        if (ei_decode_string(buf, idx, dst) < 0)
            return TERM_BADARG;
        out->end += (size_t)size;
        return TERM_OK;
    }
    case ERL_NIL_EXT:
        return ei_skip_term(buf, idx) < 0 ? TERM_BADARG : TERM_OK;
    case ERL_LIST_EXT: {
        int arity;
        if (ei_decode_list_header(buf, idx, &arity) < 0)
            return TERM_BADARG;
        for (int i = 0; i < arity; i++) {
            if (term_type(buf, idx) == ERL_SMALL_INTEGER_EXT) {
                long byte;
                if (ei_decode_long(buf, idx, &byte) < 0 || byte < 0 || byte > 255)
                    return TERM_BADARG;
                char c = (char)byte;
                buf_append(out, &c, 1);
            } else if (iodata_append(buf, idx, out, depth + 1) < 0) {
                return TERM_BADARG;
            }
        }
        /* The tail of an iolist is [] or a binary. */
        int tail = term_type(buf, idx);
        if (tail != ERL_NIL_EXT && tail != ERL_BINARY_EXT)
            return TERM_BADARG;
        return iodata_append(buf, idx, out, depth + 1);
    }
    default:
        return TERM_BADARG;
    }
}

int term_iodata(const char *buf, int *idx, char **out, size_t *outlen)
{
    struct nook_buf b = {0};
    int start = *idx;
    if (iodata_append(buf, idx, &b, 0) < 0) {
        buf_free(&b);
        return term_settle(buf, idx, start, TERM_BADARG);
    }
    /* Always NUL-terminated, so that text callers may use it directly. */
    buf_reserve(&b, 1)[0] = '\0';
    *out = b.data;
    *outlen = buf_len(&b);
    return TERM_OK;
}

int term_cstring(const char *buf, int *idx, char **s)
{
    size_t n;
    int start = *idx;
    if (term_iodata(buf, idx, s, &n) < 0)
        return TERM_BADARG;
    if (memchr(*s, '\0', n) != NULL) {
        free(*s);
        *s = NULL;
        return term_settle(buf, idx, start, TERM_BADARG);
    }
    return TERM_OK;
}

void term_free_cstrings(char **v)
{
    if (v == NULL)
        return;
    for (char **p = v; *p != NULL; p++)
        free(*p);
    free(v);
}

static int cstrings(const char *buf, int *idx, char ***v)
{
    int arity;
    if (term_type(buf, idx) == ERL_NIL_EXT) {
        arity = 0;
        ei_skip_term(buf, idx);
    } else if (term_type(buf, idx) == ERL_STRING_EXT) {
        /* A list of small integers is not a list of strings. */
        return TERM_BADARG;
    } else if (ei_decode_list_header(buf, idx, &arity) < 0 || arity > TERM_LIST_MAX) {
        return TERM_BADARG;
    }
    char **list = calloc((size_t)arity + 1, sizeof(char *));
    if (list == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    for (int i = 0; i < arity; i++) {
        if (term_cstring(buf, idx, &list[i]) < 0) {
            term_free_cstrings(list);
            return TERM_BADARG;
        }
    }
    if (arity > 0 && (term_type(buf, idx) != ERL_NIL_EXT || ei_skip_term(buf, idx) < 0)) {
        term_free_cstrings(list);
        return TERM_BADARG;
    }
    *v = list;
    return TERM_OK;
}

int term_cstrings(const char *buf, int *idx, char ***v)
{
    int start = *idx;
    *v = NULL;
    return term_settle(buf, idx, start, cstrings(buf, idx, v));
}

/* One constant, its range left to the caller. */
static int constant(const char *buf, int *idx, const struct nook_const *table, int64_t *v)
{
    char name[MAXATOMLEN_UTF8];
    switch (term_type(buf, idx)) {
    case ERL_SMALL_INTEGER_EXT:
    case ERL_INTEGER_EXT:
    case ERL_SMALL_BIG_EXT:
        return term_int64(buf, idx, v);
    default:
        if (table == NULL || term_atom(buf, idx, name, sizeof(name)) < 0)
            return TERM_BADARG;
        return const_value(table, name, v) < 0 ? TERM_UNKNOWN : TERM_OK;
    }
}

static int in_range(int rv, int64_t v, int64_t lo, int64_t hi)
{
    return rv == TERM_OK && (v < lo || v > hi) ? TERM_BADARG : rv;
}

int term_const(const char *buf, int *idx, const struct nook_const *table, int64_t lo, int64_t hi,
               int64_t *v)
{
    int start = *idx;
    *v = 0;
    int rv = constant(buf, idx, table, v);
    return term_settle(buf, idx, start, in_range(rv, *v, lo, hi));
}

static int flags(const char *buf, int *idx, const struct nook_const *table, int64_t *v)
{
    int arity;
    int type = term_type(buf, idx);
    *v = 0;
    if (type == ERL_NIL_EXT)
        return ei_skip_term(buf, idx) < 0 ? TERM_BADARG : TERM_OK;
    if (type == ERL_STRING_EXT) {
        /* Erlang sends a list of small integers, [1, 64], as a string. */
        int size;
        ei_get_type(buf, idx, &type, &size);
        char *bytes = malloc((size_t)size + 1);
        if (bytes == NULL)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
        int rv = ei_decode_string(buf, idx, bytes);
        for (int i = 0; rv == 0 && i < size; i++)
            *v |= (unsigned char)bytes[i];
        free(bytes);
        return rv < 0 ? TERM_BADARG : TERM_OK;
    }
    if (type != ERL_LIST_EXT)
        return constant(buf, idx, table, v);
    if (ei_decode_list_header(buf, idx, &arity) < 0)
        return TERM_BADARG;
    int rv = TERM_OK;
    for (int i = 0; i < arity; i++) {
        int64_t one = 0;
        int one_rv = constant(buf, idx, table, &one);
        if (one_rv == TERM_BADARG)
            return TERM_BADARG;
        /* Decoding goes on past an unknown name: a type error further on still wins. */
        rv |= one_rv;
        *v |= one;
    }
    if (term_type(buf, idx) != ERL_NIL_EXT || ei_skip_term(buf, idx) < 0)
        return TERM_BADARG;
    return rv;
}

int term_flags(const char *buf, int *idx, const struct nook_const *table, int64_t lo, int64_t hi,
               int64_t *v)
{
    int start = *idx;
    int rv = flags(buf, idx, table, v);
    return term_settle(buf, idx, start, in_range(rv, *v, lo, hi));
}

static void enc_check(int rv)
{
    if (rv < 0)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
}

void enc_tuple(ei_x_buff *r, int arity) { enc_check(ei_x_encode_tuple_header(r, arity)); }
void enc_list(ei_x_buff *r, int n) { enc_check(ei_x_encode_list_header(r, n)); }
void enc_nil(ei_x_buff *r) { enc_check(ei_x_encode_empty_list(r)); }
void enc_atom(ei_x_buff *r, const char *atom) { enc_check(ei_x_encode_atom(r, atom)); }
void enc_int(ei_x_buff *r, int64_t v) { enc_check(ei_x_encode_longlong(r, v)); }
void enc_map(ei_x_buff *r, int n) { enc_check(ei_x_encode_map_header(r, n)); }
void enc_uint(ei_x_buff *r, uint64_t v) { enc_check(ei_x_encode_ulonglong(r, v)); }
/*
 * Room for an encode of n bytes, the buffer doubled when short. ei grows it just past what
 * one encode needs, so many binaries into one buffer (readdir, environ) would each copy all.
 */
static void enc_room(ei_x_buff *r, size_t n)
{
    /* more than the 100 bytes ei keeps beyond an encode, so that ei itself never grows it */
    size_t need = (size_t)r->index + n + 128;
    if (need <= (size_t)r->buffsz)
        return;
    size_t size = 2 * (size_t)r->buffsz > need ? 2 * (size_t)r->buffsz : need;
    if (size > INT32_MAX)
        size = need;
    char *p = size > INT32_MAX ? NULL : realloc(r->buff, size);
    if (p == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    r->buff = p;
    r->buffsz = (int)size;
}

void enc_binary(ei_x_buff *r, const void *p, size_t n)
{
    if (n > INT32_MAX)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    enc_room(r, n + 5);
    enc_check(ei_x_encode_binary(r, p, (int)n));
}

void reply_atom(ei_x_buff *r, const char *atom) { enc_atom(r, atom); }
void reply_ok(ei_x_buff *r) { enc_atom(r, "ok"); }
void reply_int(ei_x_buff *r, int64_t v) { enc_int(r, v); }
void reply_binary(ei_x_buff *r, const void *p, size_t n) { enc_binary(r, p, n); }

void reply_error_atom(ei_x_buff *r, const char *atom)
{
    enc_tuple(r, 2);
    enc_atom(r, "error");
    enc_atom(r, atom);
}

void reply_error(ei_x_buff *r, int err) { reply_error_atom(r, errno_name(err)); }

void reply_ok_int(ei_x_buff *r, int64_t v)
{
    enc_tuple(r, 2);
    enc_atom(r, "ok");
    enc_int(r, v);
}

void reply_ok_or_errno(ei_x_buff *r, long rv)
{
    if (rv < 0)
        reply_error(r, errno);
    else
        reply_ok(r);
}

void reply_ok_int_or_errno(ei_x_buff *r, long rv)
{
    if (rv < 0)
        reply_error(r, errno);
    else
        reply_ok_int(r, rv);
}

void reply_ok_ids(ei_x_buff *r, id_t real, id_t effective, id_t saved)
{
    enc_tuple(r, 4);
    enc_atom(r, "ok");
    enc_int(r, real);
    enc_int(r, effective);
    enc_int(r, saved);
}

void reply_ok_binary(ei_x_buff *r, const void *p, size_t n)
{
    enc_tuple(r, 2);
    enc_atom(r, "ok");
    enc_binary(r, p, n);
}

void term_autofree_fn(void *p) { free(*(void **)p); }
void term_autofree_cstrings_fn(char ***p) { term_free_cstrings(*p); }
