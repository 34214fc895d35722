/*
 * The option parser of every command: see cli.h. Usage errors are said
 * here, in French, the same for every command.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

void vx_cli_parser_init(vx_cli_parser *p, const char *cmd, int argc, char **argv, int first,
                        const vx_cli_option *options, size_t n)
{
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	p->i = first;
	p->operands_only = 0;
	p->options = options;
	p->n_options = n;
}

/* The option whose name (or alias) is the first len bytes of a, or NULL. */
static const vx_cli_option *find(const vx_cli_parser *p, const char *a, size_t len, size_t *index)
{
	for (size_t k = 0; k < p->n_options; k++) {
		const vx_cli_option *o = &p->options[k];
		if ((strlen(o->name) == len && strncmp(o->name, a, len) == 0) ||
		    (o->alias && strlen(o->alias) == len && strncmp(o->alias, a, len) == 0)) {
			*index = k;
			return o;
		}
	}
	return NULL;
}

int vx_cli_next(vx_cli_parser *p, const char **value)
{
	*value = NULL;
	if (p->i >= p->argc)
		return VX_CLI_END;
	const char *a = p->argv[p->i++];
	if (p->operands_only || a[0] != '-' || a[1] == '\0') {
		*value = a;
		return VX_CLI_ARG;
	}
	if (strcmp(a, "--") == 0) {
		p->operands_only = 1;
		return vx_cli_next(p, value);
	}
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
		return VX_CLI_HELP;
	/* "--name=value"; a short option never holds its value. */
	const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
	size_t len = eq ? (size_t)(eq - a) : strlen(a), index = 0;
	const vx_cli_option *o = find(p, a, len, &index);
	if (o == NULL) {
		fprintf(stderr, "voix %s : option inconnue « %.*s »\n", p->cmd, (int)len, a);
		return VX_CLI_BAD;
	}
	if (!o->has_value) {
		if (eq) {
			fprintf(stderr, "voix %s : l'option %s ne prend pas de valeur\n", p->cmd, o->name);
			return VX_CLI_BAD;
		}
		return (int)index;
	}
	if (eq) {
		*value = eq + 1;
	} else if (p->i < p->argc) {
		*value = p->argv[p->i++];
	} else {
		fprintf(stderr, "voix %s : l'option %s attend une valeur\n", p->cmd, o->alias && strcmp(a, o->alias) == 0 ? o->alias : o->name);
		return VX_CLI_BAD;
	}
	return (int)index;
}

int vx_cli_say(const char *cmd, int exit_code, const char *message)
{
	fprintf(stderr, "voix %s : ", cmd);
	for (const char *c = message; *c; c++)
		fputc(*c == '\n' || *c == '\r' ? ' ' : *c, stderr);
	fputc('\n', stderr);
	return exit_code;
}
