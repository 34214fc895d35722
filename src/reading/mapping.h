/*
 * vx_mapping: which column of a file holds which field of an experience,
 * as given on the command line ("text=Commentaire,id=ref,date=Date") or in
 * a mapping file (one field=column per line, # comments).
 *
 * Fields (French aliases in brackets): text [texte], id, date,
 * feeling [ressenti], title [titre], service, structure, channels [canaux],
 * department [departement], reply [reponse], and the option
 * feeling_scale=stars|binary (how numbers in the feeling column read:
 * stars 1-5, the default, or 0 = négatif / 1 = positif).
 * Column names are matched later ignoring case, accents and repeated
 * spaces. A value may be written in double quotes to hold a comma; a quote
 * inside is doubled.
 */
#ifndef VX_READING_MAPPING_H
#define VX_READING_MAPPING_H

#include "reading/values.h"

typedef enum vx_role {
	VX_ROLE_TEXT = 0,
	VX_ROLE_ID,
	VX_ROLE_DATE,
	VX_ROLE_FEELING,
	VX_ROLE_TITLE,
	VX_ROLE_SERVICE,
	VX_ROLE_STRUCTURE,
	VX_ROLE_CHANNELS,
	VX_ROLE_DEPARTMENT,
	VX_ROLE_REPLY,
	VX_ROLE_COUNT
} vx_role;

typedef struct vx_mapping {
	char *column[VX_ROLE_COUNT]; /* owned; NULL when the field is not mapped */
	vx_feeling_scale scale;
	int has_scale;               /* 1 when feeling_scale was given */
} vx_mapping;

#define VX_MAPPING_INIT {{0}, VX_SCALE_STARS, 0}

/* Adds the items of an inline mapping to m; an item overrides an earlier
 * one for the same field. Returns 0, VX_EINVAL (unknown field, missing
 * '=', empty column, bad scale: the message says which) or VX_ENOMEM. */
int vx_mapping_parse(vx_mapping *m, const char *spec);

/* Same for a mapping file. VX_EIO when it cannot be read; VX_EINVAL
 * messages give the file's line. */
int vx_mapping_parse_file(vx_mapping *m, const char *path);

/* 1 when at least one field is mapped or the scale was given. */
int vx_mapping_any(const vx_mapping *m);

void vx_mapping_free(vx_mapping *m);

/* English name of a field as written in a mapping ("text", "id"...). */
const char *vx_role_name(vx_role r);

#endif
