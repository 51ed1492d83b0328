/* SPDX-License-Identifier: ISC */
/* Lookups in a constant table, both ways. */
#include <strings.h>

#include "const.h"

int const_value(const struct nook_const *table, const char *name, int64_t *value)
{
    for (const struct nook_const *c = table; c->name != NULL; c++) {
        if (strcasecmp(c->name, name) == 0) {
            *value = c->value;
            return 0;
        }
    }
    return -1;
}

const char *const_name(const struct nook_const *table, int64_t value)
{
    for (const struct nook_const *c = table; c->name != NULL; c++)
        if (c->value == value)
            return c->name;
    return NULL;
}
