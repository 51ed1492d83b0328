/* SPDX-License-Identifier: ISC */
#include "constants.h"

#include "term.h"

int constants_reply(const char *buf, int *idx, ei_x_buff *reply,
                    const struct nook_const *const tables[])
{
    char name[MAXATOMLEN_UTF8];
    if (term_atom(buf, idx, name, sizeof(name)) < 0)
        return TERM_BADARG;
    for (int i = 0; tables[i] != NULL; i++) {
        int64_t v;
        if (const_value(tables[i], name, &v) == 0) {
            reply_int(reply, v);
            return TERM_OK;
        }
    }
    reply_atom(reply, "unknown");
    return TERM_OK;
}
