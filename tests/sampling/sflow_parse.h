/* sflow_parse.h - a minimal, test-side sFlow v5 datagram walker (independent of the encoder),
 * enough to check the assembler: header fields, every sample's format/length/sequence/source
 * and the flow records present. Fails the test on any inconsistency in the length fields. */
#ifndef TEST_SFLOW_PARSE_H
#define TEST_SFLOW_PARSE_H

#include "golden.h"

#define PARSE_MAX_SAMPLES 2048

struct parsed_sample {
	uint32_t format;            /* 1..4 */
	uint32_t seq;
	uint32_t source_type, source_index;
	uint32_t n_records;
	uint32_t record_formats[16];
	uint32_t header_length;     /* of a sampled_header record, if any */
	uint32_t frame_length;
	size_t size;                /* bytes including format and length words */
};

struct parsed_datagram {
	uint32_t agent_type;
	uint8_t agent[16];
	uint32_t sub_agent, seq, uptime, n_samples;
	size_t header_size;
	struct parsed_sample samples[PARSE_MAX_SAMPLES];
};

static inline void parse_datagram(const uint8_t *d, size_t len, struct parsed_datagram *out)
{
	size_t off = 0;
	assert_true(len >= 28);
	assert_int_equal(rd32(d), 5);
	out->agent_type = rd32(d + 4);
	size_t alen = out->agent_type == 1 ? 4 : 16;
	assert_true(out->agent_type == 1 || out->agent_type == 2);
	memcpy(out->agent, d + 8, alen);
	off = 8 + alen;
	assert_true(off + 16 <= len);
	out->sub_agent = rd32(d + off);
	out->seq = rd32(d + off + 4);
	out->uptime = rd32(d + off + 8);
	out->n_samples = rd32(d + off + 12);
	off += 16;
	out->header_size = off;
	assert_true(out->n_samples <= PARSE_MAX_SAMPLES);
	for (uint32_t i = 0; i < out->n_samples; i++) {
		struct parsed_sample *s = &out->samples[i];
		memset(s, 0, sizeof(*s));
		assert_true(off + 8 <= len);
		s->format = rd32(d + off);
		uint32_t slen = rd32(d + off + 4);
		assert_true(slen % 4 == 0 && off + 8 + slen <= len);
		const uint8_t *p = d + off + 8, *end = p + slen;
		s->size = 8 + slen;
		s->seq = rd32(p);
		p += 4;
		bool expanded = s->format == 3 || s->format == 4;
		if (expanded) {
			s->source_type = rd32(p);
			s->source_index = rd32(p + 4);
			p += 8;
		} else {
			s->source_type = rd32(p) >> 24;
			s->source_index = rd32(p) & 0xffffff;
			p += 4;
		}
		if (s->format == 1 || s->format == 3)
			p += expanded ? 28 : 20;  /* rate, pool, drops, input, output */
		s->n_records = rd32(p);
		p += 4;
		assert_true(s->n_records <= 16);
		for (uint32_t r = 0; r < s->n_records; r++) {
			assert_true(p + 8 <= end);
			s->record_formats[r] = rd32(p);
			uint32_t rlen = rd32(p + 4);
			assert_true(rlen % 4 == 0 && p + 8 + rlen <= end);
			if ((s->format == 1 || s->format == 3) && s->record_formats[r] == 1) {
				s->frame_length = rd32(p + 12);
				s->header_length = rd32(p + 20);
				assert_int_equal(rlen, 16 + ((s->header_length + 3) & ~3u));
			}
			p += 8 + rlen;
		}
		assert_true(p == end);   /* records fill the sample exactly */
		off += s->size;
	}
	assert_int_equal(off, len);      /* samples fill the datagram exactly */
}

#endif
