/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the input is the byte stream arriving on priv/nook's stdin. It goes
 * through the real frame splitting (loop_up_frames), dispatch, term decoding and every call
 * handler, with the system replaced by stubs (stubs.c), in chunks of varying size, and ends
 * with the real end-of-input path. Each input runs twice: in the root against a kernel that
 * refuses every call, and in a child (which may exec) against one that accepts every call. Besides
 * the sanitizers, it checks what nook sends up: whole, well-formed frames, and exactly one reply
 * per call frame, in order, then the exit status the input's framing implies. See README.md.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "fuzz.h"
#include "loop.h"
#include "protocol.h"
#include "state.h"
#include "term.h"

/* Children one nook process may have here: enough to fill the table in a few frames. */
#define FUZZ_MAXCHILD 8

static void fail(const char *what, const uint8_t *data, size_t size)
{
    fprintf(stderr, "fuzz_frames: %s (input of %zu bytes)\n", what, size);
    (void)data;
    abort();
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What the input's framing says must come out: the reply ids, in order, and the exit status. */
struct expected {
    int32_t *reqid;
    size_t n;
    int status;
};

static void expect_reply(struct expected *e, const uint8_t *body)
{
    int32_t *r = realloc(e->reqid, (e->n + 1) * sizeof(*r));
    if (r == NULL)
        abort();
    e->reqid = r;
    e->reqid[e->n++] = (int32_t)be32(body + 1);
}

/* An independent reading of the stream: whole frames in turn, oversized ones dropped. */
static void model(const uint8_t *data, size_t size, struct expected *e)
{
    size_t pos = 0;
    e->status = 0;
    while (size - pos >= 4) {
        uint32_t len = be32(data + pos);
        const uint8_t *body = data + pos + 4;
        if (size - pos - 4 < len) {
            e->status =
                len > NOOK_FRAME_MAX ? NOOK_EXIT_FRAME_TOO_LARGE : NOOK_EXIT_FRAME_TRUNCATED;
            return;
        }
        /* A call frame gets its reply, a badarg one if it is oversized; too short, an event. */
        if (len >= 7 && body[0] == NOOK_DOWN_CALL)
            expect_reply(e, body);
        pos += 4 + (size_t)len;
    }
    if (pos < size)
        e->status = NOOK_EXIT_FRAME_TRUNCATED;
}

struct checker {
    const struct expected *e;
    size_t replies;
    const uint8_t *data;
    size_t size;
};

/* Static: it lives across the longjmp that _exit makes. */
static struct checker chk;

/* FUZZ_VERBOSE=1 in the environment: print every frame sent up (to debug one input). */
static bool verbose;

static void check_term(struct checker *c, int type, const char *p, size_t n)
{
    if (term_validate(p, n) < 0)
        fail("a frame sent up holds no well-formed term", c->data, c->size);
    if (verbose) {
        char *text = NULL;
        int idx = 1;
        if (ei_s_print_term(&text, p, &idx) >= 0)
            fprintf(stderr, "  up %d: %s\n", type, text);
        free(text);
    }
}

/* Every frame nook sent up so far: whole, of a type the root sends, its term well formed. */
static void check_output(struct checker *c)
{
    struct nook_buf *w = &fuzz_up_written;
    if (buf_len(&nook.up.out) > 0) {
        buf_append(w, buf_head(&nook.up.out), buf_len(&nook.up.out));
        buf_consume(&nook.up.out, buf_len(&nook.up.out));
    }
    while (buf_len(w) > 0) {
        const uint8_t *p = (const uint8_t *)buf_head(w);
        if (buf_len(w) < 5 || be32(p) < 1 || buf_len(w) - 4 < be32(p))
            fail("a partial frame was sent up", c->data, c->size);
        size_t len = be32(p);
        const char *body = (const char *)p + 5;
        switch (p[4]) {
        case NOOK_UP_REPLY:
            if (len < 7 || (p[9] != NOOK_REPLY_RESULT && p[9] != NOOK_REPLY_RAISE))
                fail("a reply with a bad header", c->data, c->size);
            if (c->replies >= c->e->n || (int32_t)be32(p + 5) != c->e->reqid[c->replies])
                fail("a reply that answers no call frame, or out of order", c->data, c->size);
            c->replies++;
            check_term(c, p[4], body + 5, len - 6);
            break;
        case NOOK_UP_EVENT:
            check_term(c, p[4], body, len - 1);
            break;
        case NOOK_UP_CHILD_EVENT:
            if (len < 6)
                fail("a child event with no pid", c->data, c->size);
            check_term(c, p[4], body + 4, len - 5);
            break;
        case NOOK_UP_EXEC_PENDING:
            if (nook.depth == 0 || len != 1)
                fail("an exec announced by the root, or with a body", c->data, c->size);
            break;
        case NOOK_UP_LISTENER:
            if (nook.depth == 0 || len != 1)
                fail("a listener handed over by the root, or with a body", c->data, c->size);
            break;
        default:
            fail("a frame of a type nook never sends up", c->data, c->size);
        }
        buf_consume(w, 4 + len);
    }
}

static void release_all(void)
{
    child_forget_all();
    buf_free(&nook.up.in);
    buf_free(&nook.up.out);
    buf_free(&fuzz_up_written);
    (void)loop_up_ended(); /* forget a partial oversized frame */
}

/*
 * A fresh process on fake channels, as main() leaves the root; against a kernel that accepts,
 * a forked child instead (depth 1), which may exec: one input reaches both.
 */
static void start(enum fuzz_kernel k)
{
    state_init(FUZZ_MAXCHILD);
    nook.depth = k == FUZZ_ACCEPT ? 1 : 0;
    nook.up.rfd = FUZZ_FD_UP_READ;
    nook.up.wfd = FUZZ_FD_UP_WRITE;
    nook.sigfd = FUZZ_FD_SIGNAL;
    sigaddset(&nook.sigfd_mask, SIGCHLD);
    if (child_resize_table(nook.opt.maxchild) < 0)
        abort();
    fuzz_stubs_reset(k);
}

/* Chunk sizes from the input's own hash: the same input always arrives the same way. */
static uint64_t chunk_seed(const uint8_t *data, size_t size)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211u;
    return h | 1;
}

