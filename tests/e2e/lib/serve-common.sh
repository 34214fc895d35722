# Sourced by the end-to-end tests that drive voix serve over HTTP.
# start_serve DB LOG: starts "$VOIX" serve on DB on a free port of the
# loopback, its messages in LOG; sets PID and URL. Returns 1 when it has not
# said its address within 10 s.
start_serve() {
	"$VOIX" serve --db "$1" --listen 127.0.0.1:0 2>"$2" &
	PID=$!
	URL=""
	for _ in $(seq 1 100); do
		URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$2" | head -1)
		[ -n "$URL" ] && return 0
		sleep 0.1
	done
	return 1
}
