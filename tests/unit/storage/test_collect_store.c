/*
 * The collection's storage (voix/collect.h): the structures referential,
 * submissions and their idempotency keys. Invented structures and texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <time.h>

#include "store_fixture.h"
#include "voix/accounts.h"
#include "voix/collect.h"
#include "voix/error.h"

/* The header as the 2023 export writes it: a byte order mark and a quoted
 * name inside the first quoted field, a line break inside a field. */
static const char REFERENTIAL[] =
	"\"\xEF\xBB\xBF\"\"Code SP+ de la structure\"\"\";Intitulé du réseau;Intitulé de la typologie;"
	"Intitulé de la structure;Code postal de la structure;Ville;Actif\r\n"
	"AAAA000001;CNAF;CAF;Caf de Montclair;99001;MONTCLAIR;Oui\r\n"
	"AAAA000002;POLICE NATIONALE;COMMISSARIAT;Commissariat de Valbonne;99002;VALBONNE;Oui\r\n"
	"AAAA000003;CNAF;CAF;\"Point d'accueil\nCaf de Valbonne\";99002;VALBONNE;Non\r\n"
	";CNAF;CAF;Sans code;99003;NULLEPART;Oui\r\n"
	"AAAA000004;CNAF;CAF;;99003;NULLEPART;Oui\r\n"
	"AAAA000001;CNAF;CAF;Doublon;99001;MONTCLAIR;Oui\r\n";

typedef struct found {
	char codes[8][VX_STRUCTURE_CODE_MAX + 1];
	size_t n;
	char name[128];
	int active;
} found;

static int collect(const vx_structure *st, void *payload)
{
	found *f = payload;
	if (f->n < 8)
		snprintf(f->codes[f->n++], sizeof f->codes[0], "%s", st->code);
	snprintf(f->name, sizeof f->name, "%s", st->name);
	f->active = st->active;
	return 0;
}

static void test_structures_import(void **state)
{
	(void)state;
	tmpdb t;
	vx_store *s = NULL;
	vx_structures_counts c;
	size_t n = 0;
	tmpdb_make(&t);
	assert_int_equal(vx_store_open(&s, t.path), 0);
	assert_int_equal(vx_structures_import(s, "ref.csv", REFERENTIAL, sizeof REFERENTIAL - 1, &c), 0);
	assert_int_equal(c.read, 6);
	assert_int_equal(c.inserted, 3);
	assert_int_equal(c.rejected, 3); /* no code, no name, a code seen before */
	assert_int_equal(c.first_rejected_line, 6);
	assert_int_equal(vx_structures_count(s, &n), 0);
	assert_int_equal(n, 3);
	/* Again: nothing changes; a changed name is an update. */
	assert_int_equal(vx_structures_import(s, "ref.csv", REFERENTIAL, sizeof REFERENTIAL - 1, &c), 0);
	assert_int_equal(c.unchanged, 3);
	assert_int_equal(c.inserted + c.updated, 0);
	static const char changed[] = "Code SP+ de la structure;Intitulé de la structure\nAAAA000002;Hôtel de police de Valbonne\n";
	assert_int_equal(vx_structures_import(s, "b.csv", changed, sizeof changed - 1, &c), 0);
	assert_int_equal(c.updated, 1);
	found f = {0};
	assert_int_equal(vx_structure_get(s, "AAAA000002", collect, &f), 0);
	assert_string_equal(f.name, "Hôtel de police de Valbonne");
	assert_int_equal(vx_structure_get(s, "ZZZ", collect, &f), VX_ENOTFOUND);
	/* A file without the name column is refused and changes nothing. */
	static const char bad[] = "Code SP+ de la structure;Ville\nAAAA000009;X\n";
	assert_int_equal(vx_structures_import(s, "c.csv", bad, sizeof bad - 1, &c), VX_EFORMAT);
	assert_non_null(strstr(vx_error_last(), "Intitulé de la structure"));
	static const char empty[] = "Code SP+ de la structure;Intitulé de la structure\r\n";
	assert_int_equal(vx_structures_import(s, "d.csv", empty, sizeof empty - 1, &c), VX_EEMPTY);
	assert_int_equal(vx_structures_count(s, &n), 0);
	assert_int_equal(n, 3);
	vx_store_free(s);
	tmpdb_remove(&t);
}

