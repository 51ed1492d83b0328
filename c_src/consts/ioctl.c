/* SPDX-License-Identifier: ISC */
/* A few ioctl(2) requests (ioctl_tty(2), fionread, netdevice(7) flags); any other is an integer. */
#include <linux/sockios.h>
#include <stddef.h>
#include <sys/ioctl.h>

#include "ioctl.h"

const struct nook_const nook_ioctl_table[] = {
#ifdef SIOCGIFFLAGS
    NOOK_CONST("siocgifflags", SIOCGIFFLAGS),
#endif
#ifdef SIOCSIFFLAGS
    NOOK_CONST("siocsifflags", SIOCSIFFLAGS),
#endif
#ifdef TIOCGWINSZ
    NOOK_CONST("tiocgwinsz", TIOCGWINSZ),
#endif
#ifdef TIOCSWINSZ
    NOOK_CONST("tiocswinsz", TIOCSWINSZ),
#endif
#ifdef FIONREAD
    NOOK_CONST("fionread", FIONREAD),
#endif
#ifdef TIOCSTI
    NOOK_CONST("tiocsti", TIOCSTI),
#endif
#ifdef TIOCLINUX
    NOOK_CONST("tioclinux", TIOCLINUX),
#endif
#ifdef FIOCLEX
    NOOK_CONST("fioclex", FIOCLEX),
#endif
#ifdef FIONCLEX
    NOOK_CONST("fionclex", FIONCLEX),
#endif
#ifdef TIOCSCTTY
    NOOK_CONST("tiocsctty", TIOCSCTTY),
#endif
#ifdef TIOCNOTTY
    NOOK_CONST("tiocnotty", TIOCNOTTY),
#endif
#ifdef FIONBIO
    NOOK_CONST("fionbio", FIONBIO),
#endif
#ifdef FIOASYNC
    NOOK_CONST("fioasync", FIOASYNC),
#endif
#ifdef TIOCGPGRP
    NOOK_CONST("tiocgpgrp", TIOCGPGRP),
#endif
#ifdef TIOCSPGRP
    NOOK_CONST("tiocspgrp", TIOCSPGRP),
#endif
#ifdef TIOCGSID
    NOOK_CONST("tiocgsid", TIOCGSID),
#endif
#ifdef TIOCOUTQ
    NOOK_CONST("tiocoutq", TIOCOUTQ),
#endif
#ifdef TIOCEXCL
    NOOK_CONST("tiocexcl", TIOCEXCL),
#endif
#ifdef TIOCNXCL
    NOOK_CONST("tiocnxcl", TIOCNXCL),
#endif
#ifdef TIOCGPTN
    NOOK_CONST("tiocgptn", TIOCGPTN),
#endif
#ifdef TIOCSPTLCK
    NOOK_CONST("tiocsptlck", TIOCSPTLCK),
#endif
    NOOK_CONST_END,
};
