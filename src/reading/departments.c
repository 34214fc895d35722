/*
 * French departments by their code (INSEE), so that a department filter
 * given as a code ("75", "2A", "971") also finds exports that write the
 * department's name ("Paris"), as Services Publics+ does.
 */
#include <string.h>

#include "voix/corpus.h"

static const struct {
	const char code[4];
	const char *name;
} departments[] = {
	{"01", "Ain"}, {"02", "Aisne"}, {"03", "Allier"}, {"04", "Alpes-de-Haute-Provence"},
	{"05", "Hautes-Alpes"}, {"06", "Alpes-Maritimes"}, {"07", "Ardèche"}, {"08", "Ardennes"},
	{"09", "Ariège"}, {"10", "Aube"}, {"11", "Aude"}, {"12", "Aveyron"}, {"13", "Bouches-du-Rhône"},
	{"14", "Calvados"}, {"15", "Cantal"}, {"16", "Charente"}, {"17", "Charente-Maritime"}, {"18", "Cher"},
	{"19", "Corrèze"}, {"21", "Côte-d'Or"}, {"22", "Côtes-d'Armor"}, {"23", "Creuse"},
	{"24", "Dordogne"}, {"25", "Doubs"}, {"26", "Drôme"}, {"27", "Eure"}, {"28", "Eure-et-Loir"},
	{"29", "Finistère"}, {"2A", "Corse-du-Sud"}, {"2B", "Haute-Corse"}, {"30", "Gard"},
	{"31", "Haute-Garonne"}, {"32", "Gers"}, {"33", "Gironde"}, {"34", "Hérault"}, {"35", "Ille-et-Vilaine"},
	{"36", "Indre"}, {"37", "Indre-et-Loire"}, {"38", "Isère"}, {"39", "Jura"}, {"40", "Landes"},
	{"41", "Loir-et-Cher"}, {"42", "Loire"}, {"43", "Haute-Loire"}, {"44", "Loire-Atlantique"},
	{"45", "Loiret"}, {"46", "Lot"}, {"47", "Lot-et-Garonne"}, {"48", "Lozère"}, {"49", "Maine-et-Loire"},
	{"50", "Manche"}, {"51", "Marne"}, {"52", "Haute-Marne"}, {"53", "Mayenne"},
	{"54", "Meurthe-et-Moselle"}, {"55", "Meuse"}, {"56", "Morbihan"}, {"57", "Moselle"}, {"58", "Nièvre"},
	{"59", "Nord"}, {"60", "Oise"}, {"61", "Orne"}, {"62", "Pas-de-Calais"}, {"63", "Puy-de-Dôme"},
	{"64", "Pyrénées-Atlantiques"}, {"65", "Hautes-Pyrénées"}, {"66", "Pyrénées-Orientales"},
	{"67", "Bas-Rhin"}, {"68", "Haut-Rhin"}, {"69", "Rhône"}, {"70", "Haute-Saône"},
	{"71", "Saône-et-Loire"}, {"72", "Sarthe"}, {"73", "Savoie"}, {"74", "Haute-Savoie"}, {"75", "Paris"},
	{"76", "Seine-Maritime"}, {"77", "Seine-et-Marne"}, {"78", "Yvelines"}, {"79", "Deux-Sèvres"},
	{"80", "Somme"}, {"81", "Tarn"}, {"82", "Tarn-et-Garonne"}, {"83", "Var"}, {"84", "Vaucluse"},
	{"85", "Vendée"}, {"86", "Vienne"}, {"87", "Haute-Vienne"}, {"88", "Vosges"}, {"89", "Yonne"},
	{"90", "Territoire de Belfort"}, {"91", "Essonne"}, {"92", "Hauts-de-Seine"}, {"93", "Seine-Saint-Denis"},
	{"94", "Val-de-Marne"}, {"95", "Val-d'Oise"}, {"971", "Guadeloupe"}, {"972", "Martinique"},
	{"973", "Guyane"}, {"974", "La Réunion"}, {"976", "Mayotte"},
};

const char *vx_department_name(const char *code, size_t len)
{
	/* "6", "06" and "6.0" (a code read as a number) are all "06". */
	char c[4];
	if (len >= 2 && code[len - 2] == '.' && code[len - 1] == '0')
		len -= 2;
	if (len == 0 || len > 3)
		return NULL;
	if (len == 1) {
		c[0] = '0';
		c[1] = code[0];
		c[2] = '\0';
	} else {
		memcpy(c, code, len);
		c[len] = '\0';
		if (c[0] == '2' && (c[1] == 'a' || c[1] == 'b'))
			c[1] = (char)(c[1] - 'a' + 'A');
	}
	/* The table is in code order (ASCII: "29" < "2A" < "2B" < "30",
	 * "95" < "971"): a filter looks a code up once per experience. */
	size_t lo = 0, hi = sizeof departments / sizeof *departments;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(c, departments[mid].code);
		if (cmp == 0)
			return departments[mid].name;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
