/* SPDX-License-Identifier: ISC */
/* Growable byte queues: bytes are appended at the end and consumed from the front. */
#pragma once

#include <stddef.h>
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
