/*
 * The names and ids a note shows besides its verbatims: service types,
 * structure and channel names of each topic, the experience ids of
 * verbatims, axes and memberships. People type into these fields too (a structure
 * "Accueil de jean.dupont@exemple.fr", an id column holding a phone
 * number), so they are masked like texts before any renderer sees them.
 * Masking them is not counted in the note's masked totals, which count
 * what was found in the experiences' texts.
 */
#include <stdlib.h>
#include <string.h>

#include "synthesis/note_internal.h"
#include "voix/error.h"

/* Replaces *s by its masked copy in the note's storage when the masker
 * found something; leaves it as it is otherwise. */
static int mask_one(vx_build *b, const char **s)
{
	char *masked = NULL;
	if (*s == NULL || **s == '\0')
		return 0;
	size_t len = strlen(*s);
	int rc = vx_masker_mask(b->masker, *s, len, &masked, NULL);
	if (rc)
		return rc;
	if (strcmp(masked, *s) != 0) {
		const char *kept = vx_arena_strdup(b->arena, masked);
		if (kept == NULL)
			rc = vx_error_set(VX_ENOMEM, "out of memory");
		else
			*s = kept;
	}
	free(masked);
	return rc;
}

static int mask_facets(vx_build *b, vx_facet_count *f, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = mask_one(b, &f[i].value);
	return rc;
}

static int mask_topics(vx_build *b, vx_topic *t, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = mask_facets(b, t[i].services, t[i].n_services);
		if (rc == 0)
			rc = mask_facets(b, t[i].structures, t[i].n_structures);
		if (rc == 0)
			rc = mask_facets(b, t[i].channels, t[i].n_channels);
		for (size_t v = 0; v < t[i].n_verbatims && rc == 0; v++)
			rc = mask_one(b, &t[i].verbatims[v].experience_id);
		for (size_t m = 0; m < t[i].n_members && rc == 0; m++) /* the --assignments rows */
			rc = mask_one(b, &t[i].members[m].experience_id);
	}
	return rc;
}

int vx_note_mask_fields(vx_build *b)
{
	vx_note *n = b->note;
	int rc = mask_topics(b, n->topics, n->n_topics);
	if (rc == 0)
		rc = mask_topics(b, n->strengths, n->n_strengths);
	for (size_t a = 0; a < n->n_axes && rc == 0; a++)
		for (size_t i = 0; i < n->axes[a].n_experience_ids && rc == 0; i++)
			rc = mask_one(b, &n->axes[a].experience_ids[i]);
	return rc;
}
