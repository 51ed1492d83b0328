/* SPDX-License-Identifier: ISC */
/*
 * What every call handler sees. A handler decodes its arguments from buf at *idx (the
 * dispatcher has validated the term and its arity), makes its system call and encodes the
 * result into reply. It returns TERM_OK, or TERM_BADARG to make the caller raise badarg.
 */
#pragma once

#include <ei.h>
#include <errno.h>

#include "nook.h"
#include "term.h"

typedef int nook_call_fn(const char *buf, int *idx, ei_x_buff *reply);

#define NOOK_CALL(name, arity) nook_call_fn nook_call_##name;
#include "calls.def"
#undef NOOK_CALL

enum nook_call_id {
#define NOOK_CALL(name, arity) NOOK_CALL_ID_##name,
#include "calls.def"
#undef NOOK_CALL
    NOOK_CALL_COUNT
};
