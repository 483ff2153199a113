/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: attach any ethdev (PF, VF, representor, vdev), configure rx queues (RSS when more than
 * one; plus the sample queue when hardware sampling is wanted, see hwsample.c) and one tx
 * queue per worker lcore (so forwarding workers never share a tx queue), start it, and give
 * it a stable ifIndex.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "app.h"
#include "hwsample.h"
#include "ports.h"

#define RX_DESC 1024
/* The sample queue receives 1 packet in N: a short ring absorbs the NIC's bursts */
#define SAMPLE_RX_DESC 256
#define TX_DESC 1024
#define MBUF_CACHE 256

static bool
ifindex_taken(const struct dps_app *app, unsigned int upto, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < upto; i++)
		if (app->ports[i].ifindex == ifindex)
			return true;
	return false;
}

/* Splits "net_pcap0,rx_pcap=x" into the device name "net_pcap0". */
static void
devargs_name(const char *devargs, char *name, size_t size)
{
	size_t len = strcspn(devargs, ",");

	if (len >= size)
		len = size - 1;
	memcpy(name, devargs, len);
	name[len] = '\0';
}

int
dps_port_attach(const char *devargs, uint16_t *port_id, char *errbuf, size_t errlen)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	int rc;

	devargs_name(devargs, name, sizeof(name));
	if (rte_eth_dev_get_port_by_name(name, port_id) == 0)
		return 0; /* already probed by EAL (-a / --vdev) */
	rc = rte_dev_probe(devargs);
	if (rc < 0) {
		snprintf(errbuf, errlen, "cannot attach port '%s': %s", devargs, strerror(-rc));
		return -1;
	}
	if (rte_eth_dev_get_port_by_name(name, port_id) != 0) {
		snprintf(errbuf, errlen, "port '%s' attached but no ethdev named '%s'", devargs,
			 name);
		return -1;
	}
	return 0;
}

int
dps_port_assign_ifindex(struct dps_app *app, unsigned int idx, uint32_t configured)
{
	struct dps_port *p = &app->ports[idx];
	uint32_t ifindex = configured ? configured : dps_port_name_ifindex(p->name);

	if (configured != 0 && ifindex_taken(app, idx, ifindex))
		return -1;
	while (ifindex_taken(app, idx, ifindex))
		ifindex = (ifindex % 0xFFFFFFu) + 1;
	p->ifindex = ifindex;
	return 0;
}

