/* SPDX-License-Identifier: ISC */
/* Shared by the fuzz harness and the stubs that stand in for the system (see README.md). */
#pragma once

#include <setjmp.h>

#include "buf.h"

/* What every stubbed call answers during one run of an input. */
enum fuzz_kernel {
    FUZZ_REFUSE, /* every call fails with EPERM (pointer results: NULL) */
    FUZZ_ACCEPT, /* every call succeeds with a neutral result: 0, new fake fds and pids, EOF */
};

/* Fake descriptors the harness gives nook's own channels; stubs hand out new ones above. */
#define FUZZ_FD_UP_READ 1000
#define FUZZ_FD_UP_WRITE 1001
#define FUZZ_FD_SIGNAL 1002
#define FUZZ_FD_FIRST_FREE 1100
/* The pid of the first child a fork or clone makes in FUZZ_ACCEPT; each next one adds 1. */
#define FUZZ_PID_FIRST 4242

void fuzz_stubs_reset(enum fuzz_kernel k);

/* _exit(2) jumps to fuzz_exit_jump with the status + 1 (so that status 0 is not 0). */
extern jmp_buf fuzz_exit_jump;
/* Bytes written to FUZZ_FD_UP_WRITE (FUZZ_ACCEPT): frames nook sent up, to be checked. */
extern struct nook_buf fuzz_up_written;
