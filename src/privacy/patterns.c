/*
 * Personal data found by PCRE2 patterns (JIT-compiled once per masker) and
 * checked in C: e-mail addresses, phone numbers, vehicle plates, dates of
 * birth, postal addresses and case numbers. The name triggers are compiled
 * here too and used by names.c.
 *
 * Patterns are compiled with PCRE2_MATCH_INVALID_UTF, so that text that is
 * not valid UTF-8 is searched without error (invalid bytes never match).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "privacy/detect.h"
#include "voix/error.h"

/* PCRE2's JIT scans the subject with aligned SIMD loads that may read a
 * few bytes past its end (harmless: never past the page), which valgrind
 * reports as uninitialised reads. Under valgrind the masker uses the
 * interpreter, which gives the same results. valgrind.h ships with
 * valgrind, so any machine that runs it has it. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define VX_UNDER_VALGRIND() (RUNNING_ON_VALGRIND != 0)
#endif
#endif
#ifndef VX_UNDER_VALGRIND
#define VX_UNDER_VALGRIND() 0
#endif

/* Separators inside phone numbers and plates: space, dot, dash, no-break
 * spaces. */
#define SEP "(?:[ .\\-]|\\x{a0}|\\x{202f})"
/* Separator between the pairs of a national number, the same all along:
 * also "/" and two spaces, which people use there. */
#define SEPC "(  |[ .\\-/]|\\x{a0}|\\x{202f})"

