/* SPDX-License-Identifier: ISC */
/* From a CALL frame to a reply (dispatch.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "dispatch.h"
#include "frame.h"
#include "state.h"

static const struct {
    int arity;
    nook_call_fn *fn;
} call_table[] = {
#define NOOK_CALL(name, arity, flags) {arity, nook_call_##name},
#include "calls.def"
#undef NOOK_CALL
};

_Static_assert(NOOK_CALL_COUNT <= 8 * sizeof(((struct nook_state *)0)->filter),
               "the call filter has a bit per call");

static bool filtered(const uint8_t *set, unsigned id) { return set[id / 8] & (1u << (id % 8)); }

/*
 * The generic checks, then the handler: NULL with the result in reply, or the reason to
 * raise. In the child a fork or clone has just made, NULL with new_child set.
 */
static const char *run(unsigned id, const char *buf, int *idx, ei_x_buff *reply, bool *new_child)
{
    if (id >= NOOK_CALL_COUNT || (!(call_flags(id) & CALL_UNFILTERED) && filtered(nook.filter, id)))
        return "undef";
    int arity;
    if (ei_decode_tuple_header(buf, idx, &arity) < 0 || arity != call_table[id].arity)
        return "badarg";
    int start = reply->index;
    switch (call_table[id].fn(buf, idx, reply)) {
    case TERM_OK:
        return NULL;
    case TERM_UNKNOWN:
        /* The one place an unknown constant is answered, whatever the call. */
        reply->index = start;
        reply_error_atom(reply, "enotsup");
        return NULL;
    case CALL_NEW_CHILD:
        *new_child = true;
        return NULL;
    default:
        return "badarg";
    }
}

/* What batch runs each of its calls with: never a fork (calls.def: alone), so no new child. */
static const char *run_in_batch(unsigned id, const char *buf, int *idx, ei_x_buff *reply)
{
    bool new_child = false;
    return run(id, buf, idx, reply, &new_child);
}

int nook_call_batch(const char *buf, int *idx, ei_x_buff *reply)
{
    return batch_run(buf, idx, reply, run_in_batch);
}

/* A call's argument bytes, validated as a whole, to its reply. */
static enum dispatch_next dispatch_args(int32_t reqid, unsigned id, const char *args,
                                        size_t argslen)
{
    int idx = 0, version;
    if (id < NOOK_CALL_COUNT &&
        (term_validate(args, argslen) < 0 || ei_decode_version(args, &idx, &version) < 0)) {
        frame_raise(reqid, "badarg");
        return DISPATCH_GO_ON;
    }
    ei_x_buff reply;
    if (ei_x_new_with_version(&reply) < 0)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    bool new_child = false;
    const char *raised = run(id, args, &idx, &reply, &new_child);
    if (new_child) {
        ei_x_free(&reply);
        return DISPATCH_NEW_CHILD;
    }
    if (raised == NULL)
        frame_reply(reqid, NOOK_REPLY_RESULT, &reply);
    else
        frame_raise(reqid, raised);
    ei_x_free(&reply);
    return nook.exit_after_reply >= 0 ? DISPATCH_EXIT : DISPATCH_GO_ON;
}

enum dispatch_next dispatch_call(const char *body, size_t len)
{
    /* body: ReqId:32 CallId:16 ETF */
    if (len < 6) {
        frame_protocol_error("short_call");
        return DISPATCH_GO_ON;
    }
    const unsigned char *p = (const unsigned char *)body;
    int32_t reqid = (int32_t)be32_get(p);
    unsigned id = (unsigned)p[4] << 8 | p[5];
    const char *args = body + 6;
    size_t argslen = len - 6;

#ifdef NOOK_EXACT_ARGS
    /* Sanitizer builds: the arguments alone in an allocation of their size, so that a read
       past them is reported, not served from the next frame. */
    char *copy = malloc(argslen > 0 ? argslen : 1);
    if (copy == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    memcpy(copy, args, argslen);
    enum dispatch_next next = dispatch_args(reqid, id, copy, argslen);
    free(copy);
    return next;
#else
    return dispatch_args(reqid, id, args, argslen);
#endif
}
