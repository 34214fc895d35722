/*
 * vx_decode: turns the bytes of an export into UTF-8 text.
 *
 *  - a UTF-8 byte order mark is skipped (encoding "utf-8-bom");
 *  - valid UTF-8 is kept as is (encoding "utf-8"), except that C1 control
 *    characters U+0080..U+009F are mapped through Windows-1252 (U+0092 -> ’,
 *    U+0080 -> €...), the trace of a Windows-1252 file once read as
 *    Latin-1; the five code points Windows-1252 leaves undefined (U+0081,
 *    U+008D, U+008F, U+0090, U+009D) are kept;
 *  - UTF-8 with some invalid bytes (at least one valid multi-byte
 *    sequence) stays UTF-8: only the invalid bytes are read as
 *    Windows-1252, and the lines holding one are counted (lines_repaired);
 *  - anything else is decoded as Windows-1252 (encoding "windows-1252"),
 *    its five undefined bytes becoming the C1 code point of the same value.
 * Nothing else is changed: no trimming, no normalisation, line breaks kept.
 *
 * Binary data is refused: a NUL byte, a UTF-16/UTF-32 byte order mark, or
 * more than VX_DECODE_MAX_CONTROL_PERMILLE per mille of C0 control bytes
 * (other than tab, line feed, carriage return and form feed).
 */
#ifndef VX_READING_DECODE_H
#define VX_READING_DECODE_H

#include <stddef.h>

#include "util/buf.h"

/* Real text has next to no C0 control bytes; a file with more than 2% of
 * them is not text (measured: 0 in every shared corpus). */
#define VX_DECODE_MAX_CONTROL_PERMILLE 20

typedef struct vx_decoded {
	const char *text;      /* UTF-8; points into the input or into owned */
	size_t len;
	char *owned;           /* non-NULL when the text had to be rewritten */
	const char *encoding;  /* "utf-8", "utf-8-bom" or "windows-1252" (static) */
	size_t c1_repaired;    /* C1 characters mapped through Windows-1252 */
	size_t bytes_repaired; /* invalid bytes of UTF-8 text read as Windows-1252 */
	size_t lines_repaired; /* lines holding at least one of them */
	int c1_deferred;       /* 1: C1 characters are still in text (VX_DECODE_DEFER_C1) */
} vx_decoded;

/* Flags of vx_decode_text. */
enum {
	/* Leave C1 characters of UTF-8 text in place (out->c1_repaired still
	 * counts them): the caller maps each string it keeps with vx_c1_repair.
	 * Saves a copy of the whole text when most of it is not kept. */
	VX_DECODE_DEFER_C1 = 1u,
};

/*
 * Decodes len bytes at data into *out. out->text points into data when no
 * rewriting was needed, so data must outlive *out. name is only used in
 * error messages. Returns 0, VX_EFORMAT (binary data, with a one-line
 * message) or VX_ENOMEM.
 */
int vx_decode_text(vx_decoded *out, const char *name, const char *data, size_t len, unsigned flags);

/* Frees what *d owns. NULL-safe. */
void vx_decoded_free(vx_decoded *d);

/* 1 when len bytes at s are valid UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF). */
int vx_utf8_valid(const char *s, size_t len);

/* Appends s to out with C1 characters (U+0080..U+009F, UTF-8 encoded)
 * mapped through Windows-1252, adding the count of mapped ones to
 * *repaired. s must be valid UTF-8. out->data may move. */
int vx_c1_repair(vx_buf *out, const char *s, size_t len, size_t *repaired);

/* 1 when valid UTF-8 s contains a C1 character that vx_c1_repair maps. */
int vx_c1_present(const char *s, size_t len);

#endif
