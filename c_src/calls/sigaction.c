/* SPDX-License-Identifier: ISC */
#include <signal.h>
#include <string.h>

#include "../call.h"

/*
 * sigaction(2): sigaction(Task, Signal, sig_dfl | sig_ign | sig_info | []) -> {ok, Old}.
 * sig_info turns the signal into {signal, Task, Sig, Info} events; [] only asks. SIGCHLD and
 * SIGPIPE keep nook's own handling whatever the user sets; their setting applies at exec.
 */
static const char *current(int sig)
{
    if (sigismember(&nook.user_caught, sig))
        return "sig_info";
    if (sigismember(&nook.user_ignored, sig))
        return "sig_ign";
    struct sigaction old;
    if (sig != SIGPIPE && sig != SIGCHLD && sigaction(sig, NULL, &old) == 0 &&
        old.sa_handler == SIG_IGN)
        return "sig_ign";
    return "sig_dfl";
}

static int apply(int sig, const char *handler)
{
    bool internal = sig == SIGCHLD || sig == SIGPIPE;
    void (*kernel)(int);
    if (strcmp(handler, "sig_info") == 0) {
        kernel = SIG_DFL; /* blocked and read through the signalfd */
    } else if (strcmp(handler, "sig_ign") == 0) {
        kernel = SIG_IGN;
    } else {
        kernel = SIG_DFL;
    }
    if (sig == SIGKILL || sig == SIGSTOP || sig <= 0 || sig >= NSIG)
        return EINVAL;
    if (!internal && signal(sig, kernel) == SIG_ERR)
        return errno;
    sigdelset(&nook.user_caught, sig);
    sigdelset(&nook.user_ignored, sig);
    if (strcmp(handler, "sig_info") == 0)
        sigaddset(&nook.user_caught, sig);
    else if (kernel == SIG_IGN)
        sigaddset(&nook.user_ignored, sig);
    return signals_update_sigfd() < 0 ? errno : 0;
}

int nook_call_sigaction(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t sig;
    int rv = term_constant(buf, idx, nook_signal_table, &sig);
    if (rv == TERM_BADARG)
        return TERM_BADARG;
    char handler[16] = "";
    int type = term_type(buf, idx);
    if (type == ERL_NIL_EXT) {
        ei_skip_term(buf, idx);
    } else if (type == ERL_BINARY_EXT) {
        long n;
        /* <<>> asks, like [] */
        if (ei_decode_binary(buf, idx, NULL, &n) < 0 || n != 0)
            return TERM_BADARG;
    } else if (term_atom(buf, idx, handler, sizeof(handler)) < 0 ||
               (strcmp(handler, "sig_dfl") != 0 && strcmp(handler, "sig_ign") != 0 &&
                strcmp(handler, "sig_info") != 0)) {
        return TERM_BADARG;
    }
    if (rv == TERM_UNKNOWN) {
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    }
    if (sig <= 0 || sig >= NSIG) {
        reply_error(reply, EINVAL);
        return TERM_OK;
    }
    const char *old = current((int)sig);
    if (handler[0] != '\0') {
        int err = apply((int)sig, handler);
        if (err != 0) {
            reply_error(reply, err);
            return TERM_OK;
        }
    }
    enc_tuple(reply, 2);
    enc_atom(reply, "ok");
    enc_atom(reply, old);
    return TERM_OK;
}
