/* dps_sampler.h - random 1-in-N packet sampler for DPDK worker lcores.
 *
 * One sampler per (lcore, port, rx queue). The owning worker is the only writer of the
 * countdown, the PRNG state and the counters; other threads may read the counters with
 * dps_sampler_read() (relaxed atomics) and change the rate with dps_sampler_set_rate().
 *
 * Gap law: after each sample the next gap (distance in packets to the next sampled packet,
 * counting the sampled one) is drawn uniformly from [1, 2N-1]. Its mean is exactly N, so
 * collectors that scale each sample by N are unbiased. We prefer it to the geometric law
 * because it needs only one 64-bit multiply per sample (no logarithm, no floating point, no
 * rounding bias), its variance is lower (N^2/3 instead of N^2-N) so the per-interval sample
 * count is steadier, and it is what the InMon reference agent and VPP do, so collectors see
 * the same behaviour. The draw maps a 64-bit random word onto the range with a multiply-high
 * (Lemire): the non-uniformity is at most (2N-1)/2^64 < 2^-31 per value, far below anything
 * a test over 1e5 samples could see, and no division or rejection loop is needed.
 */
#ifndef DPS_SAMPLER_H
#define DPS_SAMPLER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dps_sampler {
	/* Worker-private hot fields first: the fast path reads/writes only countdown and
	 * sample_pool, both in the first 16 bytes. */
	uint64_t countdown;     /* packets until and including the next sampled packet; 0 while
	                         * off, so every burst takes the slow path, which notices a new
	                         * rate at once and keeps packets seen while off out of the pool */
	uint64_t sample_pool;   /* packets that could have been sampled (skipped + sampled) */
	uint64_t samples;       /* packets selected */
	uint64_t drops;         /* selected but not queued (ring full), bumped by the caller */
	uint64_t rng_state;     /* PRNG state, worker-private */
	uint32_t rate;          /* requested rate, written by any thread (relaxed) */
	uint32_t active_rate;   /* rate the current gap was drawn with; 0 = off */
	uint32_t first_sample_rate; /* worker-private: the rate the first sample of the last
	                             * burst that had one was drawn with; its later samples were
	                             * drawn with active_rate (they differ only across a change) */
} __attribute__((aligned(64)));

struct dps_sampler_stats {
	uint64_t sample_pool, samples, drops;
	uint32_t rate;          /* rate the current gap was drawn with (0 = off) */
};

/* rate 0 = off, 1 = every packet. seed: any value; different seeds give independent streams. */
void dps_sampler_init(struct dps_sampler *s, uint32_t rate, uint64_t seed);
/* Any thread. Takes effect when the next gap is drawn: after the pending sample, or with the
 * next burst while sampling is off. Packets offered while off are not in sample_pool. */
void dps_sampler_set_rate(struct dps_sampler *s, uint32_t rate);
/* Any thread: relaxed snapshot of the counters. */
void dps_sampler_read(const struct dps_sampler *s, struct dps_sampler_stats *out);

/* Out of line: the burst contains a sample (or sampling is off). Not for direct use. */
unsigned dps_sampler_burst_slow(struct dps_sampler *s, unsigned n, uint16_t *sampled_idx);

/* Accounts a burst of n packets (n <= 65535) and writes the ascending indices of the sampled
 * packets into sampled_idx (room for n). Returns how many were sampled. Each sample is to be
 * labelled with the rate it was drawn with: first_sample_rate for sampled_idx[0], active_rate
 * for the others. A rate change is read once per burst that holds a sample. */
static inline unsigned dps_sampler_burst(struct dps_sampler *s, unsigned n, uint16_t *sampled_idx)
{
	if (__builtin_expect(s->countdown > n, 1)) {
		/* No sample in this burst: no mbuf, no random number. */
		s->countdown -= n;
		__atomic_store_n(&s->sample_pool, s->sample_pool + n, __ATOMIC_RELAXED);
		return 0;
	}
	return dps_sampler_burst_slow(s, n, sampled_idx);
}

/* The caller selected n samples but could not queue them (ring full). */
static inline void dps_sampler_count_drops(struct dps_sampler *s, unsigned n)
{
	__atomic_store_n(&s->drops, s->drops + n, __ATOMIC_RELAXED);
}

#ifdef __cplusplus
}
#endif
#endif /* DPS_SAMPLER_H */
