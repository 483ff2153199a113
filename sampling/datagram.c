/* datagram.c - the agent: packs samples into datagrams per stream, truncates oversized
 * headers, flushes on size and age, numbers datagrams and samples, reconfigures live. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent_internal.h"
#include "xdr_writer.h"

static int normalise(struct dps_agent_config *cfg)
{
	if (!cfg->datagram_bytes)
		cfg->datagram_bytes = DPS_DATAGRAM_DEFAULT;
	if (!cfg->max_wait_ms)
		cfg->max_wait_ms = DPS_MAX_WAIT_DEFAULT_MS;
	if (cfg->datagram_bytes < DPS_DATAGRAM_MIN || cfg->datagram_bytes > DPS_DATAGRAM_MAX ||
	    cfg->n_collectors > DPS_MAX_COLLECTORS ||
	    (cfg->agent_addr.type != DPS_SFLOW_ADDR_IPV4 &&
	     cfg->agent_addr.type != DPS_SFLOW_ADDR_IPV6))
		return -EINVAL;
	for (unsigned i = 0; i < cfg->n_collectors; i++) {
		struct dps_collector_config *c = &cfg->collectors[i];
		if (!c->port)
			c->port = DPS_SFLOW_PORT;
		if (!c->send && c->addr.type != DPS_SFLOW_ADDR_IPV4 &&
		    c->addr.type != DPS_SFLOW_ADDR_IPV6)
			return -EINVAL;
	}
	return 0;
}

/* Buffers of the new size for every stream and queue slot. Called with empty streams and
 * an empty queue. On failure nothing changes. */
static int resize_buffers(struct dps_agent *a, size_t size)
{
	uint8_t *fresh[N_STREAMS + OUT_QUEUE];
	for (unsigned i = 0; i < N_STREAMS + OUT_QUEUE; i++) {
		fresh[i] = malloc(size);
		if (!fresh[i]) {
			while (i--)
				free(fresh[i]);
			return -ENOMEM;
		}
	}
	for (unsigned i = 0; i < N_STREAMS; i++) {
		free(a->streams[i].buf);
		a->streams[i].buf = fresh[i];
	}
	for (unsigned i = 0; i < OUT_QUEUE; i++) {
		free(a->out[i].buf);
		a->out[i].buf = fresh[N_STREAMS + i];
	}
	return 0;
}

/* Puts the stream's datagram (if any) on the send queue. */
static void close_stream(struct dps_agent *a, unsigned si, uint64_t now_ms)
{
	struct stream *s = &a->streams[si];
	if (!s->n_samples)
		return;
	if (a->n_out == OUT_QUEUE)
		agent_send_queued(a);

	struct dps_xdr x;
	dps_xdr_init(&x, s->buf, a->hdr_len);
	/* Cannot fail: hdr_len is this agent address's header size. */
	(void)dps_encode_datagram_header(&x, &a->cfg.agent_addr, a->cfg.sub_agent_id, ++s->seq,
					 (uint32_t)now_ms, s->n_samples);

	struct out_datagram *o = &a->out[a->n_out++];
	uint8_t *spare = o->buf;
	o->buf = s->buf;
	o->len = a->hdr_len + s->len;
	o->n_samples = s->n_samples;
	o->stream = si;
	s->buf = spare;             /* swap, not copy: the queue owns the finished bytes */
	s->len = 0;
	s->n_samples = 0;
	a->stats.datagrams++;
}

static void close_all(struct dps_agent *a, uint64_t now_ms)
{
	for (unsigned si = 0; si < N_STREAMS; si++)
		close_stream(a, si, now_ms);
}

static void assign_streams(struct dps_agent *a)
{
	a->streams[0].mask = DPS_FR_ALL;
	a->streams[1].mask = DPS_FR_ALL & ~(uint32_t)DPS_FR_TUNNEL_RECORDS;
	for (unsigned si = 0; si < N_STREAMS; si++)
		a->streams[si].n_collectors = 0;
	for (unsigned i = 0; i < a->cfg.n_collectors; i++) {
		struct collector *c = &a->collectors[i];
		c->stream = c->cfg.tunnel_records ? 0 : 1;
		a->streams[c->stream].n_collectors++;
	}
}

