/* SPDX-License-Identifier: ISC */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "../call.h"

/* gethostname(2): gethostname(Task) -> {ok, binary()} | {error, posix()} */
int nook_call_gethostname(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    /* The kernel's names are at most HOST_NAME_MAX bytes: this holds one and its NUL. */
    char name[HOST_NAME_MAX + 1];
    if (gethostname(name, sizeof(name)) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    /* POSIX leaves a truncated name unterminated. */
    name[HOST_NAME_MAX] = '\0';
    reply_ok_binary(reply, name, strlen(name));
    return TERM_OK;
}
