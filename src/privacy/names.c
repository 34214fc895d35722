/*
 * Person names. A name is masked only where the text says a person follows:
 *  - after a civility (M., Mme, Mlle, Monsieur, Madame, Maître, Dr...);
 *  - after a role: "mon conseiller", "ma conseillère", "l'agent(e)",
 *    "je m'appelle", "s'appelle" (with "(" or ":" allowed in between);
 *  - in a signature: one to three capitalised words that end the text after
 *    a closing formula ("Cordialement,", "Bien à vous", "Merci" + new line).
 * The name is the run of capitalised or upper-case words, initials ("R.",
 * "S...") and particles ("de", "Le", "d'") that follows, and it stops at a
 * common word, a title or an institution: "Monsieur le Maire", "Madame la
 * Préfète" and "ma conseillère Pôle emploi" keep every word.
 */
#include <string.h>

#include "privacy/detect.h"

/* ---- UTF-8 helpers (Latin letters are all French names need) ---- */

size_t vx_pii_utf8_len(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
	if (i + n > len)
		return 1;
	for (size_t k = 1; k < n; k++)
		if (((unsigned char)s[i + k] & 0xC0) != 0x80)
			return 1;
	return n;
}

int vx_pii_is_upper_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (c >= 'A' && c <= 'Z')
		return 1;
	if (i + 1 >= len)
		return 0;
	unsigned char d = (unsigned char)s[i + 1];
	if (c == 0xC3)
		return d >= 0x80 && d <= 0x9E && d != 0x97; /* À..Þ except × */
	if (c == 0xC5)
		return d == 0x92 || d == 0xA0 || d == 0xBD; /* Œ Š Ž */
	return 0;
}

int vx_pii_is_letter_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return 1;
	if (i + 1 >= len)
		return 0;
	unsigned char d = (unsigned char)s[i + 1];
	if (c == 0xC3)
		return d >= 0x80 && d <= 0xBF && d != 0x97 && d != 0xB7;
	return (c == 0xC4 || c == 0xC5) && d >= 0x80 && d <= 0xBF;
}

/* ---- word lists ---- */

/* Folded form of a short word: ASCII lower case, Latin-1 accents removed,
 * apostrophes and hyphens kept. Returns the length or 0 when the word is too
 * long for any list. */
#define FOLD_MAX 24
static size_t fold_word(char out[FOLD_MAX], const char *w, size_t n)
{
	/* base letters of U+00C0..U+00FF */
	static const char latin1[] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
	                             "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		if (o + 2 >= FOLD_MAX)
			return 0;
		if (c == 0xC3 && i + 1 < n) {
			unsigned char d = (unsigned char)w[++i];
			if (d >= 0x80 && d <= 0xBF)
				out[o++] = latin1[d - 0x80];
			continue;
		}
		if (c == 0xC5 && i + 1 < n && ((unsigned char)w[i + 1] == 0x92 || (unsigned char)w[i + 1] == 0x93)) {
			out[o++] = 'o';
			out[o++] = 'e';
			i++;
			continue;
		}
		if (c == 0xE2 && i + 2 < n && (unsigned char)w[i + 1] == 0x80 && (unsigned char)w[i + 2] == 0x99) {
			out[o++] = '\'';
			i += 2;
			continue;
		}
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	return o;
}

/* Words that are never a name after a civility or a role: function words
 * and sentence starters, civilities, titles, institutions, months, days,
 * and the adjectives people put after "Madame" in reviews. Folded form. */