static const char *const pattern_text[VX_RE_COUNT] = {
	/* E-mail: the usual syntax, with "(at)" / "[at]" obfuscations. The
	 * top-level domain is all lower or all upper case: "fr" glued to the
	 * next sentence ("gouv.frMerci") still ends at "fr". */
	[VX_RE_EMAIL] =
		"(?<![A-Za-z0-9._%+\\-\\x{c0}-\\x{17f}])"
		"[A-Za-z0-9\\x{c0}-\\x{17f}][A-Za-z0-9._%+\\-\\x{c0}-\\x{17f}]{0,63}"
		"(?:@|\\s?[(\\[](?:at|arobase)[)\\]]\\s?)"
		"[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,62}\\.)+"
		"(?:[a-z]{2,24}(?![a-z0-9\\-])|[A-Z]{2,24}(?![A-Za-z0-9\\-]))",
	/* Phone: +33/0033 and overseas country codes with the number of digits
	 * of their plan (9 after +33, +262, +590...; 8 after +689; 6 after +508,
	 * +681, +687),
	 * or ten digits from 0, written whole, in pairs or as 4-2-2-2 (overseas
	 * "0262 12 34 56") with one consistent separator. 08 numbers (free and shared-cost service numbers) are left
	 * out here; short numbers (3939, 3949) never match. */
	[VX_RE_PHONE] =
		"(?<![0-9A-Za-z+])(?:"
		"(?:\\+|00)" SEP "?(?:(33|262|269|590|594|596)" SEP "?(?:\\(0\\)" SEP "?|0)?(\\d(?:" SEP "?\\d){8})"
		"|(689)" SEP "?(\\d(?:" SEP "?\\d){7})|(508|681|687)" SEP "?(\\d(?:" SEP "?\\d){5}))"
		"|0[1-79](?:\\d{8}|" SEPC "\\d\\d(?:\\7\\d\\d){3}|" SEP "\\d{8}"
		"|\\d\\d" SEPC "\\d\\d(?:\\8\\d\\d){2})"
		")(?![0-9])",
	/* Plates: current series AA-123-AA (no I, O, U), older 123 ABC 75. */
	[VX_RE_PLATE] =
		"(?<![0-9A-Za-z\\-])(?:"
		"[A-HJ-NP-TV-Z]{2}([ \\-]?)(\\d{3})\\1[A-HJ-NP-TV-Z]{2}"
		"|([1-9]\\d{0,3})([ \\-]?)([A-HJ-NP-Z]{1,3})\\4(\\d{2}|2[AB]|97[1-6])"
		")(?![0-9A-Za-z\\-])",
	/* Date of birth: a context ("né le", "date de naissance") then a date. */
	[VX_RE_BIRTHDATE] =
		"(?i)(?:(?<!\\p{L})n[ée]e?s?(?:\\s?\\(e\\))?\\s+(?:le\\s+)?"
		"|date\\s+de\\s+naissance\\s*(?::|est\\s+le|est|le)?\\s*"
		"|(?<!\\p{L})ddn\\s*:?\\s*|(?<!\\p{L})naissance\\s*:\\s*)"
		"(?<date>(\\d{1,2})\\s?[/.\\-]\\s?(\\d{1,2})\\s?[/.\\-]\\s?(\\d{4}|\\d{2})"
		"|(\\d{1,2}|1er)\\s+(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre"
		"|octobre|novembre|d[ée]cembre)\\s+(\\d{4})"
		"|(\\d{4})-(\\d{2})-(\\d{2}))(?!\\d)",
	/* Address: a street number, then a street type word; the street name
	 * is read in C. */
	[VX_RE_ADDRESS] =
		"(?<![0-9\\p{L},./])\\d{1,4}(?:\\s?(?:bis|ter|quater|[abcdABCD])(?![\\p{L}\\d]))?,?\\s+"
		"(?:(?<strong>(?i:rue|avenue|av\\.|bd|boulevard|blvd|all[ée]e|chemin|chem\\.|impasse|imp\\."
		"|quai|square|r[ée]sidence|lotissement|sentier|rond-point|faubourg|fbg|hameau|lieu-dit"
		"|chauss[ée]e|esplanade|promenade|parvis|mont[ée]e|ruelle))"
		"|(?<weak>(?i:place|route|cours|cit[ée]|voie|passage|villa|domaine|clos)))(?![\\p{L}\\d])",
	/* Case numbers: a context word; the number that follows is read in C. */
	[VX_RE_CASE] =
		"(?i)(?<![\\p{L}\\d])(?:allocataires?|caf|msa|dossiers?|demandes?|identifiants?|id"
		"|r[ée]f[ée]rences?|r[ée]f|matricule|inscription)(?![\\p{L}\\d])",
	/* Name triggers: civilities (group 1) and roles (group 2). */
	[VX_RE_NAME_TRIGGER] =
		"(?<![\\p{L}\\d])(?:"
		"(M\\.|Mr\\.?|MR\\.?|Mme\\.?|MME\\.?|mme\\.?|Mmes|Mlle\\.?|MLLE|Melle|Mm|Monsieur|MONSIEUR"
		"|monsieur|Madame|MADAME|madame|Mademoiselle|mademoiselle|Ma[îi]tre|Dr\\.?|Docteur|docteur)"
		"|(?i:(je\\s+m['’]\\s?appelle|s['’]\\s?appelle|l['’]\\s?agente?"
		"|(?:mon|ma|notre|votre|la|le|une?|cette|ce)\\s+"
		"(?:conseill(?:er|[eè]re|[ée]e?|ere)(?:\\s+r[ée]f[ée]rente?|\\s+emploi|\\s+indemnisation)?"
		"|r[ée]f[ée]rente?|interlocut(?:eur|rice)|agente?)))"
		")(?![\\p{L}\\d])",
	/* Closing formulas before a signature. */
	[VX_RE_SIGNOFF] =
		"(?i)(?<!\\p{L})(?:(?:bien\\s+|tr[èe]s\\s+)?cordialement|(?:sinc[èe]res\\s+)?salutations"
		"(?:\\s+distingu[ée]es)?|bien\\s+[àa]\\s+vous|respectueusement|sinc[èe]rement|amicalement"
		"|(merci)(?:\\s+(?:beaucoup|d['’]avance|par\\s+avance|encore))?)(?!\\p{L})",
};

