#include "util/clock.h"

#include <sys/resource.h>
#include <time.h>

/* Seconds per nanosecond, the unit of struct timespec's tv_nsec. */
#define SECONDS_PER_NS 1e-9

double vx_clock_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * SECONDS_PER_NS;
}

long vx_clock_peak_rss_kb(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	/* Linux gives ru_maxrss in KiB. */
	return ru.ru_maxrss;
}
