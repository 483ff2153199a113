/* collector.c - delivery of finished datagrams: connected non-blocking UDP sockets (so the
 * kernel reports ICMP errors such as ECONNREFUSED back to us), one sendmmsg batch per
 * collector, or an injected function. Every failure is counted, none is fatal. */
#define _GNU_SOURCE 1   /* sendmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent_internal.h"

static socklen_t to_sockaddr(const struct dps_collector_config *cfg, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (cfg->addr.type == DPS_SFLOW_ADDR_IPV4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(cfg->port);
		memcpy(&sin->sin_addr, cfg->addr.bytes, 4);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(cfg->port);
	memcpy(&sin6->sin6_addr, cfg->addr.bytes, 16);
	return sizeof(*sin6);
}

int collector_open(struct collector *c)
{
	if (c->cfg.send)
		return 0;
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(&c->cfg, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		c->stats.last_error = errno;
		return -errno;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		int err = errno;
		close(fd);
		c->stats.last_error = err;
		return -err;
	}
	c->fd = fd;
	return 0;
}

void collector_close(struct collector *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

bool collector_same_destination(const struct dps_collector_config *a,
				const struct dps_collector_config *b)
{
	if (a->send || b->send)
		return a->send == b->send && a->send_ctx == b->send_ctx;
	size_t n = a->addr.type == DPS_SFLOW_ADDR_IPV4 ? 4 : 16;
	return a->addr.type == b->addr.type && a->port == b->port &&
	       memcmp(a->addr.bytes, b->addr.bytes, n) == 0;
}

static void count_ok(struct collector *c, const struct out_datagram *o)
{
	c->stats.datagrams++;
	c->stats.bytes += o->len;
	c->stats.samples += o->n_samples;
}

static void count_error(struct collector *c, int err)
{
	c->stats.send_errors++;
	c->stats.last_error = err;
}

static void send_injected(struct dps_agent *a, unsigned ci)
{
	struct collector *c = &a->collectors[ci];
	for (unsigned i = 0; i < a->n_out; i++) {
		const struct out_datagram *o = &a->out[i];
		if (o->stream != c->stream)
			continue;
		int r = c->cfg.send(c->cfg.send_ctx, ci, o->buf, o->len);
		if (r == 0)
			count_ok(c, o);
		else
			count_error(c, -r);
	}
}

static void send_socket(struct dps_agent *a, struct collector *c)
{
	struct mmsghdr msgs[OUT_QUEUE];
	struct iovec iov[OUT_QUEUE];
	const struct out_datagram *which[OUT_QUEUE];
	unsigned n = 0;

	for (unsigned i = 0; i < a->n_out; i++) {
		const struct out_datagram *o = &a->out[i];
		if (o->stream != c->stream)
			continue;
		iov[n].iov_base = o->buf;
		iov[n].iov_len = o->len;
		memset(&msgs[n], 0, sizeof(msgs[n]));
		msgs[n].msg_hdr.msg_iov = &iov[n];
		msgs[n].msg_hdr.msg_iovlen = 1;
		which[n++] = o;
	}
	if (!n)
		return;
	if (c->fd < 0 && collector_open(c) != 0) {
		for (unsigned i = 0; i < n; i++)
			count_error(c, c->stats.last_error);
		return;
	}

	/* Every iteration either sends at least one datagram or gives one up, so the loop
	 * ends after at most n rounds (EINTR aside). */
	unsigned done = 0;
	while (done < n) {
		int r = sendmmsg(c->fd, &msgs[done], n - done, MSG_DONTWAIT);
		if (r > 0) {
			for (int i = 0; i < r; i++)
				count_ok(c, which[done + (unsigned)i]);
			done += (unsigned)r;
			continue;
		}
		int err = r < 0 ? errno : EIO;
		if (err == EINTR)
			continue;
		if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS) {
			/* Socket buffer full: retrying now would spin; the rest is lost. */
			for (; done < n; done++)
				count_error(c, err);
			break;
		}
		/* ECONNREFUSED (a pending ICMP error consumed by this call), unreachable, ...:
		 * this datagram is lost, the next ones may well go through. */
		count_error(c, err);
		done++;
	}
}

void agent_send_queued(struct dps_agent *a)
{
	for (unsigned ci = 0; ci < a->cfg.n_collectors; ci++) {
		if (a->collectors[ci].cfg.send)
			send_injected(a, ci);
		else
			send_socket(a, &a->collectors[ci]);
	}
	a->n_out = 0;
}

int dps_sflow_addr_parse(struct dps_sflow_addr *out, const char *text)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, text, out->bytes) == 1) {
		out->type = DPS_SFLOW_ADDR_IPV4;
		return 0;
	}
	if (inet_pton(AF_INET6, text, out->bytes) == 1) {
		out->type = DPS_SFLOW_ADDR_IPV6;
		return 0;
	}
	return -EINVAL;
}
