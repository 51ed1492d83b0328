# SPDX-License-Identifier: ISC
# Builds priv/nook and the generated call table; `make test` is the whole suite.
ERL_LIB_DIR := $(shell erl -noshell -eval 'io:format("~s", [code:lib_dir(erl_interface)]), halt().' 2>/dev/null)
CC ?= cc
CFLAGS ?= -O2 -g
NOOK_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wsign-compare -Wswitch-enum -Wshadow \
	-Wformat=2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE \
	-I$(ERL_LIB_DIR)/include -Ic_src
NOOK_LDFLAGS := -pie -Wl,-z,relro,-z,now -L$(ERL_LIB_DIR)/lib
PKG_CONFIG ?= pkg-config
NOOK_LIBS := -lei -lpthread $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null)
# priv/nook is linked statically: with no shared library to map and relocate, a start takes
# ~30 fewer page faults and a fork fewer mappings to copy (page faults cost ~20 us each on a
# paravirtualized VM; a rootless start is ~2 ms sooner). priv/nook-dynamic, the same objects
# linked dynamically, is for valgrind, which cannot follow malloc in a static program: only
# `make memcheck` builds it.
NOOK_STATIC_LDFLAGS := -static-pie -Wl,-z,relro,-z,now -L$(ERL_LIB_DIR)/lib
# libei's ei_init() brings its resolver, and glibc warns that the name lookups in it would
# need glibc's shared NSS libraries at run time. nook never looks a name up: exactly these
# lines of the static link are dropped; anything else the linker says is shown.
STATIC_LINK_NOISE := -e "libei\.a\(ei_resolve\.o\): in function .ei_gethostby(name|addr)(_r)?.:$$" \
	-e "warning: Using 'gethostby(name|addr)(_r)?' in statically linked applications requires"

