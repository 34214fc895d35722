/*
 * Control characters made visible, so that a value read from an export (a
 * structure name, an id, a path) cannot break a line-oriented output or send
 * escape sequences to a terminal.
 */
#ifndef VX_UTIL_ESCAPE_H
#define VX_UTIL_ESCAPE_H

#include <stdio.h>

/* Writes s to out with every control character escaped: tab, line feed
 * and carriage return as \t, \n, \r; the other C0 characters, DEL and the
 * C1 characters U+0080..U+009F (UTF-8 encoded) as \xHH. Everything else,
 * backslashes included, is written as is. */
void vx_fputs_escaped(const char *s, FILE *out);

#endif
