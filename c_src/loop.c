/* SPDX-License-Identifier: ISC */
/* The event loop (loop.h). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "dispatch.h"
#include "frame.h"
#include "loop.h"
#include "notify.h"
#include "reap.h"
#include "relay.h"
#include "signals.h"
#include "state.h"
#include "term.h"

/* While this much waits to go up, children are not read: back-pressure down the tree. */
#define NOOK_UPQUEUE_HIGH (1u << 20)

/* Poll entries a child may take: its four fds and a seccomp listener it handed over. */
#define POLL_PER_CHILD (NOOK_FDS_PER_CHILD + 1)

enum target_kind { T_SIGNAL, T_UP_READ, T_UP_WRITE, T_CTL, T_STDIN, T_STDOUT, T_STDERR, T_NOTIFY };

struct target {
    enum target_kind kind;
    int slot;
    pid_t pid;
};

/* Kept from round to round, grown as children come; a new child goes on with its parent's. */
static struct pollfd *pfd;
static struct target *tgt;
static size_t cap;

static void forward_to_child(const char *body, size_t len)
{
    /* Pid:32 then a whole frame, its length included */
    if (len < 8 || be32_get(body + 4) != len - 8) {
        frame_protocol_error("bad_forward");
        return;
    }
    pid_t pid = (pid_t)be32_get(body);
    struct nook_child *c = child_by_pid(pid);
    if (c == NULL || c->ctl < 0) {
        frame_child_event_atom(pid, "badpid");
        return;
    }
    buf_append(&c->ctl_out, body + 4, len - 4);
    relay_write_ctl(c);
}

static void stdin_to_child(const char *body, size_t len)
{
    if (len < 4) {
        frame_protocol_error("bad_stdin");
        return;
    }
    pid_t pid = (pid_t)be32_get(body);
    struct nook_child *c = child_by_pid(pid);
    size_t n = len - 4;
    if (c == NULL) {
        frame_child_event_atom(pid, "badpid");
        return;
    }
    if (c->in < 0 || c->close_in_when_drained) {
        relay_event_stdin_error(pid, "epipe", -1);
        return;
    }
    size_t take = relay_queue_stdin(c, body + 4, n);
    if (take < n && c->in >= 0)
        relay_event_stdin_error(pid, "eagain", (int64_t)take);
}

static enum dispatch_next handle_down_frame(const char *body, size_t len)
{
    if (len == 0) {
        frame_protocol_error("empty_frame");
        return DISPATCH_GO_ON;
    }
    switch ((uint8_t)body[0]) {
    case NOOK_DOWN_CALL:
        return dispatch_call(body + 1, len - 1);
    case NOOK_DOWN_FORWARD:
        forward_to_child(body + 1, len - 1);
        return DISPATCH_GO_ON;
    case NOOK_DOWN_STDIN:
        stdin_to_child(body + 1, len - 1);
        return DISPATCH_GO_ON;
    default:
        frame_protocol_error("unknown_frame_type");
        return DISPATCH_GO_ON;
    }
}

/*
 * A frame longer than NOOK_FRAME_MAX is read and dropped, not buffered, so that the sender's
 * write completes and the stream stays in step; its first bytes say whom to tell.
 */
static struct {
    uint64_t left; /* bytes of the oversized frame still to drop */
    size_t seen;   /* bytes of its start kept in head */
    char head[7];  /* Type ReqId:32 CallId:16 */
} oversized;

static void oversized_done(void)
{
    if (oversized.seen >= 5 && (uint8_t)oversized.head[0] == NOOK_DOWN_CALL) {
        frame_raise((int32_t)be32_get(oversized.head + 1), "badarg");
    } else {
        frame_protocol_error("frame_too_large");
    }
}

/* Drop what the input buffer holds of an oversized frame; true while more is to come. */
static bool drop_oversized(struct nook_buf *in)
{
    size_t n = buf_len(in) < oversized.left ? buf_len(in) : (size_t)oversized.left;
    size_t keep = sizeof(oversized.head) - oversized.seen;
    if (keep > n)
        keep = n;
    memcpy(oversized.head + oversized.seen, buf_head(in), keep);
    oversized.seen += keep;
    buf_consume(in, n);
    oversized.left -= n;
    if (oversized.left > 0)
        return true;
    oversized_done();
    return false;
}

