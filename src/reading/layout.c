/*
 * Shape detection from a header. See layout.h and docs/reading.md.
 */
#include "reading/layout.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fold.h"
#include "voix/error.h"

/* Longest folded column name compared; real headers are under 100 bytes. */
#define FOLD_CAP 256

typedef struct folded {
	char name[FOLD_CAP];
	int len; /* -1 when the name could not be folded (too long, bad UTF-8) */
} folded;

/* Index of the first column whose folded name equals the fold of want. */
static long find(const folded *cols, size_t n, const char *want, size_t want_len)
{
	char f[FOLD_CAP];
	int fl = vx_fold_label(f, sizeof f, want, want_len);
	if (fl < 0)
		return -1;
	for (size_t k = 0; k < n; k++)
		if (cols[k].len == fl && memcmp(cols[k].name, f, (size_t)fl) == 0)
			return (long)k;
	return -1;
}

static long find_s(const folded *cols, size_t n, const char *want)
{
	return find(cols, n, want, strlen(want));
}

/* Writes "a", "b", ... into msg, cut with "..." to stay one readable line. */
static void list_columns(vx_buf *msg, const vx_csv_field *names, size_t n)
{
	/* Leaves room for the rest of the error message (vx_error keeps 1 KiB). */
	const size_t budget = 600;
	for (size_t k = 0; k < n; k++) {
		size_t len = names[k].len > 60 ? 60 : names[k].len;
		while (len < names[k].len && len > 0 && ((unsigned char)names[k].ptr[len] & 0xC0) == 0x80)
			len--; /* do not cut a UTF-8 sequence */
		if (msg->len + len + 8 > budget) {
			vx_buf_printf(msg, ", ... (%zu colonnes)", n);
			return;
		}
		vx_buf_printf(msg, "%s\"%.*s%s\"", k ? ", " : "", (int)len, names[k].ptr, len < names[k].len ? "..." : "");
	}
}

static const char *format_name(vx_shape s, int is_jsonl, int mapped)
{
	if (is_jsonl)
		return "jsonl";
	switch (s) {
	case VX_SHAPE_SPPLUS_2023: return "sp-plus-2023";
	case VX_SHAPE_SPPLUS_2025: return "sp-plus-2025";
	case VX_SHAPE_GOOGLE: return "google-reviews";
	default: return mapped ? "mapped-csv" : "unknown";
	}
}

static void detect_spplus(vx_layout *out, const folded *cols, size_t n)
{
	static const char *const axes[VX_DIM_COUNT] = {"Accessibilité", "Information/Explication", "Relation",
	                                               "Réactivité", "Simplicité/Complexité"};
	/* A slugified variant of the export named the axes "Tags généraux <axe>". */
	static const char *const tagged[VX_DIM_COUNT] = {
		"Tags généraux Accessibilité", "Tags généraux Information/Explication", "Tags généraux Relation",
		"Tags généraux Réactivité", "Tags généraux Simplicité/Complexité"};
	int is_2025 = find_s(cols, n, "Écrit le") >= 0 || find_s(cols, n, "Pseudonyme usager") >= 0 ||
	              find_s(cols, n, "Réponse structure 1") >= 0 ||
	              find_s(cols, n, "Statut réponse structure 1") >= 0;
	out->shape = is_2025 ? VX_SHAPE_SPPLUS_2025 : VX_SHAPE_SPPLUS_2023;
	out->col[VX_ROLE_TEXT] = find_s(cols, n, "Description");
	out->col[VX_ROLE_ID] = find_s(cols, n, "ID expérience");
	long written = find_s(cols, n, "Écrit le"), published = find_s(cols, n, "Date de publication");
	out->col[VX_ROLE_DATE] = written >= 0 ? written : published;
	out->date_alt = written >= 0 ? published : -1;
	out->col[VX_ROLE_FEELING] = find_s(cols, n, "Ressenti usager");
	out->col[VX_ROLE_TITLE] = find_s(cols, n, "Titre");
	out->col[VX_ROLE_SERVICE] = find_s(cols, n, "Intitulé Typologie 1");
	out->col[VX_ROLE_STRUCTURE] = find_s(cols, n, "Intitulé structure 1");
	out->col[VX_ROLE_CHANNELS] = find_s(cols, n, "Canaux Typologie 1");
	out->col[VX_ROLE_DEPARTMENT] = find_s(cols, n, "Intitulé département usager");
	out->col[VX_ROLE_REPLY] = find_s(cols, n, "Réponse structure 1");
	for (int d = 0; d < VX_DIM_COUNT; d++) {
		out->dim[d] = find_s(cols, n, axes[d]);
		if (out->dim[d] < 0)
			out->dim[d] = find_s(cols, n, tagged[d]);
	}
}