C_SRCS := $(wildcard c_src/*.c c_src/calls/*.c c_src/consts/*.c)
NOOK_SRCS := $(filter-out c_src/test_%.c,$(C_SRCS))
C_HDRS := $(wildcard c_src/*.h c_src/consts/*.h) c_src/calls.def c_src/protocol.def

.PHONY: all compile test test-asan memcheck demo clean c-test bench soak fuzz fuzz-build fuzz-regress fuzz-corpus build-deps

# A target whose recipe fails leaves nothing behind that looks built.
.DELETE_ON_ERROR:

# What a user runs: the port program and the Erlang side of the call and protocol tables.
all: priv/nook src/nook_calls.erl src/nook_protocol.erl

# What the build needs from the system, checked before anything is compiled, one line each.
build-deps:
	@test -n "$(ERL_LIB_DIR)" || { echo "nook: erl not found or erl_interface missing: install Erlang (Debian: erlang-nox erlang-dev), or run bin/bootstrap" >&2; exit 1; }
	@test -f "$(ERL_LIB_DIR)/include/ei.h" || { echo "nook: $(ERL_LIB_DIR)/include/ei.h missing: install erl_interface's headers (Debian: erlang-dev), or run bin/bootstrap" >&2; exit 1; }
	@command -v $(CC) >/dev/null || { echo "nook: no C compiler ($(CC)): install one (Debian: gcc), or run bin/bootstrap" >&2; exit 1; }
	@command -v $(PKG_CONFIG) >/dev/null || { echo "nook: $(PKG_CONFIG) not found: install it (Debian: pkg-config), or run bin/bootstrap" >&2; exit 1; }
	@$(PKG_CONFIG) --exists libseccomp || { echo "nook: libseccomp not found by $(PKG_CONFIG): install it (Debian: libseccomp-dev), or run bin/bootstrap" >&2; exit 1; }

NOOK_OBJS := $(patsubst c_src/%.c,_build/obj/%.o,$(NOOK_SRCS))

_build/obj/%.o: c_src/%.c $(C_HDRS) | build-deps
	@mkdir -p $(dir $@)
	$(CC) $(NOOK_CFLAGS) $(CFLAGS) -c $< -o $@

# Linked to a temporary name and moved into place: a failed link leaves no priv/nook (an old
# one is removed first: it would not match the objects).
priv/nook: $(NOOK_OBJS) | build-deps
	@mkdir -p priv
	@rm -f $@
	$(CC) -o _build/nook.link $(NOOK_OBJS) $(NOOK_STATIC_LDFLAGS) $(LDFLAGS) $(NOOK_LIBS) \
		2>_build/nook.link.log; status=$$?; grep -Ev $(STATIC_LINK_NOISE) _build/nook.link.log >&2; \
		rm -f _build/nook.link.log; [ $$status -eq 0 ] || { rm -f _build/nook.link; exit 1; }
	@mv _build/nook.link $@

priv/nook-dynamic: $(NOOK_OBJS) | build-deps
	@mkdir -p priv
	$(CC) -o $@ $(NOOK_OBJS) $(NOOK_LDFLAGS) $(LDFLAGS) $(NOOK_LIBS)

# The Erlang side of calls.def and protocol.def.
src/nook_calls.erl src/nook_protocol.erl &: c_src/calls.def c_src/protocol.def bin/gen_calls
	bin/gen_calls c_src/calls.def c_src/protocol.def src/nook_calls.erl src/nook_protocol.erl

# The same program built with AddressSanitizer and UndefinedBehaviorSanitizer, every report
# fatal, for `make test-asan` (bin/test-asan), which points nook_port at it (NOOK_PROGNAME).
ASAN_CC ?= $(CC)
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -U_FORTIFY_SOURCE -DNOOK_EXACT_ARGS -DNOOK_LEAK_CHECK

ASAN_OBJS := $(patsubst c_src/%.c,_build/asan/obj/%.o,$(NOOK_SRCS))

_build/asan/obj/%.o: c_src/%.c $(C_HDRS) | build-deps
	@mkdir -p $(dir $@)
	$(ASAN_CC) $(filter-out -D_FORTIFY_SOURCE=2,$(NOOK_CFLAGS)) $(ASAN_CFLAGS) -c $< -o $@

priv/nook-asan: $(ASAN_OBJS)
	@mkdir -p priv
	$(ASAN_CC) -o $@ $(ASAN_OBJS) $(NOOK_LDFLAGS) -fsanitize=address,undefined $(NOOK_LIBS)

test-asan: all priv/nook-asan
	bin/test-asan

# A short scenario with every nook process under valgrind (bin/memcheck).
memcheck: compile priv/nook-dynamic
	bin/memcheck

priv/test_term: c_src/test_term.c c_src/term.c c_src/buf.c $(wildcard c_src/consts/*.c) $(C_HDRS) | build-deps
	@mkdir -p priv
	$(CC) $(NOOK_CFLAGS) $(CFLAGS) -o $@ c_src/test_term.c c_src/term.c c_src/buf.c \
		$(wildcard c_src/consts/*.c) $(NOOK_LDFLAGS) $(NOOK_LIBS)

c-test: priv/test_term
	priv/test_term

compile:
	rebar3 compile

# ---- fuzzing (c_src/fuzz/README.md) ----
# libFuzzer over the byte stream priv/nook reads: frames, dispatch, terms, every handler, with
# the system calls renamed to stubs (c_src/fuzz/libc.txt) in the objects the harness links.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR := _build/fuzz
FUZZ_BIN := $(FUZZ_DIR)/nook_fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -U_FORTIFY_SOURCE \
	-DNOOK_FRAME_MAX=16384u -DNOOK_EXACT_ARGS -Wall -Wextra -Werror -Wno-unused-parameter \
	-I$(ERL_LIB_DIR)/include -Ic_src
FUZZ_NOOK_OBJS := $(patsubst c_src/%.c,$(FUZZ_DIR)/obj/%.o,$(filter-out c_src/main.c,$(NOOK_SRCS)))
# A generous timeout: on a loaded machine an input of 20 ms has waited 14 s for a CPU.
FUZZ_OPTS := -max_len=65536 -timeout=60 -rss_limit_mb=2048 -print_final_stats=1

$(FUZZ_DIR)/redefine.map: c_src/fuzz/libc.txt
	@mkdir -p $(dir $@)
	awk '$$1 == "stub" { print $$2, "fuzz_" $$2 }' $< >$@

$(FUZZ_DIR)/obj/%.o: c_src/%.c $(C_HDRS) $(FUZZ_DIR)/redefine.map
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c $< -o $@
	objcopy --redefine-syms=$(FUZZ_DIR)/redefine.map $@

$(FUZZ_BIN): $(FUZZ_NOOK_OBJS) c_src/fuzz/fuzz_frames.c c_src/fuzz/stubs.c c_src/fuzz/fuzz.h \
		c_src/fuzz/libc.txt bin/fuzz-audit
	@bin/fuzz-audit c_src/fuzz/libc.txt $(FUZZ_NOOK_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ic_src/fuzz -fsanitize=fuzzer $(FUZZ_SAN) -o $@ \
		c_src/fuzz/fuzz_frames.c c_src/fuzz/stubs.c $(FUZZ_NOOK_OBJS) \
		-L$(ERL_LIB_DIR)/lib $(NOOK_LIBS)

fuzz-build: $(FUZZ_BIN)

# New inputs go to $(FUZZ_DIR)/corpus; the committed seeds and regressions are read only.
fuzz: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	$(FUZZ_BIN) $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/ \
		$(FUZZ_DIR)/corpus test/fuzz/corpus test/fuzz/regressions

# Every committed input once: fast, for a fix's test.
fuzz-regress: $(FUZZ_BIN)
	$(FUZZ_BIN) $(FUZZ_OPTS) -runs=0 test/fuzz/corpus test/fuzz/regressions

# Regenerate the seed corpus from the Erlang codec (needs rebar3 compile first).
fuzz-corpus: compile
	test/fuzz/gen-corpus test/fuzz/corpus

test:
	bin/test

demo:
	bin/demo

bench:
	bin/bench

# Not in CI: about half an hour.
soak:
	bin/bench soak

clean:
	rm -f priv/nook priv/nook-dynamic priv/nook-asan priv/test_term src/nook_calls.erl \
		src/nook_protocol.erl
	rm -rf _build
