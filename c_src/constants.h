/* SPDX-License-Identifier: ISC */
/* What the *_constant calls have in common: prx programs ask a constant's value by name. */
#pragma once

#include <ei.h>

#include "consts/const.h"

/*
 * Decode a name (an atom, either case) and reply with its value in the first of tables, a
 * NULL-terminated list, that has it, or the atom unknown: the call's answer, as in prx, not an
 * error. TERM_BADARG for a term that is no atom.
 */
int constants_reply(const char *buf, int *idx, ei_x_buff *reply,
                    const struct nook_const *const tables[]);
