/* SPDX-License-Identifier: ISC */
/*
 * batch(Task, [{CallId, ArgsTuple, Mode} | {CallId, ArgsTuple, Mode, Refs}])
 *   -> [{0, Result} | {1, Raised}]
 * Runs plain calls one after the other in this process, each checked as if sent alone, and
 * stops after the first that fails ({error, _} or raised) unless its Mode is continue (else
 * stop): a whole op list in one round trip. Refs, [{ArgPos, OpIndex}], put the integer an
 * earlier op of the batch returned as {ok, N} (the fd of an open or a socket) in place of
 * argument ArgPos (from 1), so that an open, its write and its close go together. Every
 * element is checked before any runs. dispatch.c's nook_call_batch() calls batch_run() with
 * the runner of single calls (call.h says why).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../call.h"

/* More references than any call has arguments is a malformed batch. */
#define BATCH_REFS_MAX 8

struct batch_ref {
    int pos; /* argument position, from 1 */
    int op;  /* index of the earlier op whose {ok, N} goes there */
};

/* What an op returned, when it was {ok, Integer}: what a later op may refer to. */
struct batch_value {
    bool set;
    int64_t n;
};

/* Calls that make or replace a process, or end one, run alone (calls.def). */
static bool batchable(long id)
{
    return id >= 0 && id < NOOK_CALL_COUNT && !(call_flags((unsigned)id) & CALL_ALONE);
}

static int decode_refs(const char *buf, int *idx, int op, struct batch_ref *refs, int *nrefs)
{
    int n;
    if (ei_decode_list_header(buf, idx, &n) < 0 || n > BATCH_REFS_MAX)
        return TERM_BADARG;
    for (int i = 0; i < n; i++) {
        int arity;
        if (ei_decode_tuple_header(buf, idx, &arity) < 0 || arity != 2 ||
            term_int(buf, idx, &refs[i].pos) < 0 || term_int(buf, idx, &refs[i].op) < 0 ||
            refs[i].pos < 1 || refs[i].op < 0 || refs[i].op >= op)
            return TERM_BADARG;
    }
    if (n > 0 && (term_type(buf, idx) != ERL_NIL_EXT || ei_skip_term(buf, idx) < 0))
        return TERM_BADARG;
    *nrefs = n;
    return TERM_OK;
}

/* One element: {CallId, ArgsTuple, Mode[, Refs]}, leaving *args at the arguments. */
static int decode_op(const char *buf, int *idx, int op, long *id, int *args, char *mode,
                     size_t modelen, struct batch_ref *refs, int *nrefs)
{
    int arity;
    *nrefs = 0;
    if (ei_decode_tuple_header(buf, idx, &arity) < 0 || (arity != 3 && arity != 4) ||
        ei_decode_long(buf, idx, id) < 0 || !batchable(*id))
        return TERM_BADARG;
    *args = *idx;
    if (ei_skip_term(buf, idx) < 0 || term_atom(buf, idx, mode, modelen) < 0 ||
        (strcmp(mode, "stop") != 0 && strcmp(mode, "continue") != 0))
        return TERM_BADARG;
    return arity == 4 ? decode_refs(buf, idx, op, refs, nrefs) : TERM_OK;
}

/* The arguments with the referred values in place, or -1 if one cannot be had. */
static int substitute(const char *buf, int args, const struct batch_ref *refs, int nrefs,
                      const struct batch_value *values, ei_x_buff *out)
{
    int idx = args, arity;
    if (ei_decode_tuple_header(buf, &idx, &arity) < 0)
        return -1;
    for (int r = 0; r < nrefs; r++)
        if (refs[r].pos > arity || !values[refs[r].op].set)
            return -1;
    enc_tuple(out, arity);
    for (int pos = 1; pos <= arity; pos++) {
        int from = idx;
        if (ei_skip_term(buf, &idx) < 0)
            return -1;
        int r = 0;
        while (r < nrefs && refs[r].pos != pos)
            r++;
        if (r < nrefs)
            enc_int(out, values[refs[r].op].n);
        else if (ei_x_append_buf(out, buf + from, idx - from) < 0)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
    }
    return 0;
}