int vx_layout_detect(vx_layout *out, const vx_csv_field *names, size_t n, const vx_mapping *m,
                     int is_jsonl, const char *source_name)
{
	int rc = 0;
	vx_buf msg = VX_BUF_INIT;
	folded *cols = calloc(n ? n : 1, sizeof *cols);
	if (cols == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading a header of %zu columns", n);
	memset(out, 0, sizeof *out);
	for (int r = 0; r < VX_ROLE_COUNT; r++)
		out->col[r] = -1;
	for (int d = 0; d < VX_DIM_COUNT; d++)
		out->dim[d] = -1;
	out->date_alt = -1;
	out->scale = VX_SCALE_STARS;
	for (size_t k = 0; k < n; k++)
		cols[k].len = vx_fold_label(cols[k].name, sizeof cols[k].name, names[k].ptr ? names[k].ptr : "",
		                            names[k].len);

	long text = find_s(cols, n, "Description");
	if (find_s(cols, n, "review_text") >= 0 && find_s(cols, n, "rate") >= 0) {
		out->shape = VX_SHAPE_GOOGLE;
		out->col[VX_ROLE_TEXT] = find_s(cols, n, "review_text");
		out->col[VX_ROLE_FEELING] = find_s(cols, n, "rate");
		out->col[VX_ROLE_DATE] = find_s(cols, n, "date");
		out->col[VX_ROLE_STRUCTURE] = find_s(cols, n, "object_address");
		out->relative_dates = 1;
	} else if (text >= 0 && (find_s(cols, n, "ID expérience") >= 0 || find_s(cols, n, "Ressenti usager") >= 0)) {
		detect_spplus(out, cols, n);
	}

	int mapped = m != NULL && vx_mapping_any(m);
	for (int r = 0; mapped && r < VX_ROLE_COUNT; r++) {
		if (m->column[r] == NULL)
			continue;
		long k = find_s(cols, n, m->column[r]);
		if (k < 0) {
			vx_buf_printf(&msg, "%s : la correspondance nomme la colonne « %.80s » pour %s, absente du fichier ; colonnes : ",
			              source_name, m->column[r], vx_role_name((vx_role)r));
			list_columns(&msg, names, n);
			rc = vx_error_set(VX_EINVAL, "%s", msg.data);
			goto done;
		}
		out->col[r] = k;
		if (r == VX_ROLE_DATE)
			out->date_alt = -1;
	}
	if (mapped && m->has_scale)
		out->scale = m->scale;
	if (out->col[VX_ROLE_TEXT] < 0) {
		vx_buf_printf(&msg, "%s : %s ; colonnes : ", source_name,
		              mapped ? "la correspondance ne dit pas quelle colonne contient le texte (ajoutez text=COLONNE)"
		                     : "format inconnu, aucune colonne de texte reconnue");
		list_columns(&msg, names, n);
		vx_buf_puts(&msg, mapped ? "" : " ; utilisez --map text=COLONNE[,id=...,date=...,feeling=...]");
		rc = vx_error_set(VX_EFORMAT, "%s", msg.data);
		goto done;
	}
	out->format = format_name(out->shape, is_jsonl, mapped);
done:
	vx_buf_free(&msg);
	free(cols);
	return rc;
}
