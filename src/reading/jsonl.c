/* JSON Lines helpers shared by the two readers: see jsonl.h. */
#include "reading/jsonl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reading/decode.h"
#include "voix/error.h"

int vx_jsonl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	if (k > n)
		return 0;
	for (size_t i = 0; i < k; i++) {
		char c = s[n - k + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return 0;
	}
	return 1;
}

int vx_jsonl_detect(const char *name, const char *text, size_t len)
{
	if (ends_with(name, ".jsonl") || ends_with(name, ".ndjson"))
		return 1;
	size_t k = 0;
	while (k < len && vx_jsonl_space(text[k]))
		k++;
	return k < len && text[k] == '{';
}

int vx_jsonl_keys(vx_strmap *keys, const char *name, const char *text, size_t len)
{
	int rc = 0;
	size_t objects = 0;
	for (size_t i = 0, lines = 0; i < len && lines < VX_JSONL_KEY_LINES;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		json_t *obj = json_loadb(text + i, end - i, 0, NULL);
		i = end + 1;
		lines++;
		if (obj == NULL || !json_is_object(obj)) {
			json_decref(obj);
			continue;
		}
		objects++;
		const char *key;
		json_t *v;
		json_object_foreach(obj, key, v) {
			uint32_t id;
			if (rc == 0)
				rc = vx_strmap_intern(keys, key, strlen(key), &id, NULL);
		}
		json_decref(obj);
		if (rc)
			return rc;
	}
	if (objects > 0)
		return 0;
	size_t k = 0;
	while (k < len && vx_jsonl_space(text[k]))
		k++;
	if (k == len)
		return vx_error_set(VX_EEMPTY, "%s : fichier vide", name);
	return vx_error_set(VX_EFORMAT, "%s : aucune ligne ne contient d'objet JSON ; le format JSON Lines attend un objet par ligne", name);
}

int vx_jsonl_value_text(vx_buf *b, json_t *v, int join, size_t *c1)
{
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		if (memchr(s, '\0', len) != NULL)
			return VX_EFORMAT;
		if (vx_c1_present(s, len))
			return vx_c1_repair(b, s, len, c1);
		return vx_buf_append(b, s, len);
	}
	if (join && json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			if (i && vx_buf_putc(b, ','))
				return VX_ENOMEM;
			int rc = vx_jsonl_value_text(b, x, 0, c1);
			if (rc)
				return rc;
		}
		return 0;
	}
	char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (dump == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory reading a JSON value");
	int rc = vx_buf_puts(b, dump);
	free(dump);
	return rc;
}
