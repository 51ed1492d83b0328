/* SPDX-License-Identifier: ISC */
/* priv/nook: started by nook_port as an Erlang port; the root of a tree of nook processes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "child.h"
#include "frame.h"
#include "loop.h"
#include "protocol.h"
#include "reexec.h"
#include "signals.h"
#include "state.h"
#include "term.h"

static int default_maxchild(void)
{
    struct rlimit rl;
    return getrlimit(RLIMIT_NOFILE, &rl) < 0 ? NOOK_MAXCHILD_LIMIT
                                             : child_max_for_nofile(rl.rlim_cur);
}

static void usage(void)
{
    fprintf(stderr, "usage: nook [-m maxchild] [-d maxforkdepth]\n"
                    "       nook -R state (what reexec hands the new image)\n"
                    "Started by the nook Erlang library as a port; speaks the Erlang external\n"
                    "term format in 32-bit length frames on stdin/stdout.\n");
    exit(NOOK_EXIT_USAGE);
}

static int parse_int(const char *s, int lo, int hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        usage();
    return (int)v;
}

static void ensure_stdio_open(void)
{
    /* Our pipes must never land on 0-2: a closed stdio fd would be reused by them. */
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
            exit(NOOK_EXIT_INIT_FAILED);
}

static void send_hello(void)
{
    ei_x_buff h;
    ei_x_new_with_version(&h);
    enc_tuple(&h, 3);
    enc_atom(&h, "nook");
    enc_binary(&h, NOOK_VERSION, strlen(NOOK_VERSION));
    enc_int(&h, protocol_hash());
    frame_hello(&h);
    ei_x_free(&h);
}

/* The image reexec made: the old one's state, then on serving; its caller hears reexeced. */
static void __attribute__((noreturn)) resume_after_reexec(const char *state)
{
    if (reexec_resume(state) < 0)
        usage();
    frame_note_up_pipe();
    if (child_resize_table(nook.opt.maxchild) < 0 || signals_init() < 0)
        exit(NOOK_EXIT_INIT_FAILED);
    ei_x_buff ev;
    ei_x_new_with_version(&ev);
    enc_atom(&ev, "reexeced");
    frame_event(&ev);
    ei_x_free(&ev);
    nook_loop();
}

int main(int argc, char *argv[])
{
    state_init(default_maxchild());

    const char *resume = NULL;
    int ch;
    while ((ch = getopt(argc, argv, "m:d:R:h")) != -1) {
        switch (ch) {
        case 'R':
            resume = optarg;
            break;
        case 'm':
            nook.opt.maxchild = parse_int(optarg, 0, NOOK_MAXCHILD_LIMIT);
            break;
        case 'd':
            nook.opt.maxforkdepth = parse_int(optarg, 0, NOOK_MAXFORKDEPTH_LIMIT);
            break;
        default:
            usage();
        }
    }

    ensure_stdio_open();
    if (ei_init() != 0)
        exit(NOOK_EXIT_INIT_FAILED);
    if (resume != NULL)
        resume_after_reexec(resume);
    nook.up.rfd = STDIN_FILENO;
    nook.up.wfd = STDOUT_FILENO;
    (void)fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
    (void)fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) | O_NONBLOCK);
    frame_note_up_pipe();
    if (child_resize_table(nook.opt.maxchild) < 0 || signals_init() < 0)
        exit(NOOK_EXIT_INIT_FAILED);
    /* Orphans of programs we run come to us instead of escaping to init. */
    (void)prctl(PR_SET_CHILD_SUBREAPER, 1);
    reexec_open_self();
    send_hello();
    nook_loop();
}
