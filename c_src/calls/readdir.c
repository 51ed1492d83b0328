/* SPDX-License-Identifier: ISC */
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "../call.h"

/* Names are collected up to this many encoded bytes; a larger reply could not be framed. */
#define READDIR_NAMES_MAX NOOK_FRAME_MAX

static void closedir_keep_errno(DIR **dir)
{
    if (*dir != NULL) {
        int saved = errno;
        (void)closedir(*dir);
        errno = saved;
    }
}

static void free_names(ei_x_buff *names)
{
    if (names->buff != NULL)
        ei_x_free(names);
}

/*
 * opendir(3), readdir(3): readdir(Task, Path) -> {ok, [binary()]} | {error, posix()}.
 * Every entry, "." and ".." included, in the order the file system gives them.
 */
int nook_call_readdir(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree char *path = NULL;
    if (term_cstring(buf, idx, &path) < 0)
        return TERM_BADARG;
    __attribute__((cleanup(closedir_keep_errno))) DIR *dir = opendir(path);
    if (dir == NULL) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    /* The list header needs the count first: encode the names aside, then copy them. */
    __attribute__((cleanup(free_names))) ei_x_buff names = {0};
    if (ei_x_new(&names) < 0)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    int count = 0;
    for (;;) {
        errno = 0;
        const struct dirent *d = readdir(dir);
        if (d == NULL) {
            if (errno != 0) {
                reply_error(reply, errno);
                return TERM_OK;
            }
            break;
        }
        if ((size_t)names.index > READDIR_NAMES_MAX || count == INT32_MAX) {
            reply_error(reply, E2BIG);
            return TERM_OK;
        }
        enc_binary(&names, d->d_name, strlen(d->d_name));
        count++;
    }
    enc_tuple(reply, 2);
    enc_atom(reply, "ok");
    if (count > 0) {
        enc_list(reply, count);
        if (ei_x_append_buf(reply, names.buff, names.index) < 0)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
    }
    enc_nil(reply);
    return TERM_OK;
}
