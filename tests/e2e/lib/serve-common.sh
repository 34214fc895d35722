# serve_start DB [OPTIONS]: starts voix serve on DB on a free port of
# 127.0.0.1, its log in $TMP/serve.log; sets SERVE (its pid) and URL, or
# returns 1 (the log printed) when it did not start. Needs VOIX and TMP.
serve_start() {
	local db=$1
	shift
	"$VOIX" serve --db "$db" --listen 127.0.0.1:0 "$@" 2>"$TMP/serve.log" &
	SERVE=$!
	URL=""
	for _ in $(seq 1 100); do
		URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/serve.log" | head -1)
		[ -n "$URL" ] && return 0
		sleep 0.1
	done
	cat "$TMP/serve.log"
	kill "$SERVE" 2>/dev/null
	return 1
}
