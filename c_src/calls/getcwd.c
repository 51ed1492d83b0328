/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../call.h"

/* Paths longer than this are refused with erange rather than grown into. */
#define GETCWD_MAX (1u << 20)

/* getcwd(3): getcwd(Task) -> {ok, binary()} | {error, posix()} */
int nook_call_getcwd(const char *buf, int *idx, ei_x_buff *reply)
{
    (void)buf;
    (void)idx;
    autofree char *path = NULL;
    /* Start small and double on ERANGE: most paths are short, none is bounded by PATH_MAX. */
    for (size_t size = 256; size <= GETCWD_MAX; size *= 2) {
        char *grown = realloc(path, size);
        if (grown == NULL)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
        path = grown;
        if (getcwd(path, size) != NULL) {
            reply_ok_binary(reply, path, strlen(path));
            return TERM_OK;
        }
        int err = errno;
        if (err != ERANGE) {
            reply_error(reply, err);
            return TERM_OK;
        }
    }
    reply_error(reply, ERANGE);
    return TERM_OK;
}
