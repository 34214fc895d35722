/*
 * Collecting experiences (« Je donne mon avis »), kept in the store: the
 * Services Publics+ structures referential that experiences name. See
 * docs/collect.md.
 *
 * Like the accounts (voix/accounts.h), these functions need an SQLite
 * store: on a PostgreSQL store they fail with VX_EINVAL (the tables exist
 * there, with the same columns, for a later version).
 */
#ifndef VOIX_COLLECT_H
#define VOIX_COLLECT_H

#include <stddef.h>

#include "voix/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- structures referential --------------------------------------------- */

/* Longest structure code accepted (the SP+ codes have 10 characters). */
#define VX_STRUCTURE_CODE_MAX 64

typedef struct vx_structures_counts {
	size_t read;       /* data records of the file */
	size_t inserted;   /* codes new to the store */
	size_t updated;    /* known codes whose fields changed */
	size_t unchanged;
	size_t rejected;   /* no code, no name, a code too long, a code seen before in the file */
	size_t first_rejected_line; /* physical line of the first rejected record, 0 for none */
} vx_structures_counts;

/* Reads a structures referential in the shape of the Services Publics+
 * export (`;`-separated, header with "Code SP+ de la structure" and
 * "Intitulé de la structure", the other columns optional; UTF-8 with or
 * without a byte order mark, or Windows-1252) from len bytes at data, and
 * stores it in one transaction: a new code is inserted, a known one
 * updated. name is only used in messages. Records without a code or a
 * name are counted as rejected, not stored. On failure the store is left
 * as it was and counts are zero. Errors: VX_EFORMAT (binary data, or a
 * header without the two columns: the message names the missing one),
 * VX_EEMPTY (no data record), VX_EDB, VX_EINVAL (PostgreSQL store),
 * VX_ENOMEM. */
int vx_structures_import(vx_store *s, const char *name, const char *data, size_t len,
                         vx_structures_counts *counts);

/* The largest referential file vx_structures_import_file reads (the 2023
 * one has 14,800 structures in 4.6 MB). */
#define VX_STRUCTURES_MAX_BYTES ((size_t)256 << 20)

/* The same from the file at path. Errors also VX_EIO, VX_ETOOBIG. */
int vx_structures_import_file(vx_store *s, const char *path, vx_structures_counts *counts);

typedef struct vx_structure {
	const char *code;       /* "Code SP+ de la structure" */
	const char *name;       /* "Intitulé de la structure" */
	const char *network;    /* "Intitulé du réseau", "" when none */
	const char *typology;   /* "Intitulé de la typologie", "" when none */
	const char *city;       /* "Ville" */
	const char *postcode;   /* "Code postal de la structure" */
	int active;             /* "Actif": 0 for "Non", else 1 */
} vx_structure;

/* Calls cb for the structures whose name, city, network or typology holds
 * every word of query (case and accents ignored), active ones only, by
 * name, at most limit; query "" lists the first ones by name. The
 * structure's strings live until cb returns; a non-zero return of cb stops
 * and is returned. Errors: VX_EDB, VX_EINVAL (PostgreSQL store),
 * VX_ENOMEM. */
int vx_structures_search(vx_store *s, const char *query, size_t limit,
                         int (*cb)(const vx_structure *st, void *payload), void *payload);

/* Calls cb once with the structure of code. Errors: VX_ENOTFOUND (no such
 * code), VX_EDB, VX_EINVAL (PostgreSQL store). */
int vx_structure_get(vx_store *s, const char *code, int (*cb)(const vx_structure *st, void *payload),
                     void *payload);

/* Number of structures stored. Errors: VX_EDB, VX_EINVAL. */
int vx_structures_count(vx_store *s, size_t *count);

/* ---- submissions ---------------------------------------------------------- */

/* The fields of a submission, in the form's order. Their names
 * (vx_submission_field_name) are the form's and the API's. */