int vx_pii_patterns_compile(vx_masker *m)
{
	for (int i = 0; i < VX_RE_COUNT; i++) {
		int err = 0;
		PCRE2_SIZE off = 0;
		m->re[i] = pcre2_compile((PCRE2_SPTR)pattern_text[i], PCRE2_ZERO_TERMINATED,
		                         PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
		if (m->re[i] == NULL) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(err, msg, sizeof msg);
			return vx_error_set(VX_EINVAL, "privacy pattern %d does not compile at offset %zu: %s", i,
			                    (size_t)off, (const char *)msg);
		}
		/* JIT is an optimisation: without it (unsupported CPU, or
		 * valgrind) the interpreter gives the same results. */
		if (!VX_UNDER_VALGRIND())
			(void)pcre2_jit_compile(m->re[i], PCRE2_JIT_COMPLETE);
	}
	m->md = pcre2_match_data_create(32, NULL);
	if (m->md == NULL)
		return vx_error_set(VX_ENOMEM, "out of memory creating PCRE2 match data");
	return 0;
}

void vx_pii_patterns_free(vx_masker *m)
{
	for (int i = 0; i < VX_RE_COUNT; i++) {
		pcre2_code_free(m->re[i]);
		m->re[i] = NULL;
	}
	pcre2_match_data_free(m->md);
	m->md = NULL;
}

/* ---- small helpers ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static size_t count_digits(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += is_digit(s[i]);
	return k;
}

static unsigned to_uint(const char *s, size_t n)
{
	unsigned v = 0;
	for (size_t i = 0; i < n && i < 9; i++)
		if (is_digit(s[i]))
			v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

/* Group g of the last match as [*s, *e); 0 when the group did not match. */
static int group_span(const vx_masker *m, unsigned g, size_t *s, size_t *e)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	*s = *e = 0;
	if (g >= pcre2_get_ovector_count(m->md) || ov[2 * g] == PCRE2_UNSET)
		return 0;
	*s = ov[2 * g];
	*e = ov[2 * g + 1];
	return 1;
}

/* ---- validators of matches ---- */

/* Long forms of public service numbers, which are not personal data
 * (France Travail's 3949 is also 09 72 72 39 49). */
static const char *const service_numbers[] = {"0972723949"};

static int phone_ok(const vx_masker *m, const char *t)
{
	size_t ds, de, s, e;
	group_span(m, 0, &s, &e);
	char d[16];
	size_t n = 0;
	for (size_t i = s; i < e && n < sizeof d - 1; i++)
		if (is_digit(t[i]))
			d[n++] = t[i];
	d[n] = '\0';
	for (size_t i = 0; i < sizeof service_numbers / sizeof service_numbers[0]; i++)
		if (strcmp(d, service_numbers[i]) == 0)
			return 0;
	/* +33 and the overseas departments: nine digits; one that starts
	 * with 8 is a service number ("+33 8 00..."), as 08 is nationally. */
	if (!group_span(m, 2, &ds, &de))
		return 1;
	return t[ds] != '8';
}

/* Acronyms of the field that have the shape of an old plate's letters. */
static const char *const plate_stop[] = {
	"AAH", "ANPE", "APL", "ARE", "ASS", "BAC", "BTS", "CAF", "CAP", "CDD", "CDI", "CPF", "CV",
	"DUT", "EUR", "GPS", "HT", "KM", "MSA", "PDF", "PPA", "RDV", "RER", "RSA", "SMS", "TGV",
	"TTC", "H", "M", "KG", "CM", "MN", "ANS", "AN", "MAX", "MIN", "ETP", "TER", "BIS",
};

static int plate_ok(const vx_masker *m, const char *t)
{
	size_t s, e;
	if (group_span(m, 2, &s, &e))
		return memcmp(t + s, "000", 3) != 0;
	size_t ds, de, ls, le;
	if (!group_span(m, 3, &ds, &de) || !group_span(m, 5, &ls, &le))
		return 0;
	size_t nl = le - ls, nd = de - ds;
	if (nl == 1 && nd < 3)
		return 0;
	for (size_t i = 0; i < sizeof plate_stop / sizeof plate_stop[0]; i++)
		if (strlen(plate_stop[i]) == nl && memcmp(plate_stop[i], t + ls, nl) == 0)
			return 0;
	return 1;
}

static int leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Earliest and latest plausible years of birth of a living user. */
#define BIRTH_YEAR_MIN 1900
#define BIRTH_YEAR_MAX 2030

static int date_ok(unsigned d, unsigned mo, unsigned y)
{
	static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return 0;
	if (mo == 2 && d == 29 && !leap(y))
		return 0;
	return y >= BIRTH_YEAR_MIN && y <= BIRTH_YEAR_MAX;
}