static void test_structures_search(void **state)
{
	(void)state;
	static const struct {
		const char *query;
		size_t n;
		const char *first;
	} cases[] = {
		{"caf", 1, "AAAA000001"},           /* the inactive one is not offered */
		{"MONTCLAIR", 1, "AAAA000001"},     /* the city */
		{"commissariat valbonne", 1, "AAAA000002"},
		{"police", 1, "AAAA000002"},        /* the network */
		{"câf montclaîr", 1, "AAAA000001"}, /* accents and case ignored */
		{"caf valbonne", 0, NULL},
		{"", 2, "AAAA000001"},
	};
	tmpdb t;
	vx_store *s = NULL;
	vx_structures_counts c;
	tmpdb_make(&t);
	assert_int_equal(vx_store_open(&s, t.path), 0);
	assert_int_equal(vx_structures_import(s, "ref.csv", REFERENTIAL, sizeof REFERENTIAL - 1, &c), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		found f = {0};
		assert_int_equal(vx_structures_search(s, cases[i].query, 10, collect, &f), 0);
		assert_int_equal(f.n, cases[i].n);
		if (cases[i].first)
			assert_string_equal(f.codes[0], cases[i].first);
	}
	found f = {0};
	assert_int_equal(vx_structures_search(s, "", 1, collect, &f), 0);
	assert_int_equal(f.n, 1);
	vx_store_free(s);
	tmpdb_remove(&t);
}


/* ---- submissions ---------------------------------------------------------- */

static vx_submission good_submission(void)
{
	vx_submission sub;
	memset(&sub, 0, sizeof sub);
	sub.structure = "AAAA000001";
	sub.date = "2024-03-12";
	sub.channels[0] = "Accueil";
	sub.channels[1] = "Téléphone";
	sub.n_channels = 2;
	sub.feeling = "négatif";
	sub.dimensions[3] = "négatif";
	sub.title = "Dossier perdu";
	sub.description = "Mon dossier a été perdu deux fois, personne ne répond au téléphone.";
	sub.posted_as = "La personne concernée";
	sub.consent = 1;
	return sub;
}

static vx_store *store_with_structures(tmpdb *t)
{
	vx_store *s = NULL;
	vx_structures_counts c;
	tmpdb_make(t);
	assert_int_equal(vx_store_open(&s, t->path), 0);
	assert_int_equal(vx_structures_import(s, "ref.csv", REFERENTIAL, sizeof REFERENTIAL - 1, &c), 0);
	return s;
}

