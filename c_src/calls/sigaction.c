/* SPDX-License-Identifier: ISC */
#include <signal.h>
#include <string.h>

#include "../call.h"
#include "../signals.h"
#include "../state.h"

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

/* sig_dfl, sig_ign or sig_info into handler; "" for [] or <<>>, which only ask. */
static int decode_handler(const char *buf, int *idx, char handler[16])
{
    int type = term_type(buf, idx);
    long n;
    handler[0] = '\0';
    if (type == ERL_NIL_EXT)
        return ei_skip_term(buf, idx) < 0 ? TERM_BADARG : TERM_OK;
    if (type == ERL_BINARY_EXT)
        return ei_decode_binary(buf, idx, NULL, &n) < 0 || n != 0 ? TERM_BADARG : TERM_OK;
    if (term_atom(buf, idx, handler, 16) < 0 ||
        (strcmp(handler, "sig_dfl") != 0 && strcmp(handler, "sig_ign") != 0 &&
         strcmp(handler, "sig_info") != 0))
        return TERM_BADARG;
    return TERM_OK;
}

int nook_call_sigaction(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t sig;
    char handler[16];
    int rv = term_const(buf, idx, nook_signal_table, INT64_MIN, INT64_MAX, &sig);
    rv |= decode_handler(buf, idx, handler);
    if (rv != TERM_OK)
        return rv;
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