struct dps_agent *dps_agent_create(const struct dps_agent_config *cfg)
{
	struct dps_agent *a = calloc(1, sizeof(*a));
	if (!a) {
		errno = ENOMEM;
		return NULL;
	}
	a->cfg = *cfg;
	int err = normalise(&a->cfg);
	if (!err)
		err = resize_buffers(a, a->cfg.datagram_bytes);
	if (err) {
		dps_agent_destroy(a, 0);
		errno = -err;
		return NULL;
	}
	a->hdr_len = dps_datagram_header_size(&a->cfg.agent_addr);
	for (unsigned i = 0; i < DPS_MAX_COLLECTORS; i++)
		a->collectors[i].fd = -1;
	for (unsigned i = 0; i < a->cfg.n_collectors; i++) {
		a->collectors[i].cfg = a->cfg.collectors[i];
		/* An unreachable collector is not fatal: sends to it are counted as errors. */
		(void)collector_open(&a->collectors[i]);
	}
	assign_streams(a);
	return a;
}

void dps_agent_destroy(struct dps_agent *a, uint64_t now_ms)
{
	if (!a)
		return;
	if (a->streams[0].buf)
		dps_agent_flush(a, now_ms);
	for (unsigned i = 0; i < DPS_MAX_COLLECTORS; i++)
		collector_close(&a->collectors[i]);
	for (unsigned i = 0; i < N_STREAMS; i++)
		free(a->streams[i].buf);
	for (unsigned i = 0; i < OUT_QUEUE; i++)
		free(a->out[i].buf);
	source_table_free(&a->sources);
	free(a);
}

int dps_agent_reconfigure(struct dps_agent *a, const struct dps_agent_config *cfg,
			  uint64_t now_ms)
{
	struct dps_agent_config next = *cfg;
	int err = normalise(&next);
	if (err)
		return err;

	/* Everything assembled so far leaves with the settings it was assembled for. */
	dps_agent_flush(a, now_ms);
	if (next.datagram_bytes != a->cfg.datagram_bytes) {
		err = resize_buffers(a, next.datagram_bytes);
		if (err)
			return err;
	}

	/* A collector that keeps its place and destination keeps its socket and counters. */
	struct collector old[DPS_MAX_COLLECTORS];
	memcpy(old, a->collectors, sizeof(old));
	for (unsigned i = 0; i < DPS_MAX_COLLECTORS; i++) {
		struct collector *c = &a->collectors[i];
		bool keep = i < next.n_collectors && i < a->cfg.n_collectors &&
			    collector_same_destination(&old[i].cfg, &next.collectors[i]);
		if (keep) {
			c->cfg = next.collectors[i];
			continue;
		}
		collector_close(&old[i]);
		memset(c, 0, sizeof(*c));
		c->fd = -1;
		if (i < next.n_collectors) {
			c->cfg = next.collectors[i];
			(void)collector_open(c);
		}
	}
	a->cfg = next;
	a->hdr_len = dps_datagram_header_size(&a->cfg.agent_addr);
	assign_streams(a);
	return 0;
}

/* Appends one encoded sample to stream si, closing the current datagram first if the
 * sample does not fit or the datagram is old enough. */
static void append(struct dps_agent *a, unsigned si, size_t size, uint64_t now_ms,
		   const struct dps_flow_sample *fs, const struct dps_counters_sample *cs,
		   uint32_t seq)
{
	struct stream *s = &a->streams[si];
	size_t room = a->cfg.datagram_bytes - a->hdr_len;
	if (s->n_samples && (s->len + size > room || now_ms - s->first_ms >= a->cfg.max_wait_ms))
		close_stream(a, si, now_ms);
	if (!s->n_samples)
		s->first_ms = now_ms;

	/* size is the exact encoded size (validated by the caller) and fits: room was checked
	 * above, so the flow sample is written straight, without sizing it a third time. */
	if (fs) {
		flow_sample_write(s->buf + a->hdr_len + s->len, fs, seq, s->mask, size);
	} else {
		struct dps_xdr x = { .buf = s->buf + a->hdr_len, .cap = room, .len = s->len };
		(void)dps_encode_counters_sample(&x, cs, seq);
	}
	s->len += size;
	s->n_samples++;
}