struct rte_mempool *
dps_ports_mempool(const struct dps_app *app)
{
	unsigned int i, n = 0;

	for (i = 0; i < app->n_ports; i++) {
		n += app->ports[i].nb_rxq * RX_DESC + app->ports[i].nb_txq * TX_DESC;
		if (dps_hwsample_wanted(app, &app->ports[i]))
			n += SAMPLE_RX_DESC; /* the sample queue it may get */
	}
	n += rte_lcore_count() * (MBUF_CACHE + DPS_RX_BURST) + 1024;
	if (n < 8191)
		n = 8191;
	return rte_pktmbuf_pool_create("dps_mbufs", n, MBUF_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
}

/* Configures the port with nb_rx rx queues (its own plus, with hardware sampling, the
 * sample queue) and sets them all up; the port must be stopped. */
static int
configure_queues(struct dps_app *app, struct dps_port *p, const struct rte_eth_dev_info *info,
		 uint16_t nb_rx, char *errbuf, size_t errlen)
{
	struct rte_eth_conf conf;
	uint32_t mtu;
	uint16_t q;
	int rc;

	memset(&conf, 0, sizeof(conf));
	/* RSS follows the port's own queues: the sample queue is fed by the rule alone */
	if (p->nb_rxq > 1 && info->flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = DPS_RSS_TYPES_OF(info);
	}
	/* Underlay and mirror ports carry VXLAN/Geneve (MTU 1550-9000): frames the NIC drops
	 * for size would never be sampled nor counted in sample_pool. Accept up to 9000 bytes
	 * where the device can, chaining mbufs when it scatters. */
	/* some PMDs (net_tap) report a max MTU their max frame length cannot carry */
	mtu = RTE_MIN(info->max_mtu, (uint32_t)9000);
	if (info->max_rx_pktlen < mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN)
		mtu = info->max_rx_pktlen > RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN
		      ? info->max_rx_pktlen - RTE_ETHER_HDR_LEN - RTE_ETHER_CRC_LEN : 0;
	if (mtu > RTE_ETHER_MTU && (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)) {
		conf.rxmode.mtu = (uint16_t)mtu;
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	}
	/* fast free assumes single-segment mbufs of one pool; chained rx rules it out */
	if ((info->tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) &&
	    !(conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER))
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	rc = rte_eth_dev_configure(p->port_id, nb_rx, p->nb_txq, &conf);
	if (rc != 0) {
		snprintf(errbuf, errlen, "%s: configure (%u rxq, %u txq) failed: %s", p->name,
			 nb_rx, p->nb_txq, strerror(-rc));
		return -1;
	}
	for (q = 0; q < nb_rx; q++) {
		rc = rte_eth_rx_queue_setup(p->port_id, q, q < p->nb_rxq ? RX_DESC : SAMPLE_RX_DESC,
					    (unsigned int)rte_eth_dev_socket_id(p->port_id), NULL,
					    app->pool);
		if (rc != 0) {
			snprintf(errbuf, errlen, "%s: rx queue %u setup failed: %s", p->name, q,
				 strerror(-rc));
			return -1;
		}
	}
	for (q = 0; q < p->nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(p->port_id, q, TX_DESC,
					    (unsigned int)rte_eth_dev_socket_id(p->port_id), NULL);
		if (rc != 0) {
			snprintf(errbuf, errlen, "%s: tx queue %u setup failed: %s", p->name, q,
				 strerror(-rc));
			return -1;
		}
	}
	return 0;
}

int
dps_port_configure(struct dps_app *app, struct dps_port *p, char *errbuf, size_t errlen)
{
	struct rte_eth_dev_info info;
	int rc, extra;

	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc != 0) {
		snprintf(errbuf, errlen, "%s: cannot read device info: %s", p->name,
			 strerror(-rc));
		return -1;
	}
	if (p->nb_rxq > info.max_rx_queues) {
		snprintf(errbuf, errlen, "%s: %u rx queues requested, the device has %u", p->name,
			 p->nb_rxq, info.max_rx_queues);
		return -1;
	}
	if (p->nb_txq == 0)
		p->nb_txq = 1; /* nothing forwards here; PMDs want at least one tx queue */
	if (p->nb_txq > info.max_tx_queues) {
		/* clamping would make two workers share a queue (or use one never set up) */
		snprintf(errbuf, errlen, "%s: %u workers forward to it but the device has %u tx "
			 "queues; use fewer lcores or place the peer's rx queues on fewer lcores",
			 p->name, p->nb_txq, info.max_tx_queues);
		return -1;
	}
	extra = dps_hwsample_prepare(app, p, &info);
	if (configure_queues(app, p, &info, (uint16_t)(p->nb_rxq + extra), errbuf, errlen) != 0) {
		if (extra == 0)
			return -1;
		/* some PMDs (net_tap, net_af_packet) cannot take one more rx queue than tx queues,
		 * or than they were created with: the port itself must not fail for that */
		if (dps_hwsample_no_queue(app, p, errbuf, errlen) == DPS_HWSAMPLE_REFUSED)
			return DPS_HWSAMPLE_REFUSED;
		return configure_queues(app, p, &info, p->nb_rxq, errbuf, errlen);
	}
	if (!p->offload.usable) {
		/* offload = on must not start on software when the port cannot even try */
		if (p->offload.mode == DPS_OFFLOAD_ON && !app->probing) {
			snprintf(errbuf, errlen, "%s: offload = on: %s", p->name, p->offload.reason);
			return DPS_HWSAMPLE_REFUSED;
		}
		if (p->offload.mode == DPS_OFFLOAD_AUTO && !app->probing)
			fprintf(stderr, "dpsflow: %s: offload = auto: sampling in software: %s\n",
				p->name, p->offload.reason);
		return 0;
	}
	/* The rule is checked on the configured port, whose queues the PMD verifies. */
	rc = dps_hwsample_validate(app, p, errbuf, errlen);
	if (rc == DPS_HWSAMPLE_REFUSED)
		return DPS_HWSAMPLE_REFUSED;
	if (rc == DPS_HWSAMPLE_FALLBACK && extra != 0) /* software: without the extra queue */
		return configure_queues(app, p, &info, p->nb_rxq, errbuf, errlen);
	return 0;
}

