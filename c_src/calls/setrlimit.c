/* SPDX-License-Identifier: ISC */
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../call.h"
#include "../child.h"
#include "../consts/resource.h"
#include "../state.h"

/* A limit: the atom infinity, or an integer 0..2^64-1 (2^64-1 being RLIM_INFINITY too). */
static int decode_rlim(const char *buf, int *idx, rlim_t *v)
{
    char name[16];
    unsigned long long n;
    switch (term_type(buf, idx)) {
    case ERL_SMALL_INTEGER_EXT:
    case ERL_INTEGER_EXT:
    case ERL_SMALL_BIG_EXT:
        /* ei refuses negative numbers and numbers beyond 64 bits here. */
        if (ei_decode_ulonglong(buf, idx, &n) < 0)
            return TERM_BADARG;
        *v = (rlim_t)n;
        return TERM_OK;
    default:
        if (term_atom(buf, idx, name, sizeof(name)) < 0 || strcmp(name, "infinity") != 0)
            return TERM_BADARG;
        *v = RLIM_INFINITY;
        return TERM_OK;
    }
}

/* #{cur => Cur, max => Max}: these keys, one of them or both, in whatever order the map has
   them; *have_cur and *have_max say which. */
static int decode_rlimit(const char *buf, int *idx, struct rlimit *rl, bool *have_cur,
                         bool *have_max)
{
    int arity;
    *have_cur = *have_max = false;
    if (term_type(buf, idx) != ERL_MAP_EXT || ei_decode_map_header(buf, idx, &arity) < 0 ||
        arity < 1 || arity > 2)
        return TERM_BADARG;
    for (int i = 0; i < arity; i++) {
        char key[4];
        if (term_atom(buf, idx, key, sizeof(key)) < 0)
            return TERM_BADARG;
        /* A hand-made term may repeat a key: that is not a map Erlang could have sent. */
        if (strcmp(key, "cur") == 0 && !*have_cur) {
            *have_cur = true;
            if (decode_rlim(buf, idx, &rl->rlim_cur) < 0)
                return TERM_BADARG;
        } else if (strcmp(key, "max") == 0 && !*have_max) {
            *have_max = true;
            if (decode_rlim(buf, idx, &rl->rlim_max) < 0)
                return TERM_BADARG;
        } else {
            return TERM_BADARG;
        }
    }
    return TERM_OK;
}

/*
 * setrlimit(2): setrlimit(Task, Resource, #{cur => Cur, max => Max}) -> ok | {error, posix()}
 * Cur and Max are integers or infinity; one left out keeps its value (getrlimit(2)), as prx's
 * map type has both keys optional. RLIMIT_NOFILE also bounds the children this process
 * tracks: a soft limit too low for the children it has is refused with einval, and one that
 * succeeds lowers maxchild to what fits.
 */
int nook_call_setrlimit(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t resource;
    struct rlimit rl, old;
    bool have_cur, have_max;
    int rv = term_const(buf, idx, nook_rlimit_table, 0, INT32_MAX, &resource);
    rv |= decode_rlimit(buf, idx, &rl, &have_cur, &have_max);
    if (rv != TERM_OK)
        return rv;
    if (!(have_cur && have_max)) {
        if (getrlimit((int)resource, &old) < 0) {
            reply_error(reply, errno);
            return TERM_OK;
        }
        rl.rlim_cur = have_cur ? rl.rlim_cur : old.rlim_cur;
        rl.rlim_max = have_max ? rl.rlim_max : old.rlim_max;
    }
    bool nofile = resource == RLIMIT_NOFILE;
    int fit = child_max_for_nofile(rl.rlim_cur);
    if (nofile && child_count() > fit) {
        reply_error(reply, EINVAL);
        return TERM_OK;
    }
    if (setrlimit((int)resource, &rl) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    /* The table only shrinks when it can (children fit, memory for the copy); else the bound
       alone is lowered, which child_free_slot() honours all the same. */
    if (nofile && fit < nook.opt.maxchild && child_resize_table(fit) < 0)
        nook.opt.maxchild = fit;
    reply_ok(reply);
    return TERM_OK;
}
