#ifndef TENDERLOTS_BENCH_H
#define TENDERLOTS_BENCH_H

/*
 * Benchmarks compare a stage with a baseline measured in the same run,
 * alternating rounds so that a noisy machine slows both alike; the ratio is
 * the figure that means something, the absolute rates only describe this
 * machine.
 */
#include <stdio.h>
#include <time.h>

static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs both for rounds rounds, alternating, and keeps each one's best. */
static inline void
bench_pair(int rounds, void (*baseline)(void *), void (*subject)(void *),
	   void *ctx, double *best_base, double *best_subject)
{
	int r;

	*best_base = *best_subject = 1e300;
	for (r = 0; r < rounds; r++) {
		double t0 = bench_now(), t1, t2;

		baseline(ctx);
		t1 = bench_now();
		subject(ctx);
		t2 = bench_now();
		if (t1 - t0 < *best_base)
			*best_base = t1 - t0;
		if (t2 - t1 < *best_subject)
			*best_subject = t2 - t1;
	}
}

#endif
