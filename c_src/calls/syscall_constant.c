/* SPDX-License-Identifier: ISC */
#include <ctype.h>
#include <seccomp.h>
#include <string.h>

#include "../call.h"

/*
 * syscall_constant(Task, Name) -> integer() | unknown: the number of a system call on this
 * architecture, named as prx names it (sys_getpid, or SYS_getpid) or plainly (getpid).
 */
int nook_call_syscall_constant(const char *buf, int *idx, ei_x_buff *reply)
{
    char name[MAXATOMLEN_UTF8];
    if (term_atom(buf, idx, name, sizeof(name)) < 0)
        return TERM_BADARG;
    for (char *p = name; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    const char *call = strncmp(name, "sys_", 4) == 0 ? name + 4 : name;
    /* libseccomp's own names for what this architecture lacks are negative: unknown too. */
    int nr = seccomp_syscall_resolve_name(call);
    if (nr < 0)
        reply_atom(reply, "unknown");
    else
        reply_int(reply, nr);
    return TERM_OK;
}
