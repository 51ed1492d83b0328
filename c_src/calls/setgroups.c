/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE
#include <grp.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "../call.h"

/* decode_gids() result for a well-typed list longer than setgroups(2) takes */
#define GIDS_TOO_MANY 1

/*
 * [Gid] into a malloc'd array of at most NGROUPS_MAX. Every element of a longer list is still
 * decoded (the frame bounds them), so that a type error anywhere raises badarg as usual.
 */
static int decode_gids(const char *buf, int *idx, gid_t **gids, size_t *n)
{
    int type, size;
    *gids = NULL;
    *n = 0;
    if (ei_get_type(buf, idx, &type, &size) < 0 || size < 0)
        return TERM_BADARG;
    if (type == ERL_NIL_EXT)
        return ei_skip_term(buf, idx) < 0 ? TERM_BADARG : TERM_OK;
    if (type != ERL_STRING_EXT && type != ERL_LIST_EXT)
        return TERM_BADARG;
    size_t keep = size > NGROUPS_MAX ? NGROUPS_MAX : (size_t)size;
    gid_t *list = malloc((keep + 1) * sizeof(gid_t));
    if (list == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    *gids = list;
    if (type == ERL_STRING_EXT) {
        /* Erlang sends a list of integers below 256 as a string: one gid per byte. */
        autofree char *bytes = malloc((size_t)size + 1);
        if (bytes == NULL)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
        if (ei_decode_string(buf, idx, bytes) < 0)
            return TERM_BADARG;
        for (size_t i = 0; i < keep; i++)
            list[i] = (unsigned char)bytes[i];
    } else {
        int arity;
        if (ei_decode_list_header(buf, idx, &arity) < 0 || arity != size)
            return TERM_BADARG;
        for (int i = 0; i < arity; i++) {
            /* -1 is passed on, for the kernel to refuse with einval. */
            id_t gid;
            if (term_id(buf, idx, &gid) < 0)
                return TERM_BADARG;
            if ((size_t)i < keep)
                list[i] = gid;
        }
        if (term_type(buf, idx) != ERL_NIL_EXT || ei_skip_term(buf, idx) < 0)
            return TERM_BADARG;
    }
    *n = keep;
    return (size_t)size > keep ? GIDS_TOO_MANY : TERM_OK;
}

/* setgroups(2): setgroups(Task, [Gid]) -> ok | {error, posix()} */
int nook_call_setgroups(const char *buf, int *idx, ei_x_buff *reply)
{
    autofree gid_t *gids = NULL;
    size_t n;
    switch (decode_gids(buf, idx, &gids, &n)) {
    case TERM_OK:
        break;
    case GIDS_TOO_MANY:
        reply_error(reply, EINVAL); /* as setgroups(2) answers a size above NGROUPS_MAX */
        return TERM_OK;
    default:
        return TERM_BADARG;
    }
    reply_ok_or_errno(reply, setgroups(n, gids));
    return TERM_OK;
}
