/* SPDX-License-Identifier: ISC */
#include <sys/stat.h>

#include "../call.h"

static const char *file_type(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return "regular";
    case S_IFDIR:
        return "directory";
    case S_IFLNK:
        return "symlink";
    case S_IFCHR:
        return "device";
    case S_IFBLK:
        return "block_device";
    case S_IFIFO:
        return "fifo";
    case S_IFSOCK:
        return "socket";
    default:
        return "other";
    }
}

/*
 * fstat(2): fstat(Task, FD) -> {ok, #{type, mode, uid, gid, dev, ino, nlink, size}} |
 * {error, posix()}. uid and gid as the task's user namespace sees them; dev and ino name the
 * file in every namespace.
 */
int nook_call_fstat(const char *buf, int *idx, ei_x_buff *reply)
{
    int fd;
    if (term_int(buf, idx, &fd) < 0)
        return TERM_BADARG;
    /* nook's own channels and pipes are none of the caller's business, as for close. */
    if (reply_if_internal_fd(reply, fd))
        return TERM_OK;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        reply_error(reply, errno);
        return TERM_OK;
    }
    enc_tuple(reply, 2);
    enc_atom(reply, "ok");
    enc_map(reply, 8);
    enc_atom(reply, "type");
    enc_atom(reply, file_type(st.st_mode));
    enc_atom(reply, "mode");
    enc_int(reply, (int64_t)(st.st_mode & 07777));
    enc_atom(reply, "uid");
    enc_int(reply, (int64_t)st.st_uid);
    enc_atom(reply, "gid");
    enc_int(reply, (int64_t)st.st_gid);
    enc_atom(reply, "dev");
    enc_uint(reply, st.st_dev);
    enc_atom(reply, "ino");
    enc_uint(reply, st.st_ino);
    enc_atom(reply, "nlink");
    enc_int(reply, (int64_t)st.st_nlink);
    enc_atom(reply, "size");
    enc_int(reply, (int64_t)st.st_size);
    return TERM_OK;
}