/* A text of n copies of the 2-byte character "é". */
static char *repeated(size_t n)
{
	char *t = malloc(2 * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(t + 2 * i, "é", 2);
	t[2 * n] = '\0';
	return t;
}

static void test_submission_checks(void **state)
{
	(void)state;
	enum { STRUCT, DATE, CH, FEEL, DIM, TITLE, DESC, POSTED, PSEUDO, CONSENT, GOOD };
	static const struct {
		int what;
		const char *value;
		vx_submission_field field; /* in error; VX_FIELD_COUNT: none */
		const char *says;
	} cases[] = {
		{STRUCT, "", VX_FIELD_STRUCTURE, "choisissez la structure"},
		{STRUCT, "ZZZZ000000", VX_FIELD_STRUCTURE, "inconnue"},
		{STRUCT, "AAAA000003", VX_FIELD_STRUCTURE, "fermée"}, /* inactive */
		{DATE, "", VX_FIELD_DATE, "indiquez le jour"},
		{DATE, "31/02/2024", VX_FIELD_DATE, "illisible"},
		{DATE, "2999-01-01", VX_FIELD_DATE, "futur"},
		{DATE, "1999-12-31", VX_FIELD_DATE, "2000"},
		{DATE, "12/03/2024", VX_FIELD_COUNT, NULL},
		{CH, "Pigeon voyageur", VX_FIELD_CHANNELS, "liste"},
		{CH, "Accueil", VX_FIELD_CHANNELS, "chacun une fois"}, /* twice */
		{CH, NULL, VX_FIELD_CHANNELS, "au moins un canal"},
		{FEEL, "4", VX_FIELD_FEELING, "positif, neutre ou négatif"},
		{FEEL, "", VX_FIELD_FEELING, "positif, neutre ou négatif"},
		{FEEL, "negatif", VX_FIELD_COUNT, NULL},
		{DIM, "excellent", VX_FIELD_REACTIVITY, "laissez vide"},
		{DIM, "", VX_FIELD_COUNT, NULL},
		{TITLE, "", VX_FIELD_TITLE, "obligatoire"},
		{TITLE, "ligne\x01", VX_FIELD_TITLE, "non autorisés"},
		{TITLE, "deux\nlignes", VX_FIELD_TITLE, "non autorisés"},
		{DESC, "Trop court", VX_FIELD_COUNT, NULL}, /* exactly 10 */
		{DESC, "Court", VX_FIELD_DESCRIPTION, "au moins"},
		{DESC, "\xC3\x28 invalide en UTF-8", VX_FIELD_DESCRIPTION, "non autorisés"},
		{POSTED, "Un inconnu", VX_FIELD_POSTED_AS, "qui écrit"},
		{PSEUDO, "Camille", VX_FIELD_COUNT, NULL},
		{CONSENT, NULL, VX_FIELD_CONSENT, "cochez"},
		{GOOD, NULL, VX_FIELD_COUNT, NULL},
	};
	tmpdb t;
	vx_store *s = store_with_structures(&t);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vx_submission sub = good_submission();
		vx_submission_errors e;
		switch (cases[i].what) {
		case STRUCT: sub.structure = cases[i].value; break;
		case DATE: sub.date = cases[i].value; break;
		case CH:
			sub.channels[1] = cases[i].value;
			sub.n_channels = cases[i].value ? 2 : 0;
			break;
		case FEEL: sub.feeling = cases[i].value; break;
		case DIM: sub.dimensions[3] = cases[i].value; break;
		case TITLE: sub.title = cases[i].value; break;
		case DESC: sub.description = cases[i].value; break;
		case POSTED: sub.posted_as = cases[i].value; break;
		case PSEUDO: sub.pseudonym = cases[i].value; break;
		case CONSENT: sub.consent = 0; break;
		default: break;
		}
		int rc = vx_submission_check(s, &sub, &e);
		if (cases[i].field == VX_FIELD_COUNT) {
			assert_int_equal(rc, 0);
			assert_int_equal(e.n, 0);
			continue;
		}
		assert_int_equal(rc, VX_EINVAL);
		assert_int_equal(e.n, 1);
		if (strstr(e.message[cases[i].field], cases[i].says) == NULL)
			fail_msg("case %zu: « %s » lacks « %s »", i, e.message[cases[i].field], cases[i].says);
	}
	/* Every field wrong at once: one message each. */
	vx_submission none;
	vx_submission_errors e;
	memset(&none, 0, sizeof none);
	assert_int_equal(vx_submission_check(s, &none, &e), VX_EINVAL);
	assert_int_equal(e.n, 8); /* structure, date, channels, feeling, title, description, posted as, consent */
	vx_store_free(s);
	tmpdb_remove(&t);
}

