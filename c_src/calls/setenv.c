/* SPDX-License-Identifier: ISC */
#include <stdlib.h>

#include "../call.h"

/* setenv(3): setenv(Task, Name, Value, Overwrite) -> ok | {error, posix()} */
int nook_call_setenv(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *name = NULL;
    autofree char *value = NULL;
    int overwrite;
    if (term_cstring(buf, idx, &name) < 0 || term_cstring(buf, idx, &value) < 0 ||
        term_int(buf, idx, &overwrite) < 0)
        return TERM_BADARG;
    if (setenv(name, value, overwrite) < 0)
        reply_error(reply, errno);
    else
        reply_ok(reply);
    return TERM_OK;
}
