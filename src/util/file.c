#include "util/file.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "voix/error.h"

int vx_file_read(char **out, size_t *len, const char *path, size_t max)
{
	int rc = 0;
	char *data = NULL;
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return vx_error_set(VX_EIO, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = vx_error_set(VX_EIO, "%s: not a regular file", path);
		goto done;
	}
	size_t size = (size_t)st.st_size;
	if (max && size > max) {
		rc = vx_error_set(VX_ETOOBIG, "%s: file is %zu bytes, the limit is %zu", path, size, max);
		goto done;
	}
	data = malloc(size + 1);
	if (data == NULL) {
		rc = vx_error_set(VX_ENOMEM, "%s: out of memory reading %zu bytes", path, size);
		goto done;
	}
	size_t got = size ? fread(data, 1, size, f) : 0;
	if (got != size || ferror(f)) {
		rc = vx_error_set(VX_EIO, "%s: read %zu of %zu bytes", path, got, size);
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

int vx_file_write(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	int n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return vx_error_set(VX_EINVAL, "output path too long");
	FILE *f = fopen(tmp, "wb");
	if (f == NULL)
		return vx_error_set(VX_EIO, "%s: cannot create: %s", tmp, strerror(errno));
	size_t put = len ? fwrite(data, 1, len, f) : 0;
	int bad = put != len || fflush(f) != 0;
	if (fclose(f) != 0)
		bad = 1;
	if (bad) {
		remove(tmp);
		return vx_error_set(VX_EIO, "%s: write failed", path);
	}
	if (rename(tmp, path) != 0) {
		remove(tmp);
		return vx_error_set(VX_EIO, "%s: cannot write: %s", path, strerror(errno));
	}
	return 0;
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
