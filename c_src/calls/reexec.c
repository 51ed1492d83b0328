/* SPDX-License-Identifier: ISC */
#include "../reexec.h"
#include "../call.h"
#include "../child.h"
#include "../loop.h"

/*
 * reexec(Task, Program, Env) -> ok | {error, posix()}: execute priv/nook again in this
 * process (reexec.h), from Program: [] (the binary the tree runs), an fd or a path. ok comes
 * from the new image (the reexeced event). Like exec, not with children (eacces), nor with
 * another frame already read behind this one (ebusy), which the new image would never see.
 */
int nook_call_reexec(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd = -1;
    autofree char *path = NULL;
    autofree_cstrings char **env = NULL;
    int type = term_type(buf, idx);
    if (type == ERL_NIL_EXT) {
        if (ei_skip_term(buf, idx) < 0)
            return TERM_BADARG;
    } else if (type == ERL_SMALL_INTEGER_EXT || type == ERL_INTEGER_EXT) {
        if (term_int(buf, idx, &fd) < 0 || fd < 0)
            return TERM_BADARG;
    } else if (term_cstring(buf, idx, &path) < 0) {
        return TERM_BADARG;
    }
    if (term_cstrings(buf, idx, &env) < 0)
        return TERM_BADARG;
    if (child_count() > 0) {
        reply_error(reply, EACCES);
        return TERM_OK;
    }
    if (!loop_up_idle()) {
        reply_error(reply, EBUSY);
        return TERM_OK;
    }
    reply_error(reply, -reexec_exec(fd, path, env));
    return TERM_OK;
}
