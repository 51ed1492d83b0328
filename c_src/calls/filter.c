/* SPDX-License-Identifier: ISC */
#include <string.h>

#include "../call.h"
#include "../state.h"

/*
 * filter(Task, Self, Children) -> ok: two bitmaps (bit N%8 of byte N/8 for call id N) of
 * calls to refuse from now on in this process and in children forked later. Bits are only
 * ever added: a filter tightens, never loosens.
 */
static int decode_set(const char *buf, int *idx, uint8_t set[64])
{
    char bytes[64];
    long n;
    int type, size;
    if (ei_get_type(buf, idx, &type, &size) < 0 || type != ERL_BINARY_EXT || size > 64)
        return TERM_BADARG;
    if (ei_decode_binary(buf, idx, bytes, &n) < 0)
        return TERM_BADARG;
    memset(set, 0, 64);
    memcpy(set, bytes, (size_t)n);
    return TERM_OK;
}

int nook_call_filter(const char *buf, int *idx, ei_x_buff *reply)
{
    uint8_t self[64], children[64];
    if (decode_set(buf, idx, self) < 0 || decode_set(buf, idx, children) < 0)
        return TERM_BADARG;
    for (size_t i = 0; i < sizeof(self); i++) {
        nook.filter[i] |= self[i];
        nook.filter_child[i] |= children[i];
    }
    reply_ok(reply);
    return TERM_OK;
}
