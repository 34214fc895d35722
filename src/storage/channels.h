/*
 * An experience's channels are stored as a JSON array of strings
 * (["Accueil","Téléphone"]) so that SQL users can read them with json_each().
 * This module writes that array and reads it back without a JSON library
 * (vx_store_load reads 100,000 of them and must stay fast).
 */
#ifndef VX_STORAGE_CHANNELS_H
#define VX_STORAGE_CHANNELS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Appends to out the JSON array of the n strings of items. Errors: VX_ENOMEM. */
int vx_channels_encode(vx_buf *out, const char *const *items, uint32_t n);

/* Parses the JSON array of strings json[0..len) and appends each string,
 * NUL-terminated, to strings (reset first); *n receives their count.
 * Errors: VX_EFORMAT when json is not an array of strings (the message
 * gives the byte offset), VX_ENOMEM. */
int vx_channels_decode(vx_buf *strings, uint32_t *n, const char *json, size_t len);

#endif
