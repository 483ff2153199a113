/* Sampler: exact accounting and the statistics of the gap law (uniform on [1, 2N-1]).
 * Everything is seeded, so the outcome is deterministic; the bounds are 4 sigma (or
 * p = 1e-4 for chi-square, |z| < 3 for runs), which a correct sampler passes for these
 * seeds and which the known bug classes (tail not accounted, later samples indexed from the
 * burst start, per-packet coin flips with a wrong probability) fail by a wide margin. */
#include <math.h>
#include <stdlib.h>

#include "dps_sampling.h"
#include "golden.h"

#define TARGET_SAMPLES 100000ull

/* Deterministic burst sizes (a test-local LCG, independent of the sampler's generator). */
static uint64_t lcg_state;
static unsigned lcg_range(unsigned lo, unsigned hi)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return lo + (unsigned)((lcg_state >> 33) % (hi - lo + 1));
}

struct run {
	uint64_t packets;       /* offered */
	uint64_t *gaps;         /* distance between successive sampled packets (first: from 0) */
	size_t n_gaps, cap;
	uint64_t last_pos;      /* global position of the previous sample + 1 */
};

static void run_add_gap(struct run *r, uint64_t gap)
{
	if (r->n_gaps == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->gaps = realloc(r->gaps, r->cap * sizeof(*r->gaps));
		assert_non_null(r->gaps);
	}
	r->gaps[r->n_gaps++] = gap;
}

/* Offers one burst and checks the per-burst contract (ascending, in range). */
static unsigned offer(struct dps_sampler *s, struct run *r, unsigned n)
{
	static uint16_t idx[65535];
	unsigned k = dps_sampler_burst(s, n, idx);
	assert_true(k <= n);
	for (unsigned i = 0; i < k; i++) {
		assert_true(idx[i] < n);
		if (i)
			assert_true(idx[i] > idx[i - 1]);
		uint64_t pos = r->packets + idx[i] + 1;
		run_add_gap(r, pos - r->last_pos);
		r->last_pos = pos;
	}
	r->packets += n;
	return k;
}

/* Burst sizes: 1..256 and, for small N, every 16th burst 4N so bursts larger than N occur
 * too; for large N mostly big bursts so 1e5 samples stay fast under ASan. */
static unsigned next_burst(uint32_t rate, uint64_t left)
{
	unsigned n;
	if (rate >= (1u << 24))
		n = lcg_range(1, 16) == 1 ? lcg_range(1, 256) : 65535;
	else if (rate >= 65536)
		n = lcg_range(1, 65535);
	else if (lcg_range(1, 16) == 1)
		n = rate * 4 > 65535 ? 65535 : rate * 4;
	else
		n = lcg_range(1, 256);
	return left < n ? (unsigned)left : n;
}

/* Upper p = 1e-4 quantile of chi-square (Wilson-Hilferty). */
static double chi2_crit(double dof)
{
	double z = 3.719, t = 2.0 / (9.0 * dof);
	return dof * pow(1.0 - t + z * sqrt(t), 3.0);
}

static void check_gap_law(const uint64_t *gaps, size_t k, uint32_t rate)
{
	if (rate == 1) {
		for (size_t i = 0; i < k; i++)
			assert_int_equal(gaps[i], 1);
		return;
	}
	uint64_t span = 2 * (uint64_t)rate - 1;
	double sum = 0;
	for (size_t i = 0; i < k; i++) {
		assert_true(gaps[i] >= 1 && gaps[i] <= span);
		sum += (double)gaps[i];
	}
	/* Mean gap: N within 4 sigma, sigma^2 = N(N-1)/3 / k. */
	double mean = sum / (double)k;
	double sd_mean = sqrt((double)rate * (rate - 1.0) / 3.0 / (double)k);
	print_message("    N=%u samples=%zu mean gap=%.3f (%.2f sigma)\n", rate, k, mean,
		      (mean - rate) / sd_mean);
	assert_true(fabs(mean - rate) <= 4 * sd_mean);

	/* Chi-square against the uniform law, equal-width bins over [1, 2N-1]. */
	unsigned bins = span < 64 ? (unsigned)span : 64;
	uint64_t obs[64] = { 0 };
	for (size_t i = 0; i < k; i++)
		obs[(gaps[i] - 1) * bins / span]++;
	double chi2 = 0;
	for (unsigned b = 0; b < bins; b++) {
		/* integers t in [0, span) with floor(t*bins/span) == b */
		uint64_t lo = (b * span + bins - 1) / bins, hi = ((b + 1) * span + bins - 1) / bins;
		double expect = (double)k * (double)(hi - lo) / (double)span;
		chi2 += ((double)obs[b] - expect) * ((double)obs[b] - expect) / expect;
	}
	print_message("    chi2=%.1f dof=%u crit=%.1f\n", chi2, bins - 1, chi2_crit(bins - 1));
	assert_true(chi2 < chi2_crit(bins - 1));

	/* Wald-Wolfowitz runs test above/below N (the median; gaps equal to N left out). */
	uint64_t n_above = 0, n_below = 0, runs = 0;
	int prev = 0;
	for (size_t i = 0; i < k; i++) {
		if (gaps[i] == rate)
			continue;
		int side = gaps[i] > rate ? 1 : -1;
		if (side > 0)
			n_above++;
		else
			n_below++;
		if (side != prev)
			runs++;
		prev = side;
	}
	double n1 = (double)n_above, n2 = (double)n_below, nn = n1 + n2;
	double mu = 2 * n1 * n2 / nn + 1;
	double var = 2 * n1 * n2 * (2 * n1 * n2 - nn) / (nn * nn * (nn - 1));
	double z = ((double)runs - mu) / sqrt(var);
	print_message("    runs=%llu expected=%.1f z=%.2f\n", (unsigned long long)runs, mu, z);
	assert_true(fabs(z) < 3);
}

