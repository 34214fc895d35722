/*
 * Submissions of experiences (include/voix/collect.h): the checks of each
 * field with its French message, and the durable insert with its
 * idempotency key, in one transaction.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reading/decode.h"
#include "reading/values.h"
#include "storage/channels.h"
#include "storage/collect_internal.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "util/date.h"
#include "voix/collect.h"
#include "voix/error.h"

static const char *const field_names[VX_FIELD_COUNT] = {
	"structure", "date", "canaux", "ressenti", "accessibilite", "information", "relation", "reactivite",
	"simplicite", "titre", "description", "poste_comme", "pseudonyme", "consentement",
};

static const char *const field_labels[VX_FIELD_COUNT] = {
	"Structure concernée", "Date de l'expérience", "Canal ou canaux", "Ressenti",
	"Accessibilité", "Information / explication", "Relation", "Réactivité", "Simplicité / complexité",
	"Titre", "Description", "Posté comme", "Pseudonyme", "Consentement",
};

/* The channels of the SP+ export ("Canaux Typologie 1"), as it writes them
 * (../shared/data/SERVICES_PUBLICS_PLUS_SCHEMA.md), and "Autre". */
static const char *const channels[VX_CHANNELS_MAX] = {
	"Démarche en ligne", "Accueil", "Téléphone", "E-mail", "Compte ou espace personnel", "Courrier",
	"Réseaux Sociaux", "Tchat (messagerie instantanée)", "Autre",
};

static const char *const posted_as[] = {
	"La personne concernée", "Un proche de la personne concernée", "Un agent de médiation",
};

static const char CONSENT[] =
	"J'accepte que mon expérience soit publiée, après relecture par un modérateur qui retire les données "
	"personnelles, et que la structure concernée y réponde publiquement. Mon texte d'origine est effacé "
	"30 jours après la décision de modération.";

const char *vx_submission_field_name(vx_submission_field f)
{
	return f < VX_FIELD_COUNT ? field_names[f] : "";
}

const char *vx_submission_field_label(vx_submission_field f)
{
	return f < VX_FIELD_COUNT ? field_labels[f] : "";
}

const char *vx_collect_channel(size_t i)
{
	return i < VX_CHANNELS_MAX ? channels[i] : NULL;
}

const char *vx_collect_posted_as(size_t i)
{
	return i < sizeof posted_as / sizeof posted_as[0] ? posted_as[i] : NULL;
}

const char *vx_collect_consent_text(void)
{
	return CONSENT;
}

static void fail(vx_submission_errors *e, vx_submission_field f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(vx_submission_errors *e, vx_submission_field f, const char *fmt, ...)
{
	va_list ap;
	if (e->message[f][0])
		return;
	va_start(ap, fmt);
	vsnprintf(e->message[f], sizeof e->message[f], fmt, ap);
	va_end(ap);
	e->n++;
}

/* Characters of s: code points, a CR LF counting as one; -1 when s is not
 * UTF-8 or holds a control character other than tab and line breaks
 * (multiline: 1) or any (multiline: 0). */
static long characters(const char *s, int multiline)
{
	size_t len = strlen(s);
	long n = 0;
	if (!vx_utf8_valid(s, len))
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			if (!multiline || (c != '\n' && c != '\r' && c != '\t'))
				return -1;
			if (c == '\r' && s[i + 1] == '\n')
				continue;
		}
		if ((c & 0xc0) != 0x80)
			n++;
	}
	return n;
}

static int blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* The stored name of a feeling given by a form ("positif", "neutre",
 * "négatif", without accent too); NULL for anything else. */
static const char *feeling_of(const char *s)
{
	vx_feeling f = s ? vx_feeling_parse(s, strlen(s), VX_SCALE_STARS) : VX_FEELING_UNKNOWN;
	/* Numbers are a scale of the exports, not an answer of the form. */
	if (s == NULL || (s[0] >= '0' && s[0] <= '9'))
		return NULL;
	return f == VX_FEELING_UNKNOWN ? NULL : vx_feeling_name(f);
}

/* *active: the structure's "active" (0 or 1), -1 when code is unknown. */
static int structure_active(vx_store *s, const char *code, int *active)
{
	long long v = -1;
	const char *params[] = {code};
	int rc = vx_store_number(s, "SELECT coalesce(max(active), -1) FROM structures WHERE code = $1", 1, params,
	                         "vérification d'une structure", &v);
	*active = (int)v;
	return rc;
}

