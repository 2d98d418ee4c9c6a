# hull — one non-recursive GNU Makefile (docs/libraries.md section 7).
#
#   make            build build/hull (and build/libhull.a)
#   make demo       install missing Debian deps, build, scan the demo image
#   make test       install missing Debian deps, then every test, plain and ASan+UBSan
#   make check      every test of the plain build only (no dependency step)
#   make fuzz       libFuzzer binaries with clang (build-fuzz/), FUZZ_SECONDS per target
#   make bench      benchmarks (bench/), printing ratios against baselines
#   make install    PREFIX=/usr/local
#
# Every lib/*/*.c is part of libhull; every src/cmd_*.c is a command; every
# tests/unit/t-*.c is a cmocka test; every fuzz/fuzz-*.c a fuzz target. No lists to edit.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= gcc
CFLAGS   ?= -O2 -g
SAN      ?=
PKGS      = jansson libarchive zlib libzstd libcurl libcrypto sqlite3 libxml-2.0 yaml-0.1
HAVE_ISAL := $(shell pkg-config --exists libisal 2>/dev/null && echo 1)
ifeq ($(HAVE_ISAL),1)
PKGS     += libisal
ISAL_DEF  = -DHAVE_ISAL=1
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN      = -Wall -Wextra -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes -Wno-unused-parameter \
            -Wno-missing-field-initializers -Werror
ALL_CFLAGS = -std=gnu11 $(WARN) $(ISAL_DEF) -Iinclude -Ilib -I$(BUILD)/gen $(PKG_CFLAGS) \
             $(CFLAGS) $(SAN) -MMD -MP
LDLIBS    = $(PKG_LIBS) -lm -lpthread

LIB_SRC   := $(sort $(wildcard lib/*.c lib/*/*.c))
CLI_SRC   := $(sort $(wildcard src/*.c))
CMDS      := $(patsubst src/cmd_%.c,%,$(sort $(wildcard src/cmd_*.c)))
UNIT_SRC  := $(sort $(wildcard tests/unit/t-*.c))
FUZZ_SRC  := $(sort $(wildcard fuzz/fuzz-*.c))
TEST_HELP := $(sort $(wildcard tests/unit/helpers/*.c))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN  := $(UNIT_SRC:%.c=$(BUILD)/%)
HELP_OBJ  := $(TEST_HELP:%.c=$(BUILD)/%.o)
REPLAY_BIN:= $(patsubst fuzz/fuzz-%.c,$(BUILD)/fuzz/replay-%,$(FUZZ_SRC))

.PHONY: all deps demo test check check-build asan fuzz bench install clean check-src
.DEFAULT_GOAL := all

all: $(BUILD)/hull

$(BUILD)/libhull.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/gen/commands.inc: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(foreach c,$(CMDS),'HULL_COMMAND($(c))') > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/src/main.o: $(BUILD)/gen/commands.inc

$(BUILD)/hull: $(CLI_OBJ) $(BUILD)/libhull.a
	$(CC) $(CFLAGS) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libhull.a $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/t-%: tests/unit/t-%.c $(HELP_OBJ) $(BUILD)/libhull.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(HELP_OBJ) $(BUILD)/libhull.a $(LDLIBS) -lcmocka

$(BUILD)/fuzz/replay-%: fuzz/fuzz-%.c fuzz/replay.c $(BUILD)/libhull.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< fuzz/replay.c $(BUILD)/libhull.a $(LDLIBS)

check-build: $(BUILD)/hull $(UNIT_BIN) $(REPLAY_BIN)

check: check-src check-build
	@tests/run.sh $(BUILD)

check-src:
	@tools/check-src.sh

ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g" SAN="$(ASAN_FLAGS)" check-build

deps:
	@sh scripts/install-deps.sh

test: deps check-src
	$(MAKE) check-build
	$(MAKE) asan
	@tests/run.sh $(BUILD) build-asan

demo: deps all
	@sh scripts/demo.sh $(BUILD)/hull

FUZZ_SECONDS ?= 60
fuzz: deps
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)

bench: deps all
	@sh bench/run.sh $(BUILD)/hull

install: all
	install -D -m 755 $(BUILD)/hull $(DESTDIR)$(PREFIX)/bin/hull
	install -D -m 644 docs/hull.1 $(DESTDIR)$(PREFIX)/share/man/man1/hull.1

clean:
	rm -rf build build-asan build-fuzz

FORCE:

-include $(wildcard $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(HELP_OBJ:.o=.d) $(UNIT_BIN:=.d) \
    $(REPLAY_BIN:=.d))
