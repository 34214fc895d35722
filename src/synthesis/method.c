/*
 * The method section of the note (stage 7 of vx_note_build,
 * src/synthesis/stages.h): its steps, limits and parameters. Every number
 * it states is the constant or the count the code used (stages.h,
 * note_internal.h, model/dedup.h, model/themes.h, voix/feeling.h), never a
 * number written in the text.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/dedup.h"
#include "synthesis/stages.h"
#include "util/arena.h"
#include "voix/error.h"

/* Themes of the codebook of one kind. */
static size_t themes_of_kind(const vx_build *b, int kind)
{
	size_t n = 0;
	for (size_t t = 0; t < b->n_themes; t++)
		n += b->codebook->levers[b->theme_lever[t]].kind == kind;
	return n;
}

/* The largest share of experiences a term may be in, as the method says
 * it: "la moitié" for MAX_DF_SHARE 0.5, else a percentage. */
static const char *max_df_words(vx_build *b)
{
	if (MAX_DF_SHARE == 0.5)
		return "la moitié";
	return vx_build_fmt(b, "%.0f %%", MAX_DF_SHARE * 100);
}

/* The method step that says where the feelings come from, and how many;
 * the reading's rules in the numbers of voix/feeling.h. */
static const char *feelings_step(vx_build *b)
{
	const vx_note *n = b->note;
	size_t read = 0;
	for (int f = 0; f < VX_FEELING_COUNT; f++)
		read += n->feelings.read[f];
	size_t exported = n->analysed - read - n->feelings.n[VX_FEELING_UNKNOWN];
	if (n->feeling_source == VX_FEELINGS_EXPORT)
		return vx_build_fmt(b, "Ressentis : ceux de l'export seul (%zu expériences) ; %zu sans ressenti comptées "
		                       "« inconnu ».", exported, n->feelings.n[VX_FEELING_UNKNOWN]);
	/* "de moitié" and "pour moitié" are VX_FEELING_INTENSIFIER_GAIN - 1 and
	 * VX_FEELING_CONTRAST_FACTOR in words (tests/unit/synthesis checks). */
	const char *rule = vx_build_fmt(
	    b,
	    "lu dans le titre et le texte avec un lexique d'indices pondérés : une négation (pas, jamais, aucun…) à "
	    "au plus %d mots avant un indice, dans la même proposition, l'inverse ; un intensif (très, vraiment…) le "
	    "renforce de moitié ; les indices avant le dernier « mais » d'un champ comptent pour moitié ; de deux "
	    "indices qui se chevauchent, le plus long compte ; positif à partir de +%d, négatif à partir de -%d, neutre "
	    "entre les deux ou sans indice ; seules les lectures sûres (confiance d'au moins %.1f) envoient une "
	    "expérience aux points forts ou appuient un axe",
	    VX_FEELING_NEGATION_WORDS, VX_FEELING_THRESHOLD, VX_FEELING_THRESHOLD, (double)VX_FEELING_CONFIDENT);
	const char *check = n->feelings_checked
	                        ? vx_build_fmt(b, " Là où l'export donne un ressenti, la lecture du texte concorde dans "
	                                          "%.1f %% des cas (%zu sur %zu).",
	                                       floor(1000.0 * (double)n->feelings_agreed / (double)n->feelings_checked +
	                                             0.5) /
	                                           10.0,
	                                       n->feelings_agreed, n->feelings_checked)
	                        : "";
	if (check == NULL || rule == NULL)
		return NULL;
	if (n->feeling_source == VX_FEELINGS_TEXT)
		return vx_build_fmt(b, "Ressentis : %s, pour toutes les expériences (%zu), celui de l'export étant ignoré.%s",
		                    rule, read, check);
	return vx_build_fmt(b, "Ressentis : celui de l'export quand il en donne un (%zu expériences) ; sinon %s (%zu "
	                       "expériences).%s", exported, rule, read, check);
}

static int add_param(vx_method_param *p, size_t *n, const char *name, const char *value)
{
	if (value == NULL)
		return VX_ENOMEM;
	p[*n].name = name;
	p[*n].value = value;
	(*n)++;
	return 0;
}

