/*
 * voix redact FILE [--map SPEC] [--map-file F] [-o OUT] [--report]
 *
 * Writes a copy of a CSV or JSON Lines export with personal data masked
 * (same columns, rows and separator or keys, UTF-8), to OUT or to standard
 * output. --report
 * prints the items masked per column and category: on stdout, or on stderr
 * when the copy itself goes to stdout. The work is done by
 * vx_redact_file() (src/privacy/redact.c); exit codes in docs/cli.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "voix/util.h"
#include "voix/error.h"
#include "voix/privacy.h"

static void usage(FILE *out)
{
	fputs("usage: voix redact FICHIER [--map champ=colonne,...] [--map-file F] [-o SORTIE] [--report]\n"
	      "Écrit une copie de l'export où les données personnelles sont masquées ([EMAIL],\n"
	      "[TÉLÉPHONE], [NIR], [NOM]...) : mêmes colonnes, mêmes lignes, même séparateur, UTF-8 ;\n"
	      "un fichier JSON Lines garde ses clés, une ligne par objet.\n"
	      "Sans -o (ou avec -o -), la copie va sur la sortie standard.\n"
	      "--report affiche le nombre d'éléments masqués par colonne et par catégorie.\n"
	      "--map désigne des colonnes de texte à masquer en plus (text=, title=, reply=...).\n",
	      out);
}

/* Writes a column name on one line, cut to width bytes (at a character
 * boundary) and padded. */
static void put_name(FILE *out, const char *name, int width)
{
	int n = 0;
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c & 0xC0) != 0x80 && n >= width - 1 && p[1] != '\0') {
			fputs("…", out);
			n++;
			break;
		}
		/* Control characters (ESC included) never reach the terminal. */
		fputc(c < 0x20 || c == 0x7F ? ' ' : c, out);
		if ((c & 0xC0) != 0x80)
			n++;
	}
	for (; n < width; n++)
		fputc(' ', out);
}

/* The French name of the shape a kept column's cells were checked for. */
static const char *kind_name(const char *kind)
{
	return strcmp(kind, "id") == 0 ? "identifiant" : strcmp(kind, "date") == 0 ? "date" : "nombre";
}

/* Width of the column-name column of the report. */
#define NAME_WIDTH 32

static void print_report(FILE *out, const vx_redact_report *r)
{
	const vx_pii_counts *tot = vx_redact_report_totals(r);
	size_t ncols = vx_redact_report_columns(r), masked_cols = 0, total = 0;
	for (size_t c = 0; c < ncols; c++) {
		int masked;
		vx_redact_report_column(r, c, &masked);
		masked_cols += masked != 0;
	}
	for (int k = 0; k < VX_PII_COUNT; k++)
		total += tot->by_kind[k];
	fprintf(out, "lignes %zu, colonnes %zu (dont %zu masquées), éléments masqués %zu\n",
	        vx_redact_report_rows(r), ncols, masked_cols, total);
	put_name(out, "colonne", NAME_WIDTH);
	for (int k = 0; k < VX_PII_COUNT; k++)
		if (tot->by_kind[k])
			fprintf(out, " %*s", (int)strlen(vx_pii_key((vx_pii_kind)k)), vx_pii_key((vx_pii_kind)k));
	fprintf(out, " %7s\n", "total");
	for (size_t c = 0; c < ncols; c++) {
		int masked;
		const char *name = vx_redact_report_column(r, c, &masked);
		size_t row_total = 0;
		for (int k = 0; k < VX_PII_COUNT; k++)
			row_total += vx_redact_report_count(r, c, (vx_pii_kind)k);
		/* A column copied unmasked shows when some of its cells were not. */
		if (!masked && row_total == 0)
			continue;
		row_total = 0;
		put_name(out, name[0] ? name : "(sans nom)", NAME_WIDTH);
		for (int k = 0; k < VX_PII_COUNT; k++) {
			size_t v = vx_redact_report_count(r, c, (vx_pii_kind)k);
			row_total += v;
			if (tot->by_kind[k])
				fprintf(out, " %*zu", (int)strlen(vx_pii_key((vx_pii_kind)k)), v);
		}
		fprintf(out, " %7zu\n", row_total);
	}
	put_name(out, "total", NAME_WIDTH);
	for (int k = 0; k < VX_PII_COUNT; k++)
		if (tot->by_kind[k])
			fprintf(out, " %*zu", (int)strlen(vx_pii_key((vx_pii_kind)k)), tot->by_kind[k]);
	fprintf(out, " %7zu\n", total);
	if (tot->nir_bad_key)
		fprintf(out, "dont NIR à clé invalide (masqués quand même) : %zu\n", tot->nir_bad_key);
	for (size_t c = 0; c < ncols; c++) {
		size_t cells = 0;
		const char *kind = vx_redact_report_kept(r, c, &cells);
		if (kind == NULL)
			continue;
		fputs("non masquée : ", out);
		vx_fputs_escaped(vx_redact_report_column(r, c, NULL), out);
		fprintf(out, " (forme vérifiée cellule par cellule : %s ; %zu cellule%s d'une autre forme masquée%s)\n",
		        kind_name(kind), cells, cells > 1 ? "s" : "", cells > 1 ? "s" : "");
	}
}

