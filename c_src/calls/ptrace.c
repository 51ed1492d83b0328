/* SPDX-License-Identifier: ISC */
#include <limits.h>
#include <sys/ptrace.h>

#include "../call.h"
#include "../consts/ptrace.h"
#include "../cstruct.h"

/*
 * ptrace(2): ptrace(Task, Request, Pid, Addr, Data) -> {ok, Result, Addr, Data} | {error, posix()}
 * Addr and Data are integers, binaries or cstructs (cstruct.h), returned as the call left them.
 * Result is the call's long: the word read for the peek requests (glibc's convention).
 */
int nook_call_ptrace(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t request;
    int pid;
    autofree_cstruct struct cstruct addr = CSTRUCT_INIT;
    autofree_cstruct struct cstruct data = CSTRUCT_INIT;
    int rv = term_const(buf, idx, nook_ptrace_table, INT_MIN, INT_MAX, &request);
    rv |= term_int(buf, idx, &pid);
    rv |= cstruct_decode(buf, idx, NULL, &addr);
    rv |= cstruct_decode(buf, idx, NULL, &data);
    if (rv != TERM_OK)
        return rv;
    /* A peeked word may be -1: only errno tells a failure from it. */
    errno = 0;
    long ret =
        ptrace((enum __ptrace_request)request, (pid_t)pid, (void *)addr.value, (void *)data.value);
    if (ret == -1 && errno != 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    enc_tuple(reply, 4);
    enc_atom(reply, "ok");
    enc_int(reply, ret);
    cstruct_encode(reply, &addr);
    cstruct_encode(reply, &data);
    return TERM_OK;
}
