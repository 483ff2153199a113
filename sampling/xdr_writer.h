/* xdr_writer.h (private) - big-endian XDR words through a local cursor.
 * Encoders check the room for a whole sample once (dps_xdr_room, against the exact size from
 * the matching *_size function) and then write through a plain uint8_t cursor held in a
 * local variable: keeping the cursor out of memory matters because byte stores may alias
 * anything, which would otherwise force the compiler to reload struct dps_xdr after every
 * byte. Each word is one 4-byte memcpy of the byte-swapped value (a single store). */
#ifndef DPS_XDR_WRITER_H
#define DPS_XDR_WRITER_H

#include <string.h>

#include "dps_sampling.h"

static inline size_t xdr_pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static inline bool dps_xdr_room(const struct dps_xdr *x, size_t n)
{
	return x->len <= x->cap && n <= x->cap - x->len;
}

static inline uint32_t xdr_to_be32(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

static inline uint8_t *xdr_u32(uint8_t *p, uint32_t v)
{
	uint32_t be = xdr_to_be32(v);
	memcpy(p, &be, 4);
	return p + 4;
}

static inline uint8_t *xdr_u64(uint8_t *p, uint64_t v)
{
	p = xdr_u32(p, (uint32_t)(v >> 32));
	return xdr_u32(p, (uint32_t)v);
}

/* Raw bytes followed by zero padding to a multiple of 4 (XDR opaque body). */
static inline uint8_t *xdr_opaque(uint8_t *p, const void *data, size_t n)
{
	size_t padded = xdr_pad4(n);
	if (n)
		memcpy(p, data, n);
	memset(p + n, 0, padded - n);
	return p + padded;
}

/* sFlow address: type, then 4 or 16 bytes (nothing for unknown). */
static inline size_t xdr_addr_size(const struct dps_sflow_addr *a)
{
	return 4 + (a->type == DPS_SFLOW_ADDR_IPV4 ? 4 : a->type == DPS_SFLOW_ADDR_IPV6 ? 16 : 0);
}

static inline uint8_t *xdr_addr(uint8_t *p, const struct dps_sflow_addr *a)
{
	p = xdr_u32(p, a->type);
	if (a->type == DPS_SFLOW_ADDR_IPV4)
		return xdr_opaque(p, a->bytes, 4);
	if (a->type == DPS_SFLOW_ADDR_IPV6)
		return xdr_opaque(p, a->bytes, 16);
	return p;
}

static inline bool xdr_addr_valid(const struct dps_sflow_addr *a)
{
	return a->type <= DPS_SFLOW_ADDR_IPV6;
}

/* Number of records present in a DPS_FR_* / DPS_CR_* mask. A SWAR count: without -mpopcnt
 * __builtin_popcount becomes a libgcc call on x86-64. */
static inline uint32_t xdr_count_records(uint32_t mask)
{
	mask = mask - ((mask >> 1) & 0x55555555u);
	mask = (mask & 0x33333333u) + ((mask >> 2) & 0x33333333u);
	return (((mask + (mask >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24;
}

/* encode_flow.c: writes a sample already validated and sized (size from
 * dps_flow_sample_size with the same mask) at p; the caller has checked the room. */
uint8_t *flow_sample_write(uint8_t *p, const struct dps_flow_sample *fs, uint32_t seq,
			   uint32_t mask, size_t size);

#endif
