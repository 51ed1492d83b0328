/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <sys/mount.h>

#include "../call.h"
#include "../consts/mount.h"

/* umount2(2): umount2(Task, Target, Flags) -> ok | {error, posix()}, Flags mnt_* constants */
int nook_call_umount2(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *target = NULL;
    int64_t flags;
    if (term_cstring(buf, idx, &target) < 0)
        return TERM_BADARG;
    switch (term_flags(buf, idx, nook_umount_flags_table, &flags)) {
    case TERM_OK:
        break;
    case TERM_UNKNOWN:
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    default:
        return TERM_BADARG;
    }
    if (flags < INT32_MIN || flags > UINT32_MAX)
        return TERM_BADARG;
    if (umount2(target, (int)flags) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