typedef enum vx_submission_field {
	VX_FIELD_STRUCTURE = 0, /* "structure": the SP+ code */
	VX_FIELD_DATE,          /* "date": YYYY-MM-DD or JJ/MM/AAAA, not in the future */
	VX_FIELD_CHANNELS,      /* "canaux": one or more of vx_collect_channel() */
	VX_FIELD_FEELING,       /* "ressenti": positif, neutre or négatif */
	VX_FIELD_ACCESSIBILITY, /* the five optional DITP dimensions, "" or a feeling */
	VX_FIELD_INFORMATION,
	VX_FIELD_RELATION,
	VX_FIELD_REACTIVITY,
	VX_FIELD_SIMPLICITY,
	VX_FIELD_TITLE,         /* "titre": 1 to VX_TITLE_MAX characters */
	VX_FIELD_DESCRIPTION,   /* "description": VX_DESCRIPTION_MIN to VX_DESCRIPTION_MAX characters */
	VX_FIELD_POSTED_AS,     /* "poste_comme": one of vx_collect_posted_as() */
	VX_FIELD_PSEUDONYM,     /* "pseudonyme": optional, at most VX_PSEUDONYM_MAX characters */
	VX_FIELD_CONSENT,       /* "consentement": must be given */
	VX_FIELD_COUNT
} vx_submission_field;

/* Limits of the form, in characters (code points; a CR LF counts as one,
 * as the browser's counter does). 5,000: the and the SP+ form's. */
#define VX_DESCRIPTION_MAX 5000
#define VX_DESCRIPTION_MIN 10
#define VX_TITLE_MAX 150
#define VX_PSEUDONYM_MAX 50
/* Channels a submission may name at most (each once). */
#define VX_CHANNELS_MAX 9
/* Longest Idempotency-Key accepted, printable ASCII. */
#define VX_IDEMPOTENCY_KEY_MAX 255

/* The name of field f ("structure", "canaux"...) and its French label. */
const char *vx_submission_field_name(vx_submission_field f);
const char *vx_submission_field_label(vx_submission_field f);

/* The i-th channel ("Démarche en ligne", "Accueil"...) or NULL past the
 * last; the i-th "posté comme" value likewise. */
const char *vx_collect_channel(size_t i);
const char *vx_collect_posted_as(size_t i);

/* The consent text the form shows and the API's caller must have shown
 * (French), and its version, stored with each experience. */
const char *vx_collect_consent_text(void);
#define VX_CONSENT_VERSION "1"

/* What a citizen sends. Strings are NUL-terminated UTF-8, NULL for an
 * absent field; nothing is kept after the call. */
typedef struct vx_submission {
	const char *structure;
	const char *date;
	const char *channels[VX_CHANNELS_MAX + 1];
	size_t n_channels;       /* more than VX_CHANNELS_MAX is an error */
	const char *feeling;
	const char *dimensions[5]; /* accessibilité, information, relation, réactivité, simplicité */
	const char *title, *description, *posted_as, *pseudonym;
	int consent;             /* 1: the consent text was accepted */
} vx_submission;

/* One French message per field that is wrong, "" for the right ones. */
typedef struct vx_submission_errors {
	char message[VX_FIELD_COUNT][192];
	size_t n;                /* fields in error */
} vx_submission_errors;

/* Checks sub without storing it (the structure must be in the store's
 * referential and active; today's date is taken from the clock, UTC).
 * Returns 0, or VX_EINVAL with errs filled (the last error names the
 * first field in error); VX_EDB. */
int vx_submission_check(vx_store *s, const vx_submission *sub, vx_submission_errors *errs);

typedef struct vx_submit_result {
	long long id;            /* the experience's number ("ID expérience") */
	int replayed;            /* 1: the key was seen with the same submission, nothing stored */
	int key_reused;          /* 1: the key was seen with another submission: refused */
} vx_submit_result;

/* Checks sub and stores it with the status « à modérer », from origin
 * ("formulaire" or "api"). With a non-NULL key (an Idempotency-Key), the
 * key is stored with the experience in the same transaction: the same key
 * and the same submission again give the same id (replayed), nothing
 * stored; the same key with another submission is refused. Returns 0 once
 * the transaction is committed (synchronous=FULL: on disk), VX_EINVAL
 * (errs filled; or a bad or reused key, res->key_reused), VX_EDB,
 * VX_EBUSY, VX_ENOMEM. */
