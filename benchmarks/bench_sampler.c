/* bench_sampler - cost of dps_sampler_burst() per packet.
 *
 *   bench_sampler [BURSTS [RATE [BURST]]]      defaults: 20000000 bursts, N=1000, burst 32
 *
 * Prints TSC cycles per packet and packets/s. For instructions per packet run it under
 * callgrind and divide the inclusive Ir of run_bursts by the packet count printed:
 *   valgrind --tool=callgrind --callgrind-out-file=cg.out ./bench_sampler 1000000
 *   callgrind_annotate --inclusive=yes cg.out | grep run_bursts
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_clock.h"
#include "dps_sampling.h"

/* The measured loop; noinline so callgrind reports it as one function. */
static __attribute__((noinline)) uint64_t run_bursts(struct dps_sampler *s, uint64_t bursts,
						      unsigned burst, uint16_t *idx)
{
	uint64_t sampled = 0;
	for (uint64_t i = 0; i < bursts; i++)
		sampled += dps_sampler_burst(s, burst, idx);
	return sampled;
}

int main(int argc, char **argv)
{
	uint64_t bursts = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000;
	uint32_t rate = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 1000;
	unsigned burst = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 32;
	if (!bursts || !burst || burst > 65535) {
		fprintf(stderr, "usage: %s [BURSTS [RATE [BURST<=65535]]]\n", argv[0]);
		return 2;
	}
	static uint16_t idx[65535];
	static struct dps_sampler s;
	dps_sampler_init(&s, rate, 0x5eed);
	run_bursts(&s, bursts / 100 + 1, burst, idx);      /* warm up */
	dps_sampler_init(&s, rate, 0x5eed);

	double t0 = now_s();
	uint64_t c0 = cycles();
	uint64_t sampled = run_bursts(&s, bursts, burst, idx);
	uint64_t c1 = cycles();
	double t1 = now_s();

	uint64_t packets = bursts * burst;
	struct dps_sampler_stats st;
	dps_sampler_read(&s, &st);
	printf("sampler N=%" PRIu32 " burst=%u: %" PRIu64 " packets, %" PRIu64 " samples "
	       "(pool %" PRIu64 ")\n", rate, burst, packets, sampled, st.sample_pool);
	printf("  %.3f %s/packet, %.1f Mpackets/s, %.1f ns/burst\n",
	       (double)(c1 - c0) / (double)packets, CYCLE_UNIT,
	       (double)packets / (t1 - t0) / 1e6, (t1 - t0) * 1e9 / (double)bursts);
	return st.sample_pool == packets ? 0 : 1;
}