static void check_text(vx_submission_errors *e, vx_submission_field f, const char *v, long min, long max,
                       int multiline)
{
	long n = v ? characters(v, multiline) : 0;
	if (blank(v)) {
		if (min > 0)
			fail(e, f, "%s : ce champ est obligatoire.", field_labels[f]);
	} else if (n < 0) {
		fail(e, f, "%s : le texte contient des caractères non autorisés.", field_labels[f]);
	} else if (n > max) {
		fail(e, f, "%s : %ld caractères au plus (le vôtre en compte %ld).", field_labels[f], max, n);
	} else if (n < min) {
		fail(e, f, "%s : %ld caractères au moins (le vôtre en compte %ld).", field_labels[f], min, n);
	}
}

/* Today (UTC) as days since 1970-01-01. */
static int64_t today(void)
{
	return (int64_t)(time(NULL) / 86400);
}

/* The date of sub as "YYYY-MM-DD" into out, "" when wrong (message set). */
static void check_date(vx_submission_errors *e, const char *v, char out[11])
{
	int64_t days = 0;
	out[0] = '\0';
	if (blank(v)) {
		fail(e, VX_FIELD_DATE, "Date de l'expérience : indiquez le jour où elle a eu lieu.");
		return;
	}
	if (vx_date_parse(out, v, strlen(v)) != VX_DATE_ABSOLUTE || vx_date_to_days(out, &days) != 0) {
		out[0] = '\0';
		fail(e, VX_FIELD_DATE, "Date de l'expérience : date illisible, écrivez-la au format JJ/MM/AAAA.");
		return;
	}
	/* One day of slack: the citizen's day may be ahead of UTC. */
	if (days > today() + 1) {
		out[0] = '\0';
		fail(e, VX_FIELD_DATE, "Date de l'expérience : elle ne peut pas être dans le futur.");
	} else if (strcmp(out, "2000-01-01") < 0) {
		out[0] = '\0';
		fail(e, VX_FIELD_DATE, "Date de l'expérience : elle doit être postérieure au 1er janvier 2000.");
	}
}

static void check_channels(vx_submission_errors *e, const vx_submission *sub)
{
	if (sub->n_channels == 0) {
		fail(e, VX_FIELD_CHANNELS, "Canal : choisissez au moins un canal (accueil, téléphone, en ligne…).");
		return;
	}
	if (sub->n_channels > VX_CHANNELS_MAX) {
		fail(e, VX_FIELD_CHANNELS, "Canal : %d canaux au plus.", VX_CHANNELS_MAX);
		return;
	}
	for (size_t i = 0; i < sub->n_channels; i++) {
		int known = 0;
		for (size_t k = 0; k < VX_CHANNELS_MAX && sub->channels[i]; k++)
			known |= strcmp(sub->channels[i], channels[k]) == 0;
		for (size_t j = 0; known && j < i; j++)
			known = strcmp(sub->channels[i], sub->channels[j]) != 0;
		if (!known) {
			fail(e, VX_FIELD_CHANNELS, "Canal : choisissez les canaux dans la liste proposée, chacun une fois.");
			return;
		}
	}
}

static int check(vx_store *s, const vx_submission *sub, vx_submission_errors *e, char date[11])
{
	int active = -1, rc;
	memset(e, 0, sizeof *e);
	if (blank(sub->structure)) {
		fail(e, VX_FIELD_STRUCTURE, "Structure : choisissez la structure concernée dans la liste.");
	} else if (strlen(sub->structure) > VX_STRUCTURE_CODE_MAX ||
	           (rc = structure_active(s, sub->structure, &active)) == 0 ? active != 1 : 1) {
		if (strlen(sub->structure) <= VX_STRUCTURE_CODE_MAX && rc)
			return rc;
		fail(e, VX_FIELD_STRUCTURE, "Structure : structure inconnue ou fermée, choisissez-la dans la liste.");
	}
	check_date(e, sub->date, date);
	check_channels(e, sub);
	if (feeling_of(sub->feeling) == NULL)
		fail(e, VX_FIELD_FEELING, "Ressenti : choisissez positif, neutre ou négatif.");
	for (int d = 0; d < 5; d++)
		if (!blank(sub->dimensions[d]) && feeling_of(sub->dimensions[d]) == NULL)
			fail(e, (vx_submission_field)(VX_FIELD_ACCESSIBILITY + d),
			     "%s : choisissez positif, neutre ou négatif, ou laissez vide.", field_labels[VX_FIELD_ACCESSIBILITY + d]);
	check_text(e, VX_FIELD_TITLE, sub->title, 1, VX_TITLE_MAX, 0);
	check_text(e, VX_FIELD_DESCRIPTION, sub->description, VX_DESCRIPTION_MIN, VX_DESCRIPTION_MAX, 1);
	int known = 0;
	for (size_t i = 0; sub->posted_as && i < sizeof posted_as / sizeof posted_as[0]; i++)
		known |= strcmp(sub->posted_as, posted_as[i]) == 0;
	if (!known)
		fail(e, VX_FIELD_POSTED_AS, "Posté comme : choisissez qui écrit (la personne concernée, un proche…).");
	check_text(e, VX_FIELD_PSEUDONYM, sub->pseudonym, 0, VX_PSEUDONYM_MAX, 0);
	if (sub->consent != 1)
		fail(e, VX_FIELD_CONSENT, "Consentement : cochez la case pour accepter la publication après modération.");
	if (e->n == 0)
		return 0;
	for (int f = 0; f < VX_FIELD_COUNT; f++)
		if (e->message[f][0])
			return vx_error_set(VX_EINVAL, "%s", e->message[f]);
	return VX_EINVAL;
}

