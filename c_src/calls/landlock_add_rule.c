/* SPDX-License-Identifier: ISC */
#include <sys/syscall.h>
#include <unistd.h>

#include "../call.h"
#include "../consts/landlock.h"

/*
 * landlock_add_rule(2): landlock_add_rule(Task, RulesetFD, RuleType, Access, Object) ->
 *     ok | {error, posix()}
 * RuleType landlock_rule_path_beneath: Access are landlock_access_fs_* rights, Object the fd
 * of the directory (or file) they are allowed beneath, as open/4 with o_path gives it.
 * landlock_rule_net_port: Access are landlock_access_net_* rights, Object a TCP port. The
 * rights must be among those the ruleset handles (einval); a file takes only the rights
 * that apply to files (einval). nook's own fds are refused as for close/2 (ebadf).
 */
int nook_call_landlock_add_rule(const char *buf, int *idx, ei_x_buff *reply)
{
    int ruleset;
    int64_t type, access, object;
    int rv = term_int(buf, idx, &ruleset);
    rv |= term_const(buf, idx, nook_landlock_rule_table, 0, UINT32_MAX, &type);
    rv |= term_flags(buf, idx,
                     type == NOOK_LANDLOCK_RULE_NET_PORT ? nook_landlock_access_net_table
                                                         : nook_landlock_access_fs_table,
                     0, INT64_MAX, &access);
    rv |= term_int_range(buf, idx, type == NOOK_LANDLOCK_RULE_NET_PORT ? 0 : INT32_MIN,
                         type == NOOK_LANDLOCK_RULE_NET_PORT ? UINT32_MAX : INT32_MAX, &object);
    if (rv != TERM_OK)
        return rv;
    bool path = type == NOOK_LANDLOCK_RULE_PATH_BENEATH;
    if (reply_if_internal_fd(reply, ruleset) || (path && reply_if_internal_fd(reply, (int)object)))
        return TERM_OK;
    struct nook_landlock_path_beneath_attr beneath = {.allowed_access = (uint64_t)access,
                                                      .parent_fd = (int32_t)object};
    struct nook_landlock_net_port_attr port = {.allowed_access = (uint64_t)access,
                                               .port = (uint64_t)object};
    /* Another rule type goes as it is: the kernel says einval for one it does not know. */
    const void *attr = path ? (const void *)&beneath : (const void *)&port;
    reply_ok_or_errno(reply, syscall(SYS_landlock_add_rule, ruleset, (unsigned)type, attr, 0U));
    return TERM_OK;
}
