/*
 * voix serve [--db voix.db] [--listen 127.0.0.1:8080] [--theme neutre|dsfr]
 *            [--secure-cookies] [--max-upload MIO]
 * voix user add NAME --role lecteur|analyste|administrateur|moderateur|agent
 *              [--structure CODE]... [--db voix.db]
 * voix token add USER [--db voix.db]
 * The dashboard and its accounts (docs/cli.md, docs/api.md).
 */
#include <errno.h>
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

#define DEFAULT_DB "voix.db"
#define DEFAULT_LISTEN "127.0.0.1:8080"
/* Longest password read from standard input. */
#define PASSWORD_MAX 1024

/* "--name value" or "--name=value" at argv[*i]: its value, else NULL. */
static const char *opt(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

int cmd_serve(int argc, char **argv)
{
	vx_server_options o = VX_SERVER_OPTIONS_INIT;
	const char *listen = DEFAULT_LISTEN, *v;
	o.db_path = DEFAULT_DB;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs("usage: voix serve [--db voix.db] [--listen 127.0.0.1:8080] [--theme neutre|dsfr]\n"
			      "                  [--secure-cookies] [--max-upload MIO]\n"
			      "Ouvre le tableau de bord et l'API JSON (/api/v1/) sur la base.\n",
			      stdout);
			return VX_EXIT_OK;
		} else if ((v = opt(argc, argv, &i, "--db")) != NULL) {
			o.db_path = v;
		} else if ((v = opt(argc, argv, &i, "--listen")) != NULL) {
			listen = v;
		} else if ((v = opt(argc, argv, &i, "--theme")) != NULL) {
			o.theme = v;
		} else if ((v = opt(argc, argv, &i, "--max-upload")) != NULL) {
			char *end = NULL;
			errno = 0;
			unsigned long mib = strtoul(v, &end, 10);
			if (errno || *end || mib == 0 || mib > 4096 || v[0] == '-') {
				fprintf(stderr, "voix serve : --max-upload demande un nombre de Mio entre 1 et 4096\n");
				return VX_EXIT_USAGE;
			}
			o.max_upload = (size_t)mib << 20;
		} else if (strcmp(argv[i], "--secure-cookies") == 0) {
			o.secure_cookies = 1;
		} else {
			fprintf(stderr, "voix serve : option inconnue « %s »\n", argv[i]);
			return VX_EXIT_USAGE;
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
		fprintf(stderr, "voix serve : %s\n", vx_error_last());
		vx_server_free(srv);
		return vx_cli_exit_for(rc);
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
	const char *db = DEFAULT_DB, *name = NULL, *role_name = NULL, *v;
	/* The structures an agent replies for (voix structures import first). */
	const char *structures[64];
	size_t n_structures = 0;
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		fputs("usage: voix user add NOM --role lecteur|analyste|administrateur|moderateur|agent\n"
		      "                     [--structure CODE]... [--db voix.db] < motdepasse\n",
		      argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
		return argc >= 2 && strcmp(argv[1], "--help") == 0 ? VX_EXIT_OK : VX_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if ((v = opt(argc, argv, &i, "--db")) != NULL)
			db = v;
		else if ((v = opt(argc, argv, &i, "--role")) != NULL)
			role_name = v;
		else if ((v = opt(argc, argv, &i, "--structure")) != NULL &&
		         n_structures < sizeof structures / sizeof structures[0])
			structures[n_structures++] = v;
		else if (name == NULL && argv[i][0] != '-')
			name = argv[i];
		else {
			fprintf(stderr, "voix user : argument inattendu « %s »\n", argv[i]);
			return VX_EXIT_USAGE;
		}
	}
	vx_role role;
	if (name == NULL || role_name == NULL) {
		fprintf(stderr, "voix user : NOM et --role sont nécessaires\n");
		return VX_EXIT_USAGE;
	}
	if (vx_account_role_parse(&role, role_name) != 0) {
		fprintf(stderr, "voix user : %s\n", vx_error_last());
		return VX_EXIT_USAGE;
	}
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
	const char *db = DEFAULT_DB, *user = NULL, *v;
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		fputs("usage: voix token add UTILISATEUR [--db voix.db]\n", stderr);
		return VX_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if ((v = opt(argc, argv, &i, "--db")) != NULL)
			db = v;
		else if (user == NULL && argv[i][0] != '-')
			user = argv[i];
		else {
			fprintf(stderr, "voix token : argument inattendu « %s »\n", argv[i]);
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
