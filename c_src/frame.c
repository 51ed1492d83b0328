/* SPDX-License-Identifier: ISC */
/* Upward frames: every reply, event and relayed frame is appended to the parent channel's queue. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frame.h"
#include "pipes.h"
#include "state.h"
#include "term.h"

/* Queue Len:32 Type:8 Header Body as one frame. */
static void up_frame(uint8_t type, const char *hdr, size_t hdrlen, const char *body, size_t bodylen)
{
    size_t len = 1 + hdrlen + bodylen;
    char *p = buf_reserve(&nook.up.out, 4 + len);
    be32_put(p, (uint32_t)len);
    p[4] = (char)type;
    /* memcpy from NULL is undefined even for 0 bytes: events have no header. */
    if (hdrlen > 0)
        memcpy(p + 5, hdr, hdrlen);
    if (bodylen > 0)
        memcpy(p + 5 + hdrlen, body, bodylen);
    nook.up.out.end += 4 + len;
}

void frame_reply(int32_t reqid, enum nook_reply_status status, const ei_x_buff *term)
{
    char hdr[5];
    be32_put(hdr, (uint32_t)reqid);
    hdr[4] = (char)status;
    /* A reply too large for a frame becomes an error the caller can act on. */
    if ((size_t)term->index > NOOK_FRAME_MAX - 4096) {
        ei_x_buff e;
        ei_x_new_with_version(&e);
        reply_error_atom(&e, "e2big");
        up_frame(NOOK_UP_REPLY, hdr, sizeof(hdr), e.buff, (size_t)e.index);
        ei_x_free(&e);
        return;
    }
    up_frame(NOOK_UP_REPLY, hdr, sizeof(hdr), term->buff, (size_t)term->index);
}

void frame_raise(int32_t reqid, const char *reason)
{
    ei_x_buff r;
    ei_x_new_with_version(&r);
    enc_atom(&r, reason);
    frame_reply(reqid, NOOK_REPLY_RAISE, &r);
    ei_x_free(&r);
}

void frame_hello(const ei_x_buff *term)
{
    up_frame(NOOK_UP_HELLO, NULL, 0, term->buff, (size_t)term->index);
}

void frame_protocol_error(const char *what)
{
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_tuple(&ev, 2);
    enc_atom(&ev, "protocol_error");
    enc_atom(&ev, what);
    frame_event(&ev);
    ei_x_free(&ev);
}

void frame_child_event_atom(pid_t pid, const char *atom)
{
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_atom(&ev, atom);
    frame_child_event(pid, &ev);
    ei_x_free(&ev);
}

void frame_event(const ei_x_buff *term)
{
    up_frame(NOOK_UP_EVENT, NULL, 0, term->buff, (size_t)term->index);
}

void frame_child_event(pid_t pid, const ei_x_buff *term)
{
    char hdr[4];
    be32_put(hdr, (uint32_t)pid);
    up_frame(NOOK_UP_CHILD_EVENT, hdr, sizeof(hdr), term->buff, (size_t)term->index);
}

void frame_from_child(pid_t pid, const char *frame, size_t len)
{
    char hdr[4];
    be32_put(hdr, (uint32_t)pid);
    up_frame(NOOK_UP_FROM_CHILD, hdr, sizeof(hdr), frame, len);
}

/* Bytes waiting in a pipe (or socket), or -1. */
static int queued(int fd)
{
    int n;
    return ioctl(fd, FIONREAD, &n) < 0 ? -1 : n;
}

/* Below this a copy costs less than the three calls a splice takes. */
#define SPLICE_MIN 4096

/*
 * When the channel up is a pipe (the root's, to the BEAM) and nothing is queued before it,
 * the program's output goes from its pipe to the channel by splice(2): pages move, nothing
 * is copied through this process. The header promises n bytes; a splice that moves fewer
 * (the channel's pipe ran out of slots) is completed by reading the rest into the queue,
 * which is written before anything else. 0 when the copying path must do it.
 */
static ssize_t splice_child_output(enum nook_up_type type, pid_t pid, int fd, size_t max)
{
    if (nook.up.pipe_size == 0 || buf_len(&nook.up.out) > 0)
        return 0;
    int avail = queued(fd), waiting = queued(nook.up.wfd);
    if (avail < SPLICE_MIN || waiting < 0 || nook.up.pipe_size < (size_t)waiting + 9 + SPLICE_MIN)
        return 0;
    size_t n = (size_t)avail;
    if (n > max)
        n = max;
    if (n > nook.up.pipe_size - (size_t)waiting - 9) {
        n = nook.up.pipe_size - (size_t)waiting - 9;
        /* The channel, not the program, is what limits: it may grow. */
        pipe_note_read(nook.up.wfd, nook.up.pipe_size, &nook.up.pipe_grow);
        if (nook.up.pipe_grow > 0)
            nook.up.pipe_size = (size_t)nook.up.pipe_grow;
    }
    if (n < SPLICE_MIN)
        return 0;
    char hdr[9];
    be32_put(hdr, (uint32_t)(5 + n));
    hdr[4] = (char)type;
    be32_put(hdr + 5, (uint32_t)pid);
    ssize_t w = write(nook.up.wfd, hdr, sizeof(hdr));
    if (w <= 0)
        return 0;
    buf_append(&nook.up.out, hdr + w, sizeof(hdr) - (size_t)w);
    ssize_t moved = buf_len(&nook.up.out) > 0
                        ? 0
                        : splice(fd, NULL, nook.up.wfd, NULL, n, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    size_t done = moved > 0 ? (size_t)moved : 0;
    while (done < n) {
        ssize_t r = read(fd, buf_reserve(&nook.up.out, n - done), n - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            _exit(NOOK_EXIT_CHANNEL_ERROR); /* bytes FIONREAD counted are gone: nothing else reads
                                               them */
        nook.up.out.end += (size_t)r;
        done += (size_t)r;
    }
    return (ssize_t)n;
}

void frame_note_up_pipe(void)
{
    struct stat st;
    int size;
    nook.up.pipe_size = fstat(nook.up.wfd, &st) == 0 && S_ISFIFO(st.st_mode) &&
                                (size = fcntl(nook.up.wfd, F_GETPIPE_SZ)) > 0
                            ? (size_t)size
                            : 0;
    nook.up.pipe_grow = (int)nook.up.pipe_size;
}

ssize_t frame_read_child_output(enum nook_up_type type, pid_t pid, int fd, size_t max, bool pipe)
{
    ssize_t spliced = pipe ? splice_child_output(type, pid, fd, max) : 0;
    if (spliced > 0)
        return spliced;
    /* Read straight into the queue behind a reserved header: program output is copied once. */
    struct nook_buf *out = &nook.up.out;
    if (max > NOOK_READ_CHUNK)
        max = NOOK_READ_CHUNK;
    char *p = buf_reserve(out, 9 + max);
    ssize_t n;
    do {
        n = read(fd, p + 9, max);
    } while (n < 0 && errno == EINTR);
    if (n <= 0)
        return n;
    be32_put(p, (uint32_t)(5 + n));
    p[4] = (char)type;
    be32_put(p + 5, (uint32_t)pid);
    out->end += 9 + (size_t)n;
    return n;
}

void frame_flush_up(void)
{
    while (buf_len(&nook.up.out) > 0) {
        if (buf_write_to(&nook.up.out, nook.up.wfd) >= 0)
            continue;
        if (errno != EAGAIN)
            return; /* the parent is gone: nothing can be delivered */
        struct pollfd pfd = {.fd = nook.up.wfd, .events = POLLOUT};
        (void)poll(&pfd, 1, -1);
    }
}
