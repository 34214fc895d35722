/*
 * The voix command line: one file per command, each a thin layer over the
 * library (no analysis here). Exit codes are documented in docs/cli.md.
 */
#ifndef VX_CLI_H
#define VX_CLI_H

#include <stddef.h>

enum vx_exit {
	VX_EXIT_OK = 0,
	VX_EXIT_FAILURE = 1,  /* an unexpected failure (out of memory...) */
	VX_EXIT_USAGE = 2,    /* bad command line */
	VX_EXIT_INPUT = 3,    /* an input file is missing, unreadable or not an export */
	VX_EXIT_DB = 4,       /* the database cannot be opened or written */
	VX_EXIT_EMPTY = 5,    /* nothing to analyse (empty file or selection) */
	VX_EXIT_OUTPUT = 6,   /* an output (file or standard output) cannot be written */
	VX_EXIT_CONFLICT = 7, /* an output is also an input or the database: refused */
};

/* The database every command uses without --db. */
#define VX_CLI_DEFAULT_DB "voix.db"

/*
 * The one option parser of every command (cli/options.c). A command lists
 * its options; vx_cli_next() hands back one item at a time:
 *  - the index of an option in the list, its value in *value (NULL for an
 *    option without one). "--name=value" is "--name value";
 *  - VX_CLI_ARG: an operand (a file, a query) in *value; "-" is one, and so
 *    is everything after "--";
 *  - VX_CLI_HELP: --help or -h;
 *  - VX_CLI_END: no more arguments;
 *  - VX_CLI_BAD: a usage error, already said on stderr in French:
 *    "voix CMD : option inconnue « X »", "voix CMD : l'option X attend une
 *    valeur", "voix CMD : l'option X ne prend pas de valeur".
 */
typedef struct vx_cli_option {
	const char *name;  /* "--db" */
	const char *alias; /* "-o", or NULL */
	int has_value;     /* 1 when the option takes a value */
} vx_cli_option;

enum { VX_CLI_END = -1, VX_CLI_ARG = -2, VX_CLI_HELP = -3, VX_CLI_BAD = -4 };

typedef struct vx_cli_parser {
	const char *cmd;
	int argc, i;
	char **argv;
	int operands_only;           /* after "--" */
	const vx_cli_option *options;
	size_t n_options;
} vx_cli_parser;

/* Parses argv[first..argc) for the command cmd ("import") against the n
 * options. The parser keeps pointers to all of them. */
void vx_cli_parser_init(vx_cli_parser *p, const char *cmd, int argc, char **argv, int first,
                        const vx_cli_option *options, size_t n);
int vx_cli_next(vx_cli_parser *p, const char **value);

/* Says "voix CMD : MESSAGE" on stderr (a library message, or a usage
 * error) with line breaks turned into spaces; returns exit_code. */
int vx_cli_say(const char *cmd, int exit_code, const char *message);

int cmd_import(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_note(int argc, char **argv);
int cmd_redact(int argc, char **argv);
int cmd_feelings(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_structures(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Maps a library error code to an exit code. */
int vx_cli_exit_for(int rc);

/* 1, after printing "voix CMD : ..." on stderr, when the output out (given
 * by option, e.g. "-o") names the same file as one of the n inputs or as
 * the database db (or its -wal, -shm and -journal files); 0 otherwise and
 * when out is NULL or "-". NULL inputs and a NULL db are skipped. Checked
 * before anything is written, so that nothing is truncated. */
int vx_cli_output_conflict(const char *cmd, const char *option, const char *out, const char *const *inputs,
                           size_t n, const char *db);

struct vx_corpus;
/* One line on stderr per file of corpus whose invalid UTF-8 bytes were
 * read as Windows-1252, with the number of lines repaired. */
void vx_cli_report_repairs(const char *cmd, const struct vx_corpus *corpus);

/* Flushes stdout: VX_EXIT_OUTPUT, after a message on stderr, when any write
 * to it failed (disk full, closed pipe...); VX_EXIT_OK otherwise. */
int vx_cli_flush_stdout(const char *cmd);

#endif