int dps_agent_add_flow(struct dps_agent *a, const struct dps_flow_sample *fs, uint64_t now_ms)
{
	size_t room = a->cfg.datagram_bytes - a->hdr_len;
	size_t sizes[N_STREAMS];
	struct dps_flow_sample cut;
	const struct dps_flow_sample *use = fs;

	/* Validity does not depend on the mask (the tunnel records have no invalid values), so
	 * size only the streams that have collectors; with none, still validate once. */
	bool any = false;
	for (unsigned si = 0; si < N_STREAMS; si++) {
		sizes[si] = 0;
		if (!a->streams[si].n_collectors && (any || si + 1 < N_STREAMS))
			continue;
		any = true;
		sizes[si] = dps_flow_sample_size(fs, a->streams[si].mask);
		if (!sizes[si]) {
			a->stats.rejected++;
			return -EINVAL;
		}
	}
	/* Stream 0 carries a superset of stream 1's records, so if any stream needs the header
	 * cut, stream 0 does; cutting to stream 0's budget keeps both within room. */
	size_t need = a->streams[0].n_collectors ? sizes[0] : sizes[1];
	if (need > room) {
		size_t header_padded = xdr_pad4(fs->header.header_length);
		size_t without = need - ((fs->records & DPS_FR_HEADER) ? header_padded : 0);
		if (!(fs->records & DPS_FR_HEADER) || without > room) {
			a->stats.rejected++;
			return -EMSGSIZE;
		}
		cut = *fs;
		cut.header.header_length = (uint32_t)((room - without) & ~(size_t)3);
		use = &cut;
		for (unsigned si = 0; si < N_STREAMS; si++)
			if (sizes[si])
				sizes[si] = dps_flow_sample_size(use, a->streams[si].mask);
		a->stats.truncated++;
	}

	struct source_seq *src = source_table_get(&a->sources, fs->source_type, fs->source_index);
	if (!src) {
		a->stats.rejected++;
		return -ENOMEM;
	}
	uint32_t seq = ++src->flow_seq;
	for (unsigned si = 0; si < N_STREAMS; si++)
		if (a->streams[si].n_collectors)
			append(a, si, sizes[si], now_ms, use, NULL, seq);
	a->stats.flow_samples++;
	return 0;
}

int dps_agent_add_counters(struct dps_agent *a, const struct dps_counters_sample *cs,
			   uint64_t now_ms)
{
	size_t size = dps_counters_sample_size(cs);
	if (!size) {
		a->stats.rejected++;
		return -EINVAL;
	}
	if (size > a->cfg.datagram_bytes - a->hdr_len) {
		a->stats.rejected++;
		return -EMSGSIZE;
	}
	struct source_seq *src = source_table_get(&a->sources, cs->source_type, cs->source_index);
	if (!src) {
		a->stats.rejected++;
		return -ENOMEM;
	}
	uint32_t seq = ++src->counter_seq;
	for (unsigned si = 0; si < N_STREAMS; si++)
		if (a->streams[si].n_collectors)
			append(a, si, size, now_ms, NULL, cs, seq);
	a->stats.counter_samples++;
	return 0;
}

void dps_agent_poll(struct dps_agent *a, uint64_t now_ms)
{
	for (unsigned si = 0; si < N_STREAMS; si++) {
		struct stream *s = &a->streams[si];
		if (s->n_samples && now_ms - s->first_ms >= a->cfg.max_wait_ms)
			close_stream(a, si, now_ms);
	}
	if (a->n_out)
		agent_send_queued(a);
}

void dps_agent_flush(struct dps_agent *a, uint64_t now_ms)
{
	close_all(a, now_ms);
	if (a->n_out)
		agent_send_queued(a);
}

void dps_agent_reset_source(struct dps_agent *a, uint32_t source_type, uint32_t source_index)
{
	struct source_seq *e = source_table_find(&a->sources, source_type, source_index);
	if (e) {
		e->flow_seq = 0;
		e->counter_seq = 0;
	}
}

void dps_agent_get_stats(const struct dps_agent *a, struct dps_agent_stats *out)
{
	*out = a->stats;
}

int dps_agent_get_collector_stats(const struct dps_agent *a, unsigned collector,
				  struct dps_collector_stats *out)
{
	if (collector >= a->cfg.n_collectors)
		return -EINVAL;
	*out = a->collectors[collector].stats;
	return 0;
}
