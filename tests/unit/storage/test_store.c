/*
 * The store: schema and migrations, import counts and identity, rollback,
 * load with filters, statistics. Search has its own file (test_search.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store_fixture.h"
#include "storage/fts_tokenizer.h"
#include "storage/schema.h"
#include "voix/error.h"

static int setup(void **state)
{
	tmpdb *t = malloc(sizeof *t);
	tmpdb_make(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tmpdb_remove(*state);
	free(*state);
	return 0;
}

/* Runs one SQL query returning a single integer, on its own connection. */
static long long sql_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	int r = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (r != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static void test_schema_created_on_empty_db(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	assert_int_equal(vx_store_schema_version(s), vx_schema_current());
	size_t n = 99;
	assert_int_equal(vx_store_count(s, &n), 0);
	assert_int_equal(n, 0);
	vx_store_free(s);
	/* Every table is there, the journal is WAL, and opening again changes nothing. */
	const char *tables[] = {"sources", "experiences", "original_rows", "imports", "experiences_fts"};
	char sql[160];
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s'", tables[i]);
		assert_int_equal(sql_int(t->path, sql), 1);
	}
	assert_int_equal(sql_int(t->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	assert_int_equal(vx_store_open(&s, t->path), 0);
	assert_int_equal(vx_store_schema_version(s), vx_schema_current());
	vx_store_free(s);
}

/* A database left at version 1 (before the full-text index) with data in it
 * is migrated on open, and the migration indexes the rows already there. */
static void test_migration_from_version_1(void **state)
{
	tmpdb *t = *state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(vx_fts_register(db), 0);
	assert_int_equal(vx_schema_migrate(db, 1), 0);
	int v = 0;
	assert_int_equal(vx_schema_version(db, &v), 0);
	assert_int_equal(v, 1);
	char *msg = NULL;
	int r = sqlite3_exec(db,
	                     "INSERT INTO sources VALUES (1, 'old.csv', '', 'sp-plus-2023', 'utf-8', ';', 1, 0, 0, 'x', 'x');"
	                     "INSERT INTO experiences (scope, ext_id, source_id, line, date, date_text, feeling, service,"
	                     " structure, department, channels, accessibilite, information, relation, reactivite,"
	                     " simplicite, content_hash, title, text, reply) VALUES ('sp-plus', '7', 1, 2, '', '',"
	                     " 'inconnu', '', '', '', '[]', 'inconnu', 'inconnu', 'inconnu', 'inconnu', 'inconnu', 0,"
	                     " '', 'Les guichets étaient fermés', '');",
	                     NULL, NULL, &msg);
	if (r != SQLITE_OK)
		fail_msg("%s", msg);
	sqlite3_close(db);

	vx_store *s = NULL;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	assert_int_equal(vx_store_schema_version(s), vx_schema_current());
	vx_store_free(s);
	/* "guichet" finds "guichets" through the index built by the migration. */
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(vx_fts_register(db), 0);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM experiences_fts WHERE experiences_fts MATCH"
	                                        " 'guichet fermé'", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_newer_schema_is_refused(void **state)
{
	tmpdb *t = *state;
	sql_exec(t->path, "PRAGMA user_version = 999");
	vx_store *s = NULL;
	assert_int_equal(vx_store_open(&s, t->path), VX_EDB);
	assert_null(s);
	assert_non_null(strstr(vx_error_last(), "voix plus récent"));
}

static void test_not_a_database(void **state)
{
	tmpdb *t = *state;
	FILE *f = fopen(t->path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("ID;Titre;Description\n1;a;b\n", f);
	fclose(f);
	vx_store *s = NULL;
	assert_int_equal(vx_store_open(&s, t->path), VX_EDB);
	assert_null(s);
	assert_non_null(strstr(vx_error_last(), t->path));
}

static void test_open_existing_needs_a_file(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	assert_int_equal(vx_store_open_existing(&s, t->path), VX_ENOTFOUND);
	assert_null(s);
	assert_int_equal(access(t->path, F_OK), -1);
	assert_int_equal(vx_store_open(&s, t->path), 0);
	vx_store_free(s);
	assert_int_equal(vx_store_open_existing(&s, t->path), 0);
	vx_store_free(s);
}

static void import_corpus(vx_store *s, vx_corpus *c, vx_import_counts *k)
{
	int rc = vx_store_import(s, c, k);
	if (rc)
		fail_msg("import failed: %s", vx_error_last());
	assert_int_equal(k->read, k->inserted + k->updated + k->unchanged + k->rejected);
}

static void assert_counts(const vx_import_counts *k, size_t read, size_t ins, size_t upd, size_t same, size_t rej)
{
	assert_int_equal(k->read, read);
	assert_int_equal(k->inserted, ins);
	assert_int_equal(k->updated, upd);
	assert_int_equal(k->unchanged, same);
	assert_int_equal(k->rejected, rej);
}

/* The life of an export: first import, the same file again, a new version
 * with one text changed and one row added, the same export downloaded under
 * another name. */
static void test_import_insert_unchanged_update(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);

	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	vx_reject rej = {"export.csv", 9, "the row has 3 fields, the header 14", "1;2;3"};
	assert_int_equal(vx_corpus_add_reject(c, &rej), 0);
	import_corpus(s, c, &k);
	assert_counts(&k, FIXTURE_ROWS + 1, FIXTURE_ROWS, 0, 0, 1);
	import_corpus(s, c, &k);
	assert_counts(&k, FIXTURE_ROWS + 1, 0, 0, FIXTURE_ROWS, 1);
	vx_corpus_free(c);

	/* New version: row 0 changed, rows 1-2 unchanged, row 3 left out, one new row. */
	c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	fixture_source(c, "export.csv", "sp-plus-2025", 2);
	fixture_add(c, "export.csv", 0, "Rendez-vous enfin honoré après deux reports.");
	fixture_add(c, "export.csv", 1, NULL);
	fixture_add(c, "export.csv", 2, NULL);
	vx_experience extra = *vx_corpus_get(c, 2);
	extra.id = "2001";
	extra.text = "Une nouvelle expérience";
	assert_int_equal(vx_corpus_add(c, &extra), 0);
	import_corpus(s, c, &k);
	assert_counts(&k, 4, 1, 1, 2, 0);
	vx_corpus_free(c);

	size_t n = 0;
	assert_int_equal(vx_store_count(s, &n), 0);
	assert_int_equal(n, FIXTURE_ROWS + 1);

	/* The same export re-downloaded under another name: same ids, nothing new. */
	c = fixture_corpus("export (1).csv", "sp-plus-2023");
	import_corpus(s, c, &k);
	/* Row 0 has its first text again: that is an update. */
	assert_counts(&k, FIXTURE_ROWS, 0, 1, FIXTURE_ROWS - 1, 0);
	vx_corpus_free(c);
	assert_int_equal(vx_store_count(s, &n), 0);
	assert_int_equal(n, FIXTURE_ROWS + 1);
	vx_store_free(s);

	/* The first import went through a rollback journal; WAL is back. */
	assert_int_equal(sql_int(t->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	/* One row per import in the log, the original rows are kept in full. */
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM imports"), 4);
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM original_rows r JOIN experiences e"
	                                  " ON e.id = r.experience_id WHERE json_extract(r.row_json, '$.extra') = 'kept'"),
	                 FIXTURE_ROWS + 1);
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM sources"), 3);
}

typedef struct progress_log {
	size_t calls, last_done, last_total;
	int backwards;
} progress_log;

static void on_progress(size_t done, size_t total, void *payload)
{
	progress_log *p = payload;
	if (done < p->last_done || done > total)
		p->backwards = 1;
	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

/* Progress moves forward and ends at its total. */
/* A corpus of n experiences, the fixture's rows repeated under new ids. */
static vx_corpus *large_corpus(size_t n)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	fixture_source(c, "large.csv", "sp-plus-2025", 1);
	for (size_t i = 0; i < n; i++) {
		fixture_add(c, "large.csv", i % FIXTURE_ROWS, NULL);
		char id[32];
		snprintf(id, sizeof id, "L%zu", i);
		vx_experience *e = (vx_experience *)vx_corpus_get(c, i);
		e->id = vx_corpus_intern(c, id, strlen(id));
	}
	return c;
}

/* The journal mode written in the file, as a new connection sees it. */
static void journal_mode_of(const char *path, char *out, size_t cap)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	snprintf(out, cap, "?");
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

typedef struct reader_probe {
	const char *path;
	int probed, open_rc;
	size_t count;
	char mode[16];
} reader_probe;

/* Called from inside the import's transaction: a reader opens the database
 * and counts what is committed. */
static void probe_reader(size_t done, size_t total, void *payload)
{
	reader_probe *p = payload;
	if (p->probed || done == total)
		return;
	p->probed = 1;
	journal_mode_of(p->path, p->mode, sizeof p->mode);
	vx_store *r = NULL;
	p->open_rc = vx_store_open_existing(&r, p->path);
	if (p->open_rc == 0 && vx_store_count(r, &p->count) != 0)
		p->open_rc = -100;
	vx_store_free(r);
}

/* The first import into an empty database keeps it in WAL: stats, search
 * and note --db read the last committed state meanwhile (here: nothing)
 * instead of failing with "database is locked". */
static void test_readers_work_during_first_import(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	/* Two progress steps of the import, so that the probe runs mid-way. */
	vx_corpus *c = large_corpus(5000);
	assert_int_equal(vx_store_open(&s, t->path), 0);
	reader_probe p = {.path = t->path};
	vx_store_set_progress(s, probe_reader, &p);
	import_corpus(s, c, &k);
	assert_true(p.probed);
	assert_string_equal(p.mode, "wal");
	if (p.open_rc != 0)
		fail_msg("reader during the import: %s", vx_error_last());
	assert_int_equal(p.count, 0);
	assert_int_equal(k.inserted, 5000);
	vx_store_free(s);
	vx_corpus_free(c);
}

typedef struct wait_log {
	int calls;
	unsigned seconds;
	char path[160];
} wait_log;

static void on_wait(const char *path, unsigned seconds, void *payload)
{
	wait_log *w = payload;
	w->calls++;
	w->seconds = seconds;
	snprintf(w->path, sizeof w->path, "%s", path);
}

/* A second writer is told that it waits, for which database, and fails
 * with VX_EBUSY naming the database when the first one holds it longer
 * than the wait. Nothing is stored. */
static void test_second_writer_waits_then_says_who(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	assert_int_equal(vx_store_open(&s, t->path), 0);
	sqlite3 *holder = NULL;
	assert_int_equal(sqlite3_open(t->path, &holder), SQLITE_OK);
	assert_int_equal(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	wait_log w = {0};
	vx_store_set_wait(s, 1, on_wait, &w);
	assert_int_equal(vx_store_import(s, c, &k), VX_EBUSY);
	/* In French, with the step it stopped, for every front end. */
	char want[512];
	snprintf(want, sizeof want,
	         "%s : importation : un autre processus (une autre importation voix ?) écrit dans la base depuis plus"
	         " de 1 s",
	         t->path);
	assert_string_equal(vx_error_last(), want);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.seconds, 1);
	assert_string_equal(w.path, t->path);
	assert_int_equal(k.inserted, 0);
	/* Once the holder is done, the same store imports. */
	sqlite3_exec(holder, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(holder);
	import_corpus(s, c, &k);
	assert_int_equal(k.inserted, FIXTURE_ROWS);
	vx_store_free(s);
	vx_corpus_free(c);
}

/* vx_store_open_existing opens read-only: it reads, never writes. */
static void test_open_existing_is_read_only(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	assert_int_equal(vx_store_open(&s, t->path), 0);
	import_corpus(s, c, &k);
	vx_store_free(s);
	assert_int_equal(vx_store_open_existing(&s, t->path), 0);
	size_t n = 0;
	assert_int_equal(vx_store_count(s, &n), 0);
	assert_int_equal(n, FIXTURE_ROWS);
	assert_int_equal(vx_store_import(s, c, &k), VX_EDB);
	char want[512];
	snprintf(want, sizeof want, "%s : importation : la base a été ouverte en lecture seule", t->path);
	assert_string_equal(vx_error_last(), want);
	vx_store_free(s);
	vx_corpus_free(c);
}

static void test_progress(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	progress_log p = {0};
	vx_store_set_progress(s, on_progress, &p);
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	import_corpus(s, c, &k);
	vx_corpus_free(c);
	assert_true(p.calls >= 1);
	assert_false(p.backwards);
	assert_int_equal(p.last_done, p.last_total);
	assert_true(p.last_total >= FIXTURE_ROWS);
	vx_store_free(s);
}

/* A corpus read without the original rows updates the fields it has but
 * keeps the stored original rows. */
static void test_original_rows_never_erased(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	import_corpus(s, c, &k);
	vx_corpus_free(c);
	/* Row 1 again, its text changed, without its original row. */
	c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	fixture_source(c, "export.csv", "sp-plus-2025", 2);
	fixture_add(c, "export.csv", 1, "Accueil correct sans plus.");
	vx_corpus *bare = NULL;
	assert_int_equal(vx_corpus_new(&bare), 0);
	fixture_source(bare, "export.csv", "sp-plus-2025", 2);
	vx_experience e = *vx_corpus_get(c, 0);
	e.row_json = "";
	assert_int_equal(vx_corpus_add(bare, &e), 0);
	vx_corpus_free(c);
	c = bare;
	import_corpus(s, c, &k);
	assert_counts(&k, 1, 0, 1, 0, 0);
	vx_corpus_free(c);
	vx_store_free(s);
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM original_rows WHERE row_json LIKE '%\"kept\"%'"),
	                 FIXTURE_ROWS);
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM experiences WHERE text = 'Accueil correct sans plus.'"),
	                 1);
}

/* Ids of generic files (mapped CSV, JSON Lines) are scoped by file name:
 * two unrelated files that both number their rows 1, 2, 3 do not overwrite
 * each other. */
static void test_mapped_ids_scoped_by_file(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	vx_corpus *a = fixture_corpus("/data/a/reunions.csv", "mapped-csv");
	vx_corpus *b = fixture_corpus("/data/b/avis.csv", "mapped-csv");
	vx_corpus *a2 = fixture_corpus("/elsewhere/reunions.csv", "mapped-csv");
	import_corpus(s, a, &k);
	assert_counts(&k, FIXTURE_ROWS, FIXTURE_ROWS, 0, 0, 0);
	import_corpus(s, b, &k);
	assert_counts(&k, FIXTURE_ROWS, FIXTURE_ROWS, 0, 0, 0);
	/* The same file name in another folder is the same file. */
	import_corpus(s, a2, &k);
	assert_counts(&k, FIXTURE_ROWS, 0, 0, FIXTURE_ROWS, 0);
	vx_corpus_free(a);
	vx_corpus_free(b);
	vx_corpus_free(a2);
	vx_store_free(s);
}

/* Loads everything back; returns the corpus (caller frees). */
static vx_corpus *load(vx_store *s, const vx_filter *f)
{
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	int rc = vx_store_load(s, c, f);
	if (rc)
		fail_msg("load failed: %s", vx_error_last());
	return c;
}

static void test_rollback_on_failure(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	import_corpus(s, c, &k);
	vx_corpus_free(c);

	/* A database that refuses one row (as a full disk or a constraint would):
	 * the rows before it in the same import must not stay. */
	sql_exec(t->path, "CREATE TRIGGER refuse BEFORE INSERT ON experiences WHEN NEW.ext_id = 'boom'"
	                  " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
	c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	fixture_source(c, "export.csv", "sp-plus-2025", 2);
	fixture_add(c, "export.csv", 0, "Texte modifié avant l'échec");
	vx_experience boom = *vx_corpus_get(c, 0);
	boom.id = "boom";
	assert_int_equal(vx_corpus_add(c, &boom), 0);
	vx_experience after = boom;
	after.id = "3001";
	assert_int_equal(vx_corpus_add(c, &after), 0);
	k.read = 77;
	assert_int_equal(vx_store_import(s, c, &k), VX_EDB);
	assert_non_null(strstr(vx_error_last(), "refused by the test"));
	assert_int_equal(k.read, 0);
	vx_corpus_free(c);

	/* An experience whose source the corpus does not list fails the same way. */
	c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	fixture_source(c, "export.csv", "sp-plus-2025", 3);
	fixture_add(c, "export.csv", 1, "Autre texte modifié");
	fixture_add(c, "ailleurs.csv", 2, NULL);
	assert_int_equal(vx_store_import(s, c, &k), VX_EINVAL);
	vx_corpus_free(c);

	/* The database is exactly as after the first import. */
	size_t n = 0;
	assert_int_equal(vx_store_count(s, &n), 0);
	assert_int_equal(n, FIXTURE_ROWS);
	vx_corpus *back = load(s, NULL);
	for (size_t i = 0; i < FIXTURE_ROWS; i++)
		assert_string_equal(vx_corpus_get(back, i)->text, fixture_rows[i].text);
	assert_int_equal(vx_corpus_source_count(back), 1);
	vx_corpus_free(back);
	vx_store_free(s);
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM imports"), 1);
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM sources"), 1);
}

static void test_load_round_trip(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	/* Imported in no particular id order, from two files: load gives the
	 * import order. */
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	fixture_source(c, "b.csv", "sp-plus-2025", 1);
	fixture_source(c, "a.csv", "google-reviews", 1);
	fixture_add(c, "b.csv", 3, NULL);
	fixture_add(c, "b.csv", 1, NULL);
	fixture_add(c, "b.csv", 0, NULL);
	fixture_add(c, "a.csv", 2, NULL);
	import_corpus(s, c, &k);
	vx_corpus_free(c);

	vx_corpus *back = load(s, NULL);
	const char *order[] = {"1004", "1002", "1001", "1003"};
	const size_t fixture_index[] = {3, 1, 0, 2};
	assert_int_equal(vx_corpus_count(back), 4);
	for (size_t i = 0; i < 4; i++) {
		const vx_experience *e = vx_corpus_get(back, i);
		const fixture_exp *f = &fixture_rows[fixture_index[i]];
		assert_string_equal(e->id, order[i]);
		assert_string_equal(e->source, i < 3 ? "b.csv" : "a.csv");
		assert_int_equal(e->line, fixture_index[i] + 2);
		assert_string_equal(e->date, f->date);
		assert_string_equal(e->title, f->title);
		assert_string_equal(e->text, f->text);
		assert_string_equal(e->service, f->service);
		assert_string_equal(e->structure, f->structure);
		assert_string_equal(e->department, f->department);
		assert_string_equal(e->reply, f->reply);
		assert_string_equal(e->row_json, "");
		assert_int_equal(e->feeling, f->feeling);
		for (int d = 0; d < VX_DIM_COUNT; d++)
			assert_int_equal(e->dims[d], f->dims[d]);
		uint32_t nch = 0;
		while (nch < 3 && f->channels[nch])
			nch++;
		assert_int_equal(e->n_channels, nch);
		for (uint32_t j = 0; j < nch; j++)
			assert_string_equal(e->channels[j], f->channels[j]);
	}
	assert_int_equal(vx_corpus_source_count(back), 2);
	const vx_source *src = vx_corpus_source(back, 0);
	assert_string_equal(src->path, "b.csv");
	assert_string_equal(src->format, "sp-plus-2025");
	assert_string_equal(src->encoding, "utf-8");
	assert_int_equal(src->separator, ';');
	assert_int_equal(strlen(src->sha256), 64);
	assert_int_equal(src->rows_read, FIXTURE_ROWS);
	vx_corpus_free(back);
	vx_store_free(s);
}

/* An update keeps an experience's place; new ones come after. */
static void test_load_order_is_stable(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	import_corpus(s, c, &k);
	vx_corpus_free(c);
	c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	fixture_source(c, "export (2).csv", "sp-plus-2025", 2);
	vx_experience extra;
	fixture_add(c, "export (2).csv", 2, "Texte changé");
	extra = *vx_corpus_get(c, 0);
	extra.id = "0999";
	assert_int_equal(vx_corpus_add(c, &extra), 0);
	import_corpus(s, c, &k);
	assert_counts(&k, 2, 1, 1, 0, 0);
	vx_corpus_free(c);
	vx_corpus *back = load(s, NULL);
	const char *order[] = {"1001", "1002", "1003", "1004", "0999"};
	assert_int_equal(vx_corpus_count(back), 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(vx_corpus_get(back, i)->id, order[i]);
	/* The updated experience now comes from the second file. */
	assert_string_equal(vx_corpus_get(back, 2)->source, "export (2).csv");
	assert_string_equal(vx_corpus_get(back, 2)->text, "Texte changé");
	assert_int_equal(vx_corpus_source_count(back), 2);
	vx_corpus_free(back);
	vx_store_free(s);
}

typedef struct filter_case {
	vx_filter filter;
	const char *ids;   /* expected ids, space-separated, in load order */
} filter_case;

/* A new, empty PostgreSQL database of the tests' cluster (VX_PG_ENV, set
 * by the CTest fixture pg/cluster-start): its URI in uri; 0 without a
 * cluster (the test binary run by hand). */
static int pg_database(char *uri, size_t cap)
{
	const char *env = getenv("VX_PG_ENV");
	if (env == NULL || *env == '\0')
		return 0;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "bash %s/../scripts/pg-cluster.sh createdb '%s' vx_unit_load", VX_EXAMPLES, env);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	int got = fgets(uri, (int)cap, p) != NULL;
	assert_int_equal(pclose(p), 0);
	assert_true(got);
	uri[strcspn(uri, "\n")] = '\0';
	return 1;
}

/* The filters of the load, pushed into SQL (dates, feeling, departments)
 * or matched after it: the same rows from SQLite and from PostgreSQL. */
static void test_load_with_filters(void **state)
{
	tmpdb *t = *state;
	char uri[512];
	const char *backends[] = {t->path, pg_database(uri, sizeof uri) ? uri : NULL};
	if (backends[1] == NULL)
		printf("  VX_PG_ENV unset: SQLite only (ctest runs PostgreSQL too)\n");
	static const filter_case cases[] = {
		{{NULL, NULL, NULL, NULL, NULL, NULL, NULL}, "1001 1002 1003 1004"},
		{{"prefecture", NULL, NULL, NULL, NULL, NULL, NULL}, "1001 1002"},
		{{"", "CAF DE MONTCLAIR", "", "", "", NULL, NULL}, "1003"},
		{{NULL, NULL, "telephone", NULL, NULL, NULL, NULL}, "1001"},
		{{NULL, NULL, "Accueil", NULL, NULL, NULL, NULL}, "1001 1002"},
		{{NULL, NULL, NULL, "2023-02-01", NULL, NULL, NULL}, "1002 1003"},
		{{NULL, NULL, NULL, NULL, "2023-02-03", NULL, NULL}, "1001 1002"},
		{{NULL, NULL, NULL, "2023-02-01", "2023-02-10", NULL, NULL}, "1002"},
		{{"Préfecture", NULL, NULL, "2023-02-01", NULL, NULL, NULL}, "1002"},
		{{"Mairie", NULL, NULL, NULL, NULL, NULL, NULL}, ""},
		/* The feeling stored (the export's), any spelling. */
		{{NULL, NULL, NULL, NULL, NULL, "négatif", NULL}, "1001"},
		{{NULL, NULL, NULL, NULL, NULL, "NEGATIF", NULL}, "1001"},
		{{NULL, NULL, NULL, NULL, NULL, "neutre", NULL}, "1003"},
		{{NULL, NULL, NULL, NULL, NULL, "pas un ressenti", NULL}, ""},
		{{"Préfecture", NULL, NULL, NULL, NULL, "positif", NULL}, "1002"},
		/* Departments exactly, blanks around either side ignored. */
		{{NULL, NULL, NULL, NULL, NULL, NULL, "75"}, "1001"},
		{{NULL, NULL, NULL, NULL, NULL, NULL, "92"}, "1002"},
		{{NULL, NULL, NULL, NULL, NULL, NULL, "75, 92 ,93"}, "1001 1002"},
		{{NULL, NULL, NULL, NULL, NULL, NULL, "2a"}, ""},
		{{NULL, NULL, NULL, NULL, NULL, NULL, "7"}, ""},
		{{NULL, NULL, NULL, NULL, NULL, NULL, ","}, ""},
		/* More departments than go into the SQL: matched after loading. */
		{{NULL, NULL, NULL, NULL, NULL, NULL,
		  "01,02,03,04,05,06,07,08,09,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,2A"},
		 "1003"},
		{{NULL, NULL, NULL, "2023-02-01", NULL, "positif", "2A,92"}, "1002"},
	};
	for (size_t b = 0; b < sizeof backends / sizeof backends[0] && backends[b]; b++) {
		vx_store *s = NULL;
		vx_import_counts k;
		if (vx_store_open(&s, backends[b]) != 0)
			fail_msg("%s: %s", b ? "PostgreSQL" : "SQLite", vx_error_last());
		vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
		import_corpus(s, c, &k);
		vx_corpus_free(c);
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			vx_corpus *back = load(s, &cases[i].filter);
			char got[128] = "";
			for (size_t j = 0; j < vx_corpus_count(back); j++) {
				if (j)
					strcat(got, " ");
				strcat(got, vx_corpus_get(back, j)->id);
			}
			if (strcmp(got, cases[i].ids) != 0)
				fail_msg("%s, filter case %zu: got '%s', want '%s'", b ? "PostgreSQL" : "SQLite", i, got,
				         cases[i].ids);
			/* Sources: only when some experience of theirs was loaded. */
			assert_int_equal(vx_corpus_source_count(back), cases[i].ids[0] ? 1 : 0);
			vx_corpus_free(back);
		}
		vx_store_free(s);
	}
}

static void test_stats(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	import_corpus(s, c, &k);
	vx_corpus_free(c);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(vx_store_stats(s, out), 0);
	fclose(out);
	static const char *const lines[] = {
		"expériences : 4\n",
		"par source :\n        4  export.csv (sp-plus-2025, importé le ",
		"par type de service :\n        2  Préfecture\n        1  (non renseigné)\n        1  CAF\n",
		"par structure (les 10 plus fréquentes sur 3) :\n        2  Préfecture de Valbonne\n",
		"par ressenti :\n        1  positif\n        1  neutre\n        1  négatif\n        1  inconnu\n",
		"par mois :\n        1  2023-01\n        2  2023-02\n        1  (sans date)\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (strstr(text, lines[i]) == NULL)
			fail_msg("missing in the statistics:\n%s\n--- got:\n%s", lines[i], text);
	free(text);
	vx_store_free(s);
}

/* Service and structure names are masked in the statistics (an e-mail or a
 * phone number can be typed there too), and no label can break the line
 * format or reach the terminal as an escape sequence. */
static void test_stats_mask_and_escape_labels(void **state)
{
	tmpdb *t = *state;
	vx_store *s = NULL;
	vx_import_counts k;
	assert_int_equal(vx_store_open(&s, t->path), 0);
	vx_corpus *c = fixture_corpus("export.csv", "sp-plus-2025");
	vx_experience *e = (vx_experience *)vx_corpus_get(c, 0);
	e->service = "Contact paul.martinez@exemple.fr";
	e->structure = "Mairie\x1B[31m\tde\nValbonne";
	import_corpus(s, c, &k);
	vx_corpus_free(c);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(vx_store_stats(s, out), 0);
	fclose(out);
	assert_null(strstr(text, "paul.martinez"));
	assert_non_null(strstr(text, "        1  Contact [EMAIL]\n"));
	assert_null(strchr(text, '\x1B'));
	assert_null(strchr(text, '\t'));
	assert_non_null(strstr(text, "        1  Mairie\\x1B[31m\\tde\\nValbonne\n"));
	free(text);
	vx_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stats_mask_and_escape_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_created_on_empty_db, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_from_version_1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_existing_needs_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_insert_unchanged_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mapped_ids_scoped_by_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_original_rows_never_erased, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readers_work_during_first_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_writer_waits_then_says_who, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_existing_is_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_on_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_order_is_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_with_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