enum dispatch_next loop_up_frames(void)
{
    struct nook_buf *in = &nook.up.in;
    if (oversized.left > 0 && drop_oversized(in))
        return DISPATCH_GO_ON;
    while (buf_len(in) >= 4) {
        uint32_t len = be32_get(buf_head(in));
        if (len > NOOK_FRAME_MAX) {
            buf_consume(in, 4);
            oversized.left = len;
            oversized.seen = 0;
            if (drop_oversized(in))
                return DISPATCH_GO_ON;
            continue;
        }
        if (buf_len(in) < 4 + (size_t)len)
            return DISPATCH_GO_ON;
        enum dispatch_next next = handle_down_frame(buf_head(in) + 4, len);
        /* A new child's channel is its own, and has nothing in it yet. */
        if (next == DISPATCH_NEW_CHILD)
            return next;
        buf_consume(in, 4 + (size_t)len);
        if (next == DISPATCH_EXIT)
            return next;
    }
    return DISPATCH_GO_ON;
}

bool loop_up_idle(void)
{
    const struct nook_buf *in = &nook.up.in;
    return oversized.left == 0 && buf_len(in) >= 4 &&
           buf_len(in) == 4 + (size_t)be32_get(buf_head(in));
}

int loop_up_ended(void)
{
    int status = oversized.left > 0         ? NOOK_EXIT_FRAME_TOO_LARGE
                 : buf_len(&nook.up.in) > 0 ? NOOK_EXIT_FRAME_TRUNCATED
                                            : 0;
    oversized.left = 0;
    oversized.seen = 0;
    return status;
}

static enum dispatch_next handle_up_readable(void)
{
    struct nook_buf *in = &nook.up.in;
    /* Read a large frame in large steps once its length is known. */
    size_t want = NOOK_READ_CHUNK;
    if (buf_len(in) >= 4) {
        size_t need = 4 + (size_t)be32_get(buf_head(in)) - buf_len(in);
        if (need > want)
            want = need < (1u << 20) ? need : (1u << 20);
    }
    ssize_t n = buf_read_from(in, nook.up.rfd, want);
    if (n == 0)
        nook_terminate(loop_up_ended());
    if (n < 0) {
        if (errno == EAGAIN)
            return DISPATCH_GO_ON;
        nook_terminate(NOOK_EXIT_CHANNEL_ERROR);
    }
    return loop_up_frames();
}

static void flush_up_nonblocking(void)
{
    if (buf_len(&nook.up.out) == 0)
        return;
    if (buf_write_to(&nook.up.out, nook.up.wfd) < 0 && errno != EAGAIN)
        nook_terminate(0); /* whoever we report to is gone */
}

static void add(size_t *n, int fd, short events, enum target_kind kind, int slot, pid_t pid)
{
    pfd[*n] = (struct pollfd){.fd = fd, .events = events};
    tgt[*n] = (struct target){.kind = kind, .slot = slot, .pid = pid};
    (*n)++;
}

