/*
 * Error codes and the last error message.
 *
 * Every library function that can fail returns an int: 0 on success or one of
 * the negative VX_E... codes below. The message describing the most recent
 * failure on the calling thread is available from vx_error_last(); it says
 * what failed, where (file, line, byte offset when known) and why.
 * Messages never contain text from an experience: only ids, counts, hashes.
 *
 * Languages. Every message that the input, the output, the database or the
 * machine can cause is in French, for the user of any front end: a file that
 * cannot be read, a busy or read-only database (naming the step it stopped,
 * « importation »), out of memory (« mémoire insuffisante … », whatever the
 * call site). The detail quoted from SQLite, PostgreSQL, jansson or the
 * system (strerror) stays as they wrote it. Messages that report a
 * programming error of the caller of this API (a NULL argument, an options
 * struct of an unknown version, a value outside an enum) are in English and
 * name the function or argument at fault: they are for the developer who
 * wrote the call, and no input of a user can cause them.
 */
#ifndef VOIX_ERROR_H
#define VOIX_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum vx_error_code {
	VX_OK = 0,
	VX_ENOMEM = -1,   /* out of memory */
	VX_EIO = -2,      /* a file could not be read or written */
	VX_EFORMAT = -3,  /* the input is not in a format voix can read */
	VX_EINVAL = -4,   /* invalid argument or option */
	VX_EDB = -5,      /* the database failed */
	VX_EEMPTY = -6,   /* nothing to work on (empty file, empty selection) */
	VX_ENOTFOUND = -7,/* a named file, column or record does not exist */
	VX_ETOOBIG = -8,  /* an input exceeds a documented limit */
	VX_EWRITE = -9,   /* an output could not be written (missing folder, disk full...) */
	VX_EBUSY = -10,   /* another process holds the database for longer than we wait */
};

/* The message of the last error on this thread, or "" when none was set. */
const char *vx_error_last(void);

/* Records a printf-style message for the calling thread and returns code,
 * so that callers can write `return vx_error_set(VX_EIO, "...", ...)`. */
int vx_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Forgets the last error. */
void vx_error_clear(void);

/* A short French name for a code (« mémoire insuffisante », ...). */
const char *vx_error_name(int code);

#ifdef __cplusplus
}
#endif
#endif