static void statistics_for_rate(uint32_t rate, uint64_t seed)
{
	struct dps_sampler s;
	struct run r = { 0 };
	dps_sampler_init(&s, rate, seed);
	lcg_state = seed * 7 + rate;
	uint64_t total = TARGET_SAMPLES * rate;
	uint64_t sampled = 0;
	while (r.packets < total)
		sampled += offer(&s, &r, next_burst(rate, total - r.packets));

	struct dps_sampler_stats st;
	dps_sampler_read(&s, &st);
	assert_int_equal(st.sample_pool, total);     /* exact: every packet accounted */
	assert_int_equal(st.samples, sampled);
	assert_int_equal(st.samples, r.n_gaps);
	assert_int_equal(st.drops, 0);
	assert_int_equal(st.rate, rate);

	/* Sample count over P packets: renewal process, var = P (N-1) / (3 N^2). */
	double expect = (double)total / rate;
	double sd = sqrt((double)total * (rate - 1.0) / (3.0 * (double)rate * rate));
	print_message("    samples=%llu expected=%.0f sd=%.1f\n", (unsigned long long)sampled,
		      expect, sd);
	assert_true(fabs((double)sampled - expect) <= 4 * sd + 1);
	check_gap_law(r.gaps, r.n_gaps, rate);
	free(r.gaps);
}

static void test_stats_n1(void **st) { (void)st; statistics_for_rate(1, 11); }
static void test_stats_n2(void **st) { (void)st; statistics_for_rate(2, 12); }
static void test_stats_n3(void **st) { (void)st; statistics_for_rate(3, 13); }
static void test_stats_n10(void **st) { (void)st; statistics_for_rate(10, 14); }
static void test_stats_n100(void **st) { (void)st; statistics_for_rate(100, 15); }
static void test_stats_n1000(void **st) { (void)st; statistics_for_rate(1000, 16); }
static void test_stats_n65536(void **st) { (void)st; statistics_for_rate(65536, 17); }
static void test_stats_n2p24(void **st) { (void)st; statistics_for_rate(1u << 24, 18); }

/* Every burst size 1..256 at N=10 and N=300: pool exact after each burst. */
static void test_every_burst_size_pool_exact(void **state)
{
	(void)state;
	const uint32_t rates[] = { 10, 300 };
	for (unsigned ri = 0; ri < 2; ri++) {
		struct dps_sampler s;
		struct run r = { 0 };
		dps_sampler_init(&s, rates[ri], 99 + ri);
		for (unsigned rep = 0; rep < 20; rep++) {
			for (unsigned n = 1; n <= 256; n++) {
				offer(&s, &r, n);
				struct dps_sampler_stats st;
				dps_sampler_read(&s, &st);
				assert_int_equal(st.sample_pool, r.packets);
				assert_int_equal(st.samples, r.n_gaps);
			}
		}
		for (size_t i = 0; i < r.n_gaps; i++)
			assert_true(r.gaps[i] >= 1 && r.gaps[i] <= 2 * rates[ri] - 1);
		free(r.gaps);
	}
}

