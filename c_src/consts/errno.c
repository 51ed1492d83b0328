/* SPDX-License-Identifier: ISC */
/*
 * errno values by the lowercase names of Erlang's posix() type. Aliases share a value: the
 * name the runtime reports for it comes first, since errno_name() returns the first match
 * (eagain, not ewouldblock; edeadlk, not edeadlock; enotsup, not eopnotsupp).
 */
#include <errno.h>
#include <stddef.h>

#include "const.h"

const struct nook_const nook_errno_table[] = {
#ifdef E2BIG
    NOOK_CONST("e2big", E2BIG),
#endif
#ifdef EACCES
    NOOK_CONST("eacces", EACCES),
#endif
#ifdef EADDRINUSE
    NOOK_CONST("eaddrinuse", EADDRINUSE),
#endif
#ifdef EADDRNOTAVAIL
    NOOK_CONST("eaddrnotavail", EADDRNOTAVAIL),
#endif
#ifdef EADV
    NOOK_CONST("eadv", EADV),
#endif
#ifdef EAFNOSUPPORT
    NOOK_CONST("eafnosupport", EAFNOSUPPORT),
#endif
#ifdef EAGAIN
    NOOK_CONST("eagain", EAGAIN),
#endif
#ifdef EALREADY
    NOOK_CONST("ealready", EALREADY),
#endif
#ifdef EBADE
    NOOK_CONST("ebade", EBADE),
#endif
#ifdef EBADF
    NOOK_CONST("ebadf", EBADF),
#endif
#ifdef EBADFD
    NOOK_CONST("ebadfd", EBADFD),
#endif
#ifdef EBADMSG
    NOOK_CONST("ebadmsg", EBADMSG),
#endif
#ifdef EBADR
    NOOK_CONST("ebadr", EBADR),
#endif
#ifdef EBADRQC
    NOOK_CONST("ebadrqc", EBADRQC),
#endif
#ifdef EBADSLT
    NOOK_CONST("ebadslt", EBADSLT),
#endif
#ifdef EBFONT
    NOOK_CONST("ebfont", EBFONT),
#endif
#ifdef EBUSY
    NOOK_CONST("ebusy", EBUSY),
#endif
#ifdef ECANCELED
    NOOK_CONST("ecanceled", ECANCELED),
#endif
#ifdef ECHILD
    NOOK_CONST("echild", ECHILD),
#endif
#ifdef ECHRNG
    NOOK_CONST("echrng", ECHRNG),
#endif
#ifdef ECOMM
    NOOK_CONST("ecomm", ECOMM),
#endif
#ifdef ECONNABORTED
    NOOK_CONST("econnaborted", ECONNABORTED),
#endif
#ifdef ECONNREFUSED
    NOOK_CONST("econnrefused", ECONNREFUSED),
#endif
#ifdef ECONNRESET
    NOOK_CONST("econnreset", ECONNRESET),
#endif
#ifdef EDEADLK
    NOOK_CONST("edeadlk", EDEADLK),
#endif
#ifdef EDEADLOCK
    NOOK_CONST("edeadlock", EDEADLOCK),
#endif
#ifdef EDESTADDRREQ
    NOOK_CONST("edestaddrreq", EDESTADDRREQ),
#endif
#ifdef EDOM
    NOOK_CONST("edom", EDOM),
#endif
#ifdef EDOTDOT
    NOOK_CONST("edotdot", EDOTDOT),
#endif
#ifdef EDQUOT
    NOOK_CONST("edquot", EDQUOT),
#endif
#ifdef EEXIST
    NOOK_CONST("eexist", EEXIST),
#endif
#ifdef EFAULT
    NOOK_CONST("efault", EFAULT),
#endif
#ifdef EFBIG
    NOOK_CONST("efbig", EFBIG),
#endif
#ifdef EHOSTDOWN
    NOOK_CONST("ehostdown", EHOSTDOWN),
#endif
#ifdef EHOSTUNREACH
    NOOK_CONST("ehostunreach", EHOSTUNREACH),
#endif
#ifdef EHWPOISON
    NOOK_CONST("ehwpoison", EHWPOISON),
#endif
#ifdef EIDRM
    NOOK_CONST("eidrm", EIDRM),
#endif
#ifdef EILSEQ
    NOOK_CONST("eilseq", EILSEQ),
#endif
#ifdef EINPROGRESS
    NOOK_CONST("einprogress", EINPROGRESS),
#endif
#ifdef EINTR
    NOOK_CONST("eintr", EINTR),
#endif
#ifdef EINVAL
    NOOK_CONST("einval", EINVAL),
#endif
#ifdef EIO
    NOOK_CONST("eio", EIO),
#endif
#ifdef EISCONN
    NOOK_CONST("eisconn", EISCONN),
#endif
#ifdef EISDIR
    NOOK_CONST("eisdir", EISDIR),
#endif
#ifdef EISNAM
    NOOK_CONST("eisnam", EISNAM),
#endif
#ifdef EKEYEXPIRED
    NOOK_CONST("ekeyexpired", EKEYEXPIRED),
#endif
#ifdef EKEYREJECTED
    NOOK_CONST("ekeyrejected", EKEYREJECTED),
#endif
#ifdef EKEYREVOKED
    NOOK_CONST("ekeyrevoked", EKEYREVOKED),
#endif
#ifdef EL2HLT
    NOOK_CONST("el2hlt", EL2HLT),
#endif
#ifdef EL2NSYNC
    NOOK_CONST("el2nsync", EL2NSYNC),
#endif
#ifdef EL3HLT
    NOOK_CONST("el3hlt", EL3HLT),
#endif
#ifdef EL3RST
    NOOK_CONST("el3rst", EL3RST),
#endif
#ifdef ELIBACC
    NOOK_CONST("elibacc", ELIBACC),
#endif
#ifdef ELIBBAD
    NOOK_CONST("elibbad", ELIBBAD),
#endif
#ifdef ELIBEXEC
    NOOK_CONST("elibexec", ELIBEXEC),
#endif
#ifdef ELIBMAX
    NOOK_CONST("elibmax", ELIBMAX),
#endif
#ifdef ELIBSCN
    NOOK_CONST("elibscn", ELIBSCN),
#endif
#ifdef ELNRNG
    NOOK_CONST("elnrng", ELNRNG),
#endif
#ifdef ELOOP
    NOOK_CONST("eloop", ELOOP),
#endif
#ifdef EMEDIUMTYPE
    NOOK_CONST("emediumtype", EMEDIUMTYPE),
#endif
#ifdef EMFILE
    NOOK_CONST("emfile", EMFILE),
#endif
#ifdef EMLINK
    NOOK_CONST("emlink", EMLINK),
#endif
#ifdef EMSGSIZE
    NOOK_CONST("emsgsize", EMSGSIZE),
#endif
#ifdef EMULTIHOP
    NOOK_CONST("emultihop", EMULTIHOP),
#endif
#ifdef ENAMETOOLONG
    NOOK_CONST("enametoolong", ENAMETOOLONG),
#endif
#ifdef ENAVAIL
    NOOK_CONST("enavail", ENAVAIL),
#endif
#ifdef ENETDOWN
    NOOK_CONST("enetdown", ENETDOWN),
#endif
#ifdef ENETRESET
    NOOK_CONST("enetreset", ENETRESET),
#endif
#ifdef ENETUNREACH
    NOOK_CONST("enetunreach", ENETUNREACH),
#endif
#ifdef ENFILE
    NOOK_CONST("enfile", ENFILE),
#endif
#ifdef ENOANO
    NOOK_CONST("enoano", ENOANO),
#endif
#ifdef ENOBUFS
    NOOK_CONST("enobufs", ENOBUFS),
#endif
#ifdef ENOCSI
    NOOK_CONST("enocsi", ENOCSI),
#endif
#ifdef ENODATA
    NOOK_CONST("enodata", ENODATA),
#endif
#ifdef ENODEV
    NOOK_CONST("enodev", ENODEV),
#endif
#ifdef ENOENT
    NOOK_CONST("enoent", ENOENT),
#endif
#ifdef ENOEXEC
    NOOK_CONST("enoexec", ENOEXEC),
#endif
#ifdef ENOKEY
    NOOK_CONST("enokey", ENOKEY),
#endif
#ifdef ENOLCK
    NOOK_CONST("enolck", ENOLCK),
#endif
#ifdef ENOLINK
    NOOK_CONST("enolink", ENOLINK),
#endif
#ifdef ENOMEDIUM
    NOOK_CONST("enomedium", ENOMEDIUM),
#endif
#ifdef ENOMEM
    NOOK_CONST("enomem", ENOMEM),
#endif
#ifdef ENOMSG
    NOOK_CONST("enomsg", ENOMSG),
#endif
#ifdef ENONET
    NOOK_CONST("enonet", ENONET),
#endif
#ifdef ENOPKG
    NOOK_CONST("enopkg", ENOPKG),
#endif
#ifdef ENOPROTOOPT
    NOOK_CONST("enoprotoopt", ENOPROTOOPT),
#endif
#ifdef ENOSPC
    NOOK_CONST("enospc", ENOSPC),
#endif
#ifdef ENOSR
    NOOK_CONST("enosr", ENOSR),
#endif
#ifdef ENOSTR
    NOOK_CONST("enostr", ENOSTR),
#endif
#ifdef ENOSYS
    NOOK_CONST("enosys", ENOSYS),
#endif
#ifdef ENOTBLK
    NOOK_CONST("enotblk", ENOTBLK),
#endif
#ifdef ENOTCONN
    NOOK_CONST("enotconn", ENOTCONN),
#endif
#ifdef ENOTDIR
    NOOK_CONST("enotdir", ENOTDIR),
#endif
#ifdef ENOTEMPTY
    NOOK_CONST("enotempty", ENOTEMPTY),
#endif
#ifdef ENOTNAM
    NOOK_CONST("enotnam", ENOTNAM),
#endif
#ifdef ENOTRECOVERABLE
    NOOK_CONST("enotrecoverable", ENOTRECOVERABLE),
#endif
#ifdef ENOTSOCK
    NOOK_CONST("enotsock", ENOTSOCK),
#endif
#ifdef ENOTSUP
    NOOK_CONST("enotsup", ENOTSUP),
#endif
#ifdef ENOTTY
    NOOK_CONST("enotty", ENOTTY),
#endif
#ifdef ENOTUNIQ
    NOOK_CONST("enotuniq", ENOTUNIQ),
#endif
#ifdef ENXIO
    NOOK_CONST("enxio", ENXIO),
#endif
#ifdef EOPNOTSUPP
    NOOK_CONST("eopnotsupp", EOPNOTSUPP),
#endif
#ifdef EOVERFLOW
    NOOK_CONST("eoverflow", EOVERFLOW),
#endif
#ifdef EOWNERDEAD
    NOOK_CONST("eownerdead", EOWNERDEAD),
#endif
#ifdef EPERM
    NOOK_CONST("eperm", EPERM),
#endif
#ifdef EPFNOSUPPORT
    NOOK_CONST("epfnosupport", EPFNOSUPPORT),
#endif
#ifdef EPIPE
    NOOK_CONST("epipe", EPIPE),
#endif
#ifdef EPROTO
    NOOK_CONST("eproto", EPROTO),
#endif
#ifdef EPROTONOSUPPORT
    NOOK_CONST("eprotonosupport", EPROTONOSUPPORT),
#endif
#ifdef EPROTOTYPE
    NOOK_CONST("eprototype", EPROTOTYPE),
#endif
#ifdef ERANGE
    NOOK_CONST("erange", ERANGE),
#endif
#ifdef EREMCHG
    NOOK_CONST("eremchg", EREMCHG),
#endif
#ifdef EREMOTE
    NOOK_CONST("eremote", EREMOTE),
#endif
#ifdef EREMOTEIO
    NOOK_CONST("eremoteio", EREMOTEIO),
#endif
#ifdef ERESTART
    NOOK_CONST("erestart", ERESTART),
#endif
#ifdef ERFKILL
    NOOK_CONST("erfkill", ERFKILL),
#endif
#ifdef EROFS
    NOOK_CONST("erofs", EROFS),
#endif
#ifdef ESHUTDOWN
    NOOK_CONST("eshutdown", ESHUTDOWN),
#endif
#ifdef ESOCKTNOSUPPORT
    NOOK_CONST("esocktnosupport", ESOCKTNOSUPPORT),
#endif
#ifdef ESPIPE
    NOOK_CONST("espipe", ESPIPE),
#endif
#ifdef ESRCH
    NOOK_CONST("esrch", ESRCH),
#endif
#ifdef ESRMNT
    NOOK_CONST("esrmnt", ESRMNT),
#endif
#ifdef ESTALE
    NOOK_CONST("estale", ESTALE),
#endif
#ifdef ESTRPIPE
    NOOK_CONST("estrpipe", ESTRPIPE),
#endif
#ifdef ETIME
    NOOK_CONST("etime", ETIME),
#endif
#ifdef ETIMEDOUT
    NOOK_CONST("etimedout", ETIMEDOUT),
#endif
#ifdef ETOOMANYREFS
    NOOK_CONST("etoomanyrefs", ETOOMANYREFS),
#endif
#ifdef ETXTBSY
    NOOK_CONST("etxtbsy", ETXTBSY),
#endif
#ifdef EUCLEAN
    NOOK_CONST("euclean", EUCLEAN),
#endif
#ifdef EUNATCH
    NOOK_CONST("eunatch", EUNATCH),
#endif
#ifdef EUSERS
    NOOK_CONST("eusers", EUSERS),
#endif
#ifdef EWOULDBLOCK
    NOOK_CONST("ewouldblock", EWOULDBLOCK),
#endif
#ifdef EXDEV
    NOOK_CONST("exdev", EXDEV),
#endif
#ifdef EXFULL
    NOOK_CONST("exfull", EXFULL),
#endif
    NOOK_CONST_END,
};

const char *errno_name(int err)
{
    const char *name = const_name(nook_errno_table, err);
    return name != NULL ? name : "unknown";
}
