/* SPDX-License-Identifier: ISC */
/*
 * Pointer arguments of raw calls (prctl, ptrace, ioctl, seccomp): an argument is
 *   - an integer, passed as an unsigned long and returned as given;
 *   - a binary: a buffer passed by pointer, returned with what the call left in it;
 *   - a cstruct: a list of fields laid out as C lays out a struct of them, passed by pointer:
 *       binary()         inline bytes, no alignment (a char array)
 *       {ptr, N}         a pointer, word-aligned, to N zeroed bytes
 *       {ptr, binary()}  a pointer, word-aligned, to a copy of the binary
 *     returned as the same list, inline bytes read back from the struct and each pointer field
 *     as {ptr, Bin} with the bytes it points to.
 * An argument holds at most CSTRUCT_FIELDS_MAX fields and CSTRUCT_BYTES_MAX bytes in all.
 */
#pragma once

#include <ei.h>
#include <stddef.h>

#include "consts/const.h"

#define CSTRUCT_FIELDS_MAX 64
/* Struct, padding and pointed-to buffers of one argument together. */
#define CSTRUCT_BYTES_MAX 65536
/*
 * Zeroed bytes allocated past the end of every buffer and never returned: a kernel write of a
 * struct larger than the caller's buffer (a user error) lands there, not in nook's heap.
 */
#define CSTRUCT_SLACK 512

enum cstruct_kind { CSTRUCT_NONE, CSTRUCT_INT, CSTRUCT_BUFFER, CSTRUCT_LIST };

struct cstruct_field {
    size_t offset; /* in the struct */
    size_t size;   /* inline bytes, or bytes pointed to */
    char *target;  /* a pointer field's buffer; NULL for inline bytes */
};

struct cstruct {
    enum cstruct_kind kind;
    unsigned long value; /* what the call gets: the integer, or the buffer's address */
    const char *raw;     /* CSTRUCT_INT: the term as sent, to return it as given */
    int rawlen;
    char *mem; /* CSTRUCT_BUFFER, CSTRUCT_LIST: the buffer or struct */
    size_t size;
    int nfields;
    struct cstruct_field *field;
};

#define CSTRUCT_INIT ((struct cstruct){.kind = CSTRUCT_NONE})

/*
 * Decode one argument at *idx, a decoder as term.h describes them. An atom is looked up in
 * names (NULL: no atom is accepted) and stands for its value: TERM_UNKNOWN for one names
 * lacks. After any result, cstruct_free() releases what was taken.
 */
int cstruct_decode(const char *buf, int *idx, const struct nook_const *names, struct cstruct *a);
/* The argument as returned: same shape, buffers read back after the call. */
void cstruct_encode(ei_x_buff *r, const struct cstruct *a);
void cstruct_free(struct cstruct *a);

#define autofree_cstruct __attribute__((cleanup(cstruct_free)))