static const char *const stopwords[] = {
	/* articles, pronouns, prepositions, conjunctions */
	"a", "au", "aux", "avec", "c", "ca", "car", "ce", "ceci", "cela", "celle", "celui", "ces", "cet",
	"cette", "chez", "comme", "contre", "d", "dans", "de", "des", "donc", "dont", "du", "elle",
	"elles", "en", "entre", "et", "eux", "il", "ils", "j", "je", "l", "la", "le", "les", "leur",
	"leurs", "lui", "m", "ma", "mais", "me", "mes", "moi", "mon", "n", "ne", "ni", "nos", "notre",
	"nous", "on", "or", "ou", "par", "pour", "qu", "quand", "que", "quel", "quelle", "quels",
	"quelles", "qui", "quoi", "s", "sa", "sans", "se", "ses", "si", "son", "sous", "sur", "t", "ta",
	"te", "tes", "toi", "ton", "tu", "un", "une", "vers", "vos", "votre", "vous", "y", "the", "and",
	"of", "to", "i", "you", "he", "she", "we", "they", "it", "is", "was", "my", "your", "his", "her",
	/* frequent verbs and adverbs that start a sentence */
	"est", "etait", "ai", "as", "avait", "avons", "avez", "ont", "suis", "sont", "fait", "faut",
	"voila", "voici", "merci", "mercii", "bonjour", "bonsoir", "salut", "cordialement", "bravo",
	"super", "top", "excellent", "excellente", "parfait", "parfaite", "genial", "geniale", "tres",
	"trop", "tout", "toute", "tous", "toutes", "encore", "aussi", "bien", "bon", "bonne", "mauvais",
	"mauvaise", "oui", "non", "ok", "pas", "plus", "moins", "jamais", "rien", "personne",
	"ensuite", "depuis", "apres", "avant", "enfin", "aujourd'hui", "aujourd", "hier", "demain",
	"maintenant", "pourtant", "cependant", "bref", "sinon", "heureusement", "malheureusement",
	"franchement", "vraiment", "dommage", "pourquoi", "comment", "puis", "alors", "donc", "deja",
	"toujours", "souvent", "parfois", "jamais", "seulement", "surtout", "egalement", "meme",
	"autre", "autres", "certaine", "certain", "certaines", "certains", "chaque", "plusieurs",
	"nul", "nulle", "honte", "scandale", "incroyable", "attention", "fuyez", "bof", "pire",
	/* adjectives that follow "Madame" or "mon conseiller" */
	"gentil", "gentille", "agreable", "desagreable", "aimable", "sympa", "sympathique",
	"souriant", "souriante", "professionnel", "professionnelle", "competent", "competente",
	"incompetent", "incompetente", "serviable", "patient", "patiente", "disponible", "efficace",
	"attentionne", "attentionnee", "adorable", "formidable", "charmant", "charmante",
	"arrogant", "arrogante", "hautain", "hautaine", "impoli", "impolie", "odieux", "odieuse",
	"exceptionnel", "exceptionnelle", "remarquable", "grand", "grande", "petit", "petite",
	"jeune", "vieux", "vieille", "nouveau", "nouvelle", "ancien", "ancienne", "actuel",
	"actuelle", "precedent", "precedente", "habituel", "habituelle", "tres", "vraiment",
	/* civilities and people */
	"monsieur", "madame", "mademoiselle", "messieurs", "mesdames", "mesdemoiselles", "mme",
	"mmes", "mr", "mlle", "melle", "dame", "homme", "femme", "fille", "garcon", "gens", "client",
	"cliente", "usager", "usagere", "usagers", "utilisateur", "demandeur", "demandeuse",
	/* titles and roles */
	"maire", "prefet", "prefete", "sous-prefet", "sous-prefete", "directeur", "directrice",
	"president", "presidente", "ministre", "depute", "deputee", "senateur", "senatrice", "juge",
	"procureur", "procureure", "conseiller", "conseillere", "conseille", "conseillee", "agent",
	"agente", "agents", "responsable", "chef", "cheffe", "docteur", "docteure", "professeur",
	"professeure", "maitre", "adjoint", "adjointe", "commissaire", "capitaine", "lieutenant",
	"general", "colonel", "secretaire", "gerant", "gerante", "delegue", "deleguee", "inspecteur",
	"inspectrice", "controleur", "controleuse", "referent", "referente", "assistant", "assistante",
	"psychologue", "recteur", "rectrice", "doyen", "abbe", "cure", "pere", "soeur", "frere",
	"manager", "superviseur", "superviseuse", "conseillers", "conseilleres", "interlocuteur",
	"interlocutrice", "mediateur", "mediatrice", "administrateur", "administratrice", "avocat",
	"avocate", "notaire", "huissier", "medecin", "infirmier", "infirmiere", "charge", "chargee",
	"consul", "consule", "vice-consul", "ambassadeur", "ambassadrice", "standard", "generale",
	"standardiste", "hote", "hotesse", "vigile", "gardien", "gardienne", "employe", "employee",
	/* institutions and services */
	"pole", "emploi", "france", "travail", "caf", "cpam", "msa", "urssaf", "prefecture",
	"sous-prefecture", "mairie", "ameli", "assurance", "maladie", "impots", "impot", "tresor",
	"public", "publique", "publics", "service", "services", "agence", "etat", "republique",
	"ants", "caisse", "poste", "sncf", "carsat", "retraite", "securite", "sociale", "tribunal",
	"cour", "region", "departement", "ville", "conseil", "gouvernement", "ministere",
	"direction", "centre", "hopital", "chu", "police", "gendarmerie", "justice", "education",
	"nationale", "universite", "ecole", "college", "lycee", "banque", "edf", "engie", "orange",
	"free", "sfr", "bouygues", "google", "internet", "site", "accueil", "guichet", "apec",
	"mission", "locale", "afpa", "onisep", "dgfip", "finances", "administration", "office",
	"bureau", "consulat", "ambassade", "ofii", "anef", "cnaf", "cnav", "crous", "rsa", "are",
	"cpf", "france-travail", "pole-emploi", "societe", "entreprise", "association", "indemnisation",
	"formation", "rdv", "cap", "anpe", "pe", "cej", "masculin", "feminin", "indemnite", "cdd", "cdi", "sms", "mail", "email", "e-mail", "tel",
	"telephone", "numero", "dossier", "espace", "compte", "courrier", "sud", "nord", "est", "ouest",
	/* months and days */
	"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
	"octobre", "novembre", "decembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
	"samedi", "dimanche",
};

