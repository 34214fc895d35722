# without_run JSON: the note without its last member, "run" (docs/note-json.md:
# keys in a fixed order, indented by two spaces, run last), the only part
# that differs between runs. Sourced by the scripts that compare notes.
without_run() {
	grep -q '^  "run": {$' "$1" || { echo "FAIL: no \"run\" object in $1" >&2; return 1; }
	sed -n '/^  "run": {$/q;p' "$1" | sed '$ s/,$//'
	echo '}'
}
