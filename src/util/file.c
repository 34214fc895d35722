/* realpath() is an X/Open function. */
#define _XOPEN_SOURCE 700

#include "util/file.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "util/mem.h"
#include "voix/error.h"

int vx_file_read(char **out, size_t *len, const char *path, size_t max)
{
	int rc = 0;
	char *data = NULL;
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return vx_error_set(VX_EIO, "%s : ouverture impossible : %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = vx_error_set(VX_EIO, "%s : ce n'est pas un fichier ordinaire", path);
		goto done;
	}
	size_t size = (size_t)st.st_size;
	if (max && size > max) {
		rc = vx_error_set(VX_ETOOBIG, "%s : le fichier fait %zu octets, la limite est de %zu", path, size, max);
		goto done;
	}
	/* In huge pages when large: a 45 MB export through 4 KiB pages cost
	 * more page faults than parsing it (util/mem.h). */
	data = vx_mem_alloc_huge(size + 1);
	if (data == NULL) {
		rc = vx_error_set(VX_ENOMEM, "%s: out of memory reading %zu bytes", path, size);
		goto done;
	}
	size_t got = size ? fread(data, 1, size, f) : 0;
	if (got != size || ferror(f)) {
		rc = vx_error_set(VX_EIO, "%s : %zu octets lus sur %zu", path, got, size);
		goto done;
	}
	data[size] = '\0';
	*out = data;
	*len = size;
	data = NULL;
done:
	free(data);
	fclose(f);
	return rc;
}

/* Suffix of the temporary file an output is written to before it takes the
 * output's name; mkstemp fills in the six X. */
#define TMP_SUFFIX ".voix-XXXXXX"

int vx_file_write(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	int n = snprintf(tmp, sizeof tmp, "%s" TMP_SUFFIX, path);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return vx_error_set(VX_EWRITE, "%s : chemin de sortie trop long", path);
	/* A fresh temporary file next to the output, renamed over it once
	 * complete: the output is never truncated first, and a failure leaves
	 * it as it was. Errors name the user's path, not the temporary one. */
	int fd = mkstemp(tmp);
	if (fd < 0)
		return vx_error_set(VX_EWRITE, "%s : création impossible : %s", path, strerror(errno));
	/* mkstemp creates the file 0600; an output is an ordinary file. */
	mode_t mask = umask(0);
	umask(mask);
	int err = fchmod(fd, 0666 & ~mask) != 0 ? errno : 0;
	FILE *f = err ? NULL : fdopen(fd, "wb");
	if (f == NULL) {
		err = err ? err : errno;
		close(fd);
		remove(tmp);
		return vx_error_set(VX_EWRITE, "%s : création impossible : %s", path, strerror(err));
	}
	size_t put = len ? fwrite(data, 1, len, f) : 0;
	/* Synced before the rename: after a power cut the output is either
	 * the old file or the whole new one, never a truncated one. */
	err = put != len || fflush(f) != 0 || fsync(fileno(f)) != 0 ? errno : 0;
	if (fclose(f) != 0 && err == 0)
		err = errno ? errno : EIO;
	if (put != len && err == 0)
		err = EIO;
	if (err) {
		remove(tmp);
		return vx_error_set(VX_EWRITE, "%s : échec de l'écriture : %s (le fichier n'a pas été modifié)", path,
		                    strerror(err));
	}
	if (rename(tmp, path) != 0) {
		err = errno;
		remove(tmp);
		return vx_error_set(VX_EWRITE, "%s : écriture impossible : %s", path, strerror(err));
	}
	return 0;
}

/* The absolute path of p with its folder resolved (symbolic links, "." and
 * ".."), into out; the last component is kept as written. 0 on success. */
static int resolve_parent(char *out, size_t cap, const char *p)
{
	const char *slash = strrchr(p, '/');
	char dir[PATH_MAX], real[PATH_MAX];
	const char *base = slash ? slash + 1 : p;
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == p)
		snprintf(dir, sizeof dir, "/");
	else if ((size_t)(slash - p) < sizeof dir)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - p), p);
	else
		return -1;
	if (realpath(dir, real) == NULL)
		return -1;
	int n = snprintf(out, cap, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int vx_file_same(const char *a, const char *b)
{
	struct stat sa, sb;
	int has_a = stat(a, &sa) == 0, has_b = stat(b, &sb) == 0;
	if (has_a && has_b)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	if (has_a != has_b)
		return 0;
	/* Neither exists yet: both may be created by the command, so compare
	 * the paths they would be created at. */
	char ra[PATH_MAX], rb[PATH_MAX];
	if (resolve_parent(ra, sizeof ra, a) != 0 || resolve_parent(rb, sizeof rb, b) != 0)
		return strcmp(a, b) == 0;
	return strcmp(ra, rb) == 0;
}

void vx_sha256_hex(char hex[65], const void *data, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

unsigned long long vx_hash64(const void *data, size_t len)
{
	return (unsigned long long)XXH3_64bits(data, len);
}
