/* SPDX-License-Identifier: ISC */
/* Signals through a signalfd (signals.h). */
#include <errno.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "frame.h"
#include "signals.h"
#include "state.h"
#include "term.h"

int signals_update_sigfd(void)
{
    sigset_t mask = nook.user_caught;
    sigaddset(&mask, SIGCHLD);
    nook.sigfd_mask = mask;
    if (sigprocmask(SIG_SETMASK, &mask, NULL) < 0)
        return -1;
    int fd = signalfd(nook.sigfd, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0)
        return -1;
    nook.sigfd = fd;
    return 0;
}

int signals_init(void)
{
    /* A write to a child or parent that is gone must fail with EPIPE, not kill us. */
    if (!sigismember(&nook.user_ignored, SIGPIPE) && signal(SIGPIPE, SIG_IGN) == SIG_ERR)
        return -1;
    nook.sigfd = -1;
    return signals_update_sigfd();
}

void signals_block_all(sigset_t *old)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, old);
}

void signals_restore(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }

static void emit_signal_event(const struct signalfd_siginfo *ssi)
{
    /* Deliver a siginfo_t, the layout sigaction(2) users know, not signalfd's own. */
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    si.si_signo = (int)ssi->ssi_signo;
    si.si_errno = ssi->ssi_errno;
    si.si_code = ssi->ssi_code;
    si.si_pid = (pid_t)ssi->ssi_pid;
    si.si_uid = ssi->ssi_uid;
    if (ssi->ssi_signo == SIGCHLD)
        si.si_status = ssi->ssi_status;

    /* Realtime signals have no fixed name: their number. */
    const char *name = const_name(nook_signal_table, ssi->ssi_signo);
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_tuple(&ev, 3);
    enc_atom(&ev, "signal");
    if (name != NULL)
        enc_atom(&ev, name);
    else
        enc_int(&ev, ssi->ssi_signo);
    enc_binary(&ev, &si, sizeof(si));
    frame_event(&ev);
    ei_x_free(&ev);
}

bool signals_handle_readable(void)
{
    struct signalfd_siginfo ssi;
    bool reap = false;
    for (;;) {
        ssize_t n = read(nook.sigfd, &ssi, sizeof(ssi));
        if (n != (ssize_t)sizeof(ssi)) {
            if (n < 0 && errno == EINTR)
                continue;
            break;
        }
        if (ssi.ssi_signo == SIGCHLD)
            reap = true;
        if (sigismember(&nook.user_caught, (int)ssi.ssi_signo))
            emit_signal_event(&ssi);
    }
    return reap;
}

void signals_prepare_exec(void)
{
    /* A program starts with default dispositions and an empty mask; a user's sig_ign stays. */
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        (void)signal(sig, sigismember(&nook.user_ignored, sig) ? SIG_IGN : SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

void signals_restore_after_failed_exec(void)
{
    if (!sigismember(&nook.user_ignored, SIGPIPE))
        (void)signal(SIGPIPE, SIG_IGN);
    sigprocmask(SIG_SETMASK, &nook.sigfd_mask, NULL);
}
