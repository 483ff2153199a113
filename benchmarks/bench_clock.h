/* SPDX-License-Identifier: BSD-3-Clause */
/* Clocks shared by the micro benchmarks: TSC cycles where the CPU has a TSC (ns elsewhere),
 * and wall seconds for rates. */
#ifndef DPS_BENCH_CLOCK_H
#define DPS_BENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
static inline uint64_t cycles(void) { return __rdtsc(); }
#define CYCLE_UNIT "TSC cycles"
#else
static inline uint64_t cycles(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#define CYCLE_UNIT "ns"
#endif

static inline double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
