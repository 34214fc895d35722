/*
 * voix search QUERY [--db PATH] [--limit N] [--count]: full-text search. One
 * line per hit, best first: id, source file and an excerpt with personal data
 * masked, separated by tabs; with --count, only the number of matches. The
 * words of QUERY must all occur, in any inflection, case or accents; "quoted
 * words" must occur in that order.
 */
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "voix/util.h"
#include "voix/error.h"
#include "voix/store.h"

#define DEFAULT_LIMIT 20

static void usage(FILE *out)
{
	fputs("usage: voix search REQUÊTE [--db voix.db] [--limit 20] [--count]\n"
	      "Cherche les expériences qui contiennent tous les mots de la requête (sans tenir compte\n"
	      "des majuscules, des accents ni des terminaisons ; \"des mots entre guillemets\" se suivent).\n"
	      "Affiche une ligne par résultat : identifiant, fichier source, extrait masqué ;\n"
	      "avec --count, seulement le nombre d'expériences trouvées.\n",
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

int cmd_search(int argc, char **argv)
{
	enum { OPT_DB, OPT_LIMIT, OPT_COUNT };
	static const vx_cli_option options[] = {{"--db", NULL, 1}, {"--limit", NULL, 1}, {"--count", NULL, 0}};
	int count_only = 0;
	const char *db = VX_CLI_DEFAULT_DB, *query = NULL, *v;
	size_t limit = DEFAULT_LIMIT;
	vx_cli_parser p;
	vx_cli_parser_init(&p, "search", argc, argv, 1, options, 3);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		if (k == VX_CLI_HELP) {
			usage(stdout);
			return VX_EXIT_OK;
		} else if (k == OPT_DB) {
			db = v;
		} else if (k == OPT_LIMIT) {
			if (vx_option_count(&limit, "limit", v, VX_STORE_SEARCH_MIN_LIMIT, SIZE_MAX) != 0)
				return vx_cli_say("search", VX_EXIT_USAGE, vx_error_last());
		} else if (k == OPT_COUNT) {
			count_only = 1;
		} else if (k == VX_CLI_ARG && query == NULL) {
			query = v;
		} else {
			if (k == VX_CLI_ARG)
				fprintf(stderr, "voix search : argument en trop « %s »\n", v);
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
	if (err)
		return vx_cli_say("search", err == VX_ENOMEM ? VX_EXIT_FAILURE : VX_EXIT_DB, vx_error_last());
	size_t hits = 0;
	err = count_only ? vx_store_search_count(store, query, &hits)
	                 : vx_store_search(store, query, limit, print_hit, &hits);
	if (err == 0 && count_only)
		printf("%zu\n", hits);
	vx_store_free(store);
	if (err == VX_EWRITE)
		return vx_cli_flush_stdout("search");
	if (err)
		return vx_cli_say("search", err == VX_EINVAL ? VX_EXIT_USAGE : err == VX_EDB ? VX_EXIT_DB : VX_EXIT_FAILURE,
		                  vx_error_last());
	if (count_only)
		return vx_cli_flush_stdout("search");
	if (hits == 0)
		fprintf(stderr, "voix search : aucun résultat\n");
	return VX_EXIT_OK;
}
