/* SPDX-License-Identifier: ISC */
/* Re-executing priv/nook in place (reexec.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "reexec.h"
#include "state.h"

/* The -R argument: fds, depth, options, signal sets and the two filters in hex. */
#define STATE_MAX (512 + 4 * sizeof(nook.filter))

void reexec_open_self(void) { nook.exe_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC); }

static uint64_t sigset_bits(const sigset_t *set)
{
    uint64_t bits = 0;
    for (int sig = 1; sig < NSIG && sig <= 64; sig++)
        if (sigismember(set, sig))
            bits |= UINT64_C(1) << (sig - 1);
    return bits;
}

static void sigset_from_bits(sigset_t *set, uint64_t bits)
{
    sigemptyset(set);
    for (int sig = 1; sig < NSIG && sig <= 64; sig++)
        if (bits & (UINT64_C(1) << (sig - 1)))
            sigaddset(set, sig);
}

static void hex(char *out, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        (void)snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static int unhex(const char *in, uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(in + 2 * i, "%2x", &v) != 1)
            return -1;
        bytes[i] = (uint8_t)v;
    }
    return in[2 * n] == '\0' ? 0 : -1;
}

static void format_state(char *out, size_t size)
{
    char filter[2 * sizeof(nook.filter) + 1], filter_child[2 * sizeof(nook.filter) + 1];
    hex(filter, nook.filter, sizeof(nook.filter));
    hex(filter_child, nook.filter_child, sizeof(nook.filter_child));
    (void)snprintf(out, size, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%" PRIx64 ",%" PRIx64 ",%s,%s",
                   nook.up.rfd, nook.up.wfd, nook.exe_fd, nook.depth, nook.opt.maxchild,
                   nook.opt.maxforkdepth, nook.opt.exit_status, nook.opt.termsig,
                   nook.opt.flowcontrol, nook.opt.signaloneof, sigset_bits(&nook.user_caught),
                   sigset_bits(&nook.user_ignored), filter, filter_child);
}

static int set_cloexec(int fd, bool on)
{
    int fl = fcntl(fd, F_GETFD);
    return fl < 0 ? -1 : fcntl(fd, F_SETFD, on ? fl | FD_CLOEXEC : fl & ~FD_CLOEXEC);
}

int reexec_exec(int fd, const char *path, char *const env[])
{
    if (fd < 0 && path == NULL && nook.exe_fd < 0)
        return -ENOENT;
    char state[STATE_MAX];
    format_state(state, sizeof(state));
    char *const argv[] = {"nook", "-R", state, NULL};
    const int keep[] = {nook.up.rfd, nook.up.wfd, nook.exe_fd};
    frame_flush_up();
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
        if (keep[i] > 2)
            (void)set_cloexec(keep[i], false);
    if (path != NULL)
        execve(path, argv, env);
    else
        fexecve(fd >= 0 ? fd : nook.exe_fd, argv, env);
    int err = errno;
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
        if (keep[i] > 2)
            (void)set_cloexec(keep[i], true);
    return -err;
}

int reexec_resume(const char *state)
{
    int exit_status, termsig;
    uint64_t caught, ignored;
    char filter[2 * sizeof(nook.filter) + 1], filter_child[2 * sizeof(nook.filter) + 1];
    if (strlen(state) >= STATE_MAX ||
        sscanf(state,
               "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%" SCNx64 ",%" SCNx64 ",%128[0-9a-f],%128[0-9a-f]",
               &nook.up.rfd, &nook.up.wfd, &nook.exe_fd, &nook.depth, &nook.opt.maxchild,
               &nook.opt.maxforkdepth, &exit_status, &termsig, &nook.opt.flowcontrol,
               &nook.opt.signaloneof, &caught, &ignored, filter, filter_child) != 14 ||
        unhex(filter, nook.filter, sizeof(nook.filter)) < 0 ||
        unhex(filter_child, nook.filter_child, sizeof(nook.filter_child)) < 0)
        return -1;
    if (nook.depth < 0 || nook.depth > NOOK_MAXFORKDEPTH_LIMIT || nook.opt.maxchild < 0 ||
        nook.opt.maxforkdepth < 0 || nook.opt.maxforkdepth > NOOK_MAXFORKDEPTH_LIMIT ||
        nook.opt.signaloneof <= 0 || nook.opt.signaloneof >= NSIG)
        return -1;
    nook.opt.exit_status = exit_status != 0;
    nook.opt.termsig = termsig != 0;
    sigset_from_bits(&nook.user_caught, caught);
    sigset_from_bits(&nook.user_ignored, ignored);
    const int keep[] = {nook.up.rfd, nook.up.wfd, nook.exe_fd};
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
        if (keep[i] > 2 && set_cloexec(keep[i], true) < 0)
            return -1;
    return 0;
}
