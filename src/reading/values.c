/*
 * Typed values of an export row. See values.h.
 */
#include "reading/values.h"

#include <stdint.h>
#include <string.h>

#include "util/fold.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t vx_trim(const char *s, size_t len, size_t *start)
{
	size_t a = 0, b = len;
	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	if (start)
		*start = a;
	return b - a;
}

/* Reads exactly n digits at s[*i]; -1 when they are not all there. */
static int digits(const char *s, size_t len, size_t *i, int n)
{
	int v = 0;
	for (int k = 0; k < n; k++) {
		if (*i >= len || !is_digit(s[*i]))
			return -1;
		v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	return v;
}

/* Reads one or two digits. */
static int digits12(const char *s, size_t len, size_t *i)
{
	if (*i >= len || !is_digit(s[*i]))
		return -1;
	int v = s[(*i)++] - '0';
	if (*i < len && is_digit(s[*i]))
		v = v * 10 + (s[(*i)++] - '0');
	return v;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int valid_day(int y, int m, int d)
{
	return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Reads "HH:MM[:SS[.fff]]" at s[*i]. */
static int read_time(const char *s, size_t len, size_t *i)
{
	int h = digits12(s, len, i);
	if (h < 0 || h > 23 || *i >= len || s[*i] != ':')
		return 0;
	(*i)++;
	int mi = digits(s, len, i, 2);
	if (mi < 0 || mi > 59)
		return 0;
	if (*i < len && s[*i] == ':') {
		(*i)++;
		int sec = digits(s, len, i, 2);
		if (sec < 0 || sec > 60) /* 60: a leap second */
			return 0;
		if (*i < len && (s[*i] == '.' || s[*i] == ',')) {
			(*i)++;
			size_t f = *i;
			while (*i < len && is_digit(s[*i]))
				(*i)++;
			if (*i == f)
				return 0;
		}
	}
	return 1;
}

/* Reads an optional ISO 8601 zone: "Z", "+HH:MM", "+HHMM", "+HH". */
static int read_zone(const char *s, size_t len, size_t *i)
{
	if (*i >= len)
		return 1;
	if (s[*i] == 'Z' || s[*i] == 'z') {
		(*i)++;
		return 1;
	}
	if (s[*i] != '+' && s[*i] != '-')
		return 1;
	(*i)++;
	int h = digits(s, len, i, 2);
	if (h < 0 || h > 23)
		return 0;
	if (*i < len && s[*i] == ':')
		(*i)++;
	if (*i < len && is_digit(s[*i])) {
		int m = digits(s, len, i, 2);
		if (m < 0 || m > 59)
			return 0;
	}
	return 1;
}

static void write_date(char out[11], int y, int m, int d)
{
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* Case-insensitive ASCII match of word w at s[*i]; advances on success. */
static int word(const char *s, size_t len, size_t *i, const char *w)
{
	size_t n = strlen(w);
	if (len - *i < n)
		return 0;
	for (size_t k = 0; k < n; k++) {
		char c = s[*i + k];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != w[k])
			return 0;
	}
	*i += n;
	return 1;
}

static void spaces(const char *s, size_t len, size_t *i)
{
	while (*i < len && s[*i] == ' ')
		(*i)++;
}

/* Reads "a", "an", "un", "une", "one" or a number. */
static int count_word(const char *s, size_t len, size_t *i)
{
	if (*i < len && is_digit(s[*i])) {
		while (*i < len && is_digit(s[*i]))
			(*i)++;
		return 1;
	}
	return word(s, len, i, "une") || word(s, len, i, "un") || word(s, len, i, "an") ||
	       word(s, len, i, "a") || word(s, len, i, "one");
}

/* "2 months ago", "a year ago", "il y a 3 jours", "il y a un an". */
static int relative(const char *s, size_t len)
{
	static const char *const en_units[] = {"second", "minute", "hour", "day", "week", "month", "year"};
	/* "année" is matched through its ASCII prefix "ann". */
	static const char *const fr_units[] = {"seconde", "minute", "heure", "jour", "semaine", "mois", "ann", "an"};
	size_t i = 0;
	if (word(s, len, &i, "il y a ")) {
		spaces(s, len, &i);
		if (!count_word(s, len, &i))
			return 0;
		spaces(s, len, &i);
		for (size_t k = 0; k < sizeof fr_units / sizeof *fr_units; k++) {
			size_t j = i;
			if (word(s, len, &j, fr_units[k])) {
				/* accept the rest of the unit word ("ée", "s") */
				while (j < len && s[j] != ' ')
					j++;
				return j == len;
			}
		}
		return 0;
	}
	if (!count_word(s, len, &i))
		return 0;
	spaces(s, len, &i);
	for (size_t k = 0; k < sizeof en_units / sizeof *en_units; k++) {
		size_t j = i;
		if (word(s, len, &j, en_units[k])) {
			if (j < len && (s[j] == 's' || s[j] == 'S'))
				j++;
			spaces(s, len, &j);
			return word(s, len, &j, "ago") && j == len;
		}
	}
	return 0;
}

/* Reads an absolute date; 1 with y, m, d set when the syntax is right. */
static int absolute(const char *s, size_t len, int *y, int *m, int *d)
{
	size_t i = 0;
	if (len >= 10 && s[4] == '-') {
		*y = digits(s, len, &i, 4);
		if (*y < 0 || s[i++] != '-')
			return 0;
		*m = digits(s, len, &i, 2);
		if (*m < 0 || i >= len || s[i++] != '-')
			return 0;
		*d = digits(s, len, &i, 2);
		if (*d < 0)
			return 0;
		if (i < len) {
			if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
				return 0;
			i++;
			if (!read_time(s, len, &i) || !read_zone(s, len, &i))
				return 0;
		}
		return i == len;
	}
	*d = digits12(s, len, &i);
	if (*d < 0 || i >= len || s[i++] != '/')
		return 0;
	*m = digits12(s, len, &i);
	if (*m < 0 || i >= len || s[i++] != '/')
		return 0;
	*y = digits(s, len, &i, 4);
	if (*y < 0)
		return 0;
	if (i < len) {
		if (s[i] == 'T')
			i++;
		else if (s[i] == ' ')
			spaces(s, len, &i);
		else
			return 0;
		if (!read_time(s, len, &i))
			return 0;
	}
	return i == len;
}

vx_date_kind vx_date_parse(char out[11], const char *s, size_t len)
{
	size_t a;
	out[0] = '\0';
	len = vx_trim(s, len, &a);
	s += a;
	if (len == 0)
		return VX_DATE_EMPTY;
	int y = 0, m = 0, d = 0;
	if (absolute(s, len, &y, &m, &d)) {
		if (!valid_day(y, m, d))
			return VX_DATE_INVALID;
		write_date(out, y, m, d);
		return VX_DATE_ABSOLUTE;
	}
	return relative(s, len) ? VX_DATE_RELATIVE : VX_DATE_INVALID;
}

vx_feeling vx_feeling_parse(const char *s, size_t len, vx_feeling_scale scale)
{
	size_t a;
	len = vx_trim(s, len, &a);
	s += a;
	if (len == 0)
		return VX_FEELING_UNKNOWN;
	if (is_digit(s[0])) {
		size_t i = 0;
		int v = 0;
		while (i < len && is_digit(s[i]) && v < 1000)
			v = v * 10 + (s[i++] - '0');
		if (i < len && s[i] == '.') { /* "4.0": only zeros after the point */
			i++;
			while (i < len && s[i] == '0')
				i++;
		}
		if (i != len)
			return VX_FEELING_UNKNOWN;
		if (scale == VX_SCALE_BINARY)
			return v == 0 ? VX_FEELING_NEGATIVE : v == 1 ? VX_FEELING_POSITIVE : VX_FEELING_UNKNOWN;
		if (v >= 1 && v <= 2)
			return VX_FEELING_NEGATIVE;
		if (v == 3)
			return VX_FEELING_NEUTRAL;
		if (v >= 4 && v <= 5)
			return VX_FEELING_POSITIVE;
		return VX_FEELING_UNKNOWN;
	}
	char f[32];
	if (len >= sizeof f / 2)
		return VX_FEELING_UNKNOWN;
	/* Fast path for the usual spellings (ASCII letters, é/É): no Unicode
	 * folding, which would cost more than the rest of the row. */
	size_t o = 0;
	for (size_t i = 0; i < len && o != SIZE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			f[o++] = (char)(c - 'A' + 'a');
		else if (c >= 'a' && c <= 'z')
			f[o++] = (char)c;
		else if (c == 0xC3 && i + 1 < len && ((unsigned char)s[i + 1] == 0xA9 || (unsigned char)s[i + 1] == 0x89)) {
			f[o++] = 'e';
			i++;
		} else {
			o = SIZE_MAX;
		}
	}
	if (o != SIZE_MAX)
		f[o] = '\0';
	else if (vx_fold_label(f, sizeof f, s, len) < 0)
		return VX_FEELING_UNKNOWN;
	static const struct {
		const char *word;
		vx_feeling feeling;
	} words[] = {
		{"positif", VX_FEELING_POSITIVE},  {"positive", VX_FEELING_POSITIVE},
		{"neutre", VX_FEELING_NEUTRAL},    {"neutral", VX_FEELING_NEUTRAL},
		{"negatif", VX_FEELING_NEGATIVE},  {"negative", VX_FEELING_NEGATIVE},
	};
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (strcmp(f, words[k].word) == 0)
			return words[k].feeling;
	return VX_FEELING_UNKNOWN;
}

size_t vx_id_trim(const char *s, size_t len)
{
	if (len < 3 || s[len - 2] != '.' || s[len - 1] != '0')
		return len;
	for (size_t i = 0; i < len - 2; i++)
		if (!is_digit(s[i]))
			return len;
	return len - 2;
}
