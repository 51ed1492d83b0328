/* SPDX-License-Identifier: ISC */
/*
 * What every call handler sees. A handler decodes its arguments from buf at *idx (the
 * dispatcher has validated the term and its arity), makes its system call and encodes the
 * result into reply. It returns what its decoders said (term.h): TERM_OK with the reply in
 * reply, TERM_BADARG for the caller to raise badarg, TERM_UNKNOWN for {error, enotsup}; or
 * CALL_NEW_CHILD in the child a fork or clone has just made, which answers nothing.
 */
#pragma once

#include <ei.h>
#include <errno.h>
#include <stdbool.h>

#include "child.h"
#include "protocol.h"
#include "term.h"

#define CALL_NEW_CHILD 2

typedef int nook_call_fn(const char *buf, int *idx, ei_x_buff *reply);

/* The flags column of calls.def, which says what they mean. */
enum nook_call_flag {
    CALL_ALONE = 1,
    CALL_UNFILTERED = 2,
    CALL_WRAPPED = 4, /* of the Erlang side only */
};

#define NOOK_CALL(name, arity, flags) nook_call_fn nook_call_##name;
#include "calls.def"
#undef NOOK_CALL

enum nook_call_id {
#define NOOK_CALL(name, arity, flags) NOOK_CALL_ID_##name,
#include "calls.def"
#undef NOOK_CALL
    NOOK_CALL_COUNT
};

/* A call's flags from calls.def; 0 for an id beyond the table. */
static inline unsigned call_flags(unsigned id)
{
    switch (id) {
#define NOOK_CALL(name, arity, flags)                                                              \
    case NOOK_CALL_ID_##name:                                                                      \
        return flags;
#include "calls.def"
#undef NOOK_CALL
    }
    return 0;
}

/*
 * nook's own fds (nook_fd_is_internal) are not the caller's: a call given one answers
 * {error, ebadf}, as if it were not open. True when it has so answered.
 */
static inline bool reply_if_internal_fd(ei_x_buff *reply, int fd)
{
    if (!nook_fd_is_internal(fd))
        return false;
    reply_error(reply, EBADF);
    return true;
}

/* Runs a call as if it had come alone: NULL with its result in reply, or the reason to raise. */
typedef const char *nook_call_runner(unsigned id, const char *buf, int *idx, ei_x_buff *reply);
/*
 * batch's handler (calls/batch.c): each call of the list through run. dispatch.c hands it
 * its own runner: the call table lists batch, so batch naming dispatch would close a circle.
 */
int batch_run(const char *buf, int *idx, ei_x_buff *reply, nook_call_runner *run);
