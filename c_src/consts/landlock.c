/* SPDX-License-Identifier: ISC */
/* Landlock's rights, rule types and flags (landlock.h); values the headers lack are the
   kernel's, which never change once released. */
#include <linux/landlock.h>
#include <stddef.h>

#include "landlock.h"

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13) /* ABI 2 */
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0) /* ABI 4 */
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1) /* ABI 4 */
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1) /* ABI 6 */
#endif
#ifndef LANDLOCK_CREATE_RULESET_ERRATA
#define LANDLOCK_CREATE_RULESET_ERRATA (1U << 1) /* ABI 7 */
#endif
#ifndef LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF
#define LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF (1U << 0) /* ABI 7 */
#endif
#ifndef LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON
#define LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON (1U << 1) /* ABI 7 */
#endif
#ifndef LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF
#define LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1U << 2) /* ABI 7 */
#endif

const struct nook_const nook_landlock_access_fs_table[] = {
    NOOK_CONST("landlock_access_fs_execute", LANDLOCK_ACCESS_FS_EXECUTE),
    NOOK_CONST("landlock_access_fs_write_file", LANDLOCK_ACCESS_FS_WRITE_FILE),
    NOOK_CONST("landlock_access_fs_read_file", LANDLOCK_ACCESS_FS_READ_FILE),
    NOOK_CONST("landlock_access_fs_read_dir", LANDLOCK_ACCESS_FS_READ_DIR),
    NOOK_CONST("landlock_access_fs_remove_dir", LANDLOCK_ACCESS_FS_REMOVE_DIR),
    NOOK_CONST("landlock_access_fs_remove_file", LANDLOCK_ACCESS_FS_REMOVE_FILE),
    NOOK_CONST("landlock_access_fs_make_char", LANDLOCK_ACCESS_FS_MAKE_CHAR),
    NOOK_CONST("landlock_access_fs_make_dir", LANDLOCK_ACCESS_FS_MAKE_DIR),
    NOOK_CONST("landlock_access_fs_make_reg", LANDLOCK_ACCESS_FS_MAKE_REG),
    NOOK_CONST("landlock_access_fs_make_sock", LANDLOCK_ACCESS_FS_MAKE_SOCK),
    NOOK_CONST("landlock_access_fs_make_fifo", LANDLOCK_ACCESS_FS_MAKE_FIFO),
    NOOK_CONST("landlock_access_fs_make_block", LANDLOCK_ACCESS_FS_MAKE_BLOCK),
    NOOK_CONST("landlock_access_fs_make_sym", LANDLOCK_ACCESS_FS_MAKE_SYM),
    NOOK_CONST("landlock_access_fs_refer", LANDLOCK_ACCESS_FS_REFER),
    NOOK_CONST("landlock_access_fs_truncate", LANDLOCK_ACCESS_FS_TRUNCATE),
    NOOK_CONST("landlock_access_fs_ioctl_dev", LANDLOCK_ACCESS_FS_IOCTL_DEV),
    NOOK_CONST_END,
};

const struct nook_const nook_landlock_access_net_table[] = {
    NOOK_CONST("landlock_access_net_bind_tcp", LANDLOCK_ACCESS_NET_BIND_TCP),
    NOOK_CONST("landlock_access_net_connect_tcp", LANDLOCK_ACCESS_NET_CONNECT_TCP),
    NOOK_CONST_END,
};

const struct nook_const nook_landlock_scope_table[] = {
    NOOK_CONST("landlock_scope_abstract_unix_socket", LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET),
    NOOK_CONST("landlock_scope_signal", LANDLOCK_SCOPE_SIGNAL),
    NOOK_CONST_END,
};

const struct nook_const nook_landlock_rule_table[] = {
    NOOK_CONST("landlock_rule_path_beneath", NOOK_LANDLOCK_RULE_PATH_BENEATH),
    NOOK_CONST("landlock_rule_net_port", NOOK_LANDLOCK_RULE_NET_PORT),
    NOOK_CONST_END,
};

const struct nook_const nook_landlock_create_flag_table[] = {
    NOOK_CONST("landlock_create_ruleset_version", LANDLOCK_CREATE_RULESET_VERSION),
    NOOK_CONST("landlock_create_ruleset_errata", LANDLOCK_CREATE_RULESET_ERRATA),
    NOOK_CONST_END,
};

const struct nook_const nook_landlock_restrict_flag_table[] = {
    NOOK_CONST("landlock_restrict_self_log_same_exec_off",
               LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF),
    NOOK_CONST("landlock_restrict_self_log_new_exec_on", LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON),
    NOOK_CONST("landlock_restrict_self_log_subdomains_off",
               LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF),
    NOOK_CONST_END,
};
