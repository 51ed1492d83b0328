/* SPDX-License-Identifier: ISC */
/* The baseline: a plain Erlang port program that sends every {packet, 4} frame back. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static int read_full(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(void)
{
    static char buf[1 << 16];
    unsigned char hdr[4];
    while (read_full(0, hdr, 4) == 0) {
        size_t len = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
        if (len > sizeof(buf) || read_full(0, buf, len) < 0)
            return 1;
        if (write_full(1, hdr, 4) < 0 || write_full(1, buf, len) < 0)
            return 1;
    }
    return 0;
}
