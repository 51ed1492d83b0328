/* SPDX-License-Identifier: ISC */
/* Reaping (reap.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "frame.h"
#include "reap.h"
#include "relay.h"
#include "state.h"
#include "term.h"

/* Output read from a dead child's pipes before its exit is reported. */
#define DRAIN_LIMIT (4u << 20)
/* How long exec'd children get to act on a gentle signaloneof before SIGKILL. */
#define GRACE_MS 2000
/* How long after a death the orphans it left are looked for: scans cost a /proc walk, so the
   deaths of a burst share one, off the path of the reply that reports them. */
#define ORPHAN_SCAN_DELAY_MS 20

static int64_t orphan_scan_at; /* 0: none due */

static void drain_output(struct nook_child *c, int *fd, enum nook_up_type type)
{
    size_t total = 0;
    while (*fd >= 0 && total < DRAIN_LIMIT) {
        ssize_t n = frame_read_child_output(type, c->pid, *fd, NOOK_READ_CHUNK,
                                            child_output_is_pipe(c, fd));
        if (n <= 0)
            break;
        total += (size_t)n;
    }
}

static void report_exit(pid_t pid, int status)
{
    ei_x_buff ev;
    if (WIFEXITED(status) && nook.opt.exit_status) {
        ei_x_new_with_version(&ev);
        enc_tuple(&ev, 2);
        enc_atom(&ev, "exit_status");
        enc_int(&ev, WEXITSTATUS(status));
    } else if (WIFSIGNALED(status) && nook.opt.termsig) {
        const char *name = const_name(nook_signal_table, WTERMSIG(status));
        ei_x_new_with_version(&ev);
        enc_tuple(&ev, 2);
        enc_atom(&ev, "termsig");
        enc_atom(&ev, name ? name : "unknown");
    } else {
        return;
    }
    frame_child_event(pid, &ev);
    ei_x_free(&ev);
}

/* Every output byte and every relayed frame goes up before the exit: callers rely on order. */
static void finish(struct nook_child *c, int status)
{
    if (c->ctl >= 0)
        relay_read_ctl(c, true);
    drain_output(c, &c->out, NOOK_UP_STDOUT);
    drain_output(c, &c->err, NOOK_UP_STDERR);
    report_exit(c->pid, status);
    child_release(c);
}

static pid_t parent_pid_of(pid_t pid)
{
    char path[64], stat[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, stat, sizeof(stat) - 1);
    (void)close(fd);
    if (n <= 0)
        return -1;
    stat[n] = '\0';
    /* The command name may hold spaces and parentheses: fields resume after the last ')'. */
    char *p = strrchr(stat, ')');
    int ppid;
    if (p == NULL || sscanf(p + 1, " %*c %d", &ppid) != 1)
        return -1;
    return ppid;
}

/*
 * SIGKILL our children that are not in the table (include_table: all of them). Being a
 * subreaper, such a child is an orphan left by a child that died: nothing owns it any more.
 */
static int kill_untracked_children(bool include_table)
{
    DIR *d = opendir("/proc");
    if (d == NULL)
        return 0;
    pid_t self = getpid();
    int killed = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        if (parent_pid_of((pid_t)pid) != self)
            continue;
        if (!include_table && child_by_pid((pid_t)pid) != NULL)
            continue;
        if (kill((pid_t)pid, SIGKILL) == 0)
            killed++;
    }
    closedir(d);
    return killed;
}

void reap_note_reaped(pid_t pid, int status)
{
    if (!WIFEXITED(status) && !WIFSIGNALED(status))
        return; /* stopped or continued: still ours */
    struct nook_child *c = child_by_pid(pid);
    if (c != NULL)
        finish(c, status);
    reap_schedule_orphan_scan();
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void reap_schedule_orphan_scan(void)
{
    if (orphan_scan_at == 0)
        orphan_scan_at = now_ms() + ORPHAN_SCAN_DELAY_MS;
}

int reap_orphan_scan_timeout(void)
{
    if (orphan_scan_at == 0)
        return -1;
    int64_t left = orphan_scan_at - now_ms();
    return left < 0 ? 0 : (int)left;
}

void reap_run_due_orphan_scan(void)
{
    if (orphan_scan_at != 0 && now_ms() >= orphan_scan_at) {
        orphan_scan_at = 0;
        (void)kill_untracked_children(false);
    }
}

void reap_forget_orphan_scan(void) { orphan_scan_at = 0; }

void reap_exited(void)
{
    bool reaped = false;
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid <= 0)
            break;
        /* A traced child's stop is not an end: it stays in the table, and alive. */
        if (!WIFEXITED(status) && !WIFSIGNALED(status))
            continue;
        reaped = true;
        struct nook_child *c = child_by_pid(pid);
        if (c != NULL)
            finish(c, status);
    }
    /* Whatever died, tracked or adopted, handed its own children to us before we reaped it. */
    if (reaped)
        reap_schedule_orphan_scan();
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

void reap_kill_all_and_wait(void)
{
    bool gentle = false;
    struct nook_child *c;
    for (int pos = 0; (c = child_next(&pos)) != NULL;) {
        int sig = c->execed && c->signaloneof > 0 ? c->signaloneof : SIGKILL;
        gentle |= sig != SIGKILL;
        (void)kill(-c->pid, sig); /* its process group, if it leads one */
        (void)kill(c->pid, sig);
        if (sig != SIGKILL)
            (void)kill(c->pid, SIGCONT);
    }
    for (int waited = 0; gentle && child_count() > 0 && waited < GRACE_MS; waited += 10) {
        reap_exited();
        if (child_count() > 0)
            sleep_ms(10);
    }
    /* Then nothing is left to chance: kill every child, adopted or not, until none is left.
       Our own children, killed, go soon: they are waited for first. /proc is walked for
       adopted ones only once none of ours is left and something still is. */
    for (;;) {
        for (int pos = 0; (c = child_next(&pos)) != NULL;)
            (void)kill(c->pid, SIGKILL);
        int status;
        pid_t pid = waitpid(-1, &status, child_count() > 0 ? 0 : WNOHANG);
        if (pid == 0) {
            (void)kill_untracked_children(true);
            pid = waitpid(-1, &status, 0);
        }
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0)
            break; /* ECHILD: none left */
        c = child_by_pid(pid);
        if (c != NULL && (WIFEXITED(status) || WIFSIGNALED(status)))
            finish(c, status);
    }
}