/* No random number drawn and nothing written but countdown/pool when the burst is skipped. */
static void test_fast_path_draws_nothing(void **state)
{
	(void)state;
	struct dps_sampler s;
	uint16_t idx[32];
	dps_sampler_init(&s, 1000000, 5);
	uint64_t rng = s.rng_state, cd = s.countdown;
	assert_true(cd > 32);
	assert_int_equal(dps_sampler_burst(&s, 32, idx), 0);
	assert_int_equal(s.rng_state, rng);
	assert_int_equal(s.countdown, cd - 32);
	assert_int_equal(s.samples, 0);
	assert_int_equal(s.sample_pool, 32);
	/* Exactly up to the sample: the burst ending on the sampled packet draws once. */
	unsigned n = (unsigned)(s.countdown > 65535 ? 0 : s.countdown);
	while (s.countdown > 65535)
		assert_int_equal(dps_sampler_burst(&s, 65535, NULL), 0);
	rng = s.rng_state;
	n = (unsigned)s.countdown;
	uint16_t big[65535];
	assert_int_equal(dps_sampler_burst(&s, n, big), 1);
	assert_int_equal(big[0], n - 1);
	assert_int_not_equal(s.rng_state, rng);
	assert_true(s.countdown >= 1 && s.countdown <= 2 * 1000000ull - 1);
	assert_int_equal(__alignof__(struct dps_sampler), 64);
}

static void test_rate_change_mid_stream(void **state)
{
	(void)state;
	struct dps_sampler s;
	struct run r = { 0 };
	dps_sampler_init(&s, 100, 21);
	lcg_state = 3;
	while (r.packets < 2000000)
		offer(&s, &r, lcg_range(1, 256));
	size_t before = r.n_gaps;
	dps_sampler_set_rate(&s, 1000);
	struct dps_sampler_stats st;
	dps_sampler_read(&s, &st);
	assert_int_equal(st.rate, 100);     /* the pending gap was drawn with 100 */
	while (r.packets < 2000000 + 100000000ull)
		offer(&s, &r, lcg_range(1, 256));
	dps_sampler_read(&s, &st);
	assert_int_equal(st.rate, 1000);
	assert_int_equal(st.sample_pool, r.packets);
	/* The gap pending at the change still follows the old law; all later ones the new. */
	assert_true(r.gaps[before] <= 199);
	check_gap_law(r.gaps + before + 1, r.n_gaps - before - 1, 1000);
	check_gap_law(r.gaps, before, 100);
	free(r.gaps);
}

static void test_off_and_on(void **state)
{
	(void)state;
	struct dps_sampler s;
	uint16_t idx[256];
	struct dps_sampler_stats st;
	dps_sampler_init(&s, 0, 1);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(dps_sampler_burst(&s, 256, idx), 0);
	dps_sampler_read(&s, &st);
	assert_int_equal(st.sample_pool, 0);   /* nothing could have been sampled */
	assert_int_equal(st.samples, 0);
	assert_int_equal(st.rate, 0);

	/* Off -> on takes effect with the next burst. */
	dps_sampler_set_rate(&s, 1);
	assert_int_equal(dps_sampler_burst(&s, 5, idx), 5);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(idx[i], i);
	dps_sampler_read(&s, &st);
	assert_int_equal(st.sample_pool, 5);
	assert_int_equal(st.rate, 1);

	/* On -> off after the pending sample: the rest of that burst is not in the pool. */
	dps_sampler_set_rate(&s, 0);
	assert_int_equal(dps_sampler_burst(&s, 10, idx), 1);
	assert_int_equal(idx[0], 0);
	dps_sampler_read(&s, &st);
	assert_int_equal(st.sample_pool, 6);
	assert_int_equal(st.samples, 6);
	assert_int_equal(dps_sampler_burst(&s, 100, idx), 0);
	dps_sampler_read(&s, &st);
	assert_int_equal(st.sample_pool, 6);
	assert_int_equal(st.rate, 0);
}

/* Every sample is labelled with the rate of the gap that selected it: a change applies after
 * the pending sample, so the first sample of the burst that sees it keeps the old rate. */
