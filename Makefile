# ncbench: one non-recursive Makefile. `make deps` (root) installs what the
# build, tests and reports need; `make`, `make test`, `make test SAN=1`,
# `make bench`.

VERSION := 0.1.0
PKGS := openssl libgcrypt liburing hwloc jansson libsodium libnl-route-3.0 libpcap
DEB_PKGS := build-essential pkg-config libssl-dev libgcrypt20-dev \
	liburing-dev libhwloc-dev libjansson-dev libipsec-mb-dev libsodium-dev \
	libnl-route-3-dev iproute2 gdb \
	gnuplot-nox iperf3 openssl stunnel4 \
	clang libclang-rt-14-dev python3 chromium \
	uthash-dev libpcap-dev tshark python3-prometheus-client ansible-core \
	man-db groff-base

ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS :=
endif

ifneq ($(V),1)
Q := @
endif

GIT := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
CC ?= cc

# The user's CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are theirs
# (`make CFLAGS='-O0 -g'`): the project's own flags live in NCB_* variables
# and the user's come after them, so they can override optimisation and
# debug settings without losing the include paths and defines. Every
# $(shell) here is expanded once per make run (:=), not once per compile.
CFLAGS ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
LIBURING_VERSION := $(shell pkg-config --modversion liburing)
NCB_CFLAGS := -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wvla \
	-I. $(SANFLAGS) \
	-DNCB_VERSION='"$(VERSION)"' -DNCB_GIT='"$(GIT)"' \
	-DNCB_LIBURING_VERSION='"$(LIBURING_VERSION)"' \
	$(PKG_CFLAGS)
