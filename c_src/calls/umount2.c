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
    int rv = term_cstring(buf, idx, &target);
    rv |= term_flags(buf, idx, nook_umount_flags_table, INT32_MIN, UINT32_MAX, &flags);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, umount2(target, (int)flags));
    return TERM_OK;
}