int vx_pii_is_name_stopword(const char *w, size_t len)
{
	char f[FOLD_MAX];
	size_t n = fold_word(f, w, len);
	if (n == 0)
		return 0;
	/* "l'Ambassadrice", "d'Accueil": the word after the elision counts */
	if (n > 2 && (f[0] == 'l' || f[0] == 'd') && f[1] == '\'') {
		memmove(f, f + 2, n - 2);
		n -= 2;
	}
	for (size_t i = 0; i < sizeof stopwords / sizeof stopwords[0]; i++)
		if (stopwords[i][0] == f[0] && strlen(stopwords[i]) == n && memcmp(stopwords[i], f, n) == 0)
			return 1;
	return 0;
}

/* Particles inside surnames: "de", "du", "Le", "d'", "van", "Da"... */
static int is_particle(const char *w, size_t len)
{
	static const char *const particles[] = {"de", "du", "des", "d", "le", "la", "l", "van", "von",
	                                        "da", "di", "del", "della", "dos", "das", "ben", "bin",
	                                        "el", "al", "ter", "ten", "mac", "mc"};
	char f[FOLD_MAX];
	size_t n = fold_word(f, w, len);
	for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
		if (n > 0 && strlen(particles[i]) == n && memcmp(particles[i], f, n) == 0)
			return 1;
	return 0;
}

/* ---- name tokens ---- */

enum tok { TOK_NONE = 0, TOK_NAME, TOK_INITIAL, TOK_PARTICLE };

static int is_apostrophe_at(const char *t, size_t len, size_t i, size_t *n)
{
	if (t[i] == '\'') {
		*n = 1;
		return 1;
	}
	if (i + 2 < len && memcmp(t + i, "\xE2\x80\x99", 3) == 0) {
		*n = 3;
		return 1;
	}
	return 0;
}

static int is_lower_ascii(char c)
{
	return c >= 'a' && c <= 'z';
}

/* End of the word at i: letters with inner hyphens and apostrophes. A
 * capital right after a lower-case letter starts a new word: sentences
 * glued by a lost line break ("le MaireJe") are two words. */
static size_t letters_end(const char *t, size_t len, size_t i)
{
	size_t n;
	size_t start = i;
	while (i < len) {
		if (vx_pii_is_letter_at(t, len, i)) {
			if (i > start && is_lower_ascii(t[i - 1]) && vx_pii_is_upper_at(t, len, i))
				break;
			i += vx_pii_utf8_len(t, len, i);
		} else if (t[i] == '-' && i + 1 < len && vx_pii_is_letter_at(t, len, i + 1)) {
			i++;
		} else if (is_apostrophe_at(t, len, i, &n) && i + n < len && vx_pii_is_letter_at(t, len, i + n)) {
			i += n;
		} else {
			break;
		}
	}
	return i;
}

/* Reads the token at i; returns its kind and sets *end. A particle is
 * returned as such only when it is lower case or followed by a space. */
