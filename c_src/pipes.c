/* SPDX-License-Identifier: ISC */
/*
 * Pipes that carry a program's output start at the kernel's 64 KiB and grow to 1 MiB once a
 * read finds one full: a fast producer then blocks, and wakes everyone up, 16 times less
 * often. Growth is bounded: a few pipes per process, none once the kernel refuses (an
 * unprivileged user's pipes share /proc/sys/fs/pipe-user-pages-soft, and the kernel refuses
 * growth that would pass it).
 */
#define _GNU_SOURCE
#include <fcntl.h>

#include "pipes.h"

#define PIPE_GROWN (1 << 20)
#define PIPE_GROWN_PER_PROCESS 4

static int grown;

void pipe_note_read(int fd, size_t n, int *size)
{
    if (*size == 0)
        *size = fcntl(fd, F_GETPIPE_SZ);
    if (*size <= 0 || n < (size_t)*size || *size >= PIPE_GROWN)
        return;
    if (grown >= PIPE_GROWN_PER_PROCESS) {
        *size = -1;
        return;
    }
    int r = fcntl(fd, F_SETPIPE_SZ, PIPE_GROWN);
    *size = r > 0 ? r : -1;
    grown += r > 0;
}
