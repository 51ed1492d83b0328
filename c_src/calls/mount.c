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
    if (term_cstring(buf, idx, &source) < 0 || term_cstring(buf, idx, &target) < 0 ||
        term_cstring(buf, idx, &fstype) < 0)
        return TERM_BADARG;
    int rv = term_flags(buf, idx, nook_mount_flags_table, &flags);
    /* Decode Data before acting on an unknown flag: a type error must still raise badarg. */
    if (rv == TERM_BADARG || flags < 0 || flags > UINT32_MAX ||
        term_iodata(buf, idx, &data, &datalen) < 0)
        return TERM_BADARG;
    if (rv == TERM_UNKNOWN) {
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    }
    /* Data is filesystem-specific and may be binary, hence iodata and not a cstring. */
    if (mount(source, target, fstype, (unsigned long)flags, datalen > 0 ? data : NULL) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