static size_t build_poll_set(void)
{
    size_t need = 3 + POLL_PER_CHILD * (size_t)child_count();
    if (need > cap) {
        free(pfd);
        free(tgt);
        pfd = calloc(need, sizeof(*pfd));
        tgt = calloc(need, sizeof(*tgt));
        if (pfd == NULL || tgt == NULL)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
        cap = need;
    }
    size_t n = 0;
    bool congested = buf_len(&nook.up.out) >= NOOK_UPQUEUE_HIGH;
    add(&n, nook.sigfd, POLLIN, T_SIGNAL, -1, 0);
    const struct nook_child *c;
    for (int pos = 0; (c = child_next(&pos)) != NULL;) {
        int slot = pos - 1;
        if (c->ctl >= 0) {
            short ev = (short)((congested ? 0 : POLLIN) | (buf_len(&c->ctl_out) > 0 ? POLLOUT : 0));
            if (ev != 0)
                add(&n, c->ctl, ev, T_CTL, slot, c->pid);
        }
        if (c->in >= 0 && buf_len(&c->stdin_queue) > 0)
            add(&n, c->in, POLLOUT, T_STDIN, slot, c->pid);
        /* A paused child's output is left out of the set: polling a hung-up pipe would spin. */
        bool reading = !congested && !child_output_paused(c);
        if (reading && c->out >= 0)
            add(&n, c->out, POLLIN, T_STDOUT, slot, c->pid);
        if (reading && c->err >= 0)
            add(&n, c->err, POLLIN, T_STDERR, slot, c->pid);
        /* After the output: what the program wrote before a call goes up before it does. A
           notification waits for congestion to pass as the frames of ctl do. */
        if (c->notify >= 0 && !congested)
            add(&n, c->notify, POLLIN, T_NOTIFY, slot, c->pid);
    }
    if (nook.up.rfd >= 0)
        add(&n, nook.up.rfd, POLLIN, T_UP_READ, -1, 0);
    if (buf_len(&nook.up.out) > 0)
        add(&n, nook.up.wfd, POLLOUT, T_UP_WRITE, -1, 0);
    return n;
}

static void handle_child_ready(const struct target *t, short revents)
{
    struct nook_child *c = child_in_slot(t->slot, t->pid);
    if (c == NULL)
        return; /* reaped earlier in this round */
    switch (t->kind) {
    case T_CTL:
        if (c->ctl >= 0 && (revents & POLLOUT))
            relay_write_ctl(c);
        if (c->ctl >= 0 && (revents & (POLLIN | POLLHUP | POLLERR)))
            relay_read_ctl(c, false);
        return;
    case T_STDIN:
        if (c->in >= 0)
            relay_write_stdin(c);
        return;
    case T_STDOUT:
        if (c->out >= 0)
            relay_read_output(c, &c->out, NOOK_UP_STDOUT);
        return;
    case T_STDERR:
        if (c->err >= 0)
            relay_read_output(c, &c->err, NOOK_UP_STDERR);
        return;
    case T_NOTIFY:
        if (c->notify >= 0)
            notify_relay(c, revents);
        return;
    case T_SIGNAL:
    case T_UP_READ:
    case T_UP_WRITE:
        return;
    }
}

/* Everything poll found ready in one round; DISPATCH_NEW_CHILD stops it short. */
static enum dispatch_next handle_ready(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        short rev = pfd[i].revents;
        if (rev == 0)
            continue;
        switch (tgt[i].kind) {
        case T_SIGNAL:
            if (signals_handle_readable())
                reap_exited();
            break;
        case T_UP_READ: {
            enum dispatch_next next = handle_up_readable();
            if (next == DISPATCH_EXIT)
                nook_terminate(nook.exit_after_reply);
            if (next == DISPATCH_NEW_CHILD)
                return next; /* the rest of this round is the parent's */
            break;
        }
        case T_UP_WRITE:
            break; /* flushed below, every round */
        case T_CTL:
        case T_STDIN:
        case T_STDOUT:
        case T_STDERR:
        case T_NOTIFY:
            handle_child_ready(&tgt[i], rev);
            break;
        }
    }
    return DISPATCH_GO_ON;
}

void nook_loop(void)
{
    for (;;) {
        size_t n = build_poll_set();
        if (poll(pfd, n, reap_orphan_scan_timeout()) < 0) {
            if (errno == EINTR)
                continue;
            nook_terminate(NOOK_EXIT_CHANNEL_ERROR);
        }
        if (handle_ready(n) == DISPATCH_NEW_CHILD)
            continue;
        reap_run_due_orphan_scan();
        flush_up_nonblocking();
    }
}

#ifdef NOOK_LEAK_CHECK
#include <sanitizer/lsan_interface.h>
#endif

void nook_terminate(int status)
{
    reap_kill_all_and_wait();
    frame_flush_up();
#ifdef NOOK_LEAK_CHECK
    /* The sanitizer build: _exit skips LeakSanitizer's check at exit, so it is made here. */
    __lsan_do_leak_check();
#endif
    _exit(status);
}
