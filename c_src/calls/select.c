/* SPDX-License-Identifier: ISC */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "../call.h"

/* [FD] into set, each FD 0..FD_SETSIZE-1 (what an fd_set holds); *nfds past the highest. */
static int decode_fds(const char *buf, int *idx, fd_set *set, int *nfds)
{
    int type, size;
    FD_ZERO(set);
    if (ei_get_type(buf, idx, &type, &size) < 0 || size < 0)
        return TERM_BADARG;
    if (type == ERL_NIL_EXT)
        return ei_skip_term(buf, idx) < 0 ? TERM_BADARG : TERM_OK;
    if (type == ERL_STRING_EXT) {
        /* Erlang sends a list of integers below 256 as a string: one fd per byte. */
        autofree unsigned char *bytes = malloc((size_t)size + 1);
        if (bytes == NULL)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
        if (ei_decode_string(buf, idx, (char *)bytes) < 0)
            return TERM_BADARG;
        for (int i = 0; i < size; i++) {
            FD_SET(bytes[i], set);
            if (bytes[i] >= *nfds)
                *nfds = bytes[i] + 1;
        }
        return TERM_OK;
    }
    int arity;
    if (type != ERL_LIST_EXT || ei_decode_list_header(buf, idx, &arity) < 0)
        return TERM_BADARG;
    for (int i = 0; i < arity; i++) {
        int64_t fd;
        if (term_int_range(buf, idx, 0, FD_SETSIZE - 1, &fd) < 0)
            return TERM_BADARG;
        FD_SET((int)fd, set);
        if (fd >= *nfds)
            *nfds = (int)fd + 1;
    }
    return term_type(buf, idx) == ERL_NIL_EXT && ei_skip_term(buf, idx) == 0 ? TERM_OK
                                                                             : TERM_BADARG;
}

/* [] for none (block), or #{sec := Sec, usec := Usec}: exactly these keys. */
static int decode_timeout(const char *buf, int *idx, struct timeval *tv, bool *none)
{
    int arity;
    bool have_sec = false, have_usec = false;
    *none = term_type(buf, idx) == ERL_NIL_EXT;
    if (*none)
        return ei_skip_term(buf, idx) < 0 ? TERM_BADARG : TERM_OK;
    if (term_type(buf, idx) != ERL_MAP_EXT || ei_decode_map_header(buf, idx, &arity) < 0 ||
        arity != 2)
        return TERM_BADARG;
    for (int i = 0; i < arity; i++) {
        char key[8];
        int64_t v;
        if (term_atom(buf, idx, key, sizeof(key)) < 0 || term_int64(buf, idx, &v) < 0)
            return TERM_BADARG;
        if (strcmp(key, "sec") == 0 && !have_sec) {
            have_sec = true;
            tv->tv_sec = (time_t)v;
        } else if (strcmp(key, "usec") == 0 && !have_usec) {
            have_usec = true;
            tv->tv_usec = (suseconds_t)v;
        } else {
            return TERM_BADARG;
        }
    }
    return TERM_OK;
}

static void enc_fds(ei_x_buff *reply, const fd_set *set, int nfds)
{
    int n = 0;
    for (int fd = 0; fd < nfds; fd++)
        n += FD_ISSET(fd, set) ? 1 : 0;
    if (n > 0)
        enc_list(reply, n);
    for (int fd = 0; fd < nfds; fd++)
        if (FD_ISSET(fd, set))
            enc_int(reply, fd);
    enc_nil(reply);
}

/*
 * select(2): select(Task, Readfds, Writefds, Exceptfds, Timeout) -> {ok, Readable, Writable,
 * Exceptional} | {error, posix()}. Timeout [] waits for ever: the process answers nothing
 * else meanwhile, as for waitpid without wnohang.
 */
int nook_call_select(const char *buf, int *idx, ei_x_buff *reply)
{
    fd_set sets[3];
    int nfds = 0;
    struct timeval tv = {0, 0};
    bool none;
    for (int i = 0; i < 3; i++)
        if (decode_fds(buf, idx, &sets[i], &nfds) < 0)
            return TERM_BADARG;
    if (decode_timeout(buf, idx, &tv, &none) < 0)
        return TERM_BADARG;
    if (select(nfds, &sets[0], &sets[1], &sets[2], none ? NULL : &tv) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    enc_tuple(reply, 4);
    enc_atom(reply, "ok");
    for (int i = 0; i < 3; i++)
        enc_fds(reply, &sets[i], nfds);
    return TERM_OK;
}
