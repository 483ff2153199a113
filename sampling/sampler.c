/* sampler.c - the sampler's cold parts: seeding, gap draws, bursts that contain a sample. */
#include "dps_sampler.h"

/* splitmix64 finaliser: a bijective 64-bit mixer, used both to scramble seeds (so nearby
 * seeds do not give overlapping streams) and as the output function of the generator. */
static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Weyl sequence through the mixer: period 2^64, one add and the mixer per draw. */
static inline uint64_t next_random(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ull;
	return mix64(*state);
}

/* Uniform on [1, 2*rate-1] (rate >= 1): mean exactly rate. 2*rate-1 < 2^33 so the product
 * fits 128 bits; multiply-high instead of modulo avoids a division and a rejection loop. */
static inline uint64_t draw_gap(uint64_t *state, uint32_t rate)
{
	uint64_t span = 2 * (uint64_t)rate - 1;
	if (span == 1)
		return 1;
	return 1 + (uint64_t)(((unsigned __int128)next_random(state) * span) >> 64);
}

void dps_sampler_init(struct dps_sampler *s, uint32_t rate, uint64_t seed)
{
	s->rng_state = mix64(seed ^ 0x6a09e667f3bcc909ull);
	s->sample_pool = 0;
	s->samples = 0;
	s->drops = 0;
	s->rate = rate;
	s->active_rate = rate;
	s->first_sample_rate = rate;
	s->countdown = rate ? draw_gap(&s->rng_state, rate) : 0;
}

void dps_sampler_set_rate(struct dps_sampler *s, uint32_t rate)
{
	__atomic_store_n(&s->rate, rate, __ATOMIC_RELAXED);
}

void dps_sampler_read(const struct dps_sampler *s, struct dps_sampler_stats *out)
{
	out->sample_pool = __atomic_load_n(&s->sample_pool, __ATOMIC_RELAXED);
	out->samples = __atomic_load_n(&s->samples, __ATOMIC_RELAXED);
	out->drops = __atomic_load_n(&s->drops, __ATOMIC_RELAXED);
	out->rate = __atomic_load_n(&s->active_rate, __ATOMIC_RELAXED);
}

unsigned dps_sampler_burst_slow(struct dps_sampler *s, unsigned n, uint16_t *sampled_idx)
{
	uint32_t rate = __atomic_load_n(&s->rate, __ATOMIC_RELAXED);
	if (s->active_rate == 0) {
		if (rate == 0)
			return 0;       /* still off: nothing could have been sampled */
		__atomic_store_n(&s->active_rate, rate, __ATOMIC_RELAXED);
		s->countdown = draw_gap(&s->rng_state, rate);
		if (s->countdown > n) {
			s->countdown -= n;
			__atomic_store_n(&s->sample_pool, s->sample_pool + n, __ATOMIC_RELAXED);
			return 0;
		}
	}

	/* The first sample ends a gap drawn with active_rate; every gap after it is drawn with
	 * the rate read above (once per burst), so a burst's samples carry at most two rates and
	 * the caller can label each with the rate that selected it. */
	s->first_sample_rate = s->active_rate;
	if (rate != s->active_rate)
		__atomic_store_n(&s->active_rate, rate, __ATOMIC_RELAXED);

	/* countdown <= n here: the sample sits inside this burst. Each further sample is placed
	 * relative to the previous one (not to the burst start), and the countdown carries what
	 * is left of the last gap into the next burst, so every packet is in exactly one gap. */
	uint64_t pos = s->countdown - 1;
	uint64_t accounted = n;
	unsigned taken = 0;
	for (;;) {
		sampled_idx[taken++] = (uint16_t)pos;
		if (rate == 0) {
			/* Switched off: the rest of the burst could not have been sampled. */
			accounted = pos + 1;
			s->countdown = 0;
			break;
		}
		uint64_t next = pos + draw_gap(&s->rng_state, rate);
		if (next >= n) {
			s->countdown = next - n + 1;
			break;
		}
		pos = next;
	}
	__atomic_store_n(&s->sample_pool, s->sample_pool + accounted, __ATOMIC_RELAXED);
	__atomic_store_n(&s->samples, s->samples + taken, __ATOMIC_RELAXED);
	return taken;
}