/* Says on stderr which columns were copied unmasked: every other one was
 * masked. */
static void print_kept(const vx_redact_report *r)
{
	size_t n = 0;
	for (size_t c = 0; c < vx_redact_report_columns(r); c++) {
		const char *kind = vx_redact_report_kept(r, c, NULL);
		if (kind == NULL)
			continue;
		fputs(n++ ? ", " : "voix redact : colonnes copiées sans masquage (cellules vérifiées une à une) : ", stderr);
		vx_fputs_escaped(vx_redact_report_column(r, c, NULL), stderr);
		fprintf(stderr, " (%s)", kind_name(kind));
	}
	fputs(n ? " ; toutes les autres sont masquées\n" : "voix redact : toutes les colonnes sont masquées\n", stderr);
}

int cmd_redact(int argc, char **argv)
{
	enum { OPT_MAP, OPT_MAP_FILE, OPT_OUTPUT, OPT_REPORT };
	static const vx_cli_option options[] = {
		{"--map", NULL, 1}, {"--map-file", NULL, 1}, {"--output", "-o", 1}, {"--report", NULL, 0}};
	vx_redact_options opts = VX_REDACT_OPTIONS_INIT;
	const char *in = NULL, *out = NULL, *v;
	int report = 0;
	vx_cli_parser p;
	vx_cli_parser_init(&p, "redact", argc, argv, 1, options, sizeof options / sizeof options[0]);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		switch (k) {
		case VX_CLI_HELP: usage(stdout); return VX_EXIT_OK;
		case OPT_MAP: opts.map = v; break;
		case OPT_MAP_FILE: opts.map_file = v; break;
		case OPT_OUTPUT: out = v; break;
		case OPT_REPORT: report = 1; break;
		case VX_CLI_ARG:
			if (in == NULL) {
				in = v;
				break;
			}
			fprintf(stderr, "voix redact : un seul fichier à la fois (%s en trop)\n", v);
			return VX_EXIT_USAGE;
		default: usage(stderr); return VX_EXIT_USAGE;
		}
	}
	if (in == NULL) {
		usage(stderr);
		return VX_EXIT_USAGE;
	}
	const char *inputs[] = {in, opts.map_file};
	if (vx_cli_output_conflict("redact", "-o", out, inputs, 2, NULL))
		return VX_EXIT_CONFLICT;
	vx_redact_report *r = NULL;
	int rc = vx_redact_file(&r, in, out, &opts);
	if (rc == VX_EWRITE && (out == NULL || strcmp(out, "-") == 0))
		return vx_cli_flush_stdout("redact");
	if (rc)
		return vx_cli_say("redact", vx_cli_exit_for(rc), vx_error_last());
	print_kept(r);
	size_t unreadable = vx_redact_report_unreadable(r);
	if (unreadable)
		fprintf(stderr, "voix redact : %zu ligne%s sans objet JSON, masquée%s comme du texte\n", unreadable,
		        unreadable > 1 ? "s" : "", unreadable > 1 ? "s" : "");
	if (report)
		print_report(out == NULL || strcmp(out, "-") == 0 ? stderr : stdout, r);
	vx_redact_report_free(r);
	return VX_EXIT_OK;
}
