/* SPDX-License-Identifier: ISC */
/* Relaying a child's channels (relay.h). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frame.h"
#include "pipes.h"
#include "relay.h"
#include "term.h"

void relay_event_stdin_error(pid_t pid, const char *reason, int64_t written)
{
    /* {stdin, {error, Reason}} or, for a full queue, {stdin, {error, {eagain, Written}}} */
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_tuple(&ev, 2);
    enc_atom(&ev, "stdin");
    enc_tuple(&ev, 2);
    enc_atom(&ev, "error");
    if (written >= 0) {
        enc_tuple(&ev, 2);
        enc_atom(&ev, reason);
        enc_int(&ev, written);
    } else {
        enc_atom(&ev, reason);
    }
    frame_child_event(pid, &ev);
    ei_x_free(&ev);
}

static void event_stdin_ready(pid_t pid)
{
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_tuple(&ev, 2);
    enc_atom(&ev, "stdin");
    enc_atom(&ev, "ready");
    frame_child_event(pid, &ev);
    ei_x_free(&ev);
}

static void ctl_closed(struct nook_child *c)
{
    child_close_fd(&c->ctl);
    buf_free(&c->ctl_in);
    buf_free(&c->ctl_out);
    if (c->pending_exec) {
        c->pending_exec = false;
        c->execed = true;
        frame_child_event_atom(c->pid, "execed");
    }
}

/* Pass whole frames from the child's ctl up, each wrapped with the child's pid. */
static void relay_ctl_frames(struct nook_child *c)
{
    while (buf_len(&c->ctl_in) >= 4) {
        const char *head = buf_head(&c->ctl_in);
        uint32_t len = be32_get(head);
        if (len == 0 || len > NOOK_FRAME_MAX) {
            /* Our own code on the other end broke the protocol: it cannot be trusted further. */
            (void)kill(c->pid, SIGKILL);
            frame_child_event_atom(c->pid, "protocol_error");
            child_close_fd(&c->ctl);
            buf_free(&c->ctl_in);
            buf_free(&c->ctl_out);
            return;
        }
        if (buf_len(&c->ctl_in) < 4 + (size_t)len)
            return;
        if ((uint8_t)head[4] == NOOK_UP_EXEC_PENDING) {
            c->pending_exec = true;
        } else if ((uint8_t)head[4] == NOOK_UP_LISTENER) {
            /* The fd came with these bytes; a second listener has no place (the child
               refuses to make one), nor does a frame without its fd. */
            if (c->notify < 0) {
                c->notify = c->notify_in;
                c->notify_in = -1;
            }
            child_close_fd(&c->notify_in);
        } else {
            c->pending_exec = false;
            frame_from_child(c->pid, head, 4 + (size_t)len);
        }
        buf_consume(&c->ctl_in, 4 + (size_t)len);
    }
}

/* Fds a child may pass with one read: one listener; the room for more lets extras be closed
   rather than truncated away unseen. */
#define CTL_FDS_MAX 4

/* Keep the first fd passed (SCM_RIGHTS) until its LISTENER frame claims it; close the rest. */
static void take_passed_fds(struct nook_child *c, struct msghdr *m)
{
    for (struct cmsghdr *h = CMSG_FIRSTHDR(m); h != NULL; h = CMSG_NXTHDR(m, h)) {
        if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
            continue;
        size_t n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(h) + i * sizeof(int), sizeof(int));
            if (c->notify_in < 0)
                c->notify_in = fd;
            else
                child_close_fd(&fd);
        }
    }
}

/* One read of the control socket, fds passed with it kept (born close-on-exec). */
static ssize_t recv_ctl(struct nook_child *c)
{
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(CTL_FDS_MAX * sizeof(int))];
    } control;
    struct iovec iov = {.iov_base = buf_reserve(&c->ctl_in, NOOK_READ_CHUNK),
                        .iov_len = NOOK_READ_CHUNK};
    struct msghdr m = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.bytes,
                       .msg_controllen = sizeof(control.bytes)};
    ssize_t n;
    do {
        n = recvmsg(c->ctl, &m, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        c->ctl_in.end += (size_t)n;
        take_passed_fds(c, &m);
        /* An fd the kernel could not pass (this process at RLIMIT_NOFILE) is gone, the
           child's copy closed: its notified calls fail with ENOSYS. Said, not silent. */
        if (m.msg_flags & MSG_CTRUNC)
            frame_protocol_error("passed_fd_lost");
    }
    return n;
}