static void test_submission_description_limit(void **state)
{
	(void)state;
	tmpdb t;
	vx_store *s = store_with_structures(&t);
	vx_submission sub = good_submission();
	vx_submission_errors e;
	char *at_limit = repeated(VX_DESCRIPTION_MAX), *over = repeated(VX_DESCRIPTION_MAX + 1);
	sub.description = at_limit; /* 5,000 characters in 10,000 bytes */
	assert_int_equal(vx_submission_check(s, &sub, &e), 0);
	sub.description = over;
	assert_int_equal(vx_submission_check(s, &sub, &e), VX_EINVAL);
	assert_non_null(strstr(e.message[VX_FIELD_DESCRIPTION], "5000 caractères au plus (le vôtre en compte 5001)"));
	free(at_limit);
	free(over);
	vx_store_free(s);
	tmpdb_remove(&t);
}

static void test_submit_idempotent(void **state)
{
	(void)state;
	tmpdb t;
	vx_store *s = store_with_structures(&t);
	vx_submission sub = good_submission();
	vx_submission_errors e;
	vx_submit_result r1, r2, r3;
	size_t n = 0;
	assert_int_equal(vx_collect_submit(s, &sub, "api", "cle-1", &e, &r1), 0);
	assert_true(r1.id > 0);
	assert_false(r1.replayed);
	/* The same key and submission: the same experience, nothing stored. */
	assert_int_equal(vx_collect_submit(s, &sub, "api", "cle-1", &e, &r2), 0);
	assert_int_equal(r2.id, r1.id);
	assert_true(r2.replayed);
	assert_int_equal(vx_collect_count(s, NULL, &n), 0);
	assert_int_equal(n, 1);
	/* The same key with another text is refused. */
	sub.title = "Autre titre";
	assert_int_equal(vx_collect_submit(s, &sub, "api", "cle-1", &e, &r3), VX_EINVAL);
	assert_true(r3.key_reused);
	/* Without a key, or with another, a new experience. */
	assert_int_equal(vx_collect_submit(s, &sub, "formulaire", NULL, &e, &r3), 0);
	assert_int_not_equal(r3.id, r1.id);
	assert_int_equal(vx_collect_submit(s, &sub, "api", "cle 2", &e, &r3), VX_EINVAL); /* a space */
	assert_int_equal(vx_collect_count(s, "à modérer", &n), 0);
	assert_int_equal(n, 2);
	/* An invalid submission stores nothing. */
	sub.consent = 0;
	assert_int_equal(vx_collect_submit(s, &sub, "api", "cle-3", &e, &r3), VX_EINVAL);
	assert_int_equal(r3.id, 0);
	assert_int_equal(vx_collect_count(s, NULL, &n), 0);
	assert_int_equal(n, 2);
	vx_store_free(s);
	/* Stored durably: a new connection sees both. */
	assert_int_equal(vx_store_open(&s, t.path), 0);
	assert_int_equal(vx_collect_count(s, "à modérer", &n), 0);
	assert_int_equal(n, 2);
	vx_store_free(s);
	tmpdb_remove(&t);
}

/* ---- moderation and audit ------------------------------------------------- */

typedef struct seen {
	long long ids[8];
	size_t n;
	char status[32], title[256], published[512], motif[128], channels[128], structure[128];
	int erased;
} seen;

static int see(const vx_collected *c, void *payload)
{
	seen *x = payload;
	if (x->n < 8)
		x->ids[x->n++] = c->id;
	snprintf(x->status, sizeof x->status, "%s", c->status);
	snprintf(x->title, sizeof x->title, "%s", c->title);
	snprintf(x->published, sizeof x->published, "%s", c->published_description);
	snprintf(x->motif, sizeof x->motif, "%s", c->reject_motif);
	snprintf(x->channels, sizeof x->channels, "%s", c->channels);
	snprintf(x->structure, sizeof x->structure, "%s", c->structure_name);
	x->erased = c->original_erased;
	return 0;
}

static size_t audit_n;
static int count_audit(const char *at, const char *actor, const char *action, const char *target,
                       const char *detail, void *payload)
{
	(void)at, (void)target, (void)detail;
	if (audit_n++ == 0)
		snprintf(payload, 64, "%s %s", actor, action);
	return 0;
}

