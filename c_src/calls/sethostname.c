/* SPDX-License-Identifier: ISC */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../call.h"

/* sethostname(2): sethostname(Task, Name) -> ok | {error, posix()} */
int nook_call_sethostname(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *name = NULL;
    /* A cstring: a NUL would end the name for every reader of it. */
    if (term_cstring(buf, idx, &name) < 0)
        return TERM_BADARG;
    /* The kernel checks the length (einval past HOST_NAME_MAX). */
    reply_ok_or_errno(reply, sethostname(name, strlen(name)));
    return TERM_OK;
}