int vx_stage_method(vx_note_run *r)
{
	vx_build *b = &r->b;
	vx_note *note = r->note;
	const vx_note_options *opt = &r->opt;
	const vx_topic_model *tm = &r->tm;
	int rc;
	/* 7. Method and limits. */
	if ((rc = vx_build_list_add(b, &r->steps, vx_build_fmt(b, "Lecture : %zu lignes lues, %zu rejetées à la lecture.",
	                                                       note->read, r->rejected))) != 0 ||
	    (rc = vx_build_list_add(b, &r->steps, vx_build_fmt(b, "Sélection : %zu expériences analysées (filtres "
	                                                          "appliqués, textes vides écartés).",
	                                                       note->analysed))) != 0 ||
	    (rc = vx_build_list_add(b, &r->steps, feelings_step(b))) != 0 ||
	    (rc = vx_build_list_add(
	         b, &r->steps,
	         vx_build_fmt(b, "Quasi-doublons : textes identiques après normalisation, ou partageant leurs %d termes les "
	                         "plus rares avec au moins %.0f %% de termes communs, ou de même squelette (consonnes hors "
	                         "« c » et chiffres, sans accents ni voyelles : « déplacer », « deplacer » et « d?placer » "
	                         "donnent « dplr »), le plus court (%d caractères au moins) retrouvé dans le plus long pour "
	                         "au moins %.0f %% de ses suites de %d caractères, sans trou de plus de %d, et commençant de "
	                         "même (copie tronquée) ou long d'au moins %.0f %% de l'autre ; la première copie représente "
	                         "le groupe ; %zu copies comptées une seule fois.",
	                      VX_DEDUP_RARE_TERMS, VX_DEDUP_JACCARD * 100, VX_DEDUP_MIN_SKELETON, VX_DEDUP_CONTAINMENT * 100,
	                      VX_DEDUP_SHINGLE, VX_DEDUP_MAX_GAP, VX_DEDUP_SIMILAR_LENGTH * 100, note->duplicates))) != 0 ||
	    (rc = vx_build_list_add(b, &r->steps,
	                            vx_build_fmt(b, "Texte : réparation des caractères C1 (Windows-1252), minuscules, "
	                                            "accents retirés, élisions (l', d', qu'…), mots vides, racinisation "
	                                            "Snowball (français), mots composés à trait d'union conservés."))) !=
	        0 ||
	    (rc = vx_build_list_add(
	         b, &r->steps,
	         vx_build_fmt(b, "Vocabulaire : %zu termes présents dans au moins %u expériences et au plus %s ; %zu termes "
	                         "qui nomment l'administration plutôt que l'expérience écartés (lexique %zu, noms de "
	                         "services et structures %zu, concentration sur un service ou une structure %zu).",
	                      b->m.n_terms, r->min_df, max_df_words(b),
	                      r->terms_before - b->m.n_terms, r->fr.lexicon, r->fr.label, r->fr.concentrated))) != 0 ||
	    (rc = vx_build_list_add(
	         b, &r->steps,
	         vx_run_off_public_service(r)
	             ? vx_build_fmt(b, "Thèmes du référentiel : non appliqués, %.1f %% seulement des expériences distinctes "
	                               "parlant d'un service, d'une démarche, d'un dossier ou d'un agent (seuil : %.0f %%).",
	                            r->context_share * 100, CONTEXT_MIN_SHARE * 100)
	             : vx_build_fmt(b, "Thèmes du référentiel : %zu thèmes de plaintes et %zu de points forts, chacun repéré "
	                               "par des expressions cherchées dans le titre et le texte (casse et accents ignorés, "
	                               "jusqu'à %d mots d'écart) ; une expérience relève d'un thème dès qu'une de ses "
	                               "expressions s'y trouve ; une expression de point fort précédée d'une négation (pas, "
	                               "peu, jamais, sans…) à moins de %d mots n'est pas comptée.",
	                            themes_of_kind(b, VX_THEME_COMPLAINT), themes_of_kind(b, VX_THEME_PRAISE),
	                            VX_THEME_GAP_MAX, VX_THEME_NEG_WINDOW))) != 0 ||
	    (rc = vx_build_list_add(b, &r->steps,
	                            vx_build_fmt(b, "Renvois : %zu expériences d'au plus %d mots ne font que renvoyer à un "
	                                            "document joint ; comptées dans le total, elles ne relèvent d'aucun "
	                                            "sujet.",
	                                         r->referrals, REFERRAL_MAX_WORDS))) != 0 ||
	    (rc = vx_build_list_add(
	         b, &r->steps,
	         vx_build_fmt(b, "Sujets émergents : sur les %zu expériences distinctes non positives qu'aucun thème de "
	                         "plainte ne couvre, factorisation en matrices non négatives (NMF) de la matrice TF-IDF, "
	                         "départ déterministe NNDSVDa, %d itérations HALS ; %zu ajustements de %zu sujets, chacun "
	                         "sur un échantillon différent de %zu expériences (de préférence celles d'au plus %d mots) ; "
	                         "%zu sujets retrouvés par au moins %d ajustements (similarité moyenne %.2f) retenus ; un "
	                         "texte d'un thème de plainte qui compte plus de %d mots par expression trouvée (un long "
	                         "texte où l'expression est incidente) relève aussi des sujets émergents selon ses poids.",
	                      r->n_resid_fit, NMF_ITERATIONS, tm->consensus.runs, tm->fit_k, tm->fit_rows, FIT_MAX_WORDS,
	                      tm->n_emergent, CONSENSUS_MIN_RUNS, tm->consensus.mean_similarity,
	                      EMERGENT_WORDS_PER_EXPRESSION))) != 0 ||
	    (rc = vx_build_list_add(b, &r->steps,
	                            vx_build_fmt(b, "Sujets montrés : les %zu plus fréquents des thèmes (d'au moins %d "
	                                            "expériences) et des sujets émergents ; une expérience peut relever de "
	                                            "plusieurs sujets.",
	                                         r->n_shown, MIN_TOPIC_DOCS))) != 0 ||
	    (rc = vx_build_list_add(b, &r->steps,
	                            vx_build_fmt(b, "Points forts : même méthode sur les seules expériences positives, avec "
	                                            "les thèmes de points forts."))) != 0 ||
	    (rc = vx_build_list_add(b, &r->steps,
	                            vx_build_fmt(b, "Verbatims : phrases exactes de %d à %d caractères, tirées des "
	                                            "expériences les plus typiques de chaque sujet : de préférence celle "
	                                            "qui porte l'expression du thème et dit la plainte (l'éloge pour un "
	                                            "point fort) avec les mots du lexique des ressentis, plutôt que le "
	                                            "récit qui la précède ; différentes entre elles ; une expérience citée "
	                                            "par un sujet ne l'est pas par un autre tant qu'il reste d'autres "
	                                            "candidates ; jamais une phrase qui décrit une personne par son origine, sa "
	                                            "religion ou son apparence ; données personnelles masquées.",
	                                         VERBATIM_MIN_CHARS, VERBATIM_MAX_CHARS))) != 0 ||
	    (rc = vx_build_list_add(b, &r->steps,
	                            vx_build_fmt(b, "Axes : leviers du référentiel (%zu leviers) retenus quand assez "
	                                            "d'expériences négatives distinctes relèvent de leur thème (les mêmes "
	                                            "appartenances que les sujets ; les leviers sans expressions : leurs "
	                                            "mots-signaux).",
	                                         r->cb.n))) != 0)
		return rc;
	if ((rc = vx_build_list_add(b, &r->limits,
	                            vx_build_fmt(b, "Les usagers choisissent de témoigner : les effectifs décrivent les "
	                                            "expériences reçues, pas l'ensemble des usagers ; ce n'est pas une "
	                                            "enquête représentative."))) != 0 ||
	    (rc = vx_build_list_add(b, &r->limits,
	                            vx_build_fmt(b, "Les thèmes sont repérés par des expressions : une expérience qui "
	                                            "décrit le problème en d'autres mots n'y est pas comptée, et une "
	                                            "expression peut s'y trouver dans un autre sens. Les sujets émergents "
	                                            "sont extraits sans supervision : leurs intitulés sont les expressions "
	                                            "les plus fréquentes des usagers, pas une classification validée."))) !=
	        0 ||
	    (note->feeling_source != VX_FEELINGS_EXPORT &&
	     (rc = vx_build_list_add(b, &r->limits,
	                             vx_build_fmt(b, "Les ressentis lus dans le texte viennent d'indices écrits "
	                                             "(mots et expressions pondérés) : l'ironie, le sarcasme et un "
	                                             "ressenti exprimé sans aucun de ces mots ne sont pas lus ; un "
	                                             "texte sans indice est compté neutre."))) != 0) ||
	    (rc = vx_build_list_add(b, &r->limits,
	                            vx_build_fmt(b, "Une expérience peut relever de plusieurs sujets : les parts ne "
	                                            "s'additionnent pas. %.1f %% des expériences distinctes relèvent d'au "
	                                            "moins un sujet montré.",
	                                         note->coverage * 100))) != 0 ||
	    (rc = vx_build_list_add(b, &r->limits,
	                            vx_build_fmt(b, "Les axes d'amélioration sont tirés d'un référentiel de leviers "
	                                            "modifiable ; ils indiquent où porte la demande des usagers, pas le "
	                                            "coût ni la faisabilité des actions."))) != 0 ||
	    (rc = vx_build_list_add(b, &r->limits,
	                            vx_build_fmt(b, "Les sujets de moins de %zu expériences sont montrés sans verbatim "
	                                            "pour que personne ne puisse être reconnu.",
	                                         opt->min_verbatim_support))) != 0)
		return rc;
	note->steps = r->steps.items;
	note->n_steps = r->steps.n;
	note->limits = r->limits.items;
	note->n_limits = r->limits.n;
	note->messages = r->messages.items;
	note->n_messages = r->messages.n;
	vx_method_param *params = vx_arena_calloc(b->arena, METHOD_PARAMS_MAX, sizeof *params);
	if (params == NULL)
		return VX_ENOMEM;
	size_t np = 0;
	if ((rc = add_param(params, &np, "sujets", vx_build_fmt(b, "%zu", opt->topics))) != 0 ||
	    (rc = add_param(params, &np, "axes_max", vx_build_fmt(b, "%zu", opt->axes))) != 0 ||
	    (rc = add_param(params, &np, "sujets_ajustes", vx_build_fmt(b, "%zu", tm->nmf.k))) != 0 ||
	    (rc = add_param(params, &np, "graine", vx_build_fmt(b, "%u", NMF_SEED))) != 0 ||
	    (rc = add_param(params, &np, "iterations", vx_build_fmt(b, "%d", NMF_ITERATIONS))) != 0 ||
	    (rc = add_param(params, &np, "echantillon_ajustement", vx_build_fmt(b, "%d", FIT_SAMPLE))) != 0 ||
	    (rc = add_param(params, &np, "frequence_document_min", vx_build_fmt(b, "%u", r->min_df))) != 0 ||
	    (rc = add_param(params, &np, "frequence_document_max", vx_build_fmt(b, "%.0f %%", MAX_DF_SHARE * 100))) != 0 ||
	    (rc = add_param(params, &np, "themes_referentiel", vx_build_fmt(b, "%zu", b->n_themes))) != 0 ||
	    (rc = add_param(params, &np, "appartenance",
	                    vx_build_fmt(b, "thème : une expression ; sujet émergent : poids >= %.2f et >= %.0f %% du poids "
	                                    "maximal",
	                                 MEMBER_ABSOLUTE, MEMBER_RELATIVE * 100))) != 0 ||
	    (rc = add_param(params, &np, "seuil_verbatims", vx_build_fmt(b, "%zu", opt->min_verbatim_support))) != 0 ||
	    (rc = add_param(params, &np, "referentiel", opt->codebook_path ? opt->codebook_path : "intégré")) != 0 ||
	    (rc = add_param(params, &np, "ressentis",
	                    opt->feelings == VX_FEELINGS_EXPORT ? "export"
	                    : opt->feelings == VX_FEELINGS_TEXT ? "texte"
	                                                        : "export, sinon texte")) != 0 ||
	    (rc = add_param(params, &np, "lexique_ressentis",
	                    opt->feelings == VX_FEELINGS_EXPORT ? "aucun"
	                    : opt->lexicon_path                 ? opt->lexicon_path
	                                                        : "intégré")) != 0 ||
	    (rc = add_param(params, &np, "part_contexte_service_public",
	                    vx_build_fmt(b, "%.1f %%", r->context_share * 100))) != 0 ||
	    (rc = add_param(params, &np, "termes_institutionnels",
	                    opt->keep_institution_terms ? "conservés" : "écartés")) != 0)
		return rc;
	note->params = params;
	note->n_params = np;
	return 0;
}
