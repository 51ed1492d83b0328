/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <string.h>

#include "../call.h"

/* getenv(3): getenv(Task, Name) -> binary() | false */
int nook_call_getenv(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *name = NULL;
    if (term_cstring(buf, idx, &name) < 0)
        return TERM_BADARG;
    const char *value = getenv(name);
    if (value == NULL)
        reply_atom(reply, "false");
    else
        reply_binary(reply, value, strlen(value));
    return TERM_OK;
}
