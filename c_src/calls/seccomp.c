/* SPDX-License-Identifier: ISC */
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../call.h"
#include "../consts/seccomp.h"
#include "../cstruct.h"

/*
 * seccomp(2): seccomp(Task, Operation, Flags, Prog) -> ok | {ok, FD} | {error, posix()}
 * Prog is what the operation points to: for seccomp_set_mode_filter a struct sock_fprog as a
 * cstruct, [<<Len:16/native, 0:48>>, {ptr, Instructions}]; an integer, a binary or []
 * (nothing: NULL) otherwise. {ok, FD} is the listener seccomp_filter_flag_new_listener makes.
 */
int nook_call_seccomp(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t op, flags;
    autofree_cstruct struct cstruct prog = CSTRUCT_INIT;
    int rv = term_const(buf, idx, nook_seccomp_op_table, 0, UINT32_MAX, &op);
    rv |= term_flags(buf, idx, nook_seccomp_flag_table, 0, UINT32_MAX, &flags);
    rv |= cstruct_decode(buf, idx, NULL, &prog);
    if (rv != TERM_OK)
        return rv;
    /* [] is no struct at all: strict mode wants a NULL pointer. */
    void *args = prog.kind == CSTRUCT_LIST && prog.nfields == 0 ? NULL : (void *)prog.value;
    long ret = syscall(SYS_seccomp, (unsigned int)op, (unsigned int)flags, args);
    if (ret < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    if (ret == 0)
        reply_ok(reply);
    else
        reply_ok_int(reply, ret);
    return TERM_OK;
}
