# A thin front door over meson. The two commands a newcomer needs:
#   make demo   - install what is missing, build, run the blog demo over loopback
#   make test   - install what is missing, build every variant, run every suite
PY        ?= /usr/bin/python3
BUILD     ?= build
# What building needs (make build, make demo) and its default test suites
# (netbase: /etc/services and /etc/protocols, which a minimal Debian or a
# debian:12 container lacks; tests/check_system_deps.py, suite deps, checks
# that these lists bring every system file the tests read), and what every
# test variant adds (make test): clang, liburing, strace, nim (interop),
# mingw-w64 + wine.
BUILD_PKGS := meson ninja-build re2c python3-jinja2 python3-yaml libcriterion-dev libssl-dev \
             pkg-config gcc openssl netbase
APT_PKGS  := $(BUILD_PKGS) liburing-dev clang strace valgrind nim mingw-w64 wine libuv1-dev
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
comma     := ,
SANITIZE  := -Db_sanitize=address$(comma)undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all

.PHONY: all deps deps-build build regen verify-generated test test-gcc test-asan test-clang test-uring test-tsan test-winsock \
        demo bench fuzz fuzz-ci clean help

all: build

help:
	@echo "make demo | test | build | regen | verify-generated | bench | fuzz | clean"

# Install Debian packages, only those missing: $(call apt_install,PACKAGES)
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=600 install -y -qq $$missing; \
	fi
endef

deps-build:
	$(call apt_install,$(BUILD_PKGS))

deps:
	$(call apt_install,$(APT_PKGS))

regen:
	$(PY) codegen/generate.py

verify-generated:
	$(PY) codegen/generate.py --verify

# $(call meson_build,DIR,EXTRA SETUP OPTIONS,ENV)
define meson_build
	@if [ ! -f $(1)/build.ninja ]; then $(3) meson setup $(1) -Dwerror=true $(2) >/dev/null || { rm -rf $(1); $(3) meson setup $(1) -Dwerror=true $(2); exit 1; }; fi
	ninja -C $(1)
endef

# Run one build's suites; never stop make here: the summary decides.
define meson_test
	-meson test -C $(1) --num-processes 2 --print-errorlogs
endef

build: deps-build
	$(call meson_build,$(BUILD),,)

test-gcc: deps
	$(call meson_build,build,,CC=gcc)
	$(call meson_test,build)

test-asan: deps
	$(call meson_build,build-asan,$(SANITIZE) -Dbuildtype=debug -Ddocs=false,CC=gcc)
	$(call meson_test,build-asan)

test-clang: deps
	$(call meson_build,build-clang,-Dfuzz_seconds=10 -Ddocs=false -Dvalgrind=disabled,CC=clang)
	$(call meson_test,build-clang)

# The io_uring backend, under ASan + UBSan (memcheck misreads ring buffers).
test-uring: deps
	$(call meson_build,build-uring,-Dnet_backend=io_uring $(SANITIZE) -Dbuildtype=debug -Ddocs=false,CC=gcc)
	$(call meson_test,build-uring)

# The thread-safety claims under ThreadSanitizer: tests/thread_stress.c only
# (Criterion's runner does not start under TSan), on the io_uring backend and
# on its forced POSIX fallback.
test-tsan: deps
	$(call meson_build,build-tsan,-Dnet_backend=io_uring -Db_sanitize=thread -Dbuildtype=debug -Ddocs=false -Dexamples=false,CC=gcc)
	$(call meson_test,build-tsan)

# The winsock backend, cross-built with mingw-w64 and run under wine: every
# suite through tests/minicriterion, and blog_*.exe against the Linux blog
# programs of `build` (so it runs after test-gcc). The wine prefix is a fresh
# temporary directory; wineserver and its services (the network ones too,
# warmed up by a failing blog_client.exe) start outside meson, else they keep
# meson's pipes open; wineserver -k stops them afterwards.
WINE_ENV = WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml,winemenubuilder.exe=d"
test-winsock: deps
	@pfx=$$(mktemp -d "$${TMPDIR:-/tmp}/cnet-wine.XXXXXX"); \
	export CNET_WINEPREFIX=$$pfx WINEPREFIX=$$pfx CNET_LINUX_BUILD=$(CURDIR)/build $(WINE_ENV); \
	wineboot -i >/dev/null 2>&1; wineserver -p 600; wine cmd /c exit </dev/null >/dev/null 2>&1; \
	if [ ! -f build-win/build.ninja ]; then \
	  meson setup build-win --cross-file cross/mingw64.txt -Dwerror=true >/dev/null || \
	  { rm -rf build-win; meson setup build-win --cross-file cross/mingw64.txt -Dwerror=true; }; fi; \
	if ninja -C build-win; then \
	  wine build-win/examples/blog_client.exe 127.0.0.1 1 </dev/null >/dev/null 2>&1; \
	  meson test -C build-win --num-processes 2 --print-errorlogs; fi; \
	wineserver -k; rm -rf "$$pfx"; true

# Every suite this machine can run; ends with the totals line.
test: deps verify-generated
	@rm -f build*/meson-logs/testlog.json
	$(MAKE) --no-print-directory test-gcc test-asan test-clang test-uring test-tsan test-winsock
	@$(PY) tests/summarize.py build build-asan build-clang build-uring build-tsan build-win

demo: build
	@PYTHON=$(PY) bash examples/demo.sh $(BUILD)/examples

# Benchmarks (not tests): release builds, both ends pinned to one CPU, each
# figure a ratio against a baseline measured in the same run.
bench: deps
	BENCH_BUILD=build-bench NET_BACKEND=posix sh bench/run.sh
	BENCH_BUILD=build-bench-uring NET_BACKEND=io_uring sh bench/run.sh
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Igenerated/include bench/bench_ipaddr.c bench/common.c build-bench/libcnet.a -lssl -lcrypto -lpthread -o build-bench/bench_ipaddr
	build-bench/bench_ipaddr
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Igenerated/include bench/bench_tls.c bench/common.c build-bench/libcnet.a -lssl -lcrypto -lpthread -o build-bench/bench_tls
	build-bench/bench_tls 1 2000 5
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Igenerated/include bench/bench_tls.c bench/common.c build-bench-uring/libcnet.a -lssl -lcrypto -luring -lpthread -o build-bench-uring/bench_tls
	build-bench-uring/bench_tls 1 2000 5
	sh bench/echo.sh

fuzz: deps
	fuzz/run.sh 60

fuzz-ci: deps
	fuzz/run.sh 10

clean:
	rm -rf build build-asan build-clang build-uring build-win build-bench build-bench-uring .fuzz