static void test_moderation(void **state)
{
	(void)state;
	tmpdb t;
	vx_store *s = store_with_structures(&t);
	vx_submission sub = good_submission();
	vx_submission_errors e;
	vx_submit_result r1, r2;
	sub.description = "Écrivez-moi à jean.durandal@exemple.fr, le dossier traîne depuis mars.";
	assert_int_equal(vx_collect_submit(s, &sub, "formulaire", NULL, &e, &r1), 0);
	assert_int_equal(vx_collect_submit(s, &sub, "api", NULL, &e, &r2), 0);
	seen q = {0};
	assert_int_equal(vx_collect_list(s, "à modérer", NULL, 0, 10, see, &q), 0);
	assert_int_equal(q.n, 2);
	assert_int_equal(q.ids[0], r1.id); /* the oldest first */
	assert_string_equal(q.channels, "Accueil, Téléphone");
	assert_string_equal(q.structure, "Caf de Montclair");
	assert_int_equal(vx_collect_list(s, "brouillon", NULL, 0, 10, see, &q), VX_EINVAL);
	/* Publication masks; the original stays for the moderator. */
	assert_int_equal(vx_collect_moderate(s, r1.id, "mod", 1, NULL), 0);
	seen one = {0};
	assert_int_equal(vx_collect_get(s, r1.id, see, &one), 0);
	assert_string_equal(one.status, "publiée");
	assert_null(strstr(one.published, "durandal"));
	assert_non_null(strstr(one.published, "[EMAIL]"));
	assert_int_equal(vx_collect_moderate(s, r1.id, "mod", 0, "doublon"), VX_EINVAL); /* already */
	/* Rejection needs a motif. */
	assert_int_equal(vx_collect_moderate(s, r2.id, "mod", 0, "  "), VX_EINVAL);
	assert_non_null(strstr(vx_error_last(), "Motif de rejet"));
	assert_int_equal(vx_collect_moderate(s, r2.id, "mod", 0, "Propos injurieux"), 0);
	assert_int_equal(vx_collect_get(s, r2.id, see, &one), 0);
	assert_string_equal(one.motif, "Propos injurieux");
	assert_int_equal(vx_collect_get(s, 999, see, &one), VX_ENOTFOUND);
	/* Retention: nothing erased before VX_COLLECT_KEEP_DAYS, everything after. */
	size_t erased = 0;
	long long now = (long long)time(NULL);
	assert_int_equal(vx_collect_purge(s, now, &erased), 0);
	assert_int_equal(erased, 0);
	assert_int_equal(vx_collect_purge(s, now + (VX_COLLECT_KEEP_DAYS + 1) * 86400LL, &erased), 0);
	assert_int_equal(erased, 2);
	assert_int_equal(vx_collect_get(s, r1.id, see, &one), 0);
	assert_string_equal(one.title, "");
	assert_true(one.erased);
	assert_non_null(strstr(one.published, "[EMAIL]")); /* the masked text stays */
	/* The audit log: three entries, the newest first, and no way to change them. */
	char first[64] = "";
	audit_n = 0;
	assert_int_equal(vx_audit_list(s, 0, 10, count_audit, first), 0);
	assert_int_equal(audit_n, 3);
	assert_string_equal(first, "voix effacement");
	vx_store_free(s);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET actor = 'x'", NULL, NULL, NULL), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	tmpdb_remove(&t);
}

/* ---- replies and reply assistance ----------------------------------------- */

typedef struct similar_seen {
	long long ids[4];
	int rates[4];
	size_t n;
	char reply[128];
} similar_seen;

static int see_similar(const vx_similar *sim, void *payload)
{
	similar_seen *x = payload;
	if (x->n < 4) {
		x->ids[x->n] = sim->id;
		x->rates[x->n++] = sim->rate;
	}
	if (x->n == 1)
		snprintf(x->reply, sizeof x->reply, "%s", sim->reply);
	return 0;
}

