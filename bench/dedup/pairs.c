/*
 * Pairs of near-duplicates found by the word rules alone (rules 1 and 2 of
 * src/model/dedup.h) and by all three rules, on one file read as `voix note`
 * reads it (no filter; experiences with an empty title and text left out).
 * Built and run by bench/dedup/run.sh.
 *
 * usage: pairs FILE [MAP] -- prints "old N", "new N", then one
 * "id_of_copy<TAB>id_of_representative" line per pair only the new rule finds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "model/dedup.h"
#include "model/dtm.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/reader.h"
#include "voix/text.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: pairs FILE [MAP]\n");
		return 2;
	}
	vx_corpus *c = NULL;
	vx_text *t = NULL;
	vx_read_options ro = VX_READ_OPTIONS_INIT;
	ro.map = argc > 2 ? argv[2] : NULL;
	if (vx_corpus_new(&c) || vx_text_new(&t) || vx_reader_read_file(c, argv[1], &ro)) {
		fprintf(stderr, "pairs: %s\n", vx_error_last());
		return 1;
	}
	size_t n = 0, total = vx_corpus_count(c);
	size_t *docs = malloc((total ? total : 1) * sizeof *docs);
	for (size_t i = 0; docs && i < total; i++) {
		const vx_experience *e = vx_corpus_get(c, i);
		if ((e->text && e->text[0]) || (e->title && e->title[0]))
			docs[n++] = i;
	}
	vx_dtm m;
	uint32_t min_df = n < 2000 ? 2 : n < 20000 ? 3 : 5; /* as the note does */
	uint32_t *old = malloc((n ? n : 1) * sizeof *old), *rep = malloc((n ? n : 1) * sizeof *rep);
	if (!docs || !old || !rep || vx_dtm_build(&m, c, docs, n, t, min_df, 0.5) ||
	    vx_dedup_groups(old, &m, NULL, NULL) || vx_dedup_groups(rep, &m, c, docs)) {
		fprintf(stderr, "pairs: %s\n", vx_error_last());
		return 1;
	}
	size_t n_old = 0, n_new = 0;
	for (size_t d = 0; d < n; d++) {
		n_old += old[d] != d;
		n_new += rep[d] != d;
	}
	printf("rows %zu\nold %zu\nnew %zu\n", n, n_old, n_new);
	for (size_t d = 0; d < n; d++)
		if (rep[d] != d && old[d] == d)
			printf("%s\t%s\n", vx_corpus_get(c, docs[d])->id, vx_corpus_get(c, docs[rep[d]])->id);
	vx_dtm_free(&m);
	free(old);
	free(rep);
	free(docs);
	vx_text_free(t);
	vx_corpus_free(c);
	return 0;
}
