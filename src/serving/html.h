/*
 * HTML output of the dashboard: escaping for text and attribute values,
 * and the page frame (skip link, navigation, French, the theme's style
 * sheet). Every user-supplied text goes through vx_html_text().
 */
#ifndef VX_SERVING_HTML_H
#define VX_SERVING_HTML_H

#include <stddef.h>

#include "util/buf.h"

/* Appends s[0..len) with & < > " ' written as entities: safe in text and
 * in a double- or single-quoted attribute value. Errors: those of
 * vx_buf_append. */
int vx_html_text(vx_buf *b, const char *s, size_t len);

/* Same, for a NUL-terminated s (NULL is ""). */
int vx_html_puts(vx_buf *b, const char *s);

/* Appends s percent-encoded for a query string value. */
int vx_html_url(vx_buf *b, const char *s);

/* The page up to the opening of <main>: title (escaped), the signed-in
 * user (NULL: no navigation) with a sign-out form carrying csrf; the
 * links an analyst and an administrator may follow. */
int vx_html_begin(vx_buf *b, const char *title, const char *user, const char *csrf, int analyst, int admin);

/* Closes <main> and the page. */
int vx_html_end(vx_buf *b);

/* A labelled select (id, name) of the feelings a note may be filtered by,
 * "tous" first (the value ""), then positif, neutre, négatif by their keys;
 * value (the query's, any spelling vx_feeling_from_name reads) is selected.
 * Wrapped in a <div> like the filters' other fields. */
int vx_feeling_select(vx_buf *b, const char *id, const char *name, const char *label, const char *value);

/* The style sheet of a theme ("neutre" or "dsfr"). */
const char *vx_html_css(int dsfr);

#endif
