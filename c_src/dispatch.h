/* SPDX-License-Identifier: ISC */
/* From a CALL frame to a reply: the generic checks every call gets, then its handler. */
#pragma once

#include <stddef.h>

/* What the loop does once a call frame has been handled. */
enum dispatch_next {
    DISPATCH_GO_ON,    /* on to the next frame */
    DISPATCH_EXIT,     /* exit/2 was answered: end with nook.exit_after_reply */
    DISPATCH_NEW_CHILD /* this is the child a fork or clone just made: its loop starts over */
};

/* A CALL frame's body (ReqId:32 CallId:16 ETF): run it and queue its reply. */
enum dispatch_next dispatch_call(const char *body, size_t len);
