# A thin front door over meson. The two commands a newcomer needs:
#   make demo   - install what is missing, build, run the demo over loopback
#   make test   - install what is missing, build every variant, run every suite
PY        ?= /usr/bin/python3
BUILD     ?= build
APT_PKGS  := meson ninja-build re2c python3-jinja2 python3-yaml libcriterion-dev \
             liburing-dev libssl-dev pkg-config gcc clang
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build regen verify-generated test test-gcc test-asan test-clang demo clean help

all: build

help:
	@echo "make demo | test | build | regen | verify-generated | clean"

# Install the Debian packages the build and tests need, only when missing.
deps:
	@missing=$$(for p in $(APT_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=600 install -y -qq $$missing; \
	fi

regen:
	$(PY) codegen/generate.py

verify-generated:
	$(PY) codegen/generate.py --verify

# $(call meson_build,DIR,EXTRA SETUP OPTIONS,ENV)
define meson_build
	@if [ ! -f $(1)/build.ninja ]; then $(3) meson setup $(1) -Dwerror=true $(2) >/dev/null || { $(3) meson setup $(1) -Dwerror=true $(2); exit 1; }; fi
	ninja -C $(1)
endef

build: deps
	$(call meson_build,$(BUILD),,)

# Run one build's suites; never stop make here, the summary decides.
define meson_test
	-meson test -C $(1) --num-processes 2 --print-errorlogs $(2)
endef

test-gcc: deps
	$(call meson_build,build,,CC=gcc)
	$(call meson_test,build)

test-asan: deps
	$(call meson_build,build-asan,-Db_sanitize=address$(comma)undefined -Db_lundef=false -Dbuildtype=debug -Dc_args=-fno-sanitize-recover=all,CC=gcc)
	$(call meson_test,build-asan)

test-clang: deps
	$(call meson_build,build-clang,,CC=clang)
	$(call meson_test,build-clang)

comma := ,

# Every suite this machine can run; ends with the totals line.
test: deps verify-generated
	@rm -f build*/meson-logs/testlog.json
	$(MAKE) --no-print-directory test-gcc test-asan test-clang
	@$(PY) tests/summarize.py build build-asan build-clang

demo: build
	@$(BUILD)/examples/nativesockets_demo

clean:
	rm -rf build build-asan build-clang
