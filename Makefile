# tenderlots — plain Makefile.
#   make                 build
#   make check           build and run the tests (last line: N passed, N failed)
#   make run             build and run one pass on the bundled defaults
#   make web             the web endpoint of that demo
#   make DEVELOPER=1     add -Werror
#   make SANITIZE=address,undefined check
#   make valgrind        the tests under valgrind
#   make fuzz            build the libFuzzer targets (clang)
#   make deps            install the Debian build and test packages

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SYSCONFDIR ?= $(PREFIX)/etc/tenderlots
DATADIR ?= $(PREFIX)/share/tenderlots
STATEDIR ?= /var/lib/tenderlots
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libcurl libxml-2.0 sqlite3 libesmtp-1.0 openssl libical libmicrohttpd \
	libidn2 gmime-3.0 libsodium xlsxwriter

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	  -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wformat=2 -Wno-unused-parameter -Iinclude \
	  $(shell $(PKG_CONFIG) --cflags $(PKGS))
# Debian's libstemmer-dev ships no pkg-config file.
LDLIBS += $(shell $(PKG_CONFIG) --libs $(PKGS)) -lstemmer -lm -pthread

ifeq ($(DEVELOPER),1)
CFLAGS += -Werror
endif

BUILD ?= build
ifneq ($(SANITIZE),)
BUILD := build/sanitize
CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif

# a stage's files may have a folder of their own under src/; the
# commands are the program's, the rest its library (which the tests use)
CMD_SRCS := src/main.c $(wildcard src/cmd/*.c)
SRCS := $(filter-out $(CMD_SRCS),$(wildcard src/*.c src/*/*.c))
HDRS := $(wildcard include/*.h src/*/*.h)
GEN_SRCS := $(BUILD)/gen/cpv_codes.c $(BUILD)/gen/nuts_codes.c
OBJS := $(SRCS:src/%.c=$(BUILD)/%.o) $(GEN_SRCS:.c=.o)
LIB := $(BUILD)/libtenderlots.a
BIN := $(BUILD)/tenderlots
TEST_SRCS := $(wildcard tests/test_*.c)
TESTS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAYS := $(FUZZ_SRCS:fuzz/%.c=$(BUILD)/tests/replay_%)
FUZZERS := $(FUZZ_SRCS:fuzz/%.c=build/fuzz/%)
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))

all: $(BIN)

$(BUILD)/%.o: src/%.c $(HDRS) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/%_codes.c: data/%.tsv tools/gen-codes.awk | $(BUILD)/gen
	awk -v name=$* -f tools/gen-codes.awk $< > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c include/codes.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CMD_SRCS:src/%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(wildcard tests/*.h) $(LIB) | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/tests/replay_%: fuzz/%.c tests/fuzz_replay.c $(LIB) | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz_replay.c $(LIB) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c bench/bench.h $(LIB) | $(BUILD)/bench
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD) $(BUILD)/gen $(BUILD)/tests $(BUILD)/bench build/fuzz:
	mkdir -p $@

check: $(BIN) $(TESTS) $(FUZZ_REPLAYS)
	@TENDERLOTS_BIN=$(abspath $(BIN)) sh tests/run.sh $(TESTS) $(FUZZ_REPLAYS)

valgrind: $(BIN) $(TESTS) $(FUZZ_REPLAYS)
	@TENDERLOTS_BIN=$(abspath $(BIN)) \
	 TENDERLOTS_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" \
	 sh tests/run.sh $(TESTS) $(FUZZ_REPLAYS)

# The bundled demo, its clock fixed in the sample notices' week so that it
# shows the same on any day (tools/demo.sh): the sample firm register (an
# idempotent upsert), one pass over the sample notices into the Maildir
# var/mail/ and the participation report var/report.html; then, for
# `make web`, the web endpoint its links lead to.
run: $(BIN)
	sh tools/demo.sh run $(BIN)

web: $(BIN)
	sh tools/demo.sh web $(BIN)

bench: $(BIN) $(BENCHES)
	@TENDERLOTS_BIN=$(abspath $(BIN)) sh bench/table.sh $(BENCHES)

fuzz: $(FUZZERS)

build/fuzz/%: fuzz/%.c $(SRCS) $(GEN_SRCS) $(HDRS) | build/fuzz
	clang -g -O1 -fsanitize=fuzzer,address,undefined $(filter-out -O2,$(CFLAGS)) \
		-o $@ $< $(SRCS) $(GEN_SRCS) $(LDLIBS)

# The installed configuration keeps its state (database, key, Maildir) in
# STATEDIR and reads the templates, at every depth, and the sample
# notices from DATADIR.
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR) \
		$(DESTDIR)$(DATADIR)/feeds
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/tenderlots
	install -m 0644 config/*.conf config/*.csv $(DESTDIR)$(SYSCONFDIR)/
	sed -e 's|^templates = .*|templates = $(DATADIR)/templates|' \
		-e 's|= \.\./var/|= $(STATEDIR)/|' \
		config/tenderlots.conf > $(DESTDIR)$(SYSCONFDIR)/tenderlots.conf
	sed 's|^url = \.\./feeds$$|url = $(DATADIR)/feeds|' \
		config/feeds.conf > $(DESTDIR)$(SYSCONFDIR)/feeds.conf
	install -m 0644 feeds/*.xml $(DESTDIR)$(DATADIR)/feeds/
	cd templates && find . -type d | while read -r d; do \
		install -d "$(DESTDIR)$(DATADIR)/templates/$$d" || exit 1; done
	cd templates && find . -type f | while read -r f; do \
		install -m 0644 "$$f" "$(DESTDIR)$(DATADIR)/templates/$$f" || exit 1; done

deps:
	sh .ci/deps

clean:
	rm -rf build

.PHONY: all check valgrind run web bench fuzz install deps clean
.SECONDARY: $(GEN_SRCS)
