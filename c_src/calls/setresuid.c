/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <unistd.h>

#include "../call.h"

/* A uid: 0..4294967295, or -1 to leave that one unchanged. */
static int decode_id(const char *buf, int *idx, uid_t *id)
{
    int64_t v;
    if (term_int64(buf, idx, &v) < 0 || v < -1 || v > UINT32_MAX)
        return TERM_BADARG;
    *id = (uid_t)v;
    return TERM_OK;
}

/* setresuid(2): setresuid(Task, Real, Effective, Saved) -> ok | {error, posix()} */
int nook_call_setresuid(const char *buf, int *idx, ei_x_buff *reply)
{
    uid_t r, e, s;
    if (decode_id(buf, idx, &r) < 0 || decode_id(buf, idx, &e) < 0 || decode_id(buf, idx, &s) < 0)
        return TERM_BADARG;
    if (setresuid(r, e, s) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
