/* SPDX-License-Identifier: ISC */
#include <limits.h>
#include <sys/wait.h>

#include "../call.h"
#include "../consts/wait.h"
#include "../reap.h"

/* A signal by its name, or its number when it has none (realtime signals). */
static void enc_signal(ei_x_buff *r, int sig)
{
    const char *name = const_name(nook_signal_table, sig);
    if (name != NULL)
        enc_atom(r, name);
    else
        enc_int(r, sig);
}

/*
 * waitpid(2): waitpid(Task, Pid, Options) -> {ok, Pid, Status, [{exit_status, N} |
 *     {termsig, Sig} | {stopsig, Sig} | continued]} | {error, posix()}; {ok, 0, 0, []} when
 * wnohang finds nothing. Without wnohang the whole process waits: it relays nothing and answers
 * no call until a child changes state. A task's process reaped here is reported and released
 * as if the event loop had reaped it.
 */
int nook_call_waitpid(const char *buf, int *idx, ei_x_buff *reply)
{
    int pid;
    int64_t options;
    int rv = term_int(buf, idx, &pid);
    /* __wclone is bit 31: an unsigned value that C passes as a negative int. */
    rv |= term_flags(buf, idx, nook_wait_table, INT_MIN, UINT_MAX, &options);
    if (rv != TERM_OK)
        return rv;
    int status = 0;
    pid_t got;
    do {
        got = waitpid(pid, &status, (int)options);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    if (got > 0 && (WIFEXITED(status) || WIFSIGNALED(status)))
        reap_note_reaped(got, status);

    enc_tuple(reply, 4);
    enc_atom(reply, "ok");
    enc_int(reply, got);
    enc_int(reply, status);
    if (got == 0) {
        enc_nil(reply);
        return TERM_OK;
    }
    enc_list(reply, 1);
    if (WIFEXITED(status)) {
        enc_tuple(reply, 2);
        enc_atom(reply, "exit_status");
        enc_int(reply, WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        enc_tuple(reply, 2);
        enc_atom(reply, "termsig");
        enc_signal(reply, WTERMSIG(status));
    } else if (WIFSTOPPED(status)) {
        enc_tuple(reply, 2);
        enc_atom(reply, "stopsig");
        enc_signal(reply, WSTOPSIG(status));
    } else {
        enc_atom(reply, "continued");
    }
    enc_nil(reply);
    return TERM_OK;
}