static long long publish(vx_store *s, const char *title, const char *text)
{
	vx_submission sub = good_submission();
	vx_submission_errors e;
	vx_submit_result r;
	sub.title = title;
	sub.description = text;
	assert_int_equal(vx_collect_submit(s, &sub, "formulaire", NULL, &e, &r), 0);
	assert_int_equal(vx_collect_moderate(s, r.id, "mod", 1, NULL), 0);
	return r.id;
}

static void test_replies_and_assistance(void **state)
{
	(void)state;
	tmpdb t;
	vx_store *s = store_with_structures(&t);
	assert_int_equal(vx_store_user_add(s, "agt", VX_ROLE_AGENT, "correct-horse-42"), 0);
	assert_int_equal(vx_store_user_add(s, "autre", VX_ROLE_AGENT, "correct-horse-42"), 0);
	assert_int_equal(vx_store_agent_attach(s, "agt", "AAAA000001"), 0);
	assert_int_equal(vx_store_agent_attach(s, "autre", "AAAA000002"), 0);
	long long a = publish(s, "Allocation logement", "Mon allocation logement est suspendue depuis trois mois.");
	long long b = publish(s, "Accueil", "Accueil aimable au guichet, attente courte.");
	long long c = publish(s, "Allocation suspendue", "Allocation logement suspendue sans explication, trois mois.");
	long long d = publish(s, "Logement", "Mon allocation logement suspendue, toujours rien après trois mois.");
	seen one = {0};
	assert_int_equal(vx_collect_get(s, a, see, &one), 0);
	/* Only an attached agent replies, to a published experience, with text. */
	assert_int_equal(vx_collect_reply(s, a, "autre", "Nous regardons."), VX_EINVAL);
	assert_non_null(strstr(vx_error_last(), "pas rattaché"));
	assert_int_equal(vx_collect_reply(s, a, "agt", "   "), VX_EINVAL);
	assert_int_equal(vx_collect_reply(s, 999, "agt", "x"), VX_ENOTFOUND);
	assert_int_equal(vx_collect_reply(s, a, "agt", "Votre dossier est débloqué depuis le 3."), 0);
	assert_int_equal(vx_collect_reply(s, b, "agt", "Merci de votre message."), 0);
	/* The assistance for d: the earlier experiences with a reply, closest first,
	 * with their rate; c has no reply and is not offered. */
	similar_seen x = {0};
	assert_int_equal(vx_collect_similar(s, d, 3, see_similar, &x), 0);
	assert_int_equal(x.ids[0], a);
	assert_string_equal(x.reply, "Votre dossier est débloqué depuis le 3.");
	assert_true(x.rates[0] > 40 && x.rates[0] <= 100);
	for (size_t i = 0; i < x.n; i++)
		assert_true(x.ids[i] != c && x.ids[i] != d);
	for (size_t i = 1; i < x.n; i++)
		assert_true(x.rates[i] <= x.rates[i - 1]);
	/* A first reply's date stays when the reply changes. */
	assert_int_equal(vx_collect_reply(s, a, "agt", "Réponse corrigée."), 0);
	assert_int_equal(vx_collect_get(s, a, see, &one), 0);
	vx_store_free(s);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT reply, first_reply_at <> '', first_reply_at <= replied_at "
	                                        "FROM submissions WHERE id = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "Réponse corrigée.");
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	assert_int_equal(sqlite3_column_int(st, 2), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	(void)c;
	tmpdb_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structures_import),
		cmocka_unit_test(test_structures_search),
		cmocka_unit_test(test_submission_checks),
		cmocka_unit_test(test_submission_description_limit),
		cmocka_unit_test(test_submit_idempotent),
		cmocka_unit_test(test_moderation),
		cmocka_unit_test(test_replies_and_assistance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