static enum tok read_token(const char *t, size_t len, size_t i, size_t *end)
{
	if (i >= len || !vx_pii_is_letter_at(t, len, i))
		return TOK_NONE;
	size_t e = letters_end(t, len, i);
	size_t first = vx_pii_utf8_len(t, len, i);
	int upper = vx_pii_is_upper_at(t, len, i);
	/* "d'Arcy", "l'Hermite": an elided particle glued to a capitalised name */
	size_t an;
	if (!upper && e - i > 2 && (t[i] == 'd' || t[i] == 'l') && is_apostrophe_at(t, len, i + 1, &an) &&
	    vx_pii_is_upper_at(t, len, i + 1 + an)) {
		*end = e;
		return TOK_NAME;
	}
	if (is_particle(t + i, e - i)) {
		*end = e;
		return TOK_PARTICLE;
	}
	if (!upper)
		return TOK_NONE;
	if (e - i == first) {
		/* a single capital: an initial "R.", "S...", or "R.Gueguen" */
		size_t k = e;
		if (k < len && t[k] == '.' && k + 1 < len && vx_pii_is_upper_at(t, len, k + 1)) {
			size_t e2 = letters_end(t, len, k + 1);
			if (e2 - (k + 1) > vx_pii_utf8_len(t, len, k + 1)) {
				*end = e2;
				return TOK_NAME;
			}
		}
		while (k < len && t[k] == '.')
			k++;
		*end = k;
		return TOK_INITIAL;
	}
	/* a name cut by its author: "Duc....." */
	size_t k = e;
	if (k + 2 < len && t[k] == '.' && t[k + 1] == '.' && t[k + 2] == '.')
		while (k < len && t[k] == '.')
			k++;
	*end = k;
	return TOK_NAME;
}

/* Skips the spaces between two words of a name (one or two spaces or a
 * no-break space; never a line break). Returns the next position, or 0 when
 * the gap is not a name gap. */
static size_t name_gap(const char *t, size_t len, size_t i)
{
	size_t k = i;
	while (k < len && k - i < 2 && t[k] == ' ')
		k++;
	if (k == i && i + 1 < len && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xA0)
		k = i + 2;
	return k == i ? 0 : k;
}

/*
 * Reads a name starting at i: up to max_words name words, initials and
 * particles. Returns 1 and the span when it found at least one name word
 * or initial that is not a common word, title or institution.
 */
static int all_upper(const char *t, size_t s, size_t e)
{
	for (size_t i = s; i < e; i++)
		if (t[i] >= 'a' && t[i] <= 'z')
			return 0;
	return 1;
}

/* Upper-case words this short after a role are acronyms ("conseiller PE",
 * "conseiller CEJ"), not names. */
#define ROLE_ACRONYM_MAX 3

static int read_name(const char *t, size_t len, size_t i, int max_words, int after_role, size_t *s_out,
                     size_t *e_out)
{
	size_t pos = i, start = 0, end = 0;
	int words = 0, found = 0;
	while (words < max_words && pos < len) {
		size_t te;
		enum tok k = read_token(t, len, pos, &te);
		if (k == TOK_NONE)
			break;
		/* After a role, a lower-case particle first is a place: "ma
		 * conseillère de Nancy", "mon conseiller d'Épernay" (but "l'agent
		 * Le Guennec" is a name). */
		if (after_role && !found && !vx_pii_is_upper_at(t, len, pos))
			break;
		if (after_role && !found && k == TOK_NAME && te - pos <= ROLE_ACRONYM_MAX && all_upper(t, pos, te))
			break;
		if (k == TOK_PARTICLE) {
			/* A particle belongs to the name only when a name word
			 * follows it: "de Villepin" yes, "le Maire" no. "d'" and
			 * "l'" are glued to the next word. */
			size_t next = te, an;
			if (next < len && is_apostrophe_at(t, len, next, &an))
				next += an;
			else if ((next = name_gap(t, len, te)) == 0)
				break;
			size_t ne;
			if (read_token(t, len, next, &ne) != TOK_NAME || vx_pii_is_name_stopword(t + next, ne - next))
				break;
			if (!found)
				start = pos;
			found = 1;
			end = ne;
			pos = ne;
			words += 2;
		} else {
			if (k == TOK_NAME && vx_pii_is_name_stopword(t + pos, te - pos))
				break;
			if (!found)
				start = pos;
			found = 1;
			end = te;
			pos = te;
			words++;
		}
		size_t g = name_gap(t, len, pos);
		if (g == 0)
			break;
		pos = g;
	}
	if (!found)
		return 0;
	*s_out = start;
	*e_out = end;
	return 1;
}

/* Words a name may have after a civility or a role. */
#define NAME_MAX_WORDS 4
/* Words a signature may have. */
#define SIGNATURE_MAX_WORDS 3

/* Shortest lower-case word taken for a surname ("Mme bullard"). */
#define LOWER_NAME_MIN 3

/* 1 when the civility ending at e is an abbreviation written with a
 * capital (M., Mme, Mr, Mlle, Dr...): people who write "Mme" then a
 * lower-case word mean a name ("Mme durand"), while after "madame" or
 * "monsieur" a lower-case word is mostly an ordinary one ("monsieur qui"). */
