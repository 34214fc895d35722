/*
 * vx_values: reading the typed values of an export row (dates, feelings,
 * ids, channel lists). Pure functions over pointer + length, no allocation.
 */
#ifndef VX_READING_VALUES_H
#define VX_READING_VALUES_H

#include <stddef.h>

#include "voix/corpus.h"

typedef enum vx_date_kind {
	VX_DATE_EMPTY = 0,  /* nothing but spaces */
	VX_DATE_ABSOLUTE,   /* a calendar date, written to out */
	VX_DATE_RELATIVE,   /* "2 months ago", "il y a 3 jours": no calendar date */
	VX_DATE_INVALID,    /* present but unreadable, or not a real calendar day */
} vx_date_kind;

/*
 * Reads a date written as "YYYY-MM-DD", an ISO 8601 timestamp
 * ("YYYY-MM-DDTHH:MM[:SS[.f]][Z|+HH:MM]", or with a space instead of T),
 * "DD/MM/YYYY" or "DD/MM/YYYY HH:MM[:SS]" (day first, French order; one or
 * two digits for day and month). Leading and trailing spaces are ignored.
 * The calendar day as written (time zone ignored) goes to out as
 * "YYYY-MM-DD" when the result is VX_DATE_ABSOLUTE; out is "" otherwise.
 * Years 1000..9999; the day must exist (no 31/04, 29/02 only in leap years);
 * a time, when given, must be valid too.
 */
vx_date_kind vx_date_parse(char out[11], const char *s, size_t len);

/* How numbers in a feeling column are read. */
typedef enum vx_feeling_scale {
	VX_SCALE_STARS = 0, /* 1-2 négatif, 3 neutre, 4-5 positif */
	VX_SCALE_BINARY,    /* 0 négatif, 1 positif */
} vx_feeling_scale;

/*
 * Reads a feeling: the words positif/neutre/négatif (any case, with or
 * without accents; also positive/neutral/negative), or a number on the
 * given scale ("4", "4.0"). VX_FEELING_UNKNOWN for empty or anything else.
 */
vx_feeling vx_feeling_parse(const char *s, size_t len, vx_feeling_scale scale);

/* Length of s once a trailing ".0" that a spreadsheet or pandas added to
 * an integer is dropped ("269117.0" -> 6); len when there is none. */
size_t vx_id_trim(const char *s, size_t len);

/* Length of s without leading and trailing ASCII white space; *start gets
 * the offset of the first kept byte. */
size_t vx_trim(const char *s, size_t len, size_t *start);

#endif
