/* SPDX-License-Identifier: ISC */
/*
 * Re-executing priv/nook in place (reexec/1, prx's replace_process_image): the process keeps
 * its pid, its channel up, its options, filters and signal settings, and gets a fresh memory
 * layout. The old image hands its state to the new one on the command line (-R).
 */
#pragma once

/* At the root's start: an fd to the running binary, kept by every nook process (not their
   programs) to re-execute it even where its path is out of reach. */
void reexec_open_self(void);
/*
 * Execute priv/nook again in this process: the binary at fd (-1: the one reexec_open_self
 * opened) or at path, with env. Returns -errno only when it failed; the process is as before.
 */
int reexec_exec(int fd, const char *path, char *const env[]);
/* In the new image: take up the state given with -R. 0, or -1 for a malformed one. */
int reexec_resume(const char *state);
