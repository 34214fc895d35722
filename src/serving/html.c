/*
 * The dashboard's HTML frame and escaping (html.h). The style sheet is
 * served from /static/voix.css, so that the Content-Security-Policy can
 * refuse inline scripts; pages work without JavaScript.
 */
#include "serving/html.h"

#include <string.h>

#include "voix/corpus.h"

int vx_html_text(vx_buf *b, const char *s, size_t len)
{
	int rc = 0;
	size_t run = 0;
	for (size_t i = 0; i < len && rc == 0; i++) {
		const char *ent = NULL;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: break;
		}
		if (ent) {
			rc = vx_buf_append(b, s + run, i - run);
			if (rc == 0)
				rc = vx_buf_puts(b, ent);
			run = i + 1;
		}
	}
	if (rc == 0)
		rc = vx_buf_append(b, s + run, len - run);
	return rc;
}

int vx_html_puts(vx_buf *b, const char *s)
{
	return s ? vx_html_text(b, s, strlen(s)) : 0;
}

int vx_html_url(vx_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && rc == 0; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '_' || *p == '.')
			rc = vx_buf_putc(b, (char)*p);
		else
			rc = vx_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	return rc;
}

int vx_html_begin(vx_buf *b, const char *title, const char *user, const char *csrf, int analyst, int admin)
{
	int rc = vx_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
	                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	if (rc == 0)
		rc = vx_html_puts(b, title);
	if (rc == 0)
		rc = vx_buf_puts(b, " – voix</title>\n<link rel=\"stylesheet\" href=\"/static/voix.css\">\n</head>\n"
		                    "<body>\n<a class=\"skip\" href=\"#contenu\">Aller au contenu</a>\n"
		                    "<header class=\"top\"><p class=\"brand\">voix</p>\n");
	if (rc == 0 && user) {
		rc = vx_buf_puts(b, "<nav aria-label=\"Navigation principale\"><ul>"
		                    "<li><a href=\"/note\">Note</a></li><li><a href=\"/compare\">Comparer</a></li>"
		                    "<li><a href=\"/trends\">Évolution</a></li>");
		if (rc == 0 && analyst)
			rc = vx_buf_puts(b, "<li><a href=\"/sources\">Sources</a></li>"
			                    "<li><a href=\"/experiences\">Recherche</a></li>");
		if (rc == 0 && admin)
			rc = vx_buf_puts(b, "<li><a href=\"/comptes\">Comptes</a></li><li><a href=\"/moderation\">Modération</a>"
			                    "</li><li><a href=\"/journal\">Journal</a></li>");
		if (rc == 0)
			rc = vx_buf_puts(b, "</ul></nav>\n<form class=\"logout\" method=\"post\" action=\"/deconnexion\">"
			                    "<span>Connecté : ");
		if (rc == 0)
			rc = vx_html_puts(b, user);
		if (rc == 0)
			rc = vx_buf_puts(b, "</span> <input type=\"hidden\" name=\"csrf\" value=\"");
		if (rc == 0)
			rc = vx_html_puts(b, csrf);
		if (rc == 0)
			rc = vx_buf_puts(b, "\"><button type=\"submit\">Se déconnecter</button></form>\n");
	}
	if (rc == 0)
		rc = vx_buf_puts(b, "</header>\n<main id=\"contenu\" tabindex=\"-1\">\n<h1>");
	if (rc == 0)
		rc = vx_html_puts(b, title);
	if (rc == 0)
		rc = vx_buf_puts(b, "</h1>\n");
	return rc;
}

int vx_html_end(vx_buf *b)
{
	return vx_buf_puts(b, "</main>\n</body>\n</html>\n");
}

/* Colours: text #1e1e1e on white (16:1), links and focus #000091 (14:1), so
 * that every pair passes RGAA AA (4.5:1). The "dsfr" theme takes the
 * State's palette and type scale; it is for State websites only. */
#define CSS_COMMON                                                                                         \
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1e1e1e;"               \
	"background:#fff;line-height:1.5;margin:0}\n"                                                         \
	"main{max-width:64rem;margin:0 auto;padding:1rem 1.5rem}\n"                                           \
	".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}\n" \
	"a{color:#000091}\n"                                                                                  \
	"a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #000091;"               \
	"outline-offset:2px}\n"                                                                                \
	".top{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.5rem 1.5rem;"                     \
	"border-bottom:1px solid #929292}\n"                                                                  \
	".top ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}.brand{font-weight:700;margin:0}\n" \
	".logout{margin-left:auto}\n"                                                                         \
	"label{display:block;font-weight:600;margin-top:.5rem}\n"                                             \
	"input,select,button{font:inherit;padding:.3rem .5rem}\n"                                             \
	"button{background:#000091;color:#fff;border:0;cursor:pointer}\n"                                     \
	"fieldset.filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.5rem}\n" \
	"table{border-collapse:collapse}th,td{border:1px solid #929292;padding:.2rem .6rem;text-align:left}\n" \
	"mark{background:#ffe552;color:#1e1e1e}\n"                                                            \
	".notice{border-left:4px solid #000091;padding:.3rem .8rem;background:#f5f5fe}\n"                     \
	"svg.chart{width:100%;max-width:48rem;height:auto}ul.legend{list-style:none;padding:0}"             \
	"ul.legend li{display:inline-block;margin-right:1rem}\n"                                            \
	".error{border-left:4px solid #ce0500;padding:.3rem .8rem;background:#fef4f4}\n"                      \
	"article.exp{border-top:1px solid #929292;padding:.5rem 0}\n"                                        \
	"label.inline{display:inline;font-weight:400}textarea{font:inherit;width:100%;max-width:48rem}\n"     \
	".field-error{color:#ce0500;font-weight:600;margin:.2rem 0}.hint{color:#3a3a3a;margin:.2rem 0}\n"      \
	".hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}\n"                          \
	"form.avis fieldset{margin:1rem 0;border:1px solid #929292}\n"                                        \
	"mark.pii{background:#ffd8cc;color:#1e1e1e;outline:1px dashed #ce0500}\n"                             \
	"blockquote.reply{border-left:4px solid #000091;margin:.5rem 0;padding:.2rem .8rem;background:#f5f5fe}\n"

const char *vx_html_css(int dsfr)
{
	static const char neutral[] = CSS_COMMON;
	static const char state[] = CSS_COMMON
		"body{font-family:Marianne,Arial,sans-serif}.top{border-bottom:4px solid #000091}\n"
		"h1,h2{color:#161616}.brand::before{content:'République française · '}\n";
	return dsfr ? state : neutral;
}

int vx_feeling_select(vx_buf *b, const char *id, const char *name, const char *label, const char *value)
{
	vx_feeling chosen = VX_FEELING_UNKNOWN;
	if (value && vx_feeling_from_name(&chosen, value) != 0)
		chosen = VX_FEELING_UNKNOWN;
	int rc = vx_buf_printf(b, "<div><label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\">"
	                          "<option value=\"\">tous</option>",
	                       id, label, id, name);
	for (int f = VX_FEELING_POSITIVE; f <= VX_FEELING_NEGATIVE && rc == 0; f++)
		rc = vx_buf_printf(b, "<option value=\"%s\"%s>%s</option>", vx_feeling_key((vx_feeling)f),
		                   chosen == (vx_feeling)f ? " selected" : "", vx_feeling_name((vx_feeling)f));
	if (rc == 0)
		rc = vx_buf_puts(b, "</select></div>\n");
	return rc;
}
