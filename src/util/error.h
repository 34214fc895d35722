/*
 * Adding where an error happened to the message of a lower layer: a parser
 * says what is wrong in an expression, its caller says which file and line.
 */
#ifndef VX_UTIL_ERROR_H
#define VX_UTIL_ERROR_H

/* Puts the text of fmt in front of the current message (vx_error_last())
 * and returns code, like vx_error_set. The whole is cut to the message's
 * size, the prefix first. */
int vx_error_prefix(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
