/* SPDX-License-Identifier: ISC */
/* Pointer arguments of raw calls: integers, buffers and cstructs (see cstruct.h). */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cstruct.h"
#include "protocol.h"
#include "term.h"

#define PTR_SIZE sizeof(void *)
#define PTR_ALIGN _Alignof(void *)

static char *zalloc(size_t n)
{
    char *p = calloc(1, n + CSTRUCT_SLACK);
    if (p == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    return p;
}

static size_t align_up(size_t off) { return (off + PTR_ALIGN - 1) & ~(PTR_ALIGN - 1); }

static int decode_integer(const char *buf, int *idx, struct cstruct *a)
{
    int end = *idx;
    long long s;
    unsigned long long u;
    if (ei_decode_longlong(buf, &end, &s) == 0) {
#if LONG_MAX < LLONG_MAX
        if (s < LONG_MIN || s > LONG_MAX)
            return TERM_BADARG;
#endif
        /* A negative integer is the word with the same bits, as C would convert it. */
        a->value = (unsigned long)(long)s;
    } else {
        end = *idx;
        if (ei_decode_ulonglong(buf, &end, &u) < 0)
            return TERM_BADARG;
#if ULONG_MAX < ULLONG_MAX
        if (u > ULONG_MAX)
            return TERM_BADARG;
#endif
        a->value = (unsigned long)u;
    }
    a->kind = CSTRUCT_INT;
    a->raw = buf + *idx;
    a->rawlen = end - *idx;
    *idx = end;
    return TERM_OK;
}

static int decode_name(const char *buf, int *idx, const struct nook_const *names, struct cstruct *a)
{
    if (names == NULL)
        return TERM_BADARG;
    int start = *idx;
    int64_t v;
    int rv = term_const(buf, idx, names, INT64_MIN, INT64_MAX, &v);
    if (rv != TERM_OK)
        return rv;
    a->kind = CSTRUCT_INT;
    a->value = (unsigned long)v;
    a->raw = buf + start;
    a->rawlen = *idx - start;
    return TERM_OK;
}

/* A binary's length, checked against what the argument may still take; -1 if too long. */
static long binary_size(const char *buf, const int *idx, size_t used)
{
    int type, size;
    if (used > CSTRUCT_BYTES_MAX || ei_get_type(buf, idx, &type, &size) < 0 ||
        type != ERL_BINARY_EXT || size < 0 || (size_t)size > CSTRUCT_BYTES_MAX - used)
        return -1;
    return size;
}

static int decode_buffer(const char *buf, int *idx, struct cstruct *a)
{
    long size = binary_size(buf, idx, 0);
    if (size < 0)
        return TERM_BADARG;
    long n;
    a->kind = CSTRUCT_BUFFER;
    a->mem = zalloc((size_t)size);
    if (ei_decode_binary(buf, idx, a->mem, &n) < 0)
        return TERM_BADARG;
    a->size = (size_t)n;
    a->value = (unsigned long)(uintptr_t)a->mem;
    return TERM_OK;
}

/*
 * The target of a pointer field, {ptr, N} or {ptr, Binary}, into f->target, when the argument
 * has used bytes already. A binary is copied now; inline ones wait until the struct exists.
 */
static int decode_pointer(const char *buf, int *idx, struct cstruct_field *f, size_t used)
{
    int arity;
    char tag[4];
    if (ei_decode_tuple_header(buf, idx, &arity) < 0 || arity != 2 ||
        term_atom(buf, idx, tag, sizeof(tag)) < 0 || strcmp(tag, "ptr") != 0)
        return TERM_BADARG;
    if (term_type(buf, idx) == ERL_BINARY_EXT) {
        long size = binary_size(buf, idx, used), n;
        if (size < 0)
            return TERM_BADARG;
        f->target = zalloc((size_t)size);
        if (ei_decode_binary(buf, idx, f->target, &n) < 0)
            return TERM_BADARG;
        f->size = (size_t)n;
    } else {
        int64_t n;
        if (used > CSTRUCT_BYTES_MAX || term_int64(buf, idx, &n) < 0 || n < 0 ||
            (uint64_t)n > CSTRUCT_BYTES_MAX - used)
            return TERM_BADARG;
        f->target = zalloc((size_t)n);
        f->size = (size_t)n;
    }
    return TERM_OK;
}

static int decode_list(const char *buf, int *idx, struct cstruct *a)
{
    int arity = 0;
    if (term_type(buf, idx) == ERL_NIL_EXT) {
        if (ei_skip_term(buf, idx) < 0)
            return TERM_BADARG;
    } else if (ei_decode_list_header(buf, idx, &arity) < 0 || arity < 0 ||
               arity > CSTRUCT_FIELDS_MAX) {
        return TERM_BADARG;
    }
    a->kind = CSTRUCT_LIST;
    a->field = calloc((size_t)(arity > 0 ? arity : 1), sizeof(*a->field));
    if (a->field == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    /* First the layout, pointed-to buffers included; where each inline binary starts in buf. */
    int inline_at[CSTRUCT_FIELDS_MAX];
    size_t off = 0, pointed = 0;
    bool has_pointer = false;
    for (int i = 0; i < arity; i++) {
        struct cstruct_field *f = &a->field[i];
        a->nfields = i + 1;
        inline_at[i] = -1;
        if (term_type(buf, idx) == ERL_BINARY_EXT) {
            long size = binary_size(buf, idx, off + pointed);
            if (size < 0)
                return TERM_BADARG;
            inline_at[i] = *idx;
            f->offset = off;
            f->size = (size_t)size;
            off += (size_t)size;
            if (ei_skip_term(buf, idx) < 0)
                return TERM_BADARG;
        } else {
            off = align_up(off);
            f->offset = off;
            off += PTR_SIZE;
            has_pointer = true;
            if (off + pointed > CSTRUCT_BYTES_MAX || decode_pointer(buf, idx, f, off + pointed) < 0)
                return TERM_BADARG;
            pointed += f->size;
        }
    }
    /* C pads a struct with a pointer in it to a whole number of pointers. */
    if (has_pointer)
        off = align_up(off);
    if (off + pointed > CSTRUCT_BYTES_MAX)
        return TERM_BADARG;
    if (arity > 0 && (term_type(buf, idx) != ERL_NIL_EXT || ei_skip_term(buf, idx) < 0))
        return TERM_BADARG;
    a->mem = zalloc(off);
    a->size = off;
    for (int i = 0; i < arity; i++) {
        const struct cstruct_field *f = &a->field[i];
        if (f->target != NULL) {
            memcpy(a->mem + f->offset, &f->target, PTR_SIZE);
        } else {
            long n;
            int at = inline_at[i];
            if (ei_decode_binary(buf, &at, a->mem + f->offset, &n) < 0)
                return TERM_BADARG;
        }
    }
    a->value = (unsigned long)(uintptr_t)a->mem;
    return TERM_OK;
}

static int decode(const char *buf, int *idx, const struct nook_const *names, struct cstruct *a)
{
    switch (term_type(buf, idx)) {
    case ERL_SMALL_INTEGER_EXT:
    case ERL_INTEGER_EXT:
    case ERL_SMALL_BIG_EXT:
    case ERL_LARGE_BIG_EXT:
        return decode_integer(buf, idx, a);
    case ERL_ATOM_EXT:
    case ERL_SMALL_ATOM_EXT:
    case ERL_ATOM_UTF8_EXT:
    case ERL_SMALL_ATOM_UTF8_EXT:
        return decode_name(buf, idx, names, a);
    case ERL_BINARY_EXT:
        return decode_buffer(buf, idx, a);
    case ERL_NIL_EXT:
    case ERL_LIST_EXT:
        return decode_list(buf, idx, a);
    default:
        return TERM_BADARG;
    }
}

int cstruct_decode(const char *buf, int *idx, const struct nook_const *names, struct cstruct *a)
{
    int start = *idx;
    return term_settle(buf, idx, start, decode(buf, idx, names, a));
}

void cstruct_encode(ei_x_buff *r, const struct cstruct *a)
{
    switch (a->kind) {
    case CSTRUCT_INT:
        /* The term exactly as it came: an integer stays that integer, a name that name. */
        if (ei_x_append_buf(r, a->raw, a->rawlen) < 0)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
        return;
    case CSTRUCT_BUFFER:
        enc_binary(r, a->mem, a->size);
        return;
    case CSTRUCT_LIST:
        if (a->nfields > 0) {
            enc_list(r, a->nfields);
            for (int i = 0; i < a->nfields; i++) {
                const struct cstruct_field *f = &a->field[i];
                if (f->target == NULL) {
                    enc_binary(r, a->mem + f->offset, f->size);
                } else {
                    /* Our own copy of the pointer: the call may have overwritten the struct's. */
                    enc_tuple(r, 2);
                    enc_atom(r, "ptr");
                    enc_binary(r, f->target, f->size);
                }
            }
        }
        enc_nil(r);
        return;
    case CSTRUCT_NONE:
        enc_atom(r, "undefined");
        return;
    }
}

void cstruct_free(struct cstruct *a)
{
    for (int i = 0; i < a->nfields; i++)
        free(a->field[i].target);
    free(a->field);
    free(a->mem);
    *a = CSTRUCT_INIT;
}
