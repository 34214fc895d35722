/*
 * What the modules of the collection (structures.c, collect.c) share. Not
 * a public header.
 */
#ifndef VX_STORAGE_COLLECT_INTERNAL_H
#define VX_STORAGE_COLLECT_INTERNAL_H

#include "voix/store.h"

/* 0 when s is an SQLite store; VX_EINVAL, the message naming what, on a
 * PostgreSQL one (the collection's functions are SQLite-only). */
int vx_collect_sqlite(vx_store *s, const char *what);

#endif
