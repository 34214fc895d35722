/*
 * The out-of-memory messages in French.
 *
 * About a hundred places in the library report a failed allocation with
 * vx_error_set(VX_ENOMEM, "out of memory ...") and an English detail that
 * says what was being done. Rather than each of them, the error layer writes
 * the message the user reads: vx_error_set looks the format of every
 * VX_ENOMEM up in this table and formats its French twin with the same
 * arguments, so that the detail (which file, how many bytes) is kept. A
 * format the table does not list is written as it is (a message already in
 * French, or "%s" passing one on).
 *
 * Both formats of a pair take the same conversions in the same order
 * (tests/unit/util/test_error.c checks it), and every VX_ENOMEM format of
 * src/ is listed here (tests/e2e/messages.sh checks it): a new call site
 * adds its pair.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

static const struct vx_error_nomem_pair pairs[] = {
	{"%s: out of memory building the JSON of a row", "%s : mémoire insuffisante pour écrire une ligne en JSON"},
	{"%s: out of memory reading %zu bytes", "%s : mémoire insuffisante pour lire %zu octets"},
	{"arena allocation overflow", "mémoire insuffisante : allocation trop grande (dépassement)"},
	{"arena allocation too large", "mémoire insuffisante : allocation trop grande"},
	{"cannot create a lock", "mémoire insuffisante pour créer un verrou"},
	{"cannot create the French stemmer", "mémoire insuffisante pour créer la racinisation du français"},
	{"cannot create the server's locks", "mémoire insuffisante pour créer les verrous du serveur"},
	{"input too large to decode", "mémoire insuffisante : entrée trop grande pour être décodée"},
	{"libsodium could not be initialised", "mémoire insuffisante : libsodium n'a pas pu être initialisée"},
	{"out of memory", "mémoire insuffisante"},
	{"out of memory (arena block of %zu bytes)", "mémoire insuffisante (bloc de %zu octets)"},
	{"out of memory building a document row", "mémoire insuffisante pour construire une ligne de la matrice"},
	{"out of memory building a note", "mémoire insuffisante pour construire la note"},
	{"out of memory building the note's JSON", "mémoire insuffisante pour construire le JSON de la note"},
	{"out of memory choosing verbatims", "mémoire insuffisante pour choisir les verbatims"},
	{"out of memory collecting stems", "mémoire insuffisante pour rassembler les racines"},
	{"out of memory comparing notes", "mémoire insuffisante pour comparer les notes"},
	{"out of memory copying %zu spans", "mémoire insuffisante pour copier %zu passages"},
	{"out of memory counting trends", "mémoire insuffisante pour compter les tendances"},
	{"out of memory creating PCRE2 match data", "mémoire insuffisante pour préparer une recherche PCRE2"},
	{"out of memory creating a corpus", "mémoire insuffisante pour créer un corpus"},
	{"out of memory creating a masker", "mémoire insuffisante pour préparer le masquage"},
	{"out of memory creating a text analyser", "mémoire insuffisante pour préparer l'analyse des textes"},
	{"out of memory creating the form's state", "mémoire insuffisante pour préparer la lecture du formulaire"},
	{"out of memory creating the server", "mémoire insuffisante pour créer le serveur"},
	{"out of memory decoding %zu bytes", "mémoire insuffisante pour décoder %zu octets"},
	{"out of memory decoding %zu bytes of Windows-1252",
	 "mémoire insuffisante pour décoder %zu octets en Windows-1252"},
	{"out of memory decoding a form", "mémoire insuffisante pour décoder un formulaire"},
	{"out of memory detaching the masked text", "mémoire insuffisante pour copier le texte masqué"},
	{"out of memory exporting", "mémoire insuffisante pendant l'export"},
	{"out of memory for %zu columns", "mémoire insuffisante pour %zu colonnes"},
	{"out of memory for %zu documents", "mémoire insuffisante pour %zu documents"},
	{"out of memory for %zu elements", "mémoire insuffisante pour %zu éléments"},
	{"out of memory for %zu experiences", "mémoire insuffisante pour %zu expériences"},
	{"out of memory for %zu fields", "mémoire insuffisante pour %zu champs"},
	{"out of memory for a %zu x %zu factorisation", "mémoire insuffisante pour une factorisation %zu x %zu"},
	{"out of memory for a redaction report", "mémoire insuffisante pour le bilan du masquage"},
	{"out of memory for duplicate detection", "mémoire insuffisante pour détecter les doublons"},
	{"out of memory for duplicate detection (%zu documents)",
	 "mémoire insuffisante pour détecter les doublons (%zu documents)"},
	{"out of memory for the document-term matrix", "mémoire insuffisante pour la matrice documents-termes"},
	{"out of memory for the header", "mémoire insuffisante pour l'en-tête"},
	{"out of memory growing a buffer to %zu bytes", "mémoire insuffisante pour agrandir un tampon à %zu octets"},
	{"out of memory growing a hash map", "mémoire insuffisante pour agrandir une table de hachage"},
	{"out of memory growing the corpus to %zu items",
	 "mémoire insuffisante pour agrandir le corpus à %zu éléments"},
	{"out of memory growing the vocabulary", "mémoire insuffisante pour agrandir le vocabulaire"},
	{"out of memory growing the word table", "mémoire insuffisante pour agrandir la table des mots"},
	{"out of memory hashing a submission", "mémoire insuffisante pour calculer l'empreinte d'un envoi"},
	{"out of memory hashing the password", "mémoire insuffisante pour calculer l'empreinte du mot de passe"},
	{"out of memory importing", "mémoire insuffisante pendant l'importation"},
	{"out of memory importing structures", "mémoire insuffisante pendant l'importation des structures"},
	{"out of memory in the word cache", "mémoire insuffisante dans le cache des mots"},
	{"out of memory listing sources", "mémoire insuffisante pour lister les sources"},
	{"out of memory loading experiences", "mémoire insuffisante pour charger les expériences"},
	{"out of memory loading the store", "mémoire insuffisante pour charger la base"},
	{"out of memory logging the import", "mémoire insuffisante pour journaliser l'importation"},
	{"out of memory masking an original row", "mémoire insuffisante pour masquer une ligne d'origine"},
	{"out of memory masking the corpus", "mémoire insuffisante pour masquer le corpus"},
	{"out of memory opening %s", "mémoire insuffisante pour ouvrir %s"},
	{"out of memory opening the database", "mémoire insuffisante pour ouvrir la base"},
	{"out of memory reading %s", "mémoire insuffisante pour lire %s"},
	{"out of memory reading a CSV record", "mémoire insuffisante pour lire un enregistrement CSV"},
	{"out of memory reading a JSON value", "mémoire insuffisante pour lire une valeur JSON"},
	{"out of memory reading a form", "mémoire insuffisante pour lire un formulaire"},
	{"out of memory reading a header", "mémoire insuffisante pour lire un en-tête"},
	{"out of memory reading a header of %zu columns", "mémoire insuffisante pour lire un en-tête de %zu colonnes"},
	{"out of memory reading a mapping", "mémoire insuffisante pour lire une correspondance"},
	{"out of memory reading a submission", "mémoire insuffisante pour lire un envoi"},
	{"out of memory reading channels", "mémoire insuffisante pour lire les canaux"},
	{"out of memory reading the header of %s", "mémoire insuffisante pour lire l'en-tête de %s"},
	{"out of memory reading the note's JSON", "mémoire insuffisante pour lire le JSON de la note"},
	{"out of memory reading the sources", "mémoire insuffisante pour lire les sources"},
	{"out of memory rendering the topics chart", "mémoire insuffisante pour dessiner le graphique des sujets"},
	{"out of memory searching", "mémoire insuffisante pendant la recherche"},
	{"out of memory splitting a text", "mémoire insuffisante pour découper un texte"},
	{"out of memory starting the import", "mémoire insuffisante pour commencer l'importation"},
	{"out of memory storing row %u of %s", "mémoire insuffisante pour enregistrer la ligne %u de %s"},
	{"out of memory writing JSON", "mémoire insuffisante pour écrire du JSON"},
	{"out of memory writing a JSON line", "mémoire insuffisante pour écrire une ligne JSON"},
	{"out of memory writing a comparison", "mémoire insuffisante pour écrire une comparaison"},
	{"out of memory writing an error", "mémoire insuffisante pour écrire une erreur"},
	{"out of memory writing the note's JSON", "mémoire insuffisante pour écrire le JSON de la note"},
	{"out of memory writing the rejected rows", "mémoire insuffisante pour écrire les lignes rejetées"},
	{"out of memory writing trends", "mémoire insuffisante pour écrire les tendances"},
	{"out of memory: %zu bytes of marks", "mémoire insuffisante : %zu octets de marques"},
	{"out of memory: %zu candidate spans", "mémoire insuffisante : %zu passages candidats"},
};

static int by_english(const void *key, const void *pair)
{
	return strcmp(key, ((const struct vx_error_nomem_pair *)pair)->english);
}

const char *vx_error_nomem_french(const char *english)
{
	/* Sorted by the English format. Out of memory is rare, but the
	 * table grows with the library. */
	const struct vx_error_nomem_pair *p =
		bsearch(english, pairs, sizeof pairs / sizeof pairs[0], sizeof pairs[0], by_english);
	return p ? p->french : NULL;
}

const struct vx_error_nomem_pair *vx_error_nomem_pairs(size_t *n)
{
	*n = sizeof pairs / sizeof pairs[0];
	return pairs;
}
