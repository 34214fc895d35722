/*
 * The published experiences as a Services Publics+ 2025 export
 * (vx_collect_export): the export's column names, its separator, byte
 * order mark and line ends, the texts as published (masked). The reader
 * recognises the shape (src/reading/layout.c), so that voix import reads
 * the file back to the same experiences.
 */
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

typedef struct export_ctx {
	vx_buf b, names, joined;
	size_t n;
} export_ctx;

static int export_row(const char *const *cols, int ncols, void *payload)
{
	export_ctx *x = payload;
#define C(i) vx_store_col(cols, ncols, i)
	const char *reply = C(12);
	int rc = vx_collect_channels_text(&x->names, &x->joined, C(9));
	if (rc)
		return rc;
	const char *v[N_COLUMNS] = {
		C(0), C(1), C(2), C(3), C(4), C(5), C(6), feeling_label(C(7)), C(8), x->joined.data ? x->joined.data : "",
		C(10), C(11), reply, reply[0] ? "Expérience avec réponse" : "Expérience en attente de réponse", C(13),
		feeling_label(C(14)), feeling_label(C(15)), feeling_label(C(16)), feeling_label(C(17)), feeling_label(C(18)),
	};
#undef C
	x->n++;
	return write_row(&x->b, v);
}

int vx_collect_export(vx_store *s, char **out, size_t *len, size_t *count)
{
	export_ctx x = {VX_BUF_INIT, VX_BUF_INIT, VX_BUF_INIT, 0};
	int rc;
	*out = NULL;
	*len = 0;
	if (count)
		*count = 0;
	if ((rc = vx_buf_puts(&x.b, "\xEF\xBB\xBF")) != 0 || (rc = write_row(&x.b, header)) != 0)
		goto done;
	if ((rc = s->ops->rows(s,
	                       "SELECT s.id, s.date, substr(s.moderated_at, 1, 10), s.published_pseudonym, "
	                       " s.published_title, s.published_description, s.posted_as, s.feeling, "
	                       " coalesce(t.typology, ''), s.channels, s.structure_code, coalesce(t.name, s.structure_code), "
	                       " s.reply, s.first_reply_at, s.accessibilite, s.information, s.relation, s.reactivite, "
	                       " s.simplicite FROM submissions s LEFT JOIN structures t ON t.code = s.structure_code "
	                       "WHERE s.status = 'publiée' ORDER BY s.id",
	                       0, NULL, "export", export_row, &x)) != 0)
		goto done;
	if (count)
		*count = x.n;
	*out = vx_buf_detach(&x.b, len);
	if (*out == NULL)
		rc = vx_error_set(VX_ENOMEM, "out of memory exporting");
done:
	vx_buf_free(&x.b);
	vx_buf_free(&x.names);
	vx_buf_free(&x.joined);
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
