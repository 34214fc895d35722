# Entry points for a fresh Debian 12 machine. CMake + Ninja do the real work.
BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= 2

.PHONY: demo test build deps clean bench golden install

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@ninja -C $(BUILD) voix_cli

PREFIX ?= /usr/local

# The command, libvoix.a and libvoix.so (Release), the public headers, voix.pc
# and the voix(1) man page under $(PREFIX) (DESTDIR is honoured). Programs
# then build with: cc prog.c $$(pkg-config --cflags --libs voix)
install: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@ninja -C $(BUILD) voix_cli voix_static voix_shared
	@cmake --install $(BUILD) --prefix $(PREFIX)

# The main job on the bundled example: import it, then write the note.
demo: build
	@scripts/demo.sh $(BUILD)/voix

VG_BUILD   ?= build-valgrind

# Warnings as errors, ASan + UBSan, then every test (unit, fuzz replay, e2e);
# then the main commands and unit tests under valgrind on a plain build.
# cppcheck runs first.
test: deps
	@scripts/lint.sh
	@cmake -S . -B $(TEST_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVX_WERROR=ON -DVX_SANITIZE=ON >/dev/null
	@ninja -C $(TEST_BUILD)
	@cd $(TEST_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)
	@cmake -S . -B $(VG_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVX_WERROR=ON >/dev/null
	@ninja -C $(VG_BUILD)
	@scripts/valgrind-check.sh $(VG_BUILD)

# Rewrites tests/golden/ from the current code: for a change of the note made
# on purpose (tests/golden/README.md). Review `git diff tests/golden/` after.
golden: build
	@bash tests/e2e/golden.sh $(BUILD)/voix - . --update

bench: build
	@bench/run.sh $(BUILD)/voix

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(VG_BUILD)
