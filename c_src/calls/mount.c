/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <sys/mount.h>

#include "../call.h"
#include "../consts/mount.h"

/*
 * mount(2): mount(Task, Source, Target, FSType, Flags, Data) -> ok | {error, posix()}
 * Flags are ms_* constants; an empty Data passes no options at all (NULL).
 */
int nook_call_mount(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *source = NULL;
    autofree char *target = NULL;
    autofree char *fstype = NULL;
    autofree char *data = NULL;
    size_t datalen;
    int64_t flags;
    int rv = term_cstring(buf, idx, &source);
    rv |= term_cstring(buf, idx, &target);
    rv |= term_cstring(buf, idx, &fstype);
    rv |= term_flags(buf, idx, nook_mount_flags_table, 0, UINT32_MAX, &flags);
    /* Data is filesystem-specific and may be binary, hence iodata and not a cstring. */
    rv |= term_iodata(buf, idx, &data, &datalen);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(
        reply, mount(source, target, fstype, (unsigned long)flags, datalen > 0 ? data : NULL));
    return TERM_OK;
}
