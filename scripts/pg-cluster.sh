#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb in a new folder under
# /tmp, the server listening on a Unix socket in that folder only (no TCP),
# run as an unprivileged user (postgres when started as root), one database
# "voix". Nothing outside the folder is touched.
#
#   scripts/pg-cluster.sh start ENV_FILE   writes PGDIR=... and VX_PG_URI=... to ENV_FILE
#   scripts/pg-cluster.sh stop ENV_FILE    stops the server and removes the folder
#   scripts/pg-cluster.sh createdb ENV_FILE NAME   prints the URI of a new empty database
#
# PG_BIN (default /usr/lib/postgresql/15/bin) says where initdb and pg_ctl are.
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop|createdb ENV_FILE [NAME]} env=${2:?ENV_FILE}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Runs a command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
	[ -x "$PG_BIN/initdb" ] || { echo "pg-cluster: no $PG_BIN/initdb (apt-get install postgresql-15)" >&2; exit 1; }
	# A short path: a Unix socket's path is limited to 107 bytes.
	dir=$(mktemp -d /tmp/vx-pg.XXXXXX)
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	chmod 700 "$dir"
	as_owner "$PG_BIN/initdb" -D "$dir/data" -U voix -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
	# Sockets in the folder only; fsync off (PG_FSYNC=on for benchmarks): a test
	# cluster need not survive a power cut.
	as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -k $dir -c fsync=${PG_FSYNC:-off} -c max_connections=50" start >/dev/null ||
		{ cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
	# The tests (root in CI) reach the socket through the folder.
	chmod 711 "$dir"
	uri="postgresql:///voix?host=$dir&user=voix"
	"$PG_BIN/psql" -X -q "postgresql:///postgres?host=$dir&user=voix" -c "CREATE DATABASE voix" >/dev/null
	printf "PGDIR='%s'\nVX_PG_URI='%s'\n" "$dir" "$uri" >"$env"
	echo "pg-cluster: started in $dir"
	;;
stop)
	[ -f "$env" ] || { echo "pg-cluster: no $env: nothing to stop"; exit 0; }
	dir=$(sed -n "s/^PGDIR='\(.*\)'$/\1/p" "$env")
	case $dir in /tmp/vx-pg.*) ;; *) echo "pg-cluster: unexpected folder '$dir' in $env" >&2; exit 1 ;; esac
	as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir" "$env"
	echo "pg-cluster: stopped, $dir removed"
	;;
createdb)
	name=${3:?NAME}
	dir=$(sed -n "s/^PGDIR='\(.*\)'$/\1/p" "$env")
	PGOPTIONS=--client-min-messages=warning "$PG_BIN/psql" -X -q "postgresql:///postgres?host=$dir&user=voix" \
		-c "DROP DATABASE IF EXISTS \"$name\"" -c "CREATE DATABASE \"$name\"" >/dev/null
	echo "postgresql:///$name?host=$dir&user=voix"
	;;
*)
	echo "pg-cluster: unknown command $cmd" >&2
	exit 2
	;;
esac
