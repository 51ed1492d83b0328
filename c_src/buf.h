/* SPDX-License-Identifier: ISC */
/* Growable byte queues: bytes are appended at the end and consumed from the front. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nook_buf {
    char *data;
    size_t start; /* first unconsumed byte */
    size_t end;   /* one past the last byte */
    size_t cap;
};

static inline size_t buf_len(const struct nook_buf *b) { return b->end - b->start; }
static inline const char *buf_head(const struct nook_buf *b) { return b->data + b->start; }

/* Reserve room for n more bytes; exits the process on allocation failure. */
char *buf_reserve(struct nook_buf *b, size_t n);
void buf_append(struct nook_buf *b, const void *p, size_t n);
void buf_consume(struct nook_buf *b, size_t n);
void buf_free(struct nook_buf *b);
/* Read what fd has (one read); returns bytes read, 0 at EOF, -1 with errno (EAGAIN included). */
ssize_t buf_read_from(struct nook_buf *b, int fd, size_t max);
/* Write from the front; returns bytes written or -1 with errno. */
ssize_t buf_write_to(struct nook_buf *b, int fd);

/* Big-endian 32-bit numbers, as frames carry lengths, pids and request ids. */
static inline uint32_t be32_get(const void *p)
{
    const unsigned char *u = p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static inline void be32_put(void *p, uint32_t v)
{
    unsigned char *u = p;
    u[0] = (unsigned char)(v >> 24);
    u[1] = (unsigned char)(v >> 16);
    u[2] = (unsigned char)(v >> 8);
    u[3] = (unsigned char)v;
}
