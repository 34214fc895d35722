/*
 * The rejected rows of a corpus as CSV, for voix import --rejects and the
 * dashboard's download: see include/voix/corpus.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reading/csv.h"
#include "util/buf.h"
#include "util/file.h"
#include "voix/corpus.h"
#include "voix/error.h"

int vx_corpus_rejects_csv(char **out, size_t *len, const vx_corpus *c)
{
	static const vx_csv_field header[] = {
		{"fichier", 7, 0}, {"ligne", 5, 0}, {"motif", 5, 0}, {"enregistrement", 14, 0}};
	vx_buf b = VX_BUF_INIT;
	*out = NULL;
	if (len)
		*len = 0;
	int rc = vx_csv_write_record(&b, header, 4, ',', "\n");
	for (size_t i = 0; i < vx_corpus_reject_count(c) && rc == 0; i++) {
		const vx_reject *r = vx_corpus_reject(c, i);
		char line[16];
		snprintf(line, sizeof line, "%u", (unsigned)r->line);
		vx_csv_field f[4] = {{r->source, strlen(r->source), 0}, {line, strlen(line), 0},
		                     {r->reason, strlen(r->reason), 0}, {r->raw, strlen(r->raw), 0}};
		rc = vx_csv_write_record(&b, f, 4, ',', "\n");
	}
	if (rc) {
		vx_buf_free(&b);
		return rc == VX_ENOMEM ? vx_error_set(VX_ENOMEM, "out of memory writing the rejected rows") : rc;
	}
	*out = vx_buf_detach(&b, len);
	return 0;
}

int vx_corpus_rejects_write(const vx_corpus *c, const char *path)
{
	char *csv = NULL;
	size_t len = 0;
	int rc = vx_corpus_rejects_csv(&csv, &len, c);
	if (rc == 0)
		rc = vx_file_write(path, csv, len);
	free(csv);
	return rc;
}
