/* SPDX-License-Identifier: ISC */
#include <limits.h>
#include <sys/prctl.h>

#include "../call.h"
#include "../consts/prctl.h"
#include "../cstruct.h"

/*
 * prctl(2): prctl(Task, Option, Arg2, Arg3, Arg4, Arg5) ->
 *     {ok, Ret, Arg2, Arg3, Arg4, Arg5} | {error, posix()}
 * Each Arg is an integer, a binary or a cstruct (cstruct.h), returned as the call left it; an
 * atom names a signal for pr_set_pdeathsig and an argument value (pr_cap_ambient_raise, ...)
 * otherwise. An integer is passed as is: give a buffer where the option writes through a pointer.
 */
int nook_call_prctl(const char *buf, int *idx, ei_x_buff *reply)
{
    int64_t option;
    autofree_cstruct struct cstruct a2 = CSTRUCT_INIT;
    autofree_cstruct struct cstruct a3 = CSTRUCT_INIT;
    autofree_cstruct struct cstruct a4 = CSTRUCT_INIT;
    autofree_cstruct struct cstruct a5 = CSTRUCT_INIT;
    struct cstruct *arg[4] = {&a2, &a3, &a4, &a5};

    int rv = term_const(buf, idx, nook_prctl_table, INT_MIN, INT_MAX, &option);
    const struct nook_const *names = nook_prctl_table;
#ifdef PR_SET_PDEATHSIG
    if (rv == TERM_OK && option == PR_SET_PDEATHSIG)
        names = nook_signal_table;
#endif
    for (int i = 0; i < 4; i++)
        rv |= cstruct_decode(buf, idx, names, arg[i]);
    if (rv != TERM_OK)
        return rv;
    int ret = prctl((int)option, a2.value, a3.value, a4.value, a5.value);
    if (ret < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    enc_tuple(reply, 6);
    enc_atom(reply, "ok");
    enc_int(reply, ret);
    for (int i = 0; i < 4; i++)
        cstruct_encode(reply, arg[i]);
    return TERM_OK;
}
