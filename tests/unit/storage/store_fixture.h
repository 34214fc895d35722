/*
 * Shared by the storage tests: a temporary database folder and a small
 * invented corpus built by hand (no reader needed). Every name and address
 * here is invented.
 */
#ifndef VX_TEST_STORE_FIXTURE_H
#define VX_TEST_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "voix/corpus.h"
#include "voix/store.h"

typedef struct fixture_exp {
	const char *id;
	const char *date;
	const char *title;
	const char *text;
	vx_feeling feeling;
	const char *service;
	const char *structure;
	const char *channels[3];
	vx_feeling dims[VX_DIM_COUNT];
	const char *reply;
	const char *department; /* with blanks around one, as an export may have them */
} fixture_exp;

static const fixture_exp fixture_rows[] = {
	{"1001", "2023-01-15", "Rendez-vous", "Mon rendez vous a été annulés deux fois sans prévenir.",
	 VX_FEELING_NEGATIVE, "Préfecture", "Préfecture de Valbonne", {"Accueil", "Téléphone", NULL},
	 {VX_FEELING_NEGATIVE, VX_FEELING_UNKNOWN, VX_FEELING_UNKNOWN, VX_FEELING_NEGATIVE, VX_FEELING_UNKNOWN},
	 "", "75"},
	{"1002", "2023-02-03", "Accueil", "Accueil à la PRÉFECTURE très agréable, agent patient.",
	 VX_FEELING_POSITIVE, "Préfecture", "Préfecture de Valbonne", {"Accueil", NULL, NULL},
	 {VX_FEELING_POSITIVE, VX_FEELING_POSITIVE, VX_FEELING_POSITIVE, VX_FEELING_UNKNOWN, VX_FEELING_UNKNOWN},
	 "Merci pour votre retour.", " 92 "},
	{"1003", "2023-02-20", "Allocations", "Dossier CAF en attente depuis trois mois, Mme Durandal ne répond pas.",
	 VX_FEELING_NEUTRAL, "CAF", "CAF de Montclair", {"Démarche en ligne", NULL, NULL},
	 {VX_FEELING_UNKNOWN, VX_FEELING_NEGATIVE, VX_FEELING_UNKNOWN, VX_FEELING_NEGATIVE, VX_FEELING_NEUTRAL},
	 "", "2A"},
	{"1004", "", "Sans date", "Écrivez-moi à jean.durandal@exemple.fr pour le dossier.",
	 VX_FEELING_UNKNOWN, "", "", {NULL, NULL, NULL}, {0}, "", ""},
};
#define FIXTURE_ROWS (sizeof fixture_rows / sizeof fixture_rows[0])

typedef struct tmpdb {
	char dir[64];
	char path[128];
} tmpdb;

static inline void tmpdb_make(tmpdb *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/vx-store-test-XXXXXX");
	if (mkdtemp(t->dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(t->path, sizeof t->path, "%s/voix.db", t->dir);
}

static inline void tmpdb_remove(tmpdb *t)
{
	const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[160];
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

/* Adds a source record; sha256 is made from the path and version. */
static inline void fixture_source(vx_corpus *c, const char *path, const char *format, int version)
{
	vx_source s;
	memset(&s, 0, sizeof s);
	s.path = path;
	snprintf(s.sha256, sizeof s.sha256, "%064d", version);
	s.format = format;
	s.encoding = "utf-8";
	s.separator = ';';
	s.rows_read = FIXTURE_ROWS;
	if (vx_corpus_add_source(c, &s, NULL) != 0)
		exit(1);
}

/* Adds fixture row i read from source path, with text replaced when text is
 * not NULL. */
static inline void fixture_add(vx_corpus *c, const char *path, size_t i, const char *text)
{
	const fixture_exp *f = &fixture_rows[i];
	vx_experience e;
	memset(&e, 0, sizeof e);
	char json[512];
	e.source = path;
	e.line = (uint32_t)(i + 2);
	e.id = f->id;
	e.date = f->date;
	e.date_text = f->date;
	e.title = f->title;
	e.text = text ? text : f->text;
	e.feeling = f->feeling;
	e.service = f->service;
	e.structure = f->structure;
	e.department = f->department;
	e.reply = f->reply;
	e.channels = (const char **)f->channels;
	while (e.n_channels < 3 && f->channels[e.n_channels])
		e.n_channels++;
	memcpy(e.dims, f->dims, sizeof e.dims);
	snprintf(json, sizeof json, "{\"ID\":\"%s\",\"Titre\":\"%s\",\"extra\":\"kept\"}", f->id, f->title);
	e.row_json = json;
	if (vx_corpus_add(c, &e) != 0)
		exit(1);
}

/* A corpus with the whole fixture read from path. */
static inline vx_corpus *fixture_corpus(const char *path, const char *format)
{
	vx_corpus *c = NULL;
	if (vx_corpus_new(&c) != 0)
		exit(1);
	fixture_source(c, path, format, 1);
	for (size_t i = 0; i < FIXTURE_ROWS; i++)
		fixture_add(c, path, i, NULL);
	return c;
}

#endif
