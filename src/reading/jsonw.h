/*
 * vx_jsonw: a small writer of JSON objects whose values are strings, for
 * vx_experience.row_json (the whole original row keyed by column names).
 *
 * It writes exactly what Jansson's json_dumps(JSON_COMPACT) writes for the
 * same object, byte for byte, so that rows stored by earlier versions keep
 * the same content hash (docs/storage.md) and compare equal on re-import:
 *  - no white space: {"a":"1","b":"2"};
 *  - in strings, '"' and '\' as \" and \\; BS, FF, LF, CR, TAB as \b \f \n
 *    \r \t; any other byte below 0x20 as \u00XX with upper-case hex (RFC
 *    8259, section 7);
 *  - everything else as it is: '/', DEL and every UTF-8 sequence (é, ’,
 *    emoji, U+2028) are copied unchanged.
 * Strings must be valid UTF-8. The reader's always are: vx_decode_text makes
 * every input valid UTF-8, fields are cut at ASCII separators, and C1
 * repair keeps it valid. Other bytes from 0x80 up would be copied as they
 * are (never read out of bounds), which is not valid JSON text.
 * The writer does not check keys for duplicates: the caller makes them
 * unique (the reader suffixes a repeated column name with " (2)"...).
 * Every function appends to a vx_buf, so out->data may move.
 * Measured: docs/reading.md, "Why the row JSON is written by hand".
 */
#ifndef VX_READING_JSONW_H
#define VX_READING_JSONW_H

#include <stddef.h>

#include "util/buf.h"

/* An object being written into out. */
typedef struct vx_jsonw_object {
	vx_buf *out;
	size_t members; /* written so far */
} vx_jsonw_object;

/* Appends the len bytes at s (valid UTF-8, may hold NUL) to out as a JSON
 * string literal with its quotes. Errors: VX_ENOMEM, VX_ETOOBIG (out's
 * limit); out then holds a partial string. */
int vx_jsonw_string(vx_buf *out, const char *s, size_t len);

/* Starts an object: appends '{' to out and remembers out in *obj.
 * Errors: VX_ENOMEM, VX_ETOOBIG. */
int vx_jsonw_object_begin(vx_jsonw_object *obj, vx_buf *out);

/* Appends the member "key":"value" (a ',' before it unless it is the
 * first). key and value are len-byte UTF-8 strings. Errors: as
 * vx_jsonw_string. */
int vx_jsonw_object_member(vx_jsonw_object *obj, const char *key, size_t key_len, const char *value,
                           size_t value_len);

/* Closes the object with '}'. Errors: VX_ENOMEM, VX_ETOOBIG. */
int vx_jsonw_object_end(vx_jsonw_object *obj);

#endif
