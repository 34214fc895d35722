/*
 * The voix command line: one file per command, each a thin layer over the
 * library (no analysis here). Exit codes are documented in docs/cli.md.
 */
#ifndef VX_CLI_H
#define VX_CLI_H

enum vx_exit {
	VX_EXIT_OK = 0,
	VX_EXIT_FAILURE = 1,  /* an unexpected failure (out of memory...) */
	VX_EXIT_USAGE = 2,    /* bad command line */
	VX_EXIT_INPUT = 3,    /* an input file is missing, unreadable or not an export */
	VX_EXIT_DB = 4,       /* the database cannot be opened or written */
	VX_EXIT_EMPTY = 5,    /* nothing to analyse (empty file or selection) */
};

int cmd_import(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_note(int argc, char **argv);
int cmd_redact(int argc, char **argv);

/* Maps a library error code to an exit code. */
int vx_cli_exit_for(int rc);

#endif