static unsigned month_of(const char *s, size_t n)
{
	static const char *const months[] = {"jan", "f", "mar", "av", "mai", "juin",
	                                     "juil", "ao", "sep", "oc", "no", "d"};
	char w[8];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof w - 1; i++)
		w[k++] = (char)ascii_lower((unsigned char)s[i]);
	w[k] = '\0';
	if (strncmp(w, "juil", 4) == 0)
		return 7;
	for (unsigned i = 0; i < 12; i++)
		if (strncmp(w, months[i], strlen(months[i])) == 0)
			return i + 1;
	return 0;
}

static int birthdate_ok(const vx_masker *m, const char *t)
{
	size_t s1, e1, s2, e2, s3, e3;
	unsigned d, mo, y;
	if (group_span(m, 2, &s1, &e1)) {
		group_span(m, 3, &s2, &e2);
		group_span(m, 4, &s3, &e3);
		d = to_uint(t + s1, e1 - s1);
		mo = to_uint(t + s2, e2 - s2);
		y = to_uint(t + s3, e3 - s3);
		if (e3 - s3 == 2)
			y += y <= 30 ? 2000 : 1900;
	} else if (group_span(m, 5, &s1, &e1)) {
		group_span(m, 6, &s2, &e2);
		group_span(m, 7, &s3, &e3);
		d = ascii_lower((unsigned char)t[s1 + 1]) == 'e' ? 1 : to_uint(t + s1, e1 - s1);
		mo = month_of(t + s2, e2 - s2);
		y = to_uint(t + s3, e3 - s3);
	} else if (group_span(m, 8, &s1, &e1)) {
		group_span(m, 9, &s2, &e2);
		group_span(m, 10, &s3, &e3);
		y = to_uint(t + s1, e1 - s1);
		mo = to_uint(t + s2, e2 - s2);
		d = to_uint(t + s3, e3 - s3);
	} else {
		return 0;
	}
	return date_ok(d, mo, y);
}

/* ---- addresses ---- */

static int is_particle(const char *w, size_t n)
{
	static const char *const p[] = {"de", "du", "des", "la", "le", "les", "l", "d", "au",
	                                "aux", "et", "sur", "en", "saint", "sainte", "st", "ste"};
	char low[8];
	if (n >= sizeof low)
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)ascii_lower((unsigned char)w[i]);
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		if (strlen(p[i]) == n && memcmp(p[i], low, n) == 0)
			return 1;
	return 0;
}

/* End of the word starting at i: letters, digits, inner hyphens and
 * apostrophes. */
static size_t word_end(const char *t, size_t len, size_t i)
{
	while (i < len) {
		if (vx_pii_is_letter_at(t, len, i) || is_digit(t[i])) {
			i += vx_pii_utf8_len(t, len, i);
			continue;
		}
		if ((t[i] == '-' || t[i] == '\'') && i + 1 < len && vx_pii_is_letter_at(t, len, i + 1)) {
			i++;
			continue;
		}
		if (i + 3 < len && memcmp(t + i, "\xE2\x80\x99", 3) == 0 && vx_pii_is_letter_at(t, len, i + 3)) {
			i += 3;
			continue;
		}
		break;
	}
	return i;
}

/* Postcode and town after a street: ", 75011 Paris" or " 13001 Marseille". */
static size_t postcode_town(const char *t, size_t len, size_t i)
{
	size_t k = i;
	if (k < len && t[k] == ',')
		k++;
	while (k < len && t[k] == ' ')
		k++;
	size_t ds = k;
	while (k < len && is_digit(t[k]))
		k++;
	if (k - ds != 5 || (k < len && (vx_pii_is_letter_at(t, len, k))))
		return i;
	size_t end = k;
	for (int words = 0; words < 3; words++) {
		size_t w = end;
		while (w < len && t[w] == ' ')
			w++;
		if (w >= len || !vx_pii_is_upper_at(t, len, w))
			break;
		size_t we = word_end(t, len, w);
		if (vx_pii_is_name_stopword(t + w, we - w))
			break;
		end = we;
	}
	return end;
}