void relay_read_ctl(struct nook_child *c, bool drain)
{
    do {
        ssize_t n = recv_ctl(c);
        if (n > 0) {
            relay_ctl_frames(c);
            continue;
        }
        if (n < 0 && errno == EAGAIN)
            return;
        ctl_closed(c);
        return;
    } while (drain && c->ctl >= 0);
}

void relay_write_ctl(struct nook_child *c)
{
    if (buf_write_to(&c->ctl_out, c->ctl) < 0 && errno != EAGAIN)
        buf_free(&c->ctl_out); /* the child is going: its exit is reported on reaping */
}

void relay_write_stdin(struct nook_child *c)
{
    if (buf_len(&c->stdin_queue) > 0 && buf_write_to(&c->stdin_queue, c->in) < 0 &&
        errno != EAGAIN) {
        int e = errno;
        /* The program closed its stdin: what it did not read is reported, not kept. */
        buf_free(&c->stdin_queue);
        child_close_fd(&c->in);
        relay_event_stdin_error(c->pid, errno_name(e), -1);
        return;
    }
    if (buf_len(&c->stdin_queue) == 0 && c->close_in_when_drained)
        child_close_fd(&c->in);
    if (c->stdin_refused && buf_len(&c->stdin_queue) <= NOOK_STDIN_QUEUE_MAX / 2) {
        c->stdin_refused = false;
        event_stdin_ready(c->pid);
    }
}

/* prx's way: what the pipe takes now is written, the rest refused. */
static size_t write_stdin_now(struct nook_child *c, const char *data, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(c->in, data + done, n - done);
        if (w > 0) {
            done += (size_t)w;
        } else if (w < 0 && errno == EAGAIN) {
            break;
        } else if (!(w < 0 && errno == EINTR)) {
            int e = w < 0 ? errno : EIO;
            child_close_fd(&c->in);
            relay_event_stdin_error(c->pid, errno_name(e), -1);
            break;
        }
    }
    return done;
}

size_t relay_queue_stdin(struct nook_child *c, const char *data, size_t n)
{
    /* Straight to the pipe only with nothing queued before it: bytes keep their order. */
    if (!c->stdin_queued && buf_len(&c->stdin_queue) == 0)
        return write_stdin_now(c, data, n);
    size_t room = NOOK_STDIN_QUEUE_MAX - buf_len(&c->stdin_queue);
    size_t take = n < room ? n : room;
    buf_append(&c->stdin_queue, data, take);
    if (take < n)
        c->stdin_refused = true;
    relay_write_stdin(c);
    return take;
}

void relay_read_output(struct nook_child *c, int *fd, enum nook_up_type type)
{
    /* Credit the other stream used up in this same turn: a read of 0 bytes would look like
       EOF, and closing the pipe would kill the program with SIGPIPE. */
    if (child_output_paused(c))
        return;
    bool counted = child_flow_controlled(c);
    size_t max =
        counted && c->flowcontrol_bytes >= 0 ? (size_t)c->flowcontrol_bytes : NOOK_READ_CHUNK;
    ssize_t n = frame_read_child_output(type, c->pid, *fd, max, child_output_is_pipe(c, fd));
    if (n > 0 && c->execed)
        pipe_note_read(*fd, (size_t)n, type == NOOK_UP_STDOUT ? &c->out_size : &c->err_size);
    if (n > 0) {
        if (counted && c->flowcontrol > 0)
            c->flowcontrol--;
        if (counted && c->flowcontrol_bytes > 0)
            c->flowcontrol_bytes -= n;
        return;
    }
    if (n < 0 && errno == EAGAIN)
        return;
    /* EOF, or EIO from a terminal whose secondary every process has closed: the end of the
       output, not an error. Polling it again would spin. */
    child_close_fd(fd);
}
