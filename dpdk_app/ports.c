/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: attach any ethdev (PF, VF, representor, vdev), configure rx queues (RSS when more than
 * one) and one tx queue per worker lcore (so forwarding workers never share a tx queue), start
 * it, and give it a stable ifIndex.
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
#include "ports.h"

#define RX_DESC 1024
#define TX_DESC 1024
#define MBUF_CACHE 256

/*
 * DPDK ports have no kernel ifIndex. Like OVS, derive one from the port name so it survives
 * restarts and port renumbering: FNV-1a over the name, folded to 24 bits so flow samples keep
 * the compact format (expanded formats are only needed at 2^24 and above), never 0 (0 means
 * "unknown" in sFlow) and never 0x3FFFFFFF (internal). Collisions between configured ports are
 * resolved by probing upward in configuration order.
 */
uint32_t
dps_port_name_ifindex(const char *name)
{
	uint32_t h = 2166136261u;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	h = (h >> 24 ^ h) & 0xFFFFFFu;
	return h == 0 ? 1 : h;
}

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

	for (i = 0; i < app->n_ports; i++)
		n += app->ports[i].nb_rxq * RX_DESC + app->ports[i].nb_txq * TX_DESC;
	n += rte_lcore_count() * (MBUF_CACHE + DPS_RX_BURST) + 1024;
	if (n < 8191)
		n = 8191;
	return rte_pktmbuf_pool_create("dps_mbufs", n, MBUF_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
}

int
dps_port_start(struct dps_app *app, struct dps_port *p, char *errbuf, size_t errlen)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t q;
	int rc;

	memset(&conf, 0, sizeof(conf));
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
	if (p->nb_rxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) &
			info.flow_type_rss_offloads;
	}
	/* Underlay and mirror ports carry VXLAN/Geneve (MTU 1550-9000): frames the NIC drops
	 * for size would never be sampled nor counted in sample_pool. Accept up to 9000 bytes
	 * where the device can, chaining mbufs when it scatters. */
	if (info.max_mtu > RTE_ETHER_MTU && (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)) {
		conf.rxmode.mtu = RTE_MIN(info.max_mtu, (uint16_t)9000);
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	}
	/* fast free assumes single-segment mbufs of one pool; chained rx rules it out */
	if ((info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) &&
	    !(conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER))
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	rc = rte_eth_dev_configure(p->port_id, p->nb_rxq, p->nb_txq, &conf);
	if (rc != 0) {
		snprintf(errbuf, errlen, "%s: configure (%u rxq, %u txq) failed: %s", p->name,
			 p->nb_rxq, p->nb_txq, strerror(-rc));
		return -1;
	}
	for (q = 0; q < p->nb_rxq; q++) {
		rc = rte_eth_rx_queue_setup(p->port_id, q, RX_DESC,
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
	rc = rte_eth_dev_start(p->port_id);
	if (rc != 0) {
		snprintf(errbuf, errlen, "%s: start failed: %s", p->name, strerror(-rc));
		return -1;
	}
	p->started = true;
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
	if (!p->started)
		return;
	rte_eth_dev_stop(p->port_id);
	rte_eth_dev_close(p->port_id);
	p->started = false;
}
