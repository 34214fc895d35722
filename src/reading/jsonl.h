/*
 * JSON Lines helpers shared by the corpus reader (reader.c) and the row
 * reader (table.c): detection, the columns of a file, and the text of a
 * value. One object per line; the columns are the keys of the first
 * VX_JSONL_KEY_LINES objects in order of first appearance (an object may
 * omit a key that is null or empty for it).
 */
#ifndef VX_READING_JSONL_H
#define VX_READING_JSONL_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/strmap.h"

/* JSON Lines columns are the keys of this many first lines (bounded so
 * that the first pass costs little on a large file). */
#define VX_JSONL_KEY_LINES 1000

/* 1 for a JSON Lines space (what may surround an object on its line). */
int vx_jsonl_space(char c);

/* 1 when the file named name holding len bytes of decoded text is JSON
 * Lines: its name ends in .jsonl or .ndjson (any case), or its first
 * non-space byte is '{'. */
int vx_jsonl_detect(const char *name, const char *text, size_t len);

/* Interns into keys the keys of the objects of the first
 * VX_JSONL_KEY_LINES lines. Returns 0, VX_EEMPTY (only spaces),
 * VX_EFORMAT (no line holds an object) with a message naming the file, or
 * VX_ENOMEM. */
int vx_jsonl_keys(vx_strmap *keys, const char *name, const char *text, size_t len);

/* Appends to b the text of a JSON value: strings as they are (C1
 * characters mapped, counted in *c1), null or a missing value as nothing,
 * with join an array as its items joined with ',' (channel lists), anything
 * else as compact JSON ("4", "4.0", "true"). VX_EFORMAT for a string
 * holding a NUL; VX_ENOMEM. b->data may move. */
int vx_jsonl_value_text(vx_buf *b, json_t *v, int join, size_t *c1);

#endif
