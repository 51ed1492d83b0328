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
    int64_t op = 0, flags = 0; /* term_constant leaves them unset for an unknown name */
    autofree_cstruct struct cstruct prog = CSTRUCT_INIT;
    int op_rv = term_constant(buf, idx, nook_seccomp_op_table, &op);
    if (op_rv == TERM_BADARG || op < 0 || op > UINT32_MAX)
        return TERM_BADARG;
    int flags_rv = term_flags(buf, idx, nook_seccomp_flag_table, &flags);
    if (flags_rv == TERM_BADARG || flags < 0 || flags > UINT32_MAX ||
        cstruct_decode(buf, idx, NULL, &prog) < 0)
        return TERM_BADARG;
    if (op_rv == TERM_UNKNOWN || flags_rv == TERM_UNKNOWN) {
        reply_error_atom(reply, "enotsup");
        return TERM_OK;
    }
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
