/*
 * What the servers of one database share (voix/accounts.h): sessions,
 * attempt counters and secrets, through two connections to one file as
 * two servers would use it. Times are given, not read from the clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store_fixture.h"
#include "voix/accounts.h"
#include "voix/error.h"

/* A made-up moment (2024-01-01T00:00:00Z). */
#define T0 1704067200LL

typedef struct two {
	tmpdb t;
	vx_store *a, *b;
} two;

static int setup(void **state)
{
	two *w = calloc(1, sizeof *w);
	tmpdb_make(&w->t);
	assert_int_equal(vx_store_open(&w->a, w->t.path), 0);
	assert_int_equal(vx_store_open(&w->b, w->t.path), 0);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	two *w = *state;
	vx_store_free(w->a);
	vx_store_free(w->b);
	tmpdb_remove(&w->t);
	free(w);
	return 0;
}

static void test_session_shared(void **state)
{
	two *w = *state;
	vx_store_session made, found;
	assert_int_equal(vx_store_session_create(w->a, "ana", VX_ROLE_ANALYST, T0, T0 + 3600, 100, &made), 0);
	assert_int_equal(strlen(made.id), VX_SESSION_ID_LEN);
	assert_int_equal(strlen(made.csrf), VX_SESSION_ID_LEN);
	assert_string_not_equal(made.id, made.csrf);
	/* The other connection finds it, with its token and role. */
	assert_int_equal(vx_store_session_find(w->b, made.id, T0 + 10, &found), 0);
	assert_string_equal(found.id, made.id);
	assert_string_equal(found.csrf, made.csrf);
	assert_string_equal(found.user, "ana");
	assert_int_equal(found.role, VX_ROLE_ANALYST);
	assert_int_equal(found.expires, T0 + 3600);
	/* Not after it expires; not once ended on the other connection. */
	assert_int_equal(vx_store_session_find(w->b, made.id, T0 + 3600, &found), VX_ENOTFOUND);
	assert_int_equal(vx_store_session_end(w->b, made.id), 0);
	assert_int_equal(vx_store_session_find(w->a, made.id, T0 + 10, &found), VX_ENOTFOUND);
	/* A login form's session has no user and no role. */
	assert_int_equal(vx_store_session_create(w->a, NULL, VX_ROLE_ADMIN, T0, T0 + 60, 100, &made), 0);
	assert_int_equal(vx_store_session_find(w->b, made.id, T0, &found), 0);
	assert_string_equal(found.user, "");
	assert_int_equal(found.role, VX_ROLE_NONE);
}

static void test_session_ids_checked(void **state)
{
	two *w = *state;
	vx_store_session found;
	static const char *const wrong[] = {NULL, "", "abc", "ZZ0000000000000000000000000000000000000000000000000000000000000000",
	                                    "' OR 1=1 --"};
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		assert_int_equal(vx_store_session_find(w->a, wrong[i], T0, &found), VX_ENOTFOUND);
		assert_int_equal(vx_store_session_end(w->a, wrong[i]), 0);
	}
}

static void test_sessions_bounded(void **state)
{
	two *w = *state;
	vx_store_session s[5], found;
	/* Five sessions, kept at most three: the two that expire first go. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(vx_store_session_create(w->a, "ana", VX_ROLE_READER, T0, T0 + 100 + i, 3, &s[i]), 0);
	assert_int_equal(vx_store_session_find(w->b, s[0].id, T0, &found), VX_ENOTFOUND);
	assert_int_equal(vx_store_session_find(w->b, s[1].id, T0, &found), VX_ENOTFOUND);
	for (int i = 2; i < 5; i++)
		assert_int_equal(vx_store_session_find(w->b, s[i].id, T0, &found), 0);
	/* A session made once the others expired removes them. */
	assert_int_equal(vx_store_session_create(w->a, "ana", VX_ROLE_READER, T0 + 200, T0 + 300, 3, &s[0]), 0);
	assert_int_equal(vx_store_session_find(w->b, s[4].id, T0, &found), VX_ENOTFOUND);
}

static void test_limit_over_two_connections(void **state)
{
	two *w = *state;
	long long wait = 0;
	/* Three in 600 s, counted over both connections. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(vx_store_limit_take(i % 2 ? w->a : w->b, VX_LIMIT_FORM, "192.0.2.1", T0 + i, 600, 3, &wait), 0);
		assert_int_equal(wait, 0);
	}
	assert_int_equal(vx_store_limit_take(w->a, VX_LIMIT_FORM, "192.0.2.1", T0 + 100, 600, 3, &wait), 0);
	assert_int_equal(wait, 500);
	/* Another address, and the same name for logins, are counted apart. */
	assert_int_equal(vx_store_limit_take(w->a, VX_LIMIT_FORM, "192.0.2.2", T0 + 100, 600, 3, &wait), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(vx_store_limit_take(w->a, VX_LIMIT_LOGIN, "192.0.2.1", T0 + 100, 600, 3, &wait), 0);
	assert_int_equal(wait, 0);
	/* The window over, the count starts again. */
	assert_int_equal(vx_store_limit_take(w->b, VX_LIMIT_FORM, "192.0.2.1", T0 + 600, 600, 3, &wait), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(vx_store_limit_take(w->b, VX_LIMIT_FORM, "192.0.2.1", T0 + 601, 600, 3, &wait), 0);
	assert_int_equal(vx_store_limit_take(w->b, VX_LIMIT_FORM, "192.0.2.1", T0 + 602, 600, 3, &wait), 0);
	assert_int_equal(vx_store_limit_take(w->b, VX_LIMIT_FORM, "192.0.2.1", T0 + 603, 600, 3, &wait), 0);
	assert_int_equal(wait, 597);
	/* Cleared: free again. */
	assert_int_equal(vx_store_limit_clear(w->a, VX_LIMIT_FORM, "192.0.2.1"), 0);
	assert_int_equal(vx_store_limit_take(w->b, VX_LIMIT_FORM, "192.0.2.1", T0 + 604, 600, 3, &wait), 0);
	assert_int_equal(wait, 0);
	assert_int_equal(vx_store_limit_take(w->b, (vx_limit)7, "x", T0, 600, 3, &wait), VX_EINVAL);
}

static void test_secret_made_once(void **state)
{
	two *w = *state;
	unsigned char a[32], b[32], other[32], longer[48];
	assert_int_equal(vx_store_secret(w->a, "clé", a, sizeof a), 0);
	assert_int_equal(vx_store_secret(w->b, "clé", b, sizeof b), 0);
	assert_memory_equal(a, b, sizeof a);
	assert_int_equal(vx_store_secret(w->b, "autre", other, sizeof other), 0);
	assert_memory_not_equal(a, other, sizeof a);
	assert_int_equal(vx_store_secret(w->a, "clé", longer, sizeof longer), VX_EFORMAT);
	assert_int_equal(vx_store_secret(w->a, "clé", longer, 0), VX_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_ids_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_over_two_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_made_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
