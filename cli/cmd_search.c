/*
 * voix search QUERY [--db PATH] [--limit N]: full-text search. One line per
 * hit, best first: id, source file and an excerpt with personal data masked,
 * separated by tabs. The words of QUERY must all occur, in any inflection,
 * case or accents; "quoted words" must occur in that order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/escape.h"
#include "voix/error.h"
#include "voix/store.h"

#define DEFAULT_DB "voix.db"
#define DEFAULT_LIMIT 20

static void usage(FILE *out)
{
	fputs("usage: voix search REQUÊTE [--db voix.db] [--limit 20]\n"
	      "Cherche les expériences qui contiennent tous les mots de la requête (sans tenir compte\n"
	      "des majuscules, des accents ni des terminaisons ; \"des mots entre guillemets\" se suivent).\n"
	      "Affiche une ligne par résultat : identifiant, fichier source, extrait masqué.\n",
	      out);
}

/* Prints a field with its control characters escaped (\t, \n, \x1B...),
 * so that a hit stays one line of three tab-separated columns and no
 * escape sequence reaches the terminal. */
static void put_field(const char *s)
{
	vx_fputs_escaped(s, stdout);
}

static int print_hit(const vx_search_hit *hit, void *payload)
{
	size_t *n = payload;
	/* Output that cannot be written stops the search (exit 6 in main). */
	if (ferror(stdout))
		return VX_EWRITE;
	put_field(hit->id);
	putchar('\t');
	put_field(hit->source);
	putchar('\t');
	put_field(hit->snippet);
	putchar('\n');
	(*n)++;
	return 0;
}

static int parse_limit(const char *s, size_t *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end != '\0' || v == 0 || s[0] == '-')
		return -1;
	*out = (size_t)v;
	return 0;
}

int cmd_search(int argc, char **argv)
{
	const char *db = DEFAULT_DB, *query = NULL;
	size_t limit = DEFAULT_LIMIT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return VX_EXIT_OK;
		} else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			db = a + 5;
		} else if ((strcmp(a, "--limit") == 0 && i + 1 < argc) || strncmp(a, "--limit=", 8) == 0) {
			const char *v = a[7] == '=' ? a + 8 : argv[++i];
			if (parse_limit(v, &limit) != 0) {
				fprintf(stderr, "voix search : --limit demande un nombre positif, pas '%s'\n", v);
				return VX_EXIT_USAGE;
			}
		} else if (query == NULL && (a[0] != '-' || a[1] == '\0')) {
			query = a;
		} else {
			fprintf(stderr, a[0] == '-' && a[1] != '\0' ? "voix search : option inconnue « %s »\n"
			                                           : "voix search : argument en trop « %s »\n",
			        a);
			usage(stderr);
			return VX_EXIT_USAGE;
		}
	}
	if (query == NULL) {
		fprintf(stderr, "voix search : aucune requête\n");
		usage(stderr);
		return VX_EXIT_USAGE;
	}
	vx_store *store = NULL;
	int err = vx_store_open_existing(&store, db);
	if (err) {
		fprintf(stderr, "voix search : %s\n", vx_error_last());
		return err == VX_ENOMEM ? VX_EXIT_FAILURE : VX_EXIT_DB;
	}
	size_t hits = 0;
	err = vx_store_search(store, query, limit, print_hit, &hits);
	vx_store_free(store);
	if (err == VX_EWRITE)
		return vx_cli_flush_stdout("search");
	if (err) {
		fprintf(stderr, "voix search : %s\n", vx_error_last());
		return err == VX_EINVAL ? VX_EXIT_USAGE : err == VX_EDB ? VX_EXIT_DB : VX_EXIT_FAILURE;
	}
	if (hits == 0)
		fprintf(stderr, "voix search : aucun résultat\n");
	return VX_EXIT_OK;
}
