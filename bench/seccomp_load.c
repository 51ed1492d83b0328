/* SPDX-License-Identifier: ISC */
/*
 * The kernel's part of loading a filter, without nook: seccomp(SECCOMP_SET_MODE_FILTER) timed
 * in N fresh processes for the program in FILE and for a one-instruction baseline.
 *   seccomp_load FILE N  ->  "name median_us ratio" lines
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG_MAX (4096 * 8)

static int by_value(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* One fresh process per sample: a process's filters stack, and the first is what we want. */
static int load_once(struct sock_fprog *prog, int out)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec a, b;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            _exit(1);
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
            _exit(1);
        clock_gettime(CLOCK_MONOTONIC, &b);
        long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
        _exit(write(out, &ns, sizeof(ns)) == sizeof(ns) ? 0 : 1);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return 0;
}

static long median_us(struct sock_fprog *prog, int n, int fds[2])
{
    long *ns = calloc((size_t)n, sizeof(long));
    if (ns == NULL)
        exit(2);
    for (int i = 0; i < n; i++)
        if (load_once(prog, fds[1]) < 0 || read(fds[0], &ns[i], sizeof(long)) != sizeof(long))
            exit(3);
    qsort(ns, (size_t)n, sizeof(long), by_value);
    long m = ns[n / 2];
    free(ns);
    return m;
}

int main(int argc, char **argv)
{
    static struct sock_filter insns[PROG_MAX / 8];
    struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    int fds[2];
    if (argc != 3 || pipe(fds) < 0)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL)
        return 2;
    size_t len = fread(insns, 1, sizeof(insns), f);
    fclose(f);
    int n = atoi(argv[2]);
    if (len == 0 || len % 8 != 0 || n <= 0)
        return 2;
    struct sock_fprog base = {.len = 1, .filter = allow};
    struct sock_fprog prog = {.len = (unsigned short)(len / 8), .filter = insns};
    long b = median_us(&base, n, fds), p = median_us(&prog, n, fds);
    printf("# seccomp(2) alone, median of %d fresh processes each\n", n);
    printf("kernel_load_1_insn %.1f us 1.00\n", (double)b / 1000);
    printf("kernel_load_%zu_insns %.1f us %.2f\n", len / 8, (double)p / 1000,
           (double)p / (double)b);
    return 0;
}
