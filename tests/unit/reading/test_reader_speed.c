/*
 * Reading 100,000 rows (about 45 MB) of a Services Publics+ 2025-shaped
 * export built in memory from invented French sentences. Prints the time
 * taken (no timed assertion: this also runs under sanitizers); asserts the
 * totals and a few fields. The Release-build figure is in docs/reading.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util/buf.h"
#include "voix/corpus.h"
#include "voix/error.h"
#include "voix/reader.h"

#define ROWS 100000

static const char *const sentences[] = {
	"J'ai attendu plus de deux heures au guichet sans qu'on m'explique pourquoi.",
	"L'agent a été très aimable et a pris le temps de répondre à toutes mes questions.",
	"Impossible d'obtenir un rendez-vous en ligne, le site affiche toujours une erreur.",
	"Mon dossier a été égaré deux fois ; je dois tout renvoyer par courrier.",
	("Le conseiller m\xC2\x92" "a rappelé dans la journée, c'est efficace."),
	"Personne ne décroche au téléphone, la musique d'attente tourne en boucle\xC2\x85",
	"Les délais de traitement sont beaucoup trop longs pour une simple attestation.",
	"Accueil chaleureux, démarche réglée en dix minutes, merci !",
	"On m'a demandé un \"justificatif\" que j'avais déjà fourni.",
};
static const char *const feelings[] = {"Positif", "Neutre", "Négatif"};

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void build(vx_buf *b)
{
	const size_t n_sent = sizeof sentences / sizeof *sentences;
	vx_buf_puts(b, "\xEF\xBB\xBFID expérience;Écrit le;Pseudonyme usager;Titre;Description;Ressenti usager;"
	               "Intitulé Typologie 1;Canaux Typologie 1;Intitulé structure 1;Accessibilité;"
	               "Information/Explication;Relation;Réactivité;Simplicité/Complexité\r\n");
	uint32_t x = 12345;
	for (int i = 0; i < ROWS; i++) {
		vx_buf_printf(b, "EXP%08d;%d-%02d-%02d;;Titre %d;", i, 2024 + i % 2, 1 + i % 12, 1 + i % 28, i);
		/* a description of 4 to 8 sentences, quoted (some with line breaks) */
		int n = 4 + (int)(x % 5);
		vx_buf_putc(b, '"');
		for (int k = 0; k < n; k++) {
			x = x * 1103515245u + 12345u;
			const char *s = sentences[(x >> 16) % n_sent];
			for (const char *p = s; *p; p++) {
				if (*p == '"')
					vx_buf_putc(b, '"');
				vx_buf_putc(b, *p);
			}
			vx_buf_puts(b, k == 2 && i % 4 == 0 ? "\r\n" : " ");
		}
		vx_buf_printf(b, "\";%s;CAF;Accueil,Téléphone;CAF de Nulle-Part;Positif;;;Négatif;\r\n", feelings[i % 3]);
	}
}

static void test_speed(void **state)
{
	(void)state;
	vx_buf in = VX_BUF_INIT;
	build(&in);
	vx_corpus *c = NULL;
	assert_int_equal(vx_corpus_new(&c), 0);
	double t0 = now_ms();
	int rc = vx_reader_read_buffer(c, "vitesse.csv", in.data, in.len, NULL);
	double t1 = now_ms();
	if (rc)
		fail_msg("%s", vx_error_last());
	printf("  %d rows, %.1f MB read in %.1f ms (%.0f MB/s)\n", ROWS, (double)in.len / 1e6, t1 - t0,
	       (double)in.len / 1e3 / (t1 - t0));
	const vx_source *s = vx_corpus_source(c, 0);
	assert_int_equal(s->rows_read, ROWS);
	assert_int_equal(s->rows_rejected, 0);
	assert_true(s->c1_repaired > 0);
	assert_string_equal(s->format, "sp-plus-2025");
	const vx_experience *e = vx_corpus_get(c, ROWS - 1);
	assert_string_equal(e->id, "EXP00099999");
	assert_int_equal(e->n_channels, 2);
	assert_int_equal(e->dims[VX_DIM_REACTIVITY], VX_FEELING_NEGATIVE);
	size_t quotes = 0;
	for (size_t i = 0; i < vx_corpus_count(c); i++) {
		const char *t = vx_corpus_get(c, i)->text;
		assert_null(strstr(t, "\xC2\x92")); /* C1 mapped everywhere */
		quotes += strstr(t, "un \"justificatif\"") != NULL;
	}
	assert_true(quotes > 0);
	vx_corpus_free(c);
	vx_buf_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
