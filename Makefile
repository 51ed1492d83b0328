# SPDX-License-Identifier: ISC
# Builds priv/nook and the generated call table; `make test` is the whole suite.
ERL_LIB_DIR := $(shell erl -noshell -eval 'io:format("~s", [code:lib_dir(erl_interface)]), halt().' 2>/dev/null)
CC ?= cc
CFLAGS ?= -O2 -g
NOOK_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wsign-compare -Wswitch-enum -Wshadow \
	-Wformat=2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE \
	-I$(ERL_LIB_DIR)/include -Ic_src
NOOK_LDFLAGS := -pie -Wl,-z,relro,-z,now -L$(ERL_LIB_DIR)/lib
NOOK_LIBS := -lei -lpthread $(shell pkg-config --libs libseccomp)

C_SRCS := $(wildcard c_src/*.c c_src/calls/*.c c_src/consts/*.c)
NOOK_SRCS := $(filter-out c_src/test_%.c,$(C_SRCS))
C_HDRS := $(wildcard c_src/*.h c_src/consts/*.h) c_src/calls.def

.PHONY: all compile test demo clean c-test bench soak

all: priv/nook src/nook_calls.erl

priv/nook: $(NOOK_SRCS) $(C_HDRS)
	@mkdir -p priv
	$(CC) $(NOOK_CFLAGS) $(CFLAGS) -o $@ $(NOOK_SRCS) $(NOOK_LDFLAGS) $(LDFLAGS) $(NOOK_LIBS)

src/nook_calls.erl: c_src/calls.def bin/gen_calls
	bin/gen_calls c_src/calls.def $@

priv/test_term: c_src/test_term.c c_src/term.c c_src/buf.c $(wildcard c_src/consts/*.c) $(C_HDRS)
	@mkdir -p priv
	$(CC) $(NOOK_CFLAGS) $(CFLAGS) -o $@ c_src/test_term.c c_src/term.c c_src/buf.c \
		$(wildcard c_src/consts/*.c) $(NOOK_LDFLAGS) $(NOOK_LIBS)

c-test: priv/test_term
	priv/test_term

compile:
	rebar3 compile

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
	rm -f priv/nook priv/test_term src/nook_calls.erl
	rm -rf _build
