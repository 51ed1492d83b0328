/* SPDX-License-Identifier: ISC */
/* Pipes that carry a program's output, grown once found full (pipes.c). */
#pragma once

#include <stddef.h>

/* After n bytes came from pipe fd: grow it if they filled it. *size: its capacity as known
   (0 unknown, -1 not to be grown). */
void pipe_note_read(int fd, size_t n, int *size);
