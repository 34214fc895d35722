#!/usr/bin/env bash
# The library as its users get it: `cmake --install` into a temporary prefix
# puts the command, libvoix.a, libvoix.so (exporting only the functions of
# the public headers), the public headers (each one compiles alone), voix.pc
# and the man page in place; examples/note_example.c, built with pkg-config
# against the shared and then the static library, writes the golden notes of
# the bundled example; the man page describes every option the commands'
# --help lists.
# usage: bash install.sh BUILD_DIR REPO_DIR CC [EXTRA_CFLAGS]
set -euo pipefail
BUILD=$(realpath "$1") REPO=$(realpath "$2") CC=$3 EXTRA=${4:-}
command -v pkg-config >/dev/null || { echo "skip: pkg-config is missing"; exit 77; }
TMP=$(mktemp -d /tmp/voix-install.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
PREFIX=$TMP/prefix
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

if cmake --install "$BUILD" --prefix "$PREFIX" >"$TMP/install.log" 2>&1; then
	ok "cmake --install --prefix"
else
	cat "$TMP/install.log"
	ko "cmake --install"
	exit 1
fi
PC=$(find "$PREFIX" -name voix.pc)
LIBDIR=$(dirname "$(dirname "$PC")")
missing=""
for f in bin/voix include/voix.h include/voix/analysis.h include/voix/note.h include/voix/render.h \
	share/man/man1/voix.1; do
	[ -e "$PREFIX/$f" ] || missing="$missing $f"
done
for f in libvoix.a libvoix.so; do
	[ -e "$LIBDIR/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ] && [ -n "$PC" ]; then ok "command, libraries, headers, voix.pc and man page installed"; else
	ko "missing after install:$missing"; fi

# Only the public headers, each one complete on its own, and voix.h with all.
if [ "$(find "$PREFIX/include" -name '*.h' | wc -l)" -eq "$(($(ls "$REPO"/include/voix/*.h | wc -l) + 1))" ]; then
	ok "only the public headers are installed"
else ko "installed headers: $(find "$PREFIX/include" -name '*.h' | tr '\n' ' ')"; fi
bad=""
for h in "$PREFIX"/include/voix/*.h "$PREFIX"/include/voix.h; do
	name=${h#"$PREFIX/include/"}
	printf '#include <%s>\n' "$name" | $CC -std=c17 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
		-I"$PREFIX/include" -x c - 2>"$TMP/h.err" || bad="$bad $name"
	[ "$name" = voix.h ] || grep -q "\"$name\"" "$PREFIX/include/voix.h" || bad="$bad $name(not-in-voix.h)"
done
if [ -z "$bad" ]; then ok "each public header compiles alone; voix.h includes them all"; else ko "headers:$bad"; cat "$TMP/h.err"; fi

export PKG_CONFIG_PATH="$(dirname "$PC")"
want=$(sed -n 's/^project(voix VERSION \([0-9.]*\).*/\1/p' "$REPO/CMakeLists.txt")
if [ "$(pkg-config --modversion voix)" = "$want" ]; then ok "pkg-config --modversion voix is $want"; else
	ko "pkg-config --modversion voix: $(pkg-config --modversion voix 2>&1)"; fi

# The shared library exports the functions the headers declare, nothing else.
nm -D --defined-only "$LIBDIR/libvoix.so" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' | sort -u >"$TMP/exported"
grep -ho '^[A-Za-z_][A-Za-z0-9_ *]*[ *]vx_[a-z0-9_]*(' "$PREFIX"/include/voix/*.h | grep -o 'vx_[a-z0-9_]*($' |
	tr -d '(' | sort -u >"$TMP/declared"
if cmp -s "$TMP/exported" "$TMP/declared"; then
	ok "libvoix.so exports the $(wc -l <"$TMP/declared") functions of the public headers and nothing else"
else
	ko "libvoix.so exports differ from the public headers:"
	diff "$TMP/declared" "$TMP/exported" | head -20
fi

# The example, through pkg-config, shared then static; its notes are the golden ones.
cd "$REPO"
# shellcheck disable=SC2086
if $CC -std=c17 -Wall -Wextra -Werror $EXTRA examples/note_example.c $(pkg-config --cflags --libs voix) \
	-o "$TMP/note_shared" 2>"$TMP/cc.err"; then ok "the example builds with pkg-config --cflags --libs voix"; else
	cat "$TMP/cc.err"; ko "the example does not build against libvoix.so"; fi
static_libs=$(pkg-config --static --libs voix | sed 's/-lvoix\b/-l:libvoix.a/')
# shellcheck disable=SC2086
if $CC -std=c17 -Wall -Wextra -Werror $EXTRA examples/note_example.c $(pkg-config --cflags voix) $static_libs \
	-o "$TMP/note_static" 2>"$TMP/cc.err"; then ok "the example builds with pkg-config --static (libvoix.a)"; else
	cat "$TMP/cc.err"; ko "the example does not build against libvoix.a"; fi
if [ -x "$TMP/note_static" ] && ! ldd "$TMP/note_static" | grep -q libvoix; then
	ok "the static build does not need libvoix.so"
else ko "the static build links libvoix.so"; fi
for kind in shared static; do
	exe=$TMP/note_$kind
	[ -x "$exe" ] || continue
	if LD_LIBRARY_PATH="$LIBDIR" "$exe" examples/experiences-exemple.csv >"$TMP/$kind.md" 2>"$TMP/$kind.err" &&
		cmp -s "$TMP/$kind.md" tests/golden/example.md; then
		ok "the $kind example writes the golden Markdown on stdout"
	else
		sed -n 1,5p "$TMP/$kind.err"
		ko "the $kind example's Markdown differs from tests/golden/example.md"
	fi
	if LD_LIBRARY_PATH="$LIBDIR" "$exe" examples/experiences-exemple.csv "$TMP/$kind.html" 2>"$TMP/$kind.err" &&
		cmp -s "$TMP/$kind.html" tests/golden/example.html && grep -q '^note_example: axes done$' "$TMP/$kind.err"; then
		ok "the $kind example writes the golden HTML file and reports progress"
	else
		sed -n 1,5p "$TMP/$kind.err"
		ko "the $kind example's HTML file"
	fi
done
if LD_LIBRARY_PATH="$LIBDIR" "$TMP/note_shared" "$TMP/absent.csv" >/dev/null 2>"$TMP/err"; then
	ko "the example succeeds on a missing file"
elif grep -q "absent.csv" "$TMP/err"; then ok "the example reports a missing file: $(cat "$TMP/err")"; else
	ko "the example's message: $(cat "$TMP/err")"; fi

# The man page: no groff warning, and every option of every command's --help.
MAN=$PREFIX/share/man/man1/voix.1
if groff -man -Tutf8 -ww -z "$MAN" 2>"$TMP/groff.err" && [ ! -s "$TMP/groff.err" ]; then
	ok "voix.1 formats without warning"
else cat "$TMP/groff.err"; ko "groff warns about voix.1"; fi
text=$(groff -man -Tutf8 "$MAN" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g')
undocumented=""
for cmd in import stats search note feelings redact serve user structures export; do
	grep -q "voix $cmd" <<<"$text" || undocumented="$undocumented $cmd"
	for opt in $("$PREFIX/bin/voix" "$cmd" --help | grep -o -- '--[a-z][a-z-]*\|-o\b' | sort -u); do
		grep -q -- "$opt" <<<"$text" || undocumented="$undocumented $cmd:$opt"
	done
done
if [ -z "$undocumented" ]; then ok "voix.1 describes every command and every option of their --help"; else
	ko "voix.1 lacks:$undocumented"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
