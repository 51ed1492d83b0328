/* SPDX-License-Identifier: ISC */
/*
 * What memory costs on this machine, the unit behind nook's start-up figures: a first-touch
 * page fault, a fork of a small process, and a fork+exit+wait.
 *   cc -O2 -o _build/bench/faults bench/faults.c && _build/bench/faults
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGES 2000
#define FORKS 50

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, (size_t)(PAGES * page), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    double t = now_us();
    for (long i = 0; i < PAGES; i++)
        p[i * page] = 1;
    printf("first-touch page fault: %.2f us\n", (now_us() - t) / PAGES);
    munmap(p, (size_t)(PAGES * page));

    double forks[FORKS], waits[FORKS];
    for (int i = 0; i < FORKS; i++) {
        t = now_us();
        pid_t c = fork();
        if (c == 0)
            _exit(0);
        forks[i] = now_us() - t;
        waitpid(c, NULL, 0);
        waits[i] = now_us() - t;
    }
    qsort(forks, FORKS, sizeof(double), by_value);
    qsort(waits, FORKS, sizeof(double), by_value);
    printf("fork: %.0f us, fork+exit+wait: %.0f us (medians of %d)\n", forks[FORKS / 2],
           waits[FORKS / 2], FORKS);
    return 0;
}
