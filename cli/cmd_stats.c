/*
 * voix stats [--db PATH]: counts by source, service type, structure,
 * feeling and month (format in docs/storage.md).
 */
#include <stdio.h>

#include "cli.h"
#include "voix/error.h"
#include "voix/store.h"

static void usage(FILE *out)
{
	fputs("usage: voix stats [--db voix.db]\n"
	      "Compte les expériences de la base par source, type de service, structure, ressenti et mois.\n",
	      out);
}

int cmd_stats(int argc, char **argv)
{
	static const vx_cli_option options[] = {{"--db", NULL, 1}};
	const char *db = VX_CLI_DEFAULT_DB, *v;
	vx_cli_parser p;
	vx_cli_parser_init(&p, "stats", argc, argv, 1, options, 1);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		if (k == VX_CLI_HELP) {
			usage(stdout);
			return VX_EXIT_OK;
		} else if (k == 0) {
			db = v;
		} else {
			if (k == VX_CLI_ARG)
				fprintf(stderr, "voix stats : argument en trop « %s »\n", v);
			usage(stderr);
			return VX_EXIT_USAGE;
		}
	}
	vx_store *store = NULL;
	int err = vx_store_open_existing(&store, db);
	if (err)
		return vx_cli_say("stats", err == VX_ENOMEM ? VX_EXIT_FAILURE : VX_EXIT_DB, vx_error_last());
	err = vx_store_stats(store, stdout);
	vx_store_free(store);
	if (err == VX_EWRITE)
		return vx_cli_flush_stdout("stats");
	if (err)
		return vx_cli_say("stats", err == VX_EDB ? VX_EXIT_DB : VX_EXIT_FAILURE, vx_error_last());
	return VX_EXIT_OK;
}
