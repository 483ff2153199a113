/* fuzz_view_diff.c - differential libFuzzer harness: the exporter's lean path
 * dps_decode_sample_view() must return the same status and a byte-identical view as
 * dps_sample_view_from(dps_decode_packet()) for any input. Each input is checked as a whole
 * frame, as the captured head of a longer frame, with every extra tunnel port at maximum depth,
 * and with nesting disabled. Any difference aborts (= a finding), and so does a flow ref that
 * dps_flow_read refuses. The lean path starts with the
 * fast path of td_fast.h, so this also compares every packet it takes (and every one it
 * declines) with the full decode. Seeds: tests/fuzz/seeds/fuzz_view_diff/ (the shapes the
 * fast path takes and its fallback triggers; run_fuzzer.sh picks them up) plus, by hand, the
 * generated fuzz_packet corpus in the build directory's seed_fuzz_packet/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dps_tunnel.h"

static void same(const struct dps_decode_config *cfg, const uint8_t *data, uint32_t cap,
		 uint32_t frame_len)
{
	static struct dps_decoded d;
	struct dps_sample_view ref, lean;
	memset(&ref, 0xA5, sizeof(ref));   /* different garbage: an unwritten byte differs */
	memset(&lean, 0x5A, sizeof(lean));
	int st = dps_decode_packet(cfg, data, cap, frame_len, &d);
	dps_sample_view_from(&d, &ref);
	if (dps_decode_sample_view(cfg, data, cap, frame_len, &lean) != st)
		abort();
	if (memcmp(&ref, &lean, sizeof(ref)))
		abort();
	/* the refs name headers inside the capture: read back from the exact-size input (ASan
	 * sees any byte past it), they must be accepted */
	struct dps_flow f;
	if (dps_flow_read(data, cap, &lean.flow, &f) != (lean.flow.family != DPS_AF_NONE) ||
	    dps_flow_read(data, cap, &lean.underlay, &f) != (lean.underlay.family != DPS_AF_NONE))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dps_decode_config deep, flat;
	static int ready;
	if (!ready) {
		dps_decode_config_init(&deep);
		deep.max_tunnel_depth = DPS_MAX_TUNNEL_DEPTH;
		dps_decode_config_add_port(&deep, DPS_UDP_VXLAN, 80);
		dps_decode_config_add_port(&deep, DPS_UDP_GENEVE, 53);
		dps_decode_config_add_port(&deep, DPS_UDP_VXLAN_GPE, 443);
		dps_decode_config_add_port(&deep, DPS_UDP_GTPU, 123);
		dps_decode_config_init(&flat);
		flat.max_tunnel_depth = 0;
		ready = 1;
	}
	if (size > 0xFFFFFFu)
		return 0;
	uint32_t cap = (uint32_t)size;
	same(NULL, data, cap, cap);
	same(NULL, data, cap, cap + 1500);
	same(&deep, data, cap, cap);
	same(&flat, data, cap, cap);
	return 0;
}
