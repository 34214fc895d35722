/*
 * Whole-file writes and the same-file check behind exit code 7: an output
 * is never truncated first, a failed write leaves the old file and no
 * temporary file, and two paths to one file (links, "..", a file that does
 * not exist yet) are recognised.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/file.h"
#include "voix/error.h"

typedef struct dir {
	char path[64];
} dir;

static void dir_make(dir *d)
{
	snprintf(d->path, sizeof d->path, "/tmp/vx-file-test-XXXXXX");
	assert_non_null(mkdtemp(d->path));
}

/* Removes the files the tests create, then the folder. */
static void dir_remove(dir *d)
{
	static const char *const names[] = {"a.txt", "hard.txt", "link.txt", "sub/x", "sub", "out"};
	char p[128];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", d->path, names[i]);
		if (remove(p) != 0 && rmdir(p) != 0)
			continue;
	}
	assert_int_equal(rmdir(d->path), 0); /* fails when a temporary file was left */
}

static void path_of(char *out, size_t cap, const dir *d, const char *name)
{
	snprintf(out, cap, "%s/%s", d->path, name);
}

static void test_same_file(void **state)
{
	(void)state;
	dir d;
	dir_make(&d);
	char a[128], hard[128], lnk[128], dotted[128], absent[128], absent2[128], sub[128];
	path_of(a, sizeof a, &d, "a.txt");
	path_of(hard, sizeof hard, &d, "hard.txt");
	path_of(lnk, sizeof lnk, &d, "link.txt");
	path_of(sub, sizeof sub, &d, "sub");
	snprintf(dotted, sizeof dotted, "%s/sub/../a.txt", d.path);
	path_of(absent, sizeof absent, &d, "out");
	snprintf(absent2, sizeof absent2, "%s/./sub/../out", d.path);
	assert_int_equal(vx_file_write(a, "x", 1), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(link(a, hard), 0);
	assert_int_equal(symlink(a, lnk), 0);
	assert_int_equal(vx_file_same(a, a), 1);
	assert_int_equal(vx_file_same(a, hard), 1);
	assert_int_equal(vx_file_same(lnk, a), 1);
	assert_int_equal(vx_file_same(dotted, a), 1);
	assert_int_equal(vx_file_same(absent, absent2), 1); /* neither exists yet */
	assert_int_equal(vx_file_same(a, absent), 0);
	assert_int_equal(vx_file_same(a, sub), 0);
	dir_remove(&d);
}

static void test_write_keeps_the_old_file_on_failure(void **state)
{
	(void)state;
	dir d;
	dir_make(&d);
	char a[128], missing[128], sub[128];
	path_of(a, sizeof a, &d, "a.txt");
	path_of(sub, sizeof sub, &d, "sub");
	snprintf(missing, sizeof missing, "%s/absent/note.html", d.path);
	assert_int_equal(vx_file_write(a, "old", 3), 0);
	assert_int_equal(vx_file_write(a, "new!", 4), 0);
	char *back = NULL;
	size_t len = 0;
	assert_int_equal(vx_file_read(&back, &len, a, 0), 0);
	assert_string_equal(back, "new!");
	free(back);
	/* An ordinary file's permissions, not mkstemp's 0600. */
	struct stat st;
	mode_t mask = umask(0);
	umask(mask);
	assert_int_equal(stat(a, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
	/* A missing folder: the user's path in the message, not a temporary one. */
	assert_int_equal(vx_file_write(missing, "x", 1), VX_EWRITE);
	assert_non_null(strstr(vx_error_last(), missing));
	assert_null(strstr(vx_error_last(), "voix-"));
	/* The rename fails (a folder is in the way): the folder stays, and the
	 * temporary file is removed (dir_remove checks). */
	assert_int_equal(mkdir(sub, 0700), 0);
	char x[160];
	snprintf(x, sizeof x, "%s/x", sub);
	assert_int_equal(vx_file_write(x, "keep", 4), 0);
	assert_int_equal(vx_file_write(sub, "y", 1), VX_EWRITE);
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	dir_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_file),
		cmocka_unit_test(test_write_keeps_the_old_file_on_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
