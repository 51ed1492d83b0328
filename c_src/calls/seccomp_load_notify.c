/* SPDX-License-Identifier: ISC */
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../call.h"
#include "../frame.h"
#include "../seccomp_policy.h"
#include "../state.h"

/* The LISTENER frame, its fd attached: blocking, as nothing may come between it and the load. */
static int hand_over(int listener)
{
    static const char frame[5] = {0, 0, 0, 1, NOOK_UP_LISTENER};
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof(control));
    struct iovec iov = {.iov_base = (void *)frame, .iov_len = sizeof(frame)};
    struct msghdr m = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.bytes,
                       .msg_controllen = sizeof(control.bytes)};
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &listener, sizeof(int));
    ssize_t n;
    do {
        n = sendmsg(nook.up.wfd, &m, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    /* The fd went with the first byte; a short write leaves the rest for the queue. */
    buf_append(&nook.up.out, frame + n, sizeof(frame) - (size_t)n);
    return 0;
}

/*
 * seccomp(2) SECCOMP_SET_MODE_FILTER with SECCOMP_FILTER_FLAG_NEW_LISTENER:
 * seccomp_load_notify(Task, BPF) -> ok | {error, posix()}
 * Loads BPF as seccomp_load/2 does; the calls it answers with SECCOMP_RET_USER_NOTIF (policy
 * action notify) then wait for a decision. Their listener goes to the parent process over the
 * control socket (SCM_RIGHTS, with a LISTENER frame) and is closed here, so that neither this
 * process nor the program it becomes holds it: the parent relays each notification up as a
 * seccomp_notify event and answers with seccomp_notif_send/4. The hand-over is the one call
 * made between the load and the parent's holding the listener: a filter that notifies
 * sendmsg would wait for itself. eperm: the root (its parent is the BEAM); ebusy: a filter
 * with a listener is loaded already, here or in an ancestor (one per filter tree, the
 * kernel's rule); else as seccomp_load/2.
 */
int nook_call_seccomp_load_notify(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree_bpf struct sock_fprog prog;
    if (policy_decode_bpf(buf, idx, &prog) < 0)
        return TERM_BADARG;
    int err = prog.len == 0 ? EINVAL : nook.depth == 0 ? EPERM : 0;
    if (err != 0) {
        reply_error(reply, err);
        return TERM_OK;
    }
    /* Everything queued goes first, and the channel blocks for the hand-over: once the
       filter is in, no call but sendmsg may be made until the parent holds the listener. */
    frame_flush_up();
    int fl = fcntl(nook.up.wfd, F_GETFL);
    if (fl < 0 || fcntl(nook.up.wfd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    long listener =
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    err = listener < 0 ? errno : -hand_over((int)listener);
    (void)fcntl(nook.up.wfd, F_SETFL, fl);
    if (listener >= 0)
        (void)close((int)listener);
    if (err != 0)
        reply_error(reply, err);
    else
        reply_ok(reply);
    return TERM_OK;
}
