/* SPDX-License-Identifier: ISC */
/* Constants of getrlimit(2)/setrlimit(2) and getpriority(2)/setpriority(2). */
#pragma once

#include "const.h"

/* RLIMIT_* resources: rlimit_nofile, rlimit_core, ... */
extern const struct nook_const nook_rlimit_table[];
/* PRIO_* kinds of Who: prio_process, prio_pgrp, prio_user */
extern const struct nook_const nook_prio_which_table[];
