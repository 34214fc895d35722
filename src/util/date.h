/*
 * Calendar arithmetic on normalised dates ("YYYY-MM-DD").
 */
#ifndef VX_UTIL_DATE_H
#define VX_UTIL_DATE_H

#include <stdint.h>

/* Days since 1970-01-01 of a "YYYY-MM-DD" prefix; 0 on success, -1 when s
 * does not start with a valid date. */
int vx_date_to_days(const char *s, int64_t *days);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void vx_date_from_days(char out[11], int64_t days);

#endif
