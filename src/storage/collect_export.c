/*
 * The published experiences as a Services Publics+ 2025 export
 * (vx_collect_export): the export's column names, its separator, byte
 * order mark and line ends, the texts as published (masked). The reader
 * recognises the shape (src/reading/layout.c), so that voix import reads
 * the file back to the same experiences.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "reading/csv.h"
#include "util/file.h"
#include "storage/channels.h"
#include "storage/collect_internal.h"
#include "storage/store_internal.h"
#include "util/buf.h"
#include "voix/collect.h"
#include "voix/error.h"

static const char *const header[] = {
	"ID expérience", "Écrit le", "Date de publication", "Pseudonyme usager", "Titre", "Description",
	"Posté comme", "Ressenti usager", "Intitulé Typologie 1", "Canaux Typologie 1", "ID structure 1",
	"Intitulé structure 1", "Réponse structure 1", "Statut réponse structure 1", "Date de premiere réponse",
	"Accessibilité", "Information/Explication", "Relation", "Réactivité", "Simplicité/Complexité",
};
#define N_COLUMNS (sizeof header / sizeof header[0])

/* The export writes feelings capitalised ("Négatif"); "" for none. */
static const char *feeling_label(const char *stored)
{
	if (strcmp(stored, "positif") == 0)
		return "Positif";
	if (strcmp(stored, "neutre") == 0)
		return "Neutre";
	if (strcmp(stored, "négatif") == 0)
		return "Négatif";
	return "";
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

static int write_row(vx_buf *b, const char *const *v)
{
	vx_csv_field f[N_COLUMNS];
	for (size_t i = 0; i < N_COLUMNS; i++) {
		f[i].ptr = v[i];
		f[i].len = strlen(v[i]);
		f[i].quoted = 0;
	}
	return vx_csv_write_record(b, f, N_COLUMNS, ';', "\r\n");
}

int vx_collect_export(vx_store *s, char **out, size_t *len, size_t *count)
{
	vx_buf b = VX_BUF_INIT, names = VX_BUF_INIT, joined = VX_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc = vx_collect_sqlite(s, "export"), r;
	*out = NULL;
	*len = 0;
	if (count)
		*count = 0;
	if (rc)
		return rc;
	if ((rc = vx_buf_puts(&b, "\xEF\xBB\xBF")) != 0 || (rc = write_row(&b, header)) != 0)
		goto done;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT s.id, s.date, substr(s.moderated_at, 1, 10), s.published_pseudonym, "
	                       " s.published_title, s.published_description, s.posted_as, s.feeling, "
	                       " coalesce(t.typology, ''), s.channels, s.structure_code, coalesce(t.name, s.structure_code), "
	                       " s.reply, s.first_reply_at, s.accessibilite, s.information, s.relation, s.reactivite, "
	                       " s.simplicite FROM submissions s LEFT JOIN structures t ON t.code = s.structure_code "
	                       "WHERE s.status = 'publiée' ORDER BY s.id",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vx_store_db_error(s->db, "exporting");
		goto done;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *reply = col(st, 12);
		if ((rc = vx_collect_channels_text(&names, &joined, col(st, 9))) != 0)
			goto done;
		const char *v[N_COLUMNS] = {
			col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5), col(st, 6),
			feeling_label(col(st, 7)), col(st, 8), joined.data ? joined.data : "", col(st, 10), col(st, 11), reply,
			reply[0] ? "Expérience avec réponse" : "Expérience en attente de réponse", col(st, 13),
			feeling_label(col(st, 14)), feeling_label(col(st, 15)), feeling_label(col(st, 16)),
			feeling_label(col(st, 17)), feeling_label(col(st, 18)),
		};
		if ((rc = write_row(&b, v)) != 0)
			goto done;
		n++;
	}
	if (r != SQLITE_DONE) {
		rc = vx_store_db_error(s->db, "exporting");
		goto done;
	}
	if (count)
		*count = n;
	*out = vx_buf_detach(&b, len);
	if (*out == NULL)
		rc = vx_error_set(VX_ENOMEM, "out of memory exporting");
done:
	sqlite3_finalize(st);
	vx_buf_free(&b);
	vx_buf_free(&names);
	vx_buf_free(&joined);
	return rc;
}

int vx_collect_export_file(vx_store *s, const char *path, size_t *count)
{
	char *csv = NULL;
	size_t len = 0;
	int rc = vx_collect_export(s, &csv, &len, count);
	if (rc == 0)
		rc = vx_file_write(path, csv, len);
	free(csv);
	return rc;
}
