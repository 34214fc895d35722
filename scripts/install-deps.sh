#!/usr/bin/env bash
# Installs the Debian 12 packages voix needs to build, test and benchmark
# (postgresql-15 for the PostgreSQL store's tests; it holds unaccent).
# As root it runs apt-get; otherwise it prints the exact command to run.
set -eu
PACKAGES="build-essential cmake ninja-build pkg-config
  libstemmer-dev libutf8proc-dev libsqlite3-dev libpq-dev postgresql-15 libpcre2-dev libmicrohttpd-dev
  libjansson-dev libxxhash-dev libssl-dev libcmocka-dev python3 time valgrind cppcheck groff-base
  libsodium-dev wrk sqlite3 chromium chromium-driver python3-selenium"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "voix: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "voix: missing Debian packages. Run:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
