/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* getgroups(2): getgroups(Task) -> {ok, [Gid]} | {error, posix()} */
int nook_call_getgroups(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    /* Ask for the count first: the list is as long as the kernel says, never a guess. */
    int n = getgroups(0, NULL);
    if (n < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    autofree gid_t *gids = malloc(((size_t)n + 1) * sizeof(gid_t));
    if (gids == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    n = getgroups(n, gids);
    if (n < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    enc_tuple(reply, 2);
    enc_atom(reply, "ok");
    /* A list header of 0 would itself encode [], so only a non-empty list gets one. */
    if (n > 0)
        enc_list(reply, n);
    for (int i = 0; i < n; i++)
        enc_int(reply, gids[i]);
    enc_nil(reply);
    return TERM_OK;
}
