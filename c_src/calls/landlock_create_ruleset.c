/* SPDX-License-Identifier: ISC */
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../call.h"
#include "../consts/landlock.h"

/* The keys of Attr, the table of each one's values, and where each goes in the struct. */
static const struct {
    const char *key;
    const struct nook_const *table;
    size_t offset;
} attr_fields[] = {
    {"handled_access_fs", nook_landlock_access_fs_table,
     offsetof(struct nook_landlock_ruleset_attr, handled_access_fs)},
    {"handled_access_net", nook_landlock_access_net_table,
     offsetof(struct nook_landlock_ruleset_attr, handled_access_net)},
    {"scoped", nook_landlock_scope_table, offsetof(struct nook_landlock_ruleset_attr, scoped)},
};
#define ATTR_FIELDS (sizeof(attr_fields) / sizeof(attr_fields[0]))

/*
 * Attr: [] or a map of some of attr_fields' keys, each a constant or a list of them. *size is
 * how much of the struct the keys given cover (0 for none): a key given as 0 is passed too.
 */
static int decode_attr(const char *buf, int *idx, struct nook_landlock_ruleset_attr *attr,
                       size_t *size)
{
    int start = *idx, arity, rv = TERM_OK;
    bool seen[ATTR_FIELDS] = {false};
    memset(attr, 0, sizeof(*attr));
    *size = 0;
    if (term_type(buf, idx) == ERL_NIL_EXT)
        return ei_skip_term(buf, idx) < 0 ? TERM_BADARG : TERM_OK;
    if (term_type(buf, idx) != ERL_MAP_EXT || ei_decode_map_header(buf, idx, &arity) < 0 ||
        arity > (int)ATTR_FIELDS)
        return term_settle(buf, idx, start, TERM_BADARG);
    for (int i = 0; i < arity; i++) {
        char key[24];
        size_t f;
        if (term_atom(buf, idx, key, sizeof(key)) < 0)
            return term_settle(buf, idx, start, TERM_BADARG);
        for (f = 0; f < ATTR_FIELDS && strcmp(key, attr_fields[f].key) != 0; f++)
            ;
        /* A hand-made term may repeat a key: that is not a map Erlang could have sent. */
        if (f == ATTR_FIELDS || seen[f])
            return term_settle(buf, idx, start, TERM_BADARG);
        seen[f] = true;
        int64_t v;
        rv |= term_flags(buf, idx, attr_fields[f].table, 0, INT64_MAX, &v);
        memcpy((char *)attr + attr_fields[f].offset, &(uint64_t){(uint64_t)v}, sizeof(uint64_t));
        if (attr_fields[f].offset + sizeof(uint64_t) > *size)
            *size = attr_fields[f].offset + sizeof(uint64_t);
    }
    return rv == TERM_BADARG ? term_settle(buf, idx, start, rv) : rv;
}

/*
 * landlock_create_ruleset(2): landlock_create_ruleset(Task, Attr, Flags) ->
 *     {ok, FD} | {ok, ABI} | {error, posix()}
 * Attr: #{handled_access_fs => Rights, handled_access_net => Rights, scoped => Scopes}, any of
 * the keys, each a constant or a list (landlock_access_fs_*, landlock_access_net_*,
 * landlock_scope_*); [] (or #{}) for none, as flags landlock_create_ruleset_version want: then
 * the reply is the kernel's Landlock ABI version. The struct passed is as long as its last
 * field in use, so that a kernel older than a field refuses only a ruleset that needs it
 * (e2big). The FD is close-on-exec; einval: an empty ruleset; enotsup/enosys: no Landlock.
 */
int nook_call_landlock_create_ruleset(const char *buf, int *idx, ei_x_buff *reply)
{
    struct nook_landlock_ruleset_attr attr;
    size_t size;
    int64_t flags;
    int rv = decode_attr(buf, idx, &attr, &size);
    rv |= term_flags(buf, idx, nook_landlock_create_flag_table, 0, UINT32_MAX, &flags);
    if (rv != TERM_OK)
        return rv;
    reply_ok_int_or_errno(reply, syscall(SYS_landlock_create_ruleset, size > 0 ? &attr : NULL, size,
                                         (uint32_t)flags));
    return TERM_OK;
}