int vx_submission_check(vx_store *s, const vx_submission *sub, vx_submission_errors *errs)
{
	char date[11];
	return check(s, sub, errs, date);
}

/* The SHA-256 of the submission's fields, each ended by a 0x1f, in field
 * order: what the same key must come back with. */
static int request_digest(const vx_submission *sub, const char *date, char out[65])
{
	vx_buf b = VX_BUF_INIT;
	const char *parts[] = {sub->structure, date, sub->feeling, sub->title, sub->description, sub->posted_as,
	                       sub->pseudonym ? sub->pseudonym : ""};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof parts / sizeof parts[0]; i++)
		rc = vx_buf_puts(&b, parts[i]) || vx_buf_putc(&b, 0x1f);
	for (size_t i = 0; rc == 0 && i < sub->n_channels; i++)
		rc = vx_buf_puts(&b, sub->channels[i]) || vx_buf_putc(&b, 0x1e);
	for (int d = 0; rc == 0 && d < 5; d++)
		rc = vx_buf_puts(&b, sub->dimensions[d] ? sub->dimensions[d] : "") || vx_buf_putc(&b, 0x1f);
	if (rc) {
		vx_buf_free(&b);
		return vx_error_set(VX_ENOMEM, "out of memory hashing a submission");
	}
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)b.data, b.len);
	sodium_bin2hex(out, 65, d, sizeof d);
	vx_buf_free(&b);
	return 0;
}

static int valid_key(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n > VX_IDEMPOTENCY_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return 0;
	return 1;
}

typedef struct key_row {
	long long id;
	int same;
	const char *digest;
} key_row;

static int key_of(const char *const *cols, int ncols, void *payload)
{
	key_row *k = payload;
	k->id = strtoll(vx_store_col(cols, ncols, 0), NULL, 10);
	k->same = strcmp(vx_store_col(cols, ncols, 1), k->digest) == 0;
	return 0;
}

/* The experience already stored under key, if any: *id (0: none) and
 * whether its request matched digest. */
static int key_lookup(vx_store *s, const char *key, const char *digest, long long *id, int *same)
{
	key_row k = {0, 0, digest};
	const char *params[] = {key};
	int rc = s->ops->rows(s, "SELECT submission_id, request_sha256 FROM idempotency_keys WHERE key = $1", 1, params,
	                      "lecture d'une clé Idempotency-Key", key_of, &k);
	*id = k.id;
	*same = k.same;
	return rc;
}

static const char INSERT[] =
	"INSERT INTO submissions(structure_code, date, channels, feeling, accessibilite, information, relation, "
	" reactivite, simplicite, title, description, posted_as, pseudonym, consent, origin, status, written) "
	"VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'à modérer', $16) RETURNING id";

static int insert(vx_store *s, const vx_submission *sub, const char *date, const char *origin, long long *id)
{
	vx_buf ch = VX_BUF_INIT;
	char written[32];
	int rc = vx_channels_encode(&ch, sub->channels, (uint32_t)sub->n_channels);
	if (rc)
		return rc;
	vx_store_iso_time(written, (long long)time(NULL));
	const char *params[16] = {sub->structure, date, ch.data ? ch.data : "[]", feeling_of(sub->feeling)};
	for (int d = 0; d < 5; d++)
		params[4 + d] = blank(sub->dimensions[d]) ? "inconnu" : feeling_of(sub->dimensions[d]);
	params[9] = sub->title;
	params[10] = sub->description;
	params[11] = sub->posted_as;
	params[12] = blank(sub->pseudonym) ? "" : sub->pseudonym;
	params[13] = VX_CONSENT_VERSION;
	params[14] = origin;
	params[15] = written;
	rc = vx_store_number(s, INSERT, 16, params, "enregistrement d'une expérience", id);
	vx_buf_free(&ch);
	return rc;
}

