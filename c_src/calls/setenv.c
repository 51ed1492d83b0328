/* SPDX-License-Identifier: ISC */
#include <stdlib.h>

#include "../call.h"

/* setenv(3): setenv(Task, Name, Value, Overwrite) -> ok | {error, posix()} */
int nook_call_setenv(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *name = NULL;
    autofree char *value = NULL;
    int overwrite;
    int rv = term_cstring(buf, idx, &name);
    rv |= term_cstring(buf, idx, &value);
    rv |= term_int(buf, idx, &overwrite);
    if (rv != TERM_OK)
        return rv;
    reply_ok_or_errno(reply, setenv(name, value, overwrite));
    return TERM_OK;
}
