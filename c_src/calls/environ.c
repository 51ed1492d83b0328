/* SPDX-License-Identifier: ISC */
#include <string.h>
#include <unistd.h>

#include "../call.h"

/* unistd.h declares it only under _GNU_SOURCE. */
extern char **environ;

/* environ(7): environ(Task) -> [binary()] */
int nook_call_environ(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    int n = 0;
    /* clearenv() may leave environ NULL. */
    if (environ != NULL)
        while (environ[n] != NULL)
            n++;
    /* A list header of 0 would itself encode [], so only a non-empty list gets one. */
    if (n > 0)
        enc_list(reply, n);
    for (int i = 0; i < n; i++)
        enc_binary(reply, environ[i], strlen(environ[i]));
    enc_nil(reply);
    return TERM_OK;
}
