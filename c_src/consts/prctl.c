/* SPDX-License-Identifier: ISC */
/*
 * prctl(2) options in number order, then argument values of pr_cap_ambient (which reuse small
 * numbers: const_name() of an option number gives the option).
 */
#include <stddef.h>
#include <sys/prctl.h>

#include "prctl.h"

const struct nook_const nook_prctl_table[] = {
#ifdef PR_SET_PDEATHSIG
    NOOK_CONST("pr_set_pdeathsig", PR_SET_PDEATHSIG),
#endif
#ifdef PR_GET_PDEATHSIG
    NOOK_CONST("pr_get_pdeathsig", PR_GET_PDEATHSIG),
#endif
#ifdef PR_GET_DUMPABLE
    NOOK_CONST("pr_get_dumpable", PR_GET_DUMPABLE),
#endif
#ifdef PR_SET_DUMPABLE
    NOOK_CONST("pr_set_dumpable", PR_SET_DUMPABLE),
#endif
#ifdef PR_GET_KEEPCAPS
    NOOK_CONST("pr_get_keepcaps", PR_GET_KEEPCAPS),
#endif
#ifdef PR_SET_KEEPCAPS
    NOOK_CONST("pr_set_keepcaps", PR_SET_KEEPCAPS),
#endif
#ifdef PR_SET_NAME
    NOOK_CONST("pr_set_name", PR_SET_NAME),
#endif
#ifdef PR_GET_NAME
    NOOK_CONST("pr_get_name", PR_GET_NAME),
#endif
#ifdef PR_GET_SECCOMP
    NOOK_CONST("pr_get_seccomp", PR_GET_SECCOMP),
#endif
#ifdef PR_SET_SECCOMP
    NOOK_CONST("pr_set_seccomp", PR_SET_SECCOMP),
#endif
#ifdef PR_CAPBSET_READ
    NOOK_CONST("pr_capbset_read", PR_CAPBSET_READ),
#endif
#ifdef PR_CAPBSET_DROP
    NOOK_CONST("pr_capbset_drop", PR_CAPBSET_DROP),
#endif
#ifdef PR_GET_TSC
    NOOK_CONST("pr_get_tsc", PR_GET_TSC),
#endif
#ifdef PR_SET_TSC
    NOOK_CONST("pr_set_tsc", PR_SET_TSC),
#endif
#ifdef PR_GET_SECUREBITS
    NOOK_CONST("pr_get_securebits", PR_GET_SECUREBITS),
#endif
#ifdef PR_SET_SECUREBITS
    NOOK_CONST("pr_set_securebits", PR_SET_SECUREBITS),
#endif
#ifdef PR_SET_TIMERSLACK
    NOOK_CONST("pr_set_timerslack", PR_SET_TIMERSLACK),
#endif
#ifdef PR_GET_TIMERSLACK
    NOOK_CONST("pr_get_timerslack", PR_GET_TIMERSLACK),
#endif
#ifdef PR_TASK_PERF_EVENTS_DISABLE
    NOOK_CONST("pr_task_perf_events_disable", PR_TASK_PERF_EVENTS_DISABLE),
#endif
#ifdef PR_TASK_PERF_EVENTS_ENABLE
    NOOK_CONST("pr_task_perf_events_enable", PR_TASK_PERF_EVENTS_ENABLE),
#endif
#ifdef PR_MCE_KILL
    NOOK_CONST("pr_mce_kill", PR_MCE_KILL),
#endif
#ifdef PR_MCE_KILL_GET
    NOOK_CONST("pr_mce_kill_get", PR_MCE_KILL_GET),
#endif
#ifdef PR_SET_MM
    NOOK_CONST("pr_set_mm", PR_SET_MM),
#endif
#ifdef PR_SET_PTRACER
    NOOK_CONST("pr_set_ptracer", PR_SET_PTRACER),
#endif
#ifdef PR_SET_CHILD_SUBREAPER
    NOOK_CONST("pr_set_child_subreaper", PR_SET_CHILD_SUBREAPER),
#endif
#ifdef PR_GET_CHILD_SUBREAPER
    NOOK_CONST("pr_get_child_subreaper", PR_GET_CHILD_SUBREAPER),
#endif
#ifdef PR_SET_NO_NEW_PRIVS
    NOOK_CONST("pr_set_no_new_privs", PR_SET_NO_NEW_PRIVS),
#endif
#ifdef PR_GET_NO_NEW_PRIVS
    NOOK_CONST("pr_get_no_new_privs", PR_GET_NO_NEW_PRIVS),
#endif
#ifdef PR_GET_TID_ADDRESS
    NOOK_CONST("pr_get_tid_address", PR_GET_TID_ADDRESS),
#endif
#ifdef PR_SET_THP_DISABLE
    NOOK_CONST("pr_set_thp_disable", PR_SET_THP_DISABLE),
#endif
#ifdef PR_GET_THP_DISABLE
    NOOK_CONST("pr_get_thp_disable", PR_GET_THP_DISABLE),
#endif
#ifdef PR_CAP_AMBIENT
    NOOK_CONST("pr_cap_ambient", PR_CAP_AMBIENT),
#endif
#ifdef PR_SET_SPECULATION_CTRL
    NOOK_CONST("pr_set_speculation_ctrl", PR_SET_SPECULATION_CTRL),
#endif
#ifdef PR_GET_SPECULATION_CTRL
    NOOK_CONST("pr_get_speculation_ctrl", PR_GET_SPECULATION_CTRL),
#endif
#ifdef PR_SET_IO_FLUSHER
    NOOK_CONST("pr_set_io_flusher", PR_SET_IO_FLUSHER),
#endif
#ifdef PR_GET_IO_FLUSHER
    NOOK_CONST("pr_get_io_flusher", PR_GET_IO_FLUSHER),
#endif
#ifdef PR_SET_SYSCALL_USER_DISPATCH
    NOOK_CONST("pr_set_syscall_user_dispatch", PR_SET_SYSCALL_USER_DISPATCH),
#endif
#ifdef PR_SCHED_CORE
    NOOK_CONST("pr_sched_core", PR_SCHED_CORE),
#endif
#ifdef PR_SET_MDWE
    NOOK_CONST("pr_set_mdwe", PR_SET_MDWE),
#endif
#ifdef PR_GET_MDWE
    NOOK_CONST("pr_get_mdwe", PR_GET_MDWE),
#endif
#ifdef PR_SET_VMA
    NOOK_CONST("pr_set_vma", PR_SET_VMA),
#endif
#ifdef PR_GET_AUXV
    NOOK_CONST("pr_get_auxv", PR_GET_AUXV),
#endif
#ifdef PR_CAP_AMBIENT_RAISE
    NOOK_CONST("pr_cap_ambient_raise", PR_CAP_AMBIENT_RAISE),
#endif
#ifdef PR_CAP_AMBIENT_LOWER
    NOOK_CONST("pr_cap_ambient_lower", PR_CAP_AMBIENT_LOWER),
#endif
#ifdef PR_CAP_AMBIENT_IS_SET
    NOOK_CONST("pr_cap_ambient_is_set", PR_CAP_AMBIENT_IS_SET),
#endif
#ifdef PR_CAP_AMBIENT_CLEAR_ALL
    NOOK_CONST("pr_cap_ambient_clear_all", PR_CAP_AMBIENT_CLEAR_ALL),
#endif
    NOOK_CONST_END,
};
