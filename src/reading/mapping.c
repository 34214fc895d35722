/*
 * Column mappings. See mapping.h.
 */
#include "reading/mapping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/file.h"
#include "util/fold.h"
#include "voix/error.h"

static const char *const role_names[VX_ROLE_COUNT] = {
	"text", "id", "date", "feeling", "title", "service", "structure", "channels", "department", "reply",
};

/* Accepted spellings of each field, folded. */
static const struct {
	const char *key;
	int role; /* a vx_role, or -1 for feeling_scale */
} keys[] = {
	{"text", VX_ROLE_TEXT},          {"texte", VX_ROLE_TEXT},
	{"id", VX_ROLE_ID},              {"date", VX_ROLE_DATE},
	{"feeling", VX_ROLE_FEELING},    {"ressenti", VX_ROLE_FEELING},
	{"title", VX_ROLE_TITLE},        {"titre", VX_ROLE_TITLE},
	{"service", VX_ROLE_SERVICE},    {"structure", VX_ROLE_STRUCTURE},
	{"channels", VX_ROLE_CHANNELS},  {"canaux", VX_ROLE_CHANNELS},
	{"department", VX_ROLE_DEPARTMENT}, {"departement", VX_ROLE_DEPARTMENT},
	{"reply", VX_ROLE_REPLY},        {"reponse", VX_ROLE_REPLY},
	{"feeling_scale", -1},           {"scale", -1},
};

const char *vx_role_name(vx_role r)
{
	return r < VX_ROLE_COUNT ? role_names[r] : "";
}

void vx_mapping_free(vx_mapping *m)
{
	if (m == NULL)
		return;
	for (int r = 0; r < VX_ROLE_COUNT; r++) {
		free(m->column[r]);
		m->column[r] = NULL;
	}
}

int vx_mapping_any(const vx_mapping *m)
{
	if (m->has_scale)
		return 1;
	for (int r = 0; r < VX_ROLE_COUNT; r++)
		if (m->column[r])
			return 1;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Sets one item; key and value are trimmed, value already unquoted. */
static int set_item(vx_mapping *m, const char *key, size_t klen, const char *value, size_t vlen,
                    const char *where)
{
	char folded[64];
	int n = klen < 32 ? vx_fold_label(folded, sizeof folded, key, klen) : -1;
	int role = -2;
	for (size_t k = 0; n >= 0 && k < sizeof keys / sizeof *keys; k++)
		if (strcmp(folded, keys[k].key) == 0)
			role = keys[k].role;
	if (role == -2)
		return vx_error_set(VX_EINVAL,
		                    "%s : champ « %.*s » inconnu dans la correspondance ; champs connus : text, id, date, feeling, "
		                    "title, service, structure, channels, department, reply, feeling_scale",
		                    where, (int)(klen < 64 ? klen : 64), key);
	if (vlen == 0)
		return vx_error_set(VX_EINVAL, "%s : la correspondance ne donne aucune colonne pour « %s »", where,
		                    role >= 0 ? role_names[role] : "feeling_scale");
	if (role == -1) {
		char v[16];
		int nv = vlen < 8 ? vx_fold_label(v, sizeof v, value, vlen) : -1;
		if (nv >= 0 && strcmp(v, "stars") == 0)
			m->scale = VX_SCALE_STARS;
		else if (nv >= 0 && strcmp(v, "binary") == 0)
			m->scale = VX_SCALE_BINARY;
		else
			return vx_error_set(VX_EINVAL, "%s : feeling_scale vaut « stars » (1 à 5) ou « binary » (0/1)",
			                    where);
		m->has_scale = 1;
		return 0;
	}
	char *col = malloc(vlen + 1);
	if (col == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading a mapping");
	memcpy(col, value, vlen);
	col[vlen] = '\0';
	free(m->column[role]);
	m->column[role] = col;
	return 0;
}

/*
 * Parses "key=value" at s[*i] up to an unquoted stop byte (',' for inline
 * mappings, none for a file line) or the end. The value may be quoted.
 */
static int parse_item(vx_mapping *m, const char *s, size_t len, size_t *i, char stop, const char *where)
{
	int rc = 0;
	vx_buf val = VX_BUF_INIT;
	size_t k0 = *i;
	while (*i < len && s[*i] != '=' && s[*i] != stop)
		(*i)++;
	if (*i >= len || s[*i] != '=') {
		size_t a = k0, b = *i;
		while (a < b && is_blank(s[a]))
			a++;
		while (b > a && is_blank(s[b - 1]))
			b--;
		if (a == b)
			return 0; /* an empty item: ",," or a blank line */
		return vx_error_set(VX_EINVAL, "%s : « %.*s » n'a pas de « = » dans la correspondance (écrivez champ=colonne)", where,
		                    (int)(b - a < 64 ? b - a : 64), s + a);
	}
	size_t k1 = *i;
	while (k0 < k1 && is_blank(s[k0]))
		k0++;
	while (k1 > k0 && is_blank(s[k1 - 1]))
		k1--;
	(*i)++;
	while (*i < len && is_blank(s[*i]) && s[*i] != stop)
		(*i)++;
	if (*i < len && s[*i] == '"') {
		(*i)++;
		for (;;) {
			if (*i >= len) {
				rc = vx_error_set(VX_EINVAL, "%s : un nom de colonne entre guillemets n'est pas fermé dans la correspondance", where);
				goto done;
			}
			if (s[*i] == '"') {
				if (*i + 1 < len && s[*i + 1] == '"') {
					rc = vx_buf_putc(&val, '"');
					*i += 2;
				} else {
					(*i)++;
					break;
				}
			} else {
				rc = vx_buf_putc(&val, s[(*i)++]);
			}
			if (rc)
				goto done;
		}
		while (*i < len && is_blank(s[*i]))
			(*i)++;
		if (*i < len && s[*i] != stop) {
			rc = vx_error_set(VX_EINVAL, "%s : texte inattendu après un nom de colonne entre guillemets dans la correspondance", where);
			goto done;
		}
	} else {
		size_t v0 = *i;
		while (*i < len && s[*i] != stop)
			(*i)++;
		size_t v1 = *i;
		while (v1 > v0 && is_blank(s[v1 - 1]))
			v1--;
		rc = vx_buf_append(&val, s + v0, v1 - v0);
		if (rc)
			goto done;
	}
	rc = set_item(m, s + k0, k1 - k0, val.data ? val.data : "", val.len, where);
done:
	vx_buf_free(&val);
	return rc;
}

int vx_mapping_parse(vx_mapping *m, const char *spec)
{
	if (spec == NULL)
		return 0;
	size_t len = strlen(spec), i = 0;
	while (i < len) {
		int rc = parse_item(m, spec, len, &i, ',', "--map");
		if (rc)
			return rc;
		if (i < len && spec[i] == ',')
			i++;
	}
	return 0;
}

int vx_mapping_parse_file(vx_mapping *m, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	/* A mapping file is a few lines; anything bigger is a wrong path. */
	int rc = vx_file_read(&data, &len, path, 1u << 20);
	if (rc)
		return rc;
	size_t i = 0;
	unsigned line = 1;
	while (i < len && rc == 0) {
		size_t eol = i;
		while (eol < len && data[eol] != '\n')
			eol++;
		size_t a = i;
		while (a < eol && is_blank(data[a]))
			a++;
		if (a < eol && data[a] != '#') {
			char where[4200];
			snprintf(where, sizeof where, "%s:%u", path, line);
			size_t j = a;
			rc = parse_item(m, data, eol, &j, '\0', where);
		}
		i = eol + 1;
		line++;
	}
	free(data);
	return rc;
}
