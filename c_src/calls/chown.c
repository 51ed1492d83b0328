/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* An id: 0..4294967295, or -1 to leave it unchanged (the same value as uid_t). */
static int decode_id(const char *buf, int *idx, int64_t *id)
{
    if (term_int64(buf, idx, id) < 0 || *id < -1 || *id > UINT32_MAX)
        return TERM_BADARG;
    return TERM_OK;
}

/* chown(2): chown(Task, Path, Owner, Group) -> ok | {error, posix()} */
int nook_call_chown(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    int64_t owner, group;
    if (term_cstring(buf, idx, &path) < 0 || decode_id(buf, idx, &owner) < 0 ||
        decode_id(buf, idx, &group) < 0)
        return TERM_BADARG;
    if (chown(path, (uid_t)owner, (gid_t)group) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