# A newer compiler's new warning must not stop a user's build; `make test`
# (and so CI, .ci/run) makes every warning an error, also one an earlier
# plain `make` let through (see NAME.o.warn below). WERROR=0 or 1 on the
# command line decides either way.
ifneq ($(filter test,$(MAKECMDGOALS)),)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
NCB_CFLAGS += -Werror
endif
# Dependency files go beside the objects (-MMD writes NAME.d next to -o).
DEPFLAGS := -MMD -MP
NCB_LDFLAGS := $(SANFLAGS)
# intel-ipsec-mb ships no pkg-config file.
NCB_LDLIBS := $(PKG_LIBS) -lIPSec_MB -lpthread -lm
COMPILE = $(CC) $(NCB_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LINK = $(CC) $(NCB_LDFLAGS) $(CFLAGS) $(LDFLAGS)

LIB_SRCS := \
	bench/capfile.c \
	bench/check.c \
	bench/complete.c \
	bench/counters.c \
	bench/env.c \
	bench/hygiene.c \
	bench/kat.c \
	bench/list.c \
	bench/opts.c \
	bench/opts_show.c \
	bench/opts_src.c \
	bench/place.c \
	bench/psk.c \
	bench/results.c \
	bench/run.c \
	bench/run_peer.c \
	bench/sacmd.c \
	bench/serve.c \
	bench/serve_case.c \
	bench/serve_watch.c \
	bench/session.c \
	bench/session_msg.c \
	bench/stats.c \
	bench/stream.c \
	bench/suite.c \
	bench/summary.c \
	bench/table.c \
	bench/wireshark.c \
	crypto/aead.c \
	crypto/aead_gcrypt.c \
	crypto/aead_ipsecmb.c \
	crypto/aead_null.c \
	crypto/aead_sodium.c \
	crypto/aead_openssl.c \
	crypto/esp.c \
	crypto/esp_framing.c \
	crypto/esp_kat.c \
	crypto/etm_gcrypt.c \
	crypto/etm_kat.c \
	crypto/etm_openssl.c \
	crypto/framing.c \
	crypto/ipsecmb_job.c \
	crypto/kat.c \
	crypto/macsec.c \
	crypto/macsec_framing.c \
	crypto/macsec_kat.c \
	crypto/record.c \
	crypto/record_framing.c \
	crypto/replay.c \
	crypto/sadb.c \
	crypto/wg.c \
	crypto/wg_framing.c \
	crypto/wg_kat.c \
	io/cpustat.c \
	io/hist.c \
	io/ncb_cli.c \
	io/net.c \
	io/net_epoll.c \
	io/net_group.c \
	io/noise.c \
	io/ctl.c \
	io/ctl_msg.c \
	io/ctl_psk.c \
	io/ctl_sock.c \
	io/pin.c \
	io/rawlink.c \
	io/secret.c \
	io/uring.c \
	io/veth.c \
	report/chart.c \
	report/chart_build.c \
	report/chart_cpu.c \
	report/chart_files.c \
	report/chart_latency.c \
	report/chart_rate.c \
	report/compare.c \
	report/doc.c \
	report/doc_check.c \
	report/doc_config.c \
	report/doc_cost.c \
	report/doc_host.c \
	report/doc_peer.c \
	report/doc_scale.c \
	report/export.c \
	report/findings.c \
	report/fit.c \
	report/fleet.c \
	report/hygiene_diff.c \
	report/mwu.c \
	report/openmetrics.c \
	report/out.c \
	report/page.c \
	report/plan.c \
	report/plan_series.c \
	report/pool.c \
	report/report.c \
	report/scale.c \
	report/sink.c \
	report/verdict.c \
	workloads/capture.c \
	workloads/cipher.c \
	workloads/flow.c \
	workloads/flow_peer.c \
	workloads/flow_rx.c \
	workloads/flow_tx.c \
	io/imix.c \
	crypto/inner.c \
	workloads/keys.c \
	workloads/pair.c \
	workloads/pair_link.c \
	workloads/pair_peer.c \
	workloads/pattern.c \
	workloads/peer.c \
	workloads/peer_msg.c \
	workloads/registry.c \
	workloads/rr.c \
	workloads/rr_peer.c \
	workloads/sadist.c \
	workloads/safile.c \
	workloads/safile_make.c \
	workloads/stream.c \
	workloads/team.c

UNIT_TESTS := \
	tests/unit/test_aead \
	tests/unit/test_burst \
	tests/unit/test_cli \
	tests/unit/test_compare \
	tests/unit/test_ctl \
	tests/unit/test_esp \
	tests/unit/test_etm \
	tests/unit/test_framing \
	tests/unit/test_hist \
	tests/unit/test_hygiene \
	tests/unit/test_macsec \
	tests/unit/test_record \
	tests/unit/test_safile \
	tests/unit/test_net \
	tests/unit/test_noise \
	tests/unit/test_opts \
	tests/unit/test_peer \
	tests/unit/test_report \
	tests/unit/test_sadb \
	tests/unit/test_sadist \
	tests/unit/test_session \
	tests/unit/test_stats \
	tests/unit/test_wg

TOOLS := tests/unit/check_doc tests/unit/inject tests/unit/ctl_poke

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libncbench.a
BIN := $(BUILD)/ncbench
TEST_BINS := $(UNIT_TESTS:%=$(BUILD)/%) $(TOOLS:%=$(BUILD)/%)
BENCH_BINS := $(BUILD)/bench/ref_aead $(BUILD)/bench/ref_etm

# libFuzzer targets: every parser of outside bytes has one,
# tests/fuzz/fuzz_NAME.c with seeds in tests/fuzz/corpus/NAME. The library is
# built a second time with clang, coverage and sanitizers, in build-fuzz/.
FUZZ_SECONDS ?= 600
FUZZ_CC ?= clang
FUZZ_DIR := build-fuzz
FUZZ_CFLAGS := -g -O1 -std=gnu11 -I. -MMD -MP -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined \
	-DNCB_VERSION='"$(VERSION)"' -DNCB_GIT='"$(GIT)"' \
	-DNCB_LIBURING_VERSION='"$(LIBURING_VERSION)"' \
	$(PKG_CFLAGS)
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIB := $(FUZZ_DIR)/libncbench.a

.PHONY: all deps test bench bench-cipher bench-compare bench-esp bench-macsec bench-stream bench-wg bench-sa bench-peer clean headers fuzz fuzz-build quick
.SECONDARY:
all: $(BIN) ncbench

ncbench: $(BIN)
ifneq ($(SAN),1)
	$(Q)cp $(BIN) $@
endif

# What the compiler said about an object is kept in NAME.o.warn (removed
# when it said nothing), so that under -Werror the objects an earlier
# plain `make` built with warnings are built again, and fail, while the
# clean ones are not rebuilt.
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(COMPILE) $(DEPFLAGS) -c -o $@ $< 2>$@.warn; rc=$$?; \
		cat $@.warn >&2; [ -s $@.warn ] || rm -f $@.warn; exit $$rc

ifeq ($(WERROR),1)
$(patsubst %.warn,%,$(shell find $(BUILD) -name '*.o.warn' 2>/dev/null)): FORCE
endif
.PHONY: FORCE
FORCE:

$(LIB): $(LIB_OBJS)
	$(Q)$(AR) rcs $@ $^

$(BIN): $(BUILD)/bench/main.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LINK) -o $@ $^ $(NCB_LDLIBS) $(LDLIBS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/helpers.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LINK) -o $@ $^ $(NCB_LDLIBS) $(LDLIBS)

$(BUILD)/bench/ref_aead: $(BUILD)/bench/ref_aead.o
	$(Q)$(LINK) -o $@ $^ $(NCB_LDLIBS) $(LDLIBS)