/* {ok, N}: the value later ops may refer to. */
static struct batch_value value_of(const ei_x_buff *result)
{
    struct batch_value v = {false, 0};
    int idx = 0, version, arity;
    char atom[4];
    long long n;
    if (ei_decode_version(result->buff, &idx, &version) == 0 &&
        ei_decode_tuple_header(result->buff, &idx, &arity) == 0 && arity == 2 &&
        ei_decode_atom(result->buff, &idx, atom) == 0 && strcmp(atom, "ok") == 0 &&
        ei_decode_longlong(result->buff, &idx, &n) == 0)
        v = (struct batch_value){true, n};
    return v;
}

static bool is_error_tuple(const ei_x_buff *term)
{
    int idx = 0, version, arity;
    char atom[8];
    return ei_decode_version(term->buff, &idx, &version) == 0 &&
           ei_decode_tuple_header(term->buff, &idx, &arity) == 0 && arity == 2 &&
           ei_decode_atom(term->buff, &idx, atom) == 0 && strcmp(atom, "error") == 0;
}

/* Runs op i (its arguments at args) into one: NULL, or the reason to raise. */
static const char *run_op(nook_call_runner *run, long id, const char *buf, int args,
                          const struct batch_ref *refs, int nrefs, const struct batch_value *values,
                          ei_x_buff *one)
{
    if (nrefs == 0)
        return run((unsigned)id, buf, &args, one);
    ei_x_buff sub;
    if (ei_x_new(&sub) < 0)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    int idx = 0;
    const char *raised = substitute(buf, args, refs, nrefs, values, &sub) < 0
                             ? "badarg"
                             : run((unsigned)id, sub.buff, &idx, one);
    ei_x_free(&sub);
    return raised;
}

int batch_run(const char *buf, int *idx, ei_x_buff *reply, nook_call_runner *run)
{
    int n, start = *idx, args, nrefs;
    long id;
    char mode[16];
    struct batch_ref refs[BATCH_REFS_MAX];
    if (ei_decode_list_header(buf, idx, &n) < 0)
        return TERM_BADARG;
    for (int i = 0; i < n; i++)
        if (decode_op(buf, idx, i, &id, &args, mode, sizeof(mode), refs, &nrefs) < 0)
            return TERM_BADARG;
    if (n > 0 && (term_type(buf, idx) != ERL_NIL_EXT || ei_skip_term(buf, idx) < 0))
        return TERM_BADARG;

    struct batch_value *values = calloc(n > 0 ? (size_t)n : 1, sizeof(*values));
    if (values == NULL)
        _exit(NOOK_EXIT_OUT_OF_MEMORY);
    *idx = start;
    ei_decode_list_header(buf, idx, &n);
    for (int i = 0; i < n; i++) {
        decode_op(buf, idx, i, &id, &args, mode, sizeof(mode), refs, &nrefs);
        ei_x_buff one;
        if (ei_x_new_with_version(&one) < 0)
            _exit(NOOK_EXIT_OUT_OF_MEMORY);
        const char *raised = run_op(run, id, buf, args, refs, nrefs, values, &one);
        enc_list(reply, 1);
        enc_tuple(reply, 2);
        if (raised != NULL) {
            enc_int(reply, NOOK_REPLY_RAISE);
            enc_atom(reply, raised);
        } else {
            enc_int(reply, NOOK_REPLY_RESULT);
            if (ei_x_append_buf(reply, one.buff + 1, one.index - 1) < 0)
                _exit(NOOK_EXIT_OUT_OF_MEMORY);
            values[i] = value_of(&one);
        }
        bool failed = raised != NULL || is_error_tuple(&one);
        ei_x_free(&one);
        if (failed && strcmp(mode, "stop") == 0)
            break;
    }
    free(values);
    enc_nil(reply);
    return TERM_OK;
}