static int capital_abbreviation(const char *t, size_t s, size_t e)
{
	size_t n = e - s;
	if (n > 0 && t[e - 1] == '.')
		n--;
	return t[s] == 'M' && n <= 4 ? 1 : (t[s] == 'D' && n == 2);
}

/* A lower-case surname after a capitalised abbreviation: one word of
 * letters, not a common word, followed by a space, punctuation or the end. */
static int lower_name(const char *t, size_t len, size_t pos, size_t *end)
{
	if (pos >= len || vx_pii_is_upper_at(t, len, pos) || !vx_pii_is_letter_at(t, len, pos))
		return 0;
	size_t e = letters_end(t, len, pos);
	for (size_t k = pos; k < e; k++)
		if (t[k] == '\'' || (unsigned char)t[k] == 0xE2)
			return 0; /* an elision: "m'a", "qu'elle" */
	if (e - pos < LOWER_NAME_MIN || vx_pii_is_name_stopword(t + pos, e - pos) || is_particle(t + pos, e - pos))
		return 0;
	if (e < len && (vx_pii_is_letter_at(t, len, e) || (t[e] >= '0' && t[e] <= '9')))
		return 0;
	*end = e;
	return 1;
}

static int after_trigger(vx_masker *m, const char *t, size_t len, size_t s0, size_t e, int civility)
{
	size_t pos = e;
	if (civility) {
		size_t g = name_gap(t, len, pos);
		if (g == 0)
			return 0;
		pos = g;
	} else {
		while (pos < len && t[pos] == ' ')
			pos++;
		if (pos < len && (t[pos] == '(' || t[pos] == ':')) {
			pos++;
			while (pos < len && t[pos] == ' ')
				pos++;
		}
	}
	size_t s, end;
	if (read_name(t, len, pos, NAME_MAX_WORDS, !civility, &s, &end))
		return vx_pii_cand_add(m, s, end, VX_PII_NAME, -1);
	if (civility && capital_abbreviation(t, s0, e) && lower_name(t, len, pos, &end))
		return vx_pii_cand_add(m, pos, end, VX_PII_NAME, -1);
	return 0;
}

/* 1 when nothing but spaces, punctuation and symbols follows i. */
static int only_trailer(const char *t, size_t len, size_t i)
{
	for (; i < len; i++) {
		unsigned char c = (unsigned char)t[i];
		if ((c >= '0' && c <= '9') || vx_pii_is_letter_at(t, len, i))
			return 0;
	}
	return 1;
}

static int signature(vx_masker *m, const char *t, size_t len, size_t e, int merci)
{
	size_t pos = e;
	int newline = 0;
	while (pos < len) {
		char c = t[pos];
		if (c == '\n' || c == '\r')
			newline = 1;
		else if (!(c == ' ' || c == ',' || c == '.' || c == '!' || c == ':' || c == ';' || c == '-'))
			break;
		pos++;
	}
	if (merci && !newline)
		return 0;
	size_t s, end;
	if (!read_name(t, len, pos, SIGNATURE_MAX_WORDS, 0, &s, &end) || s != pos)
		return 0;
	if (!only_trailer(t, len, end))
		return 0;
	return vx_pii_cand_add(m, s, end, VX_PII_NAME, -1);
}

static int run(vx_masker *m, int which, const char *text, size_t len, size_t from)
{
	size_t off = from;
	while (off < len) {
		int r = pcre2_match(m->re[which], (PCRE2_SPTR)text, len, off, 0, m->md, NULL);
		if (r == PCRE2_ERROR_NOMATCH)
			return 0;
		if (r < 0)
			return 0; /* a matching limit: names are best effort past it */
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		size_t e = ov[1];
		int rc;
		if (which == VX_RE_NAME_TRIGGER)
			rc = after_trigger(m, text, len, ov[0], e, r >= 2 && ov[2] != PCRE2_UNSET);
		else
			rc = signature(m, text, len, e, r >= 2 && ov[2] != PCRE2_UNSET);
		if (rc)
			return rc;
		off = e > ov[0] ? e : e + 1;
		while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
			off++;
	}
	return 0;
}

/* A signature ends the text: its closing formula starts at most this many
 * bytes before the end (formula, line breaks, three words, a few emoji). */
#define SIGNATURE_WINDOW 192

int vx_pii_find_names(vx_masker *m, const char *text, size_t len)
{
	int rc = run(m, VX_RE_NAME_TRIGGER, text, len, 0);
	if (rc == 0) {
		size_t from = len > SIGNATURE_WINDOW ? len - SIGNATURE_WINDOW : 0;
		while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
			from--;
		rc = run(m, VX_RE_SIGNOFF, text, len, from);
	}
	return rc;
}