/*
 * The street name after the type word: particles and words up to the first
 * punctuation. After a type word that is also a common noun ("place",
 * "route", "cours"...) the name must start with a capital letter; after an
 * unambiguous one ("rue", "avenue") lower-case names count too, because
 * people write "12 rue de la paix".
 */
static size_t street_end(const char *t, size_t len, size_t i, int strong)
{
	size_t end = i, k = i;
	int words = 0, named = 0;
	while (words < 6) {
		size_t w = k;
		while (w < len && t[w] == ' ')
			w++;
		if (w == k || w >= len)
			break;
		size_t we = word_end(t, len, w);
		if (we == w)
			break;
		int particle = is_particle(t + w, we - w);
		/* "l'", "d'" glued to the next word */
		if (we < len && (t[we] == '\'' || (we + 2 < len && memcmp(t + we, "\xE2\x80\x99", 3) == 0)))
			particle = 1;
		int upper = vx_pii_is_upper_at(t, len, w) || is_digit(t[w]);
		if (!particle) {
			if (!upper && (!strong || named))
				break;
			if (upper && vx_pii_is_name_stopword(t + w, we - w) && named)
				break;
			named = 1;
			end = we;
		}
		k = we;
		words++;
	}
	return named ? postcode_town(t, len, end) : i;
}

static int add_address(vx_masker *m, const char *t, size_t len)
{
	size_t s, e, ts, te;
	group_span(m, 0, &s, &e);
	/* group 1: a type word that names only streets; group 2: one that is
	 * also a common noun */
	int strong = group_span(m, 1, &ts, &te);
	if (!strong && !group_span(m, 2, &ts, &te))
		return 0;
	size_t end = street_end(t, len, te, strong);
	if (end == te)
		return 0;
	return vx_pii_cand_add(m, s, end, VX_PII_ADDRESS, -1);
}

/* ---- case numbers ---- */

/* Units after which a number is an amount or a quantity, not a case. */
static int unit_follows(const char *t, size_t len, size_t i)
{
	while (i < len && t[i] == ' ')
		i++;
	static const char *const units[] = {"€", "eur", "euro", "euros", "km", "%", "h", "min", "jours", "mois", "ans"};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
		size_t n = strlen(units[k]);
		if (i + n <= len && strncasecmp(t + i, units[k], n) == 0 &&
		    (i + n == len || !vx_pii_is_letter_at(t, len, i + n)))
			return 1;
	}
	return 0;
}

/* A case number has at least 6 digits (CAF allocataire numbers have 7),
 * or 4 digits and a letter (France Travail identifiers: 7 digits and a
 * letter): shorter numbers near "dossier" or "demande" are counts, years
 * and postcodes. */
#define CASE_MIN_DIGITS 6
#define CASE_MIN_DIGITS_MIXED 4
/* Maximum distance in bytes between the context word and the number. */
#define CASE_WINDOW 48

static int add_case(vx_masker *m, const char *t, size_t len)
{
	size_t s, e;
	group_span(m, 0, &s, &e);
	size_t limit = e + CASE_WINDOW < len ? e + CASE_WINDOW : len;
	size_t i = e;
	while (i < limit) {
		char c = t[i];
		if (c == '\n' || c == '!' || c == '?' || (c == '.' && (i + 1 >= len || t[i + 1] == ' ')))
			return 0;
		if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
			i += vx_pii_utf8_len(t, len, i);
			continue;
		}
		size_t w = i;
		while (i < len && (is_digit(t[i]) || (t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z') ||
		                   ((t[i] == '-' || t[i] == '/') && i + 1 < len && is_digit(t[i + 1]))))
			i++;
		/* "n°", "no" and other short words are skipped. */
		size_t nd = count_digits(t + w, i - w);
		if (nd == 0) {
			if (i < len && (unsigned char)t[i] >= 0x80 && !vx_pii_is_letter_at(t, len, i))
				i += vx_pii_utf8_len(t, len, i);
			continue;
		}
		if (i < len && vx_pii_is_letter_at(t, len, i))
			return 0; /* glued to a non-ASCII letter: a word, not a number */
		int letters = 0, slash = 0;
		for (size_t k = w; k < i; k++) {
			letters |= (t[k] >= 'A' && t[k] <= 'Z') || (t[k] >= 'a' && t[k] <= 'z');
			slash += t[k] == '/' || t[k] == '-';
		}
		if (nd < CASE_MIN_DIGITS && !(letters && nd >= CASE_MIN_DIGITS_MIXED))
			return 0;
		/* times (14h30) and phone numbers have detectors of their own */
		if (letters && nd == i - w - 1 && (t[w + 1] == 'h' || t[w + 2] == 'h'))
			return 0;
		if (nd == 10 && t[w] == '0' && !letters)
			return 0;
		/* Dates (12/03/2023, 2023-03-12) and year ranges are not cases. */
		if (slash >= 1 && nd <= 8 && !letters) {
			unsigned first = to_uint(t + w, 2);
			if (slash == 2 || (nd == 8 && (first == 19 || first == 20)))
				return 0;
		}
		if (unit_follows(t, len, i))
			return 0;
		return vx_pii_cand_add(m, w, i, VX_PII_CASE, -1);
	}
	return 0;
}

