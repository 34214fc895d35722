/*
 * Small ranking helpers shared by the model and the synthesis: a bounded
 * top-k list of ids, and membership in a sorted list of words.
 */
#ifndef VX_UTIL_RANK_H
#define VX_UTIL_RANK_H

#include <stddef.h>
#include <stdint.h>

/* Returns non-zero when id a ranks before id b. */
typedef int (*vx_rank_before)(uint32_t a, uint32_t b, const void *ctx);

/* Inserts id into ids[0..*n), kept in rank order and cut at max entries. An
 * id that ties with listed ones goes after them, so the result is stable. */
void vx_topk_insert(uint32_t *ids, size_t *n, size_t max, uint32_t id, vx_rank_before before, const void *ctx);

/* 1 when the word w[0..len) is in list, sorted by strcmp (bytewise). */
int vx_sorted_contains(const char *const *list, size_t n, const char *w, size_t len);

#endif
