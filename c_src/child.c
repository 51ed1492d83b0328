/* SPDX-License-Identifier: ISC */
/* The table of this process's children (child.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "state.h"

/*
 * Slots allocated when a process starts; the table doubles as children come, up to maxchild.
 * A new process pays for the slots it uses only: each page it touches is a page fault, and a
 * table sized for maxchild up front cost a forked child ~140 of them.
 */
#define CHILD_TABLE_START 16

static struct nook_child *table;
static int slots; /* allocated; grows up to nook.opt.maxchild */
static int hi;    /* one past the highest slot in use: scans stop here */
static int used;  /* slots in use */

struct nook_child *child_by_pid(pid_t pid)
{
    if (pid <= 0)
        return NULL;
    for (int i = 0; i < hi; i++)
        if (table[i].pid == pid)
            return &table[i];
    return NULL;
}

struct nook_child *child_next(int *pos)
{
    while (*pos < hi) {
        struct nook_child *c = &table[(*pos)++];
        if (c->pid != 0)
            return c;
    }
    return NULL;
}

struct nook_child *child_in_slot(int slot, pid_t pid)
{
    return slot >= 0 && slot < hi && table[slot].pid == pid ? &table[slot] : NULL;
}

int child_count(void) { return used; }

static int grow_table(void)
{
    int cap = slots * 2;
    if (cap > nook.opt.maxchild)
        cap = nook.opt.maxchild;
    if (cap <= slots)
        return -EAGAIN;
    struct nook_child *t = realloc(table, (size_t)cap * sizeof(*t));
    if (t == NULL)
        return -ENOMEM;
    memset(t + slots, 0, (size_t)(cap - slots) * sizeof(*t));
    table = t;
    slots = cap;
    return 0;
}

struct nook_child *child_free_slot(void)
{
    if (used >= nook.opt.maxchild)
        return NULL;
    for (int i = 0; i < slots; i++)
        if (table[i].pid == 0)
            return &table[i];
    int first_new = slots;
    return grow_table() < 0 ? NULL : &table[first_new];
}

void child_occupy(struct nook_child *c, pid_t pid)
{
    memset(c, 0, sizeof(*c));
    c->pid = pid;
    c->ctl = c->in = c->out = c->err = c->notify = c->notify_in = -1;
    used++;
    if (c - table >= hi)
        hi = (int)(c - table) + 1;
}

void child_close_fd(int *fd)
{
    if (*fd >= 0) {
        int saved = errno;
        (void)close(*fd);
        errno = saved;
        *fd = -1;
    }
}

void child_release(struct nook_child *c)
{
    child_close_fd(&c->ctl);
    child_close_fd(&c->in);
    child_close_fd(&c->out);
    child_close_fd(&c->err);
    child_close_fd(&c->notify);
    child_close_fd(&c->notify_in);
    buf_free(&c->ctl_in);
    buf_free(&c->ctl_out);
    buf_free(&c->stdin_queue);
    bool was_used = c->pid != 0;
    memset(c, 0, sizeof(*c));
    c->ctl = c->in = c->out = c->err = c->notify = c->notify_in = -1;
    if (was_used)
        used--;
    while (hi > 0 && table[hi - 1].pid == 0)
        hi--;
}

void child_forget_all(void)
{
    for (int i = 0; i < hi; i++)
        if (table[i].pid != 0)
            child_release(&table[i]);
    free(table);
    table = NULL;
    slots = hi = used = 0;
}

int child_resize_table(int maxchild)
{
    if (maxchild < used)
        return -EBUSY;
    int cap = maxchild < CHILD_TABLE_START ? maxchild : CHILD_TABLE_START;
    if (cap < used)
        cap = used;
    struct nook_child *t = calloc((size_t)(cap > 0 ? cap : 1), sizeof(*t));
    if (t == NULL)
        return -ENOMEM;
    int j = 0;
    for (int i = 0; i < hi; i++)
        if (table[i].pid != 0)
            t[j++] = table[i];
    free(table);
    table = t;
    slots = cap;
    hi = j;
    used = j;
    nook.opt.maxchild = maxchild;
    return 0;
}

int child_max_for_nofile(rlim_t nofile)
{
    if (nofile == RLIM_INFINITY)
        return NOOK_MAXCHILD_LIMIT;
    if (nofile <= NOOK_FDS_RESERVED)
        return 0;
    rlim_t n = (nofile - NOOK_FDS_RESERVED) / NOOK_FDS_PER_CHILD;
    return n > NOOK_MAXCHILD_LIMIT ? NOOK_MAXCHILD_LIMIT : (int)n;
}

bool nook_fd_is_internal(int fd)
{
    if (fd < 0)
        return false;
    if (fd == nook.up.rfd || fd == nook.up.wfd || fd == nook.sigfd || fd == nook.exe_fd)
        return true;
    for (int i = 0; i < hi; i++) {
        const struct nook_child *c = &table[i];
        if (c->pid != 0 && (fd == c->ctl || fd == c->in || fd == c->out || fd == c->err ||
                            fd == c->notify || fd == c->notify_in))
            return true;
    }
    return false;
}
