/* SPDX-License-Identifier: ISC */
/*
 * A child's seccomp listener, held by its parent (the child loads the filter and hands the
 * listener over: calls/seccomp_load_notify.c): each notification is relayed up as an event
 * about the child, {seccomp_notify, #{id, pid, syscall, arch, args[, mem]}}, and answered
 * by seccomp_notif_send (the conventions of child.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "child.h"

/* Bytes of a pointer argument read for an event: a path, or a socket address. */
#define NOTIFY_MEM_MAX 4096

/* The listener is ready (revents of poll): one notification up, or the listener closed
   once no process uses its filter any more. */
void notify_relay(struct nook_child *c, short revents);
/* Answer notification id: allow (the call runs) or fail it with err. */
int notify_answer(struct nook_child *c, uint64_t id, bool allow, int err);
