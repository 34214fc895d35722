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
