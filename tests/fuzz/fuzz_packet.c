/* fuzz_packet.c - libFuzzer harness for the tunnel_decode packet decoder and sample view.
 * Each input is decoded three ways: as a whole frame, as the captured head of a longer frame
 * (truncation paths), and with every extra UDP tunnel port and the maximum nesting depth. The
 * structural invariants the agent relies on are checked; a violation aborts (= a finding).
 * Seeds: make_pcaps.py OUTDIR --seeds <build>/tests/fuzz/seed_fuzz_packet (done by the build). */
#include <stdint.h>
#include <stdlib.h>

#include "dps_tunnel.h"

/* A ref the decoder set names headers inside the capture: dps_flow_read must accept it (and,
 * under ASan, read nothing past the exact-size input). */
static void check_ref(const uint8_t *data, uint32_t cap, const struct dps_flow_ref *ref)
{
	struct dps_flow f;
	if (dps_flow_read(data, cap, ref, &f) != (ref->family != DPS_AF_NONE))
		abort();
}

static void check(const uint8_t *data, const struct dps_decoded *d, uint32_t cap,
		  unsigned max_depth)
{
	if (d->n_layers > DPS_MAX_LAYERS || d->tunnel_depth > max_depth || d->payload_offset > cap)
		abort();
	for (unsigned i = 0; i < d->n_layers; i++) {
		const struct dps_layer *l = &d->layers[i];
		if (l->offset > cap || l->length > cap - l->offset || l->level > d->tunnel_depth)
			abort();
		if (i && l->offset < d->layers[i - 1].offset)
			abort();
	}
	struct dps_sample_view v;
	dps_sample_view_from(d, &v);
	if (v.has_inner_offset && v.inner_header_offset > cap)
		abort();
	if (v.n_mpls_stored > DPS_MAX_MPLS_LABELS)
		abort();
	check_ref(data, cap, &v.flow);
	check_ref(data, cap, &v.underlay);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dps_decoded d;
	static struct dps_decode_config deep;
	static int deep_ready;
	if (!deep_ready) {
		dps_decode_config_init(&deep);
		deep.max_tunnel_depth = DPS_MAX_TUNNEL_DEPTH;
		dps_decode_config_add_port(&deep, DPS_UDP_VXLAN, 80);
		dps_decode_config_add_port(&deep, DPS_UDP_GENEVE, 53);
		dps_decode_config_add_port(&deep, DPS_UDP_VXLAN_GPE, 443);
		dps_decode_config_add_port(&deep, DPS_UDP_GTPU, 123);
		deep_ready = 1;
	}
	if (size > 0xFFFFFFu)
		return 0;
	uint32_t cap = (uint32_t)size;
	dps_decode_packet(NULL, data, cap, cap, &d);
	check(data, &d, cap, DPS_DEFAULT_TUNNEL_DEPTH);
	dps_decode_packet(NULL, data, cap, cap + 1500, &d);
	check(data, &d, cap, DPS_DEFAULT_TUNNEL_DEPTH);
	dps_decode_packet(&deep, data, cap, cap, &d);
	check(data, &d, cap, DPS_MAX_TUNNEL_DEPTH);
	return 0;
}
