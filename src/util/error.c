#include "voix/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

/* Thread-local so that concurrent contexts do not overwrite each other. */
static _Thread_local char last_message[1024];

const char *vx_error_last(void)
{
	return last_message;
}

int vx_error_set(int code, const char *fmt, ...)
{
	/* Out of memory is written in French here, once for every call site
	 * (error_nomem.c); its twin takes the same arguments. */
	const char *french = code == VX_ENOMEM && fmt ? vx_error_nomem_french(fmt) : NULL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_message, sizeof last_message, french ? french : fmt, ap);
	va_end(ap);
	return code;
}

int vx_error_prefix(int code, const char *fmt, ...)
{
	char msg[sizeof last_message];
	memcpy(msg, last_message, sizeof msg);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(last_message, sizeof last_message, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof last_message) {
		size_t room = sizeof last_message - 1 - (size_t)n, len = strlen(msg);
		if (len > room)
			len = room;
		memcpy(last_message + n, msg, len);
		last_message[(size_t)n + len] = '\0';
	}
	return code;
}

void vx_error_clear(void)
{
	last_message[0] = '\0';
}

const char *vx_error_name(int code)
{
	switch (code) {
	case VX_OK: return "succès";
	case VX_ENOMEM: return "mémoire insuffisante";
	case VX_EIO: return "erreur de lecture ou d'écriture";
	case VX_EFORMAT: return "format illisible";
	case VX_EINVAL: return "argument invalide";
	case VX_EDB: return "erreur de la base de données";
	case VX_EEMPTY: return "rien à analyser";
	case VX_ENOTFOUND: return "introuvable";
	case VX_ETOOBIG: return "entrée trop grande";
	case VX_EWRITE: return "sortie non écrite";
	case VX_EBUSY: return "base occupée";
	default: return "erreur inconnue";
	}
}
