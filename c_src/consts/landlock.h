/* SPDX-License-Identifier: ISC */
/*
 * landlock(7): the rights, rule types and flags of the three Landlock calls, and the layouts
 * of their arguments as the kernel's ABI fixes them. Debian 12's headers stop at ABI 2; the
 * kernel may be newer (ABI 7 here), so later values are named here when the headers lack them.
 */
#pragma once

#include <stdint.h>

#include "const.h"

/* struct landlock_ruleset_attr: 8 bytes up to ABI 3, 16 from ABI 4 (net), 24 from ABI 6. */
struct nook_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

/* struct landlock_path_beneath_attr, packed as the kernel has it. */
struct nook_landlock_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

/* struct landlock_net_port_attr (ABI 4). */
struct nook_landlock_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
};

/* enum landlock_rule_type: an enum in the headers, so not testable with #ifdef. */
#define NOOK_LANDLOCK_RULE_PATH_BENEATH 1
#define NOOK_LANDLOCK_RULE_NET_PORT 2

extern const struct nook_const nook_landlock_access_fs_table[];
extern const struct nook_const nook_landlock_access_net_table[];
extern const struct nook_const nook_landlock_scope_table[];
extern const struct nook_const nook_landlock_rule_table[];
extern const struct nook_const nook_landlock_create_flag_table[];
extern const struct nook_const nook_landlock_restrict_flag_table[];