static size_t next_chunk(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    switch (*s % 4) {
    case 0:
        return 1 + (*s >> 8) % 8; /* a few bytes: headers split */
    case 1:
        return 1 + (*s >> 8) % 512;
    default:
        return 1 + (*s >> 8) % 65536;
    }
}

static void run(const uint8_t *data, size_t size, const struct expected *e, enum fuzz_kernel k)
{
    struct checker *c = &chk;
    *c = (struct checker){e, 0, data, size};
    volatile bool at_eof = false;
    start(k);
    if (verbose)
        fprintf(stderr, "kernel that %s:\n", k == FUZZ_ACCEPT ? "accepts" : "refuses");
    int jumped = setjmp(fuzz_exit_jump);
    if (jumped == 0) {
        uint64_t seed = chunk_seed(data, size);
        for (size_t pos = 0; pos < size;) {
            size_t n = next_chunk(&seed);
            if (n > size - pos)
                n = size - pos;
            buf_append(&nook.up.in, data + pos, n);
            pos += n;
            /* The stubs never make a new child: a fork's child is the parent's fake pid. */
            if (loop_up_frames() == DISPATCH_EXIT)
                nook_terminate(nook.exit_after_reply);
            check_output(c);
        }
        at_eof = true;
        nook_terminate(loop_up_ended());
    }
    check_output(c);
    int status = jumped - 1;
    if (at_eof) {
        if (c->replies != e->n)
            fail("a call frame got no reply", data, size);
        if (status != e->status)
            fail("the exit status does not say how the input ended", data, size);
    } else if (status != nook.exit_after_reply) {
        fail("nook exited in the middle of the input, not by exit/2", data, size);
    }
    release_all();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct expected e = {NULL, 0, 0};
    verbose = getenv("FUZZ_VERBOSE") != NULL;
    model(data, size, &e);
    run(data, size, &e, FUZZ_REFUSE);
    run(data, size, &e, FUZZ_ACCEPT);
    free(e.reqid);
    return 0;
}
