/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* chown(2): chown(Task, Path, Owner, Group) -> ok | {error, posix()}; -1 leaves one as it is */
int nook_call_chown(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    id_t owner, group;
    int rv = term_cstring(buf, idx, &path);
    rv |= term_id(buf, idx, &owner);
    rv |= term_id(buf, idx, &group);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, chown(path, owner, group));
    return TERM_OK;
}
