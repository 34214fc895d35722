# Helpers of the PostgreSQL end-to-end scripts (sourced; not a test). The
# cluster is started by the CTest fixture pg/cluster-start
# (scripts/pg-cluster.sh), which writes VX_PG_ENV. These tests never skip:
# without a cluster they fail, saying how to get one.
# Needs REPO set.
[ -n "${VX_PG_ENV:-}" ] && [ -f "$VX_PG_ENV" ] || {
	echo "FAIL: no PostgreSQL cluster (VX_PG_ENV='${VX_PG_ENV:-}'): run through ctest, whose fixture"
	echo "      pg/cluster-start starts one (scripts/pg-cluster.sh start ENV_FILE, needs postgresql-15)"
	exit 1
}
. "$VX_PG_ENV"

# pg_newdb NAME: prints the URI of a new, empty database NAME.
pg_newdb() {
	bash "$REPO/scripts/pg-cluster.sh" createdb "$VX_PG_ENV" "$1"
}

# pg_sql URI SQL: one value per line, unaligned.
pg_sql() {
	psql -X -q -At -v ON_ERROR_STOP=1 "$1" -c "$2"
}