int vx_collect_submit(vx_store *s, const vx_submission *sub, const char *origin, const char *key,
                      vx_submission_errors *errs, vx_submit_result *res);

/* A submission read from JSON (the API's body), owning its strings. */
typedef struct vx_submission_json vx_submission_json;

/* Largest JSON submission read, in bytes: 5,000 characters of description
 * written as \uXXXX escapes and the other fields fit in it. */
#define VX_SUBMISSION_JSON_MAX ((size_t)64 << 10)

/* Reads len bytes at data, a JSON object with the members named as the
 * fields (vx_submission_field_name): strings (null: absent), "canaux" an
 * array of strings, "consentement" a boolean. Fills sub, whose strings
 * live in *out until vx_submission_json_free, and returns 0. A member of
 * the wrong type gives VX_EINVAL with its message in errs; VX_EFORMAT when
 * data is not one JSON object or has a member of another name (the
 * message gives the byte offset or the name), VX_ETOOBIG past
 * VX_SUBMISSION_JSON_MAX, VX_ENOMEM; on error nothing is owned (*out
 * NULL, sub cleared). The values are not checked here: vx_collect_submit
 * does it. */
int vx_submission_from_json(vx_submission_json **out, vx_submission *sub, const char *data, size_t len,
                            vx_submission_errors *errs);

/* Frees j. NULL-safe. */
void vx_submission_json_free(vx_submission_json *j);

/* Number of collected experiences with status ("à modérer", "publiée",
 * "rejetée"; NULL: all). Errors: VX_EDB, VX_EINVAL. */
int vx_collect_count(vx_store *s, const char *status, size_t *count);

/* ---- moderation ----------------------------------------------------------- */

/* The citizen's original title, description and pseudonym are kept this
 * many days after the moderation decision (time to answer a question
 * about it), then erased: a published experience keeps its masked texts,
 * a rejected one keeps none (docs/collect.md). */
#define VX_COLLECT_KEEP_DAYS 30
/* Longest motif de rejet, in bytes. */
#define VX_REJECT_MOTIF_MAX 500

/* A collected experience as read back. Strings live until the callback
 * returns; "" for none. */
typedef struct vx_collected {
	long long id;
	const char *structure_code, *structure_name;
	const char *date, *channels; /* channels: "Accueil, Téléphone" */
	const char *feeling;         /* positif, neutre, négatif */
	const char *dimensions[5];   /* positif, neutre, négatif or "" */
	const char *title, *description, *pseudonym; /* the originals, "" once erased */
	const char *published_title, *published_description, *published_pseudonym; /* masked, "" until published */
	const char *posted_as, *origin, *status, *written;
	const char *moderated_at, *moderated_by, *reject_motif;
	int original_erased;
	const char *reply;           /* the structure's reply, "" for none */
	const char *reply_status;    /* published: « en attente de réponse » or « avec réponse »; else "" */
	const char *first_reply_at;  /* UTC time of the first reply, "" for none */
	const char *reply_by;
} vx_collected;

/* Calls cb for the collected experiences of status ("à modérer",
 * "publiée", "rejetée"), the oldest first for « à modérer », the newest
 * first for the others, skipping offset, at most limit; structure (NULL:
 * all) keeps one structure's. A non-zero return of cb stops and is
 * returned. Errors: VX_EDB, VX_EINVAL (PostgreSQL store, unknown status). */
int vx_collect_list(vx_store *s, const char *status, const char *structure, size_t offset, size_t limit,
                    int (*cb)(const vx_collected *c, void *payload), void *payload);

/* Calls cb once with the experience id. Errors: VX_ENOTFOUND, VX_EDB,
 * VX_EINVAL. */
int vx_collect_get(vx_store *s, long long id, int (*cb)(const vx_collected *c, void *payload), void *payload);

/* Publishes experience id (publish 1) with its title, description and
 * pseudonym masked by the store's masker, or rejects it (publish 0) with
 * motif (required, at most VX_REJECT_MOTIF_MAX bytes, one line or more),
 * as moderator; records it in the audit log in the same transaction. Only
 * an experience « à modérer » can be moderated. Errors: VX_ENOTFOUND,
 * VX_EINVAL (already moderated, motif missing or too long: a French
 * message), VX_EDB, VX_EBUSY, VX_ENOMEM. */
