/*
 * Times the store's read paths on a database filled by `voix import`:
 * vx_store_load of every experience (what `voix note --db` does), a load
 * with a filter, vx_store_search and vx_store_stats. Built and run by
 * bench/import/run.sh; prints "name seconds count" lines.
 *
 * usage: load_bench DB
 */
#include <stdio.h>
#include <time.h>

#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/store.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int count_hit(const vx_search_hit *hit, void *payload)
{
	(void)hit;
	(*(size_t *)payload)++;
	return 0;
}

static int load(vx_store *s, const char *name, const vx_filter *f)
{
	vx_corpus *c = NULL;
	if (vx_corpus_new(&c) != 0)
		return 1;
	double t0 = now();
	int rc = vx_store_load(s, c, f);
	double t1 = now();
	if (rc == 0)
		printf("%s %.3f %zu\n", name, t1 - t0, vx_corpus_count(c));
	else
		fprintf(stderr, "load_bench: %s\n", vx_error_last());
	vx_corpus_free(c);
	return rc != 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: load_bench DB\n");
		return 2;
	}
	vx_store *s = NULL;
	if (vx_store_open_existing(&s, argv[1]) != 0) {
		fprintf(stderr, "load_bench: %s\n", vx_error_last());
		return 1;
	}
	int bad = load(s, "load_all", NULL);
	vx_filter f = {.service = "Préfecture", .since = "2024-06-01"};
	bad |= load(s, "load_filtered", &f);
	size_t hits = 0;
	double t0 = now();
	bad |= vx_store_search(s, "rendez-vous annulé", 20, count_hit, &hits) != 0;
	printf("search %.3f %zu\n", now() - t0, hits);
	FILE *null = fopen("/dev/null", "w");
	t0 = now();
	bad |= null == NULL || vx_store_stats(s, null) != 0;
	printf("stats %.3f 0\n", now() - t0);
	if (null)
		fclose(null);
	vx_store_free(s);
	return bad;
}