$(BUILD)/bench/ref_etm: $(BUILD)/bench/ref_etm.o
	$(Q)$(LINK) -o $@ $^ $(NCB_LDLIBS) $(LDLIBS)

# The main job: the quick suite, its report and a capacity estimate.
quick: $(BIN) ncbench
	./ncbench run --suite results/suites/quick.json -o results/quick.json
	./ncbench report results/quick.json -o results/report
	./ncbench plan results/quick.json --target 10G
	@echo "report: results/report/report.html (and report.md)"

# `make install PREFIX=/usr DESTDIR=/tmp/pkg`: the binary, the man page
# and the bash completion (docs/), under $(DESTDIR)$(PREFIX).
PREFIX ?= /usr/local
INSTALL ?= install
.PHONY: install uninstall
install: $(BIN)
	$(INSTALL) -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/ncbench
	$(INSTALL) -D -m 0644 docs/ncbench.1 $(DESTDIR)$(PREFIX)/share/man/man1/ncbench.1
	$(INSTALL) -D -m 0644 docs/ncbench.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ncbench

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ncbench \
		$(DESTDIR)$(PREFIX)/share/man/man1/ncbench.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ncbench

deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PKGS)

test: $(BIN) $(TEST_BINS) headers
	$(Q)NCBENCH=$(BIN) TESTBIN=$(BUILD)/tests/unit tests/run.sh

bench: bench-cipher bench-etm bench-esp bench-macsec bench-stream bench-wg bench-sa bench-peer

bench-cipher: $(BIN) $(BENCH_BINS)
	$(Q)NCBENCH=$(BIN) REF=$(BUILD)/bench/ref_aead bench/bench.sh

# compare's false-alarm and detection rates (root for the slowed runs;
# PAIRS, RUN_OPTS: see bench/bench_compare.sh). Not part of `make bench`.
bench-compare: $(BIN)
	$(Q)NCBENCH=$(BIN) bench/bench_compare.sh

bench-etm: $(BIN) $(BENCH_BINS)
	$(Q)NCBENCH=$(BIN) REF=$(BUILD)/bench/ref_etm bench/bench_etm.sh

bench-esp: $(BIN)
	$(Q)NCBENCH=$(BIN) bench/bench_esp.sh

bench-macsec: $(BIN)
	$(Q)NCBENCH=$(BIN) bench/bench_macsec.sh

bench-stream: $(BIN)
	$(Q)NCBENCH=$(BIN) bench/bench_stream.sh

bench-wg: $(BIN)
	$(Q)NCBENCH=$(BIN) bench/bench_wg.sh

# Many SAs and many sockets per pair: cost per packet against SAs, SA
# set-up per backend, io_uring against epoll over 16 and 256 sockets.
bench-sa: $(BIN)
	$(Q)NCBENCH=$(BIN) bench/bench_sa.sh

# Two hosts in two network namespaces (root).
bench-peer: $(BIN)
	$(Q)NCBENCH=$(BIN) bench/bench_peer.sh

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_LIB): $(LIB_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
	$(Q)$(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_LIB)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) \
		$(NCB_LDLIBS)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

# Runs every target for FUZZ_SECONDS (`make -j2 fuzz` runs two at once);
# new inputs go to build-fuzz/corpus-NAME, the seeds in tests/fuzz/corpus/NAME
# stay as they are. A crash leaves crash-* in build-fuzz/ and fails.
fuzz: $(FUZZ_TARGETS:%=fuzz-run-%)

fuzz-run-%: $(FUZZ_DIR)/fuzz_%
	$(Q)mkdir -p $(FUZZ_DIR)/corpus-$* tests/fuzz/corpus/$*
	$(Q)cd $(FUZZ_DIR) && ./fuzz_$* -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -artifact_prefix=crash-$*- \
		corpus-$* ../tests/fuzz/corpus/$* >fuzz_$*.log 2>&1; \
		rc=$$?; tail -n 15 fuzz_$*.log | grep -E 'Done|stat::number_of_executed_units|ERROR|SUMMARY' ; \
		echo "fuzz $*: exit $$rc"; exit $$rc

# Each public header compiles on its own. No -MMD here: gcc would write the
# dependency file of stdin ("a--.d") into the current folder.
headers:
	$(Q)for h in $$(ls */*.h); do \
		echo "#include \"$$h\"" | $(filter-out -MD -MMD -MP,$(COMPILE)) \
			-x c -fsyntax-only - || exit 1; \
	done

clean:
	rm -rf build build-san build-fuzz ncbench

-include $(shell find build build-san build-fuzz -name '*.d' 2>/dev/null)