/* ---- driver ---- */

static int run(vx_masker *m, int which, const char *text, size_t len)
{
	pcre2_code *re = m->re[which];
	size_t off = 0;
	while (off <= len) {
		int r = pcre2_match(re, (PCRE2_SPTR)text, len, off, 0, m->md, NULL);
		if (r == PCRE2_ERROR_NOMATCH)
			return 0;
		if (r < 0) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(r, msg, sizeof msg);
			return vx_error_set(VX_EINVAL, "privacy pattern %d failed at byte %zu: %s", which, off,
			                    (const char *)msg);
		}
		size_t s, e;
		group_span(m, 0, &s, &e);
		int rc = 0;
		switch (which) {
		case VX_RE_EMAIL: rc = vx_pii_cand_add(m, s, e, VX_PII_EMAIL, -1); break;
		case VX_RE_PHONE:
			if (phone_ok(m, text))
				rc = vx_pii_cand_add(m, s, e, VX_PII_PHONE, -1);
			break;
		case VX_RE_PLATE:
			if (plate_ok(m, text))
				rc = vx_pii_cand_add(m, s, e, VX_PII_PLATE, -1);
			break;
		case VX_RE_BIRTHDATE:
			if (birthdate_ok(m, text)) {
				size_t ds, de;
				group_span(m, 1, &ds, &de);
				rc = vx_pii_cand_add(m, ds, de, VX_PII_BIRTHDATE, -1);
			}
			break;
		case VX_RE_ADDRESS: rc = add_address(m, text, len); break;
		case VX_RE_CASE: rc = add_case(m, text, len); break;
		default: break;
		}
		if (rc)
			return rc;
		off = e > s ? e : e + 1;
		/* never resume inside a UTF-8 sequence */
		while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
			off++;
	}
	return 0;
}

/* 1 when text holds any of the bytes or strings that an e-mail needs. */
static int may_hold_email(const char *text, size_t len)
{
	if (memchr(text, '@', len) != NULL)
		return 1;
	for (size_t i = 0; i + 3 < len; i++)
		if ((text[i] == '(' || text[i] == '[') && (text[i + 1] == 'a' || text[i + 1] == 'A'))
			return 1;
	return 0;
}

static int any_digit(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] >= '0' && text[i] <= '9')
			return 1;
	return 0;
}

int vx_pii_find_patterns(vx_masker *m, const char *text, size_t len)
{
	/* Most texts hold no "@" and many no digit at all: every pattern but
	 * the e-mail one needs a digit, so one cheap pass skips them. */
	int rc = 0;
	if (may_hold_email(text, len))
		rc = run(m, VX_RE_EMAIL, text, len);
	if (rc || !any_digit(text, len))
		return rc;
	static const int order[] = {VX_RE_PHONE, VX_RE_PLATE, VX_RE_BIRTHDATE, VX_RE_ADDRESS, VX_RE_CASE};
	for (size_t i = 0; i < sizeof order / sizeof order[0] && rc == 0; i++)
		rc = run(m, order[i], text, len);
	return rc;
}
