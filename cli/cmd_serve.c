/*
 * voix serve [--db voix.db] [--listen 127.0.0.1:8080] [--theme neutre|dsfr]
 *            [--secure-cookies] [--max-upload MIO] [--threads N]
 * voix user add NAME --role lecteur|analyste|administrateur|moderateur|agent
 *              [--structure CODE]... [--db voix.db]
 * voix token add USER [--db voix.db]
 * The dashboard and its accounts (docs/cli.md, docs/api.md).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "voix/accounts.h"
#include "voix/collect.h"
#include "voix/error.h"
#include "voix/serve.h"
#include "voix/store.h"
#include "voix/util.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
/* Longest password read from standard input. */
#define PASSWORD_MAX 1024

int cmd_serve(int argc, char **argv)
{
	enum { OPT_DB, OPT_LISTEN, OPT_THEME, OPT_MAX_UPLOAD, OPT_THREADS, OPT_SECURE };
	static const vx_cli_option options[] = {{"--db", NULL, 1},         {"--listen", NULL, 1},
	                                        {"--theme", NULL, 1},      {"--max-upload", NULL, 1},
	                                        {"--threads", NULL, 1},    {"--secure-cookies", NULL, 0}};
	vx_server_options o = VX_SERVER_OPTIONS_INIT;
	const char *listen = DEFAULT_LISTEN, *v;
	size_t mib = 0, threads = 0;
	o.db_path = VX_CLI_DEFAULT_DB;
	vx_cli_parser p;
	vx_cli_parser_init(&p, "serve", argc, argv, 1, options, sizeof options / sizeof options[0]);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		switch (k) {
		case VX_CLI_HELP:
			fputs("usage: voix serve [--db voix.db] [--listen 127.0.0.1:8080] [--theme neutre|dsfr]\n"
			      "                  [--secure-cookies] [--max-upload MIO] [--threads N]\n"
			      "Ouvre le tableau de bord et l'API JSON (/api/v1/) sur la base.\n",
			      stdout);
			return VX_EXIT_OK;
		case OPT_DB: o.db_path = v; break;
		case OPT_LISTEN: listen = v; break;
		case OPT_THEME: o.theme = v; break;
		case OPT_MAX_UPLOAD:
			if (vx_option_count(&mib, "max-upload", v, 1, VX_SERVER_MAX_UPLOAD_MIB) != 0)
				return vx_cli_say("serve", VX_EXIT_USAGE, vx_error_last());
			o.max_upload = mib << 20;
			break;
		case OPT_THREADS:
			if (vx_option_count(&threads, "threads", v, 1, VX_SERVER_THREADS_MAX) != 0)
				return vx_cli_say("serve", VX_EXIT_USAGE, vx_error_last());
			o.threads = (unsigned)threads;
			break;
		case OPT_SECURE: o.secure_cookies = 1; break;
		case VX_CLI_ARG: fprintf(stderr, "voix serve : argument en trop « %s »\n", v); return VX_EXIT_USAGE;
		default: return VX_EXIT_USAGE;
		}
	}
	/* SIGINT and SIGTERM are waited for, not handled: no global state. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	vx_server *srv = NULL;
	int rc = vx_server_new(&srv, &o);
	if (rc == 0)
		rc = vx_server_start(srv, listen);
	if (rc) {
		vx_server_free(srv);
		return vx_cli_say("serve", vx_cli_exit_for(rc), vx_error_last());
	}
	vx_store *store = NULL;
	size_t users = 0;
	if (vx_store_open_existing(&store, o.db_path) == 0 && vx_store_user_count(store, &users) == 0 && users == 0)
		fprintf(stderr, "voix serve : aucun compte. Créez le premier avec\n"
		                "  voix user add NOM --role administrateur --db %s\n"
		                "(le mot de passe est lu sur l'entrée standard)\n",
		        o.db_path);
	vx_store_free(store);
	/* The port actually bound (--listen HOST:0 picks a free one). */
	fprintf(stderr, "voix serve : tableau de bord sur http://%.*s:%u/ (Ctrl-C pour arrêter)\n",
	        (int)(strrchr(listen, ':') - listen), listen, vx_server_port(srv));
	int sig = 0;
	sigwait(&stop, &sig);
	vx_server_free(srv);
	return VX_EXIT_OK;
}

