/* SPDX-License-Identifier: ISC */
#include <sys/mount.h>

#include "mount.h"

/* mount(2) flags: what is mounted how, and propagation changes (ms_private, ms_rec...). */
const struct nook_const nook_mount_flags_table[] = {
#ifdef MS_RDONLY
    NOOK_CONST("ms_rdonly", MS_RDONLY),
#endif
#ifdef MS_NOSUID
    NOOK_CONST("ms_nosuid", MS_NOSUID),
#endif
#ifdef MS_NODEV
    NOOK_CONST("ms_nodev", MS_NODEV),
#endif
#ifdef MS_NOEXEC
    NOOK_CONST("ms_noexec", MS_NOEXEC),
#endif
#ifdef MS_SYNCHRONOUS
    NOOK_CONST("ms_synchronous", MS_SYNCHRONOUS),
    NOOK_CONST("ms_sync", MS_SYNCHRONOUS),
#endif
#ifdef MS_REMOUNT
    NOOK_CONST("ms_remount", MS_REMOUNT),
#endif
#ifdef MS_MANDLOCK
    NOOK_CONST("ms_mandlock", MS_MANDLOCK),
#endif
#ifdef MS_DIRSYNC
    NOOK_CONST("ms_dirsync", MS_DIRSYNC),
#endif
#ifdef MS_NOSYMFOLLOW
    NOOK_CONST("ms_nosymfollow", MS_NOSYMFOLLOW),
#endif
#ifdef MS_NOATIME
    NOOK_CONST("ms_noatime", MS_NOATIME),
#endif
#ifdef MS_NODIRATIME
    NOOK_CONST("ms_nodiratime", MS_NODIRATIME),
#endif
#ifdef MS_BIND
    NOOK_CONST("ms_bind", MS_BIND),
#endif
#ifdef MS_MOVE
    NOOK_CONST("ms_move", MS_MOVE),
#endif
#ifdef MS_REC
    NOOK_CONST("ms_rec", MS_REC),
#endif
#ifdef MS_SILENT
    NOOK_CONST("ms_silent", MS_SILENT),
#endif
#ifdef MS_POSIXACL
    NOOK_CONST("ms_posixacl", MS_POSIXACL),
#endif
#ifdef MS_UNBINDABLE
    NOOK_CONST("ms_unbindable", MS_UNBINDABLE),
#endif
#ifdef MS_PRIVATE
    NOOK_CONST("ms_private", MS_PRIVATE),
#endif
#ifdef MS_SLAVE
    NOOK_CONST("ms_slave", MS_SLAVE),
#endif
#ifdef MS_SHARED
    NOOK_CONST("ms_shared", MS_SHARED),
#endif
#ifdef MS_RELATIME
    NOOK_CONST("ms_relatime", MS_RELATIME),
#endif
#ifdef MS_I_VERSION
    NOOK_CONST("ms_i_version", MS_I_VERSION),
#endif
#ifdef MS_STRICTATIME
    NOOK_CONST("ms_strictatime", MS_STRICTATIME),
#endif
#ifdef MS_LAZYTIME
    NOOK_CONST("ms_lazytime", MS_LAZYTIME),
#endif
    NOOK_CONST_END,
};

/* umount2(2) flags. */
const struct nook_const nook_umount_flags_table[] = {
#ifdef MNT_FORCE
    NOOK_CONST("mnt_force", MNT_FORCE),
#endif
#ifdef MNT_DETACH
    NOOK_CONST("mnt_detach", MNT_DETACH),
#endif
#ifdef MNT_EXPIRE
    NOOK_CONST("mnt_expire", MNT_EXPIRE),
#endif
#ifdef UMOUNT_NOFOLLOW
    NOOK_CONST("umount_nofollow", UMOUNT_NOFOLLOW),
#endif
    NOOK_CONST_END,
};
