/*
 * The figures of a run that come from the system rather than from the data:
 * wall time and peak memory. The note's `run` part (docs/note-json.md) is
 * measured with these, and nothing else in the library reads a clock.
 */
#ifndef VX_UTIL_CLOCK_H
#define VX_UTIL_CLOCK_H

/* Seconds on a monotonic clock: only differences between two calls mean
 * something. */
double vx_clock_now(void);

/* Peak resident memory of the process so far, in KiB; 0 when the system
 * does not say. */
long vx_clock_peak_rss_kb(void);

#endif
