/* SPDX-License-Identifier: ISC */
#include <sys/syscall.h>
#include <unistd.h>

#include "../call.h"
#include "../consts/landlock.h"

/*
 * landlock_restrict_self(2): landlock_restrict_self(Task, RulesetFD, Flags) ->
 *     ok | {error, posix()}
 * Task's process and everything it starts from now on are held to the ruleset, for good;
 * rulesets stack, each only narrowing. eperm: the process has neither no_new_privs (prctl
 * pr_set_no_new_privs) nor CAP_SYS_ADMIN in its user namespace. Flags: 0, or the
 * landlock_restrict_self_log_* flags of ABI 7. nook's own fds are refused (ebadf).
 */
int nook_call_landlock_restrict_self(const char *buf, int *idx, ei_x_buff *reply)
{
    int ruleset;
    int64_t flags;
    int rv = term_int(buf, idx, &ruleset);
    rv |= term_flags(buf, idx, nook_landlock_restrict_flag_table, 0, UINT32_MAX, &flags);
    if (rv != TERM_OK)
        return rv;
    if (reply_if_internal_fd(reply, ruleset))
        return TERM_OK;
    reply_ok_or_errno(reply, syscall(SYS_landlock_restrict_self, ruleset, (uint32_t)flags));
    return TERM_OK;
}