/* With a sample queue and RSS, the default redirection table spreads over every queue:
 * keep the sample queue out of it, so that the rule alone feeds it (and it stays empty
 * whenever the rule is gone). */
static void
reta_skip_sample_queue(const struct dps_port *p)
{
	struct rte_eth_rss_reta_entry64 reta[RTE_ETH_RSS_RETA_SIZE_512 / RTE_ETH_RETA_GROUP_SIZE];
	struct rte_eth_dev_info info;
	uint16_t i;

	if (!p->offload.usable || p->offload.spec.domain != DPS_OFFLOAD_NIC_RX ||
	    p->nb_rxq < 2 || rte_eth_dev_info_get(p->port_id, &info) != 0 ||
	    info.reta_size == 0 || info.reta_size > RTE_ETH_RSS_RETA_SIZE_512)
		return;
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < info.reta_size; i++) {
		reta[i / RTE_ETH_RETA_GROUP_SIZE].mask |= 1ull << (i % RTE_ETH_RETA_GROUP_SIZE);
		reta[i / RTE_ETH_RETA_GROUP_SIZE].reta[i % RTE_ETH_RETA_GROUP_SIZE] =
			(uint16_t)(i % p->nb_rxq);
	}
	if (rte_eth_dev_rss_reta_update(p->port_id, reta, info.reta_size) != 0)
		RTE_LOG(WARNING, USER1, "%s: cannot keep the sample queue out of RSS; it relies "
			"on the rule's fate alone\n", p->name);
}

int
dps_port_start(struct dps_app *app, struct dps_port *p, char *errbuf, size_t errlen)
{
	int rc;

	rc = dps_port_configure(app, p, errbuf, errlen);
	if (rc != 0)
		return rc;
	rc = rte_eth_dev_start(p->port_id);
	if (rc != 0) {
		snprintf(errbuf, errlen, "%s: start failed: %s", p->name, strerror(-rc));
		return -1;
	}
	p->started = true;
	reta_skip_sample_queue(p);
	/* A monitoring port must see traffic not addressed to it (mirror VF, PF); a forwarding
	 * bench port must pass everything. Some vdevs cannot: not fatal. */
	rc = rte_eth_promiscuous_enable(p->port_id);
	if (rc != 0 && rc != -ENOTSUP)
		RTE_LOG(WARNING, USER1, "%s: promiscuous mode: %s\n", p->name, strerror(-rc));
	dps_port_refresh_link(p);
	dps_port_lookup_xstats(p);
	return 0;
}

void
dps_port_refresh_link(struct dps_port *p)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(p->port_id, &link) != 0) {
		p->link_up = false;
		p->speed_bps = 0;
		return;
	}
	p->link_up = link.link_status == RTE_ETH_LINK_UP;
	p->speed_bps = (link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN)
		? 0 : (uint64_t)link.link_speed * 1000000u;
}

static uint64_t
xstat_id(uint16_t port_id, const char *name)
{
	uint64_t id;

	return rte_eth_xstats_get_id_by_name(port_id, name, &id) == 0 ? id : UINT64_MAX;
}

void
dps_port_lookup_xstats(struct dps_port *p)
{
	/* names as the Intel and Mellanox PMDs report them */
	p->xid_rx_ucast = xstat_id(p->port_id, "rx_unicast_packets");
	p->xid_rx_mcast = xstat_id(p->port_id, "rx_multicast_packets");
	p->xid_rx_bcast = xstat_id(p->port_id, "rx_broadcast_packets");
	p->xid_tx_ucast = xstat_id(p->port_id, "tx_unicast_packets");
	p->xid_tx_mcast = xstat_id(p->port_id, "tx_multicast_packets");
	p->xid_tx_bcast = xstat_id(p->port_id, "tx_broadcast_packets");
	p->xid_rx_crc = xstat_id(p->port_id, "rx_crc_errors");
}

void
dps_port_stop(struct dps_port *p)
{
	/* the rule goes before the port: it points at the port's queues */
	dps_offload_remove(&p->offload);
	if (!p->started)
		return;
	rte_eth_dev_stop(p->port_id);
	rte_eth_dev_close(p->port_id);
	p->started = false;
}