static void test_sample_rates_across_change(void **state)
{
	(void)state;
	struct dps_sampler s;
	uint16_t idx[64];
	dps_sampler_init(&s, 1, 5);
	assert_int_equal(dps_sampler_burst(&s, 4, idx), 4);
	assert_int_equal(s.first_sample_rate, 1);
	assert_int_equal(s.active_rate, 1);

	/* 1 -> 2 in the middle of the stream: idx[0] closes a gap of rate 1, the rest rate 2 */
	dps_sampler_set_rate(&s, 2);
	unsigned n = dps_sampler_burst(&s, 64, idx);
	assert_true(n >= 2);
	assert_int_equal(idx[0], 0);
	assert_int_equal(s.first_sample_rate, 1);
	assert_int_equal(s.active_rate, 2);

	/* steady again: both labels agree (the burst loop may end on a carried gap: feed until
	 * a burst has a sample) */
	do
		n = dps_sampler_burst(&s, 64, idx);
	while (n == 0);
	assert_int_equal(s.first_sample_rate, 2);
	assert_int_equal(s.active_rate, 2);

	/* switched off: the pending sample still carries 2; nothing after it is sampled */
	dps_sampler_set_rate(&s, 0);
	do
		n = dps_sampler_burst(&s, 64, idx);
	while (n == 0);
	assert_int_equal(n, 1);
	assert_int_equal(s.first_sample_rate, 2);
	assert_int_equal(s.active_rate, 0);
}

static void test_drops_and_read(void **state)
{
	(void)state;
	struct dps_sampler s;
	dps_sampler_init(&s, 2, 1);
	dps_sampler_count_drops(&s, 3);
	dps_sampler_count_drops(&s, 4);
	struct dps_sampler_stats st;
	dps_sampler_read(&s, &st);
	assert_int_equal(st.drops, 7);
	assert_int_equal(st.rate, 2);
}

/* Large N: the gap never overflows and uses the whole range [1, 2N-1]. */
static void test_max_rate(void **state)
{
	(void)state;
	struct dps_sampler s;
	dps_sampler_init(&s, UINT32_MAX, 77);
	uint64_t max_gap = 2ull * UINT32_MAX - 1, hi = 0, lo = UINT64_MAX;
	for (int i = 0; i < 2000; i++) {
		/* Consume the gap in one step by setting the countdown to the sample. */
		uint16_t idx[1];
		assert_true(s.countdown >= 1 && s.countdown <= max_gap);
		hi = s.countdown > hi ? s.countdown : hi;
		lo = s.countdown < lo ? s.countdown : lo;
		s.countdown = 1;
		assert_int_equal(dps_sampler_burst(&s, 1, idx), 1);
	}
	/* 2000 draws: the extremes land in the outer 1% of the range. */
	assert_true(hi > max_gap / 100 * 99);
	assert_true(lo < max_gap / 100);
}

/* Samplers seeded differently are uncorrelated (per-lcore independence). */
static void test_independent_seeds(void **state)
{
	(void)state;
	struct dps_sampler a, b;
	struct run ra = { 0 }, rb = { 0 };
	dps_sampler_init(&a, 1000, 1);
	dps_sampler_init(&b, 1000, 2);
	while (ra.n_gaps < 20000 || rb.n_gaps < 20000) {
		offer(&a, &ra, 256);
		offer(&b, &rb, 256);
	}
	size_t k = 20000;
	double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
	for (size_t i = 0; i < k; i++) {
		ma += (double)ra.gaps[i];
		mb += (double)rb.gaps[i];
	}
	ma /= (double)k;
	mb /= (double)k;
	for (size_t i = 0; i < k; i++) {
		double da = (double)ra.gaps[i] - ma, db = (double)rb.gaps[i] - mb;
		sab += da * db;
		saa += da * da;
		sbb += db * db;
	}
	double corr = sab / sqrt(saa * sbb);
	print_message("    correlation between seeds 1 and 2: %.4f\n", corr);
	assert_true(fabs(corr) < 4.0 / sqrt((double)k));
	assert_true(memcmp(ra.gaps, rb.gaps, 100 * sizeof(uint64_t)) != 0);
	free(ra.gaps);
	free(rb.gaps);
}

int main(void)
{
	cmocka_output_to_stdout();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_n1),
		cmocka_unit_test(test_stats_n2),
		cmocka_unit_test(test_stats_n3),
		cmocka_unit_test(test_stats_n10),
		cmocka_unit_test(test_stats_n100),
		cmocka_unit_test(test_stats_n1000),
		cmocka_unit_test(test_stats_n65536),
		cmocka_unit_test(test_stats_n2p24),
		cmocka_unit_test(test_every_burst_size_pool_exact),
		cmocka_unit_test(test_fast_path_draws_nothing),
		cmocka_unit_test(test_rate_change_mid_stream),
		cmocka_unit_test(test_off_and_on),
		cmocka_unit_test(test_sample_rates_across_change),
		cmocka_unit_test(test_drops_and_read),
		cmocka_unit_test(test_max_rate),
		cmocka_unit_test(test_independent_seeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
