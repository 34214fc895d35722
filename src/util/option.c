/*
 * Whole-number options, their bounds and their messages: see
 * include/voix/util.h. The note's options (synthesis/options.c), voix
 * import --wait, voix search --limit and voix serve --max-upload all go
 * through here, so every such message reads the same.
 */
#include <stdint.h>

#include "voix/error.h"
#include "voix/util.h"

/* Longest part of a user's value repeated in a message. */
#define SHOWN_VALUE_MAX 64

static int bounds_error(const char *name, const char *text, size_t value, size_t min, size_t max)
{
	if (max == SIZE_MAX && text)
		return vx_error_set(VX_EINVAL, "--%s doit être un nombre entier d'au moins %zu (reçu « %.*s »)", name, min,
		                    SHOWN_VALUE_MAX, text);
	if (max == SIZE_MAX)
		return vx_error_set(VX_EINVAL, "--%s doit être un nombre entier d'au moins %zu (reçu %zu)", name, min,
		                    value);
	if (text)
		return vx_error_set(VX_EINVAL, "--%s doit être entre %zu et %zu (reçu « %.*s »)", name, min, max,
		                    SHOWN_VALUE_MAX, text);
	return vx_error_set(VX_EINVAL, "--%s doit être entre %zu et %zu (reçu %zu)", name, min, max, value);
}

int vx_option_count(size_t *out, const char *name, const char *text, size_t min, size_t max)
{
	size_t v = 0;
	if (text == NULL)
		return vx_error_set(VX_EINVAL, "--%s attend une valeur", name);
	if (*text == '\0')
		return bounds_error(name, text, 0, min, max);
	for (const char *s = text; *s; s++) {
		if (*s < '0' || *s > '9')
			return bounds_error(name, text, 0, min, max);
		size_t d = (size_t)(*s - '0');
		if (v > (max - d) / 10)
			return bounds_error(name, text, 0, min, max);
		v = v * 10 + d;
	}
	if (v < min)
		return bounds_error(name, text, 0, min, max);
	*out = v;
	return 0;
}

int vx_option_count_check(const char *name, size_t value, size_t min, size_t max)
{
	return value < min || value > max ? bounds_error(name, NULL, value, min, max) : 0;
}