int vx_collect_moderate(vx_store *s, long long id, const char *moderator, int publish, const char *motif);

/* Erases the originals of the experiences moderated more than
 * VX_COLLECT_KEEP_DAYS days before now (seconds since 1970, UTC); writes
 * how many to *erased (NULL: not wanted) and records a non-zero count in
 * the audit log. Errors: VX_EDB, VX_EBUSY, VX_EINVAL. */
int vx_collect_purge(vx_store *s, long long now, size_t *erased);

/* ---- replies ---------------------------------------------------------------- */

/* Longest reply, in characters (as a description). */
#define VX_REPLY_MAX 5000

/* agent, attached to the experience's structure (voix/accounts.h,
 * vx_store_agent_attach), replies to published experience id; a reply
 * replaces the previous one, the date of the first reply stays. Recorded
 * in the audit log in the same transaction. Errors: VX_ENOTFOUND (no such
 * experience), VX_EINVAL (not published, agent not attached to its
 * structure, reply empty or longer than VX_REPLY_MAX: French messages),
 * VX_EDB, VX_EBUSY. */
int vx_collect_reply(vx_store *s, long long id, const char *agent, const char *reply);

/* An earlier experience that received a reply, and how close it is. */
typedef struct vx_similar {
	long long id;
	const char *structure_name, *title, *description, *reply; /* published (masked) texts */
	int rate;   /* similarity in percent: shared word stems over the stems of both (Jaccard) */
} vx_similar;

/* Reply assistance: calls cb for at most n earlier published experiences
 * with a reply, the most similar to experience id first, found with the
 * store's full-text index over the published texts and ranked by the
 * share of word stems they have in common. Only stored texts are shown:
 * nothing is generated. Errors: VX_ENOTFOUND, VX_EDB, VX_EINVAL,
 * VX_ENOMEM. */
int vx_collect_similar(vx_store *s, long long id, size_t n, int (*cb)(const vx_similar *sim, void *payload),
                       void *payload);

/* ---- export ----------------------------------------------------------------- */

/* Writes to *out (malloc'ed, NUL-terminated, *len bytes; the caller
 * frees it) the published experiences, in the shape of the Services
 * Publics+ 2025 export: UTF-8 with a byte order mark, `;`, CRLF, the
 * columns "ID expérience", "Écrit le" (the experience's date), "Date de
 * publication", "Pseudonyme usager", "Titre", "Description", "Posté comme",
 * "Ressenti usager", "Intitulé Typologie 1", "Canaux Typologie 1", "ID
 * structure 1", "Intitulé structure 1", "Réponse structure 1", "Statut
 * réponse structure 1", "Date de premiere réponse" and the five
 * dimensions; texts as published (masked). voix import reads it back
 * (format sp-plus-2025). Writes how many to *count (NULL: not wanted).
 * Errors: VX_EDB, VX_EINVAL, VX_ENOMEM. */
int vx_collect_export(vx_store *s, char **out, size_t *len, size_t *count);

/* The same written to the file at path (replaced whole, or left as it was
 * on failure). Errors also VX_EIO. */
int vx_collect_export_file(vx_store *s, const char *path, size_t *count);

/* ---- audit log ------------------------------------------------------------ */

/* Appends one entry (actor did action on target, with detail) to the
 * audit log; the log cannot be changed nor shortened (triggers refuse
 * UPDATE and DELETE). Errors: VX_EDB, VX_EINVAL. */
int vx_audit_record(vx_store *s, const char *actor, const char *action, const char *target, const char *detail);

/* Calls cb for the audit entries, the newest first, skipping offset, at
 * most limit. Errors: VX_EDB, VX_EINVAL. */
int vx_audit_list(vx_store *s, size_t offset, size_t limit,
                  int (*cb)(const char *at, const char *actor, const char *action, const char *target,
                            const char *detail, void *payload),
                  void *payload);

#ifdef __cplusplus
}
#endif
#endif