/* Reads the password: the first line of standard input, without its end. */
static int read_password(char *buf, size_t cap)
{
	if (fgets(buf, (int)cap, stdin) == NULL)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int open_db(vx_store **store, const char *db, const char *cmd)
{
	int rc = vx_store_open(store, db);
	if (rc)
		fprintf(stderr, "voix %s : %s\n", cmd, vx_error_last());
	return rc;
}

int cmd_user(int argc, char **argv)
{
	enum { OPT_DB, OPT_ROLE, OPT_STRUCTURE };
	static const vx_cli_option options[] = {{"--db", NULL, 1}, {"--role", NULL, 1}, {"--structure", NULL, 1}};
	const char *db = VX_CLI_DEFAULT_DB, *name = NULL, *role_name = NULL, *v;
	/* The structures an agent replies for (voix structures import first). */
	const char *structures[64];
	size_t n_structures = 0;
	static const char usage[] = "usage: voix user add NOM --role lecteur|analyste|administrateur|moderateur|agent\n"
	                            "                     [--structure CODE]... [--db voix.db] < motdepasse\n";
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
		fputs(usage, help ? stdout : stderr);
		return help ? VX_EXIT_OK : VX_EXIT_USAGE;
	}
	vx_cli_parser p;
	vx_cli_parser_init(&p, "user", argc, argv, 2, options, sizeof options / sizeof options[0]);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		if (k == VX_CLI_HELP) {
			fputs(usage, stdout);
			return VX_EXIT_OK;
		} else if (k == OPT_DB) {
			db = v;
		} else if (k == OPT_ROLE) {
			role_name = v;
		} else if (k == OPT_STRUCTURE) {
			if (n_structures == sizeof structures / sizeof structures[0]) {
				fprintf(stderr, "voix user : au plus %zu --structure\n", sizeof structures / sizeof structures[0]);
				return VX_EXIT_USAGE;
			}
			structures[n_structures++] = v;
		} else if (k == VX_CLI_ARG && name == NULL) {
			name = v;
		} else {
			if (k == VX_CLI_ARG)
				fprintf(stderr, "voix user : argument en trop « %s »\n", v);
			return VX_EXIT_USAGE;
		}
	}
	vx_role role;
	if (name == NULL || role_name == NULL) {
		fprintf(stderr, "voix user : NOM et --role sont nécessaires\n");
		return VX_EXIT_USAGE;
	}
	if (vx_account_role_parse(&role, role_name) != 0)
		return vx_cli_say("user", VX_EXIT_USAGE, vx_error_last());
	if ((n_structures > 0) != (role == VX_ROLE_AGENT)) {
		fprintf(stderr, "voix user : --structure CODE est nécessaire pour le rôle agent, et seulement pour lui\n");
		return VX_EXIT_USAGE;
	}
	char password[PASSWORD_MAX];
	if (read_password(password, sizeof password) != 0) {
		fprintf(stderr, "voix user : aucun mot de passe sur l'entrée standard\n");
		return VX_EXIT_USAGE;
	}
	vx_store *store = NULL;
	int rc = open_db(&store, db, "user");
	if (rc == 0 && (rc = vx_store_user_add(store, name, role, password)) != 0)
		fprintf(stderr, "voix user : %s\n", vx_error_last());
	for (size_t i = 0; rc == 0 && i < n_structures; i++)
		if ((rc = vx_store_agent_attach(store, name, structures[i])) != 0)
			fprintf(stderr, "voix user : %s\n", vx_error_last());
	if (rc == 0 && (rc = vx_audit_record(store, "voix user add", "compte", name, vx_account_role_name(role))) != 0)
		fprintf(stderr, "voix user : %s\n", vx_error_last());
	memset(password, 0, sizeof password);
	vx_store_free(store);
	if (rc == 0)
		fprintf(stderr, "voix user : compte « %s » (%s) enregistré\n", name, vx_account_role_name(role));
	return vx_cli_exit_for(rc);
}

int cmd_token(int argc, char **argv)
{
	static const vx_cli_option options[] = {{"--db", NULL, 1}};
	static const char usage[] = "usage: voix token add UTILISATEUR [--db voix.db]\n";
	const char *db = VX_CLI_DEFAULT_DB, *user = NULL, *v;
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
		fputs(usage, help ? stdout : stderr);
		return help ? VX_EXIT_OK : VX_EXIT_USAGE;
	}
	vx_cli_parser p;
	vx_cli_parser_init(&p, "token", argc, argv, 2, options, 1);
	for (int k; (k = vx_cli_next(&p, &v)) != VX_CLI_END;) {
		if (k == VX_CLI_HELP) {
			fputs(usage, stdout);
			return VX_EXIT_OK;
		} else if (k == 0) {
			db = v;
		} else if (k == VX_CLI_ARG && user == NULL) {
			user = v;
		} else {
			if (k == VX_CLI_ARG)
				fprintf(stderr, "voix token : argument en trop « %s »\n", v);
			return VX_EXIT_USAGE;
		}
	}
	if (user == NULL) {
		fprintf(stderr, "voix token : UTILISATEUR est nécessaire\n");
		return VX_EXIT_USAGE;
	}
	vx_store *store = NULL;
	char token[VX_TOKEN_LEN + 1];
	int rc = open_db(&store, db, "token");
	if (rc == 0 && (rc = vx_store_token_add(store, user, token)) != 0)
		fprintf(stderr, "voix token : %s\n", vx_error_last());
	vx_store_free(store);
	if (rc == 0)
		printf("%s\n", token);
	return vx_cli_exit_for(rc);
}
