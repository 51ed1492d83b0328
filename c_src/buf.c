/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "protocol.h"

char *buf_reserve(struct nook_buf *b, size_t n)
{
    if (b->start > 0 && b->start == b->end)
        b->start = b->end = 0;
    if (b->cap - b->end >= n)
        return b->data + b->end;
    size_t used = b->end - b->start;
    /* Compact before growing: the front has been consumed. */
    if (b->start > 0 && b->cap - used >= n) {
        memmove(b->data, b->data + b->start, used);
        b->start = 0;
        b->end = used;
        return b->data + b->end;
    }
    if (n > SIZE_MAX / 2 - used)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < used + n)
        cap *= 2;
    char *p = malloc(cap);
    if (p == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    if (used > 0)
        memcpy(p, b->data + b->start, used);
    free(b->data);
    b->data = p;
    b->cap = cap;
    b->start = 0;
    b->end = used;
    return b->data + b->end;
}

void buf_append(struct nook_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    memcpy(buf_reserve(b, n), p, n);
    b->end += n;
}

void buf_consume(struct nook_buf *b, size_t n)
{
    b->start += n;
    if (b->start >= b->end) {
        b->start = b->end = 0;
        /* Give back large buffers once drained so an idle child costs little. */
        if (b->cap > (1u << 20)) {
            free(b->data);
            b->data = NULL;
            b->cap = 0;
        }
    }
}

void buf_free(struct nook_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->start = b->end = b->cap = 0;
}

ssize_t buf_read_from(struct nook_buf *b, int fd, size_t max)
{
    char *p = buf_reserve(b, max);
    ssize_t n;
    do {
        n = read(fd, p, max);
    } while (n < 0 && errno == EINTR);
    if (n > 0)
        b->end += (size_t)n;
    return n;
}

ssize_t buf_write_to(struct nook_buf *b, int fd)
{
    ssize_t n;
    do {
        n = write(fd, buf_head(b), buf_len(b));
    } while (n < 0 && errno == EINTR);
    if (n > 0)
        buf_consume(b, (size_t)n);
    return n;
}
