/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../call.h"

/* pivot_root(2): pivot_root(Task, NewRoot, PutOld) -> ok | {error, posix()} */
int nook_call_pivot_root(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *new_root = NULL;
    autofree char *put_old = NULL;
    if (term_cstring(buf, idx, &new_root) < 0 || term_cstring(buf, idx, &put_old) < 0)
        return TERM_BADARG;
    /* glibc has no wrapper for it. */
    if (syscall(SYS_pivot_root, new_root, put_old) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
