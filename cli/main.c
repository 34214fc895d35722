/*
 * voix: turns citizens' free-text feedback into a synthesis note.
 * Dispatches to one function per command.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "voix/error.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{"import", cmd_import, "lit des exports et les enregistre dans la base"},
	{"note", cmd_note, "écrit la note de synthèse"},
	{"stats", cmd_stats, "compte par source, service, structure, ressenti, mois"},
	{"search", cmd_search, "recherche en texte intégral dans la base"},
	{"feelings", cmd_feelings, "ressenti lu dans le texte de chaque expérience, avec ses indices"},
	{"redact", cmd_redact, "écrit une copie d'un export aux données personnelles masquées"},
	{"serve", cmd_serve, "ouvre le tableau de bord et l'API JSON"},
	{"user", cmd_user, "crée un compte du tableau de bord"},
	{"token", cmd_token, "crée un jeton d'API pour un compte"},
	{"structures", cmd_structures, "enregistre le référentiel des structures"},
	{"export", cmd_export, "écrit les expériences publiées au format Services Publics+ 2025"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: voix COMMANDE [OPTIONS]\n\ncommandes :\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\n« voix COMMANDE --help » décrit une commande. Version %s.\n", VX_VERSION);
}

int vx_cli_exit_for(int rc)
{
	switch (rc) {
	case VX_OK: return VX_EXIT_OK;
	case VX_EINVAL: return VX_EXIT_USAGE;
	case VX_EIO:
	case VX_EFORMAT:
	case VX_ENOTFOUND:
	case VX_ETOOBIG: return VX_EXIT_INPUT;
	case VX_EDB:
	case VX_EBUSY: return VX_EXIT_DB;
	case VX_EEMPTY: return VX_EXIT_EMPTY;
	case VX_EWRITE: return VX_EXIT_OUTPUT;
	default: return VX_EXIT_FAILURE;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return VX_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return vx_cli_flush_stdout("--help");
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("voix %s\n", VX_VERSION);
		return vx_cli_flush_stdout("--version");
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			/* Whatever a command printed is checked here once more, after
			 * the final flush: output lost in a full disk or a closed pipe
			 * is never a success. A command that already failed keeps its
			 * own code and message. */
			int rc = commands[i].run(argc - 1, argv + 1);
			return rc == VX_EXIT_OK ? vx_cli_flush_stdout(commands[i].name) : rc;
		}
	fprintf(stderr, "voix : commande inconnue « %s »\n", argv[1]);
	usage(stderr);
	return VX_EXIT_USAGE;
}
