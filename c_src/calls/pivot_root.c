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
    int rv = term_cstring(buf, idx, &new_root);
    rv |= term_cstring(buf, idx, &put_old);
    if (rv != TERM_OK)
        return rv;
    /* glibc has no wrapper for it. */
    reply_ok_or_errno(reply, syscall(SYS_pivot_root, new_root, put_old));
    return TERM_OK;
}