/* Stores key for id; *stored 0 when another request stored the same key
 * meanwhile (another server, on PostgreSQL: its transaction committed
 * while this one ran). */
static int store_key(vx_store *s, const char *key, long long id, const char *digest, int *stored)
{
	char ids[24], created[32];
	long long n = 0;
	snprintf(ids, sizeof ids, "%lld", id);
	vx_store_iso_time(created, (long long)time(NULL));
	const char *params[] = {key, ids, digest, created};
	int rc = s->ops->rows(s,
	                      "INSERT INTO idempotency_keys(key, submission_id, request_sha256, created) "
	                      "VALUES($1, CAST($2 AS BIGINT), $3, $4) ON CONFLICT(key) DO NOTHING RETURNING key",
	                      4, params, "enregistrement d'une clé Idempotency-Key", vx_store_count_row, &n);
	*stored = n > 0;
	return rc;
}

/* One try of a submission in its own transaction; *again: the key was
 * stored by another request meanwhile, nothing is kept, try again (the
 * key is then found). */
static int submit_once(vx_store *s, const vx_submission *sub, const char *date, const char *origin, const char *key,
                       const char *digest, vx_submit_result *res, int *again)
{
	int rc, same = 0, stored = 1;
	*again = 0;
	if ((rc = vx_store_tx_begin(s, "enregistrement d'une expérience")) != 0)
		return rc;
	if (key && (rc = key_lookup(s, key, digest, &res->id, &same)) != 0)
		goto fail;
	if (res->id) {
		res->replayed = same;
		res->key_reused = !same;
		if (!same) {
			res->id = 0;
			rc = vx_error_set(VX_EINVAL, "Idempotency-Key déjà utilisée pour une autre expérience");
			goto fail;
		}
	} else if ((rc = insert(s, sub, date, origin, &res->id)) != 0 ||
	           (key && (rc = store_key(s, key, res->id, digest, &stored)) != 0)) {
		goto fail;
	}
	if (!stored) {
		res->id = 0;
		*again = 1;
		return vx_store_tx_rollback(s, 0);
	}
	if ((rc = vx_store_tx_commit(s, "enregistrement d'une expérience")) == 0)
		return 0;
fail:
	return vx_store_tx_rollback(s, rc);
}

int vx_collect_submit(vx_store *s, const vx_submission *sub, const char *origin, const char *key,
                      vx_submission_errors *errs, vx_submit_result *res)
{
	char date[11], digest[65];
	int rc;
	memset(res, 0, sizeof *res);
	memset(errs, 0, sizeof *errs);
	if (origin == NULL || (strcmp(origin, "formulaire") != 0 && strcmp(origin, "api") != 0))
		return vx_error_set(VX_EINVAL, "vx_collect_submit: unknown origin of a submission");
	if (key && !valid_key(key))
		return vx_error_set(VX_EINVAL, "Idempotency-Key : de 1 à %d caractères ASCII imprimables, sans espace",
		                    VX_IDEMPOTENCY_KEY_MAX);
	if (sodium_init() < 0)
		return vx_error_set(VX_ENOMEM, "libsodium could not be initialised");
	if ((rc = check(s, sub, errs, date)) != 0)
		return rc;
	if (key && (rc = request_digest(sub, date, digest)) != 0)
		return rc;
	/* Twice at most: a key stored meanwhile by another server is found by
	 * the second try. */
	for (int tries = 0; tries < 2; tries++) {
		int again = 0;
		rc = submit_once(s, sub, date, origin, key, digest, res, &again);
		if (rc || !again)
			break;
		rc = vx_error_set(VX_EBUSY,
		                  "Idempotency-Key : enregistrée puis retirée entre-temps par une autre requête");
	}
	if (rc && !res->key_reused)
		res->id = 0;
	return rc;
}

int vx_collect_count(vx_store *s, const char *status, size_t *count)
{
	long long n = 0;
	const char *params[] = {status};
	int rc = vx_store_number(s, "SELECT count(*) FROM submissions WHERE CAST($1 AS TEXT) IS NULL OR status = $1", 1,
	                         params, "comptage des envois", &n);
	*count = rc ? 0 : (size_t)n;
	return rc;
}
