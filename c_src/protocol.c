/* SPDX-License-Identifier: ISC */
/* The table hash of HELLO (protocol.h). */
#include <stdint.h>

#include "protocol.h"

/* Both files as bin/gen_calls reads them: one line per entry, its words as they are written. */
static const char table_text[] =
#define NOOK_CALL(name, arity, flags) "call " #name " " #arity " " #flags "\n"
#include "calls.def"
#undef NOOK_CALL
#define NOOK_LIMIT(name, value) "limit " #name " " #value "\n"
#define NOOK_DOWN(name, value) "down " #name " " #value "\n"
#define NOOK_UP(name, value) "up " #name " " #value "\n"
#define NOOK_REPLY(name, value) "reply " #name " " #value "\n"
#define NOOK_EXIT(name, value) "exit " #name " " #value "\n"
#include "protocol.def"
    ;

uint32_t protocol_hash(void)
{
    /* FNV-1a, 32 bits */
    uint32_t h = 2166136261u;
    for (const char *p = table_text; *p != '\0'; p++) {
        h ^= (unsigned char)*p;
        h *= 16777619u;
    }
    return h;
}
