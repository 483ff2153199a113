/* dump_decoded.c - prints the decoder's view of every frame of a pcap as JSON lines, with
 * field names borrowed from Wireshark's display filters so compare_tshark.py can check them
 * one by one against tshark's own dissection.
 *   dump_decoded FILE.pcap [--udp-vxlan PORT]...
 * Each line: {"frame":N,"status":"...","depth":D,"layers":[{"proto":"eth",...},...]}.
 * VLAN tags and MPLS labels become one entry each (tshark shows one tree per tag/label). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dps_tunnel.h"
#include "pcap_reader.h"

static int first_field;

static void begin_layer(const char *proto)
{
	printf("%s{\"proto\":\"%s\"", first_field ? "" : ",", proto);
	first_field = 0;
}

static void num(const char *key, uint64_t v)
{
	printf(",\"%s\":%" PRIu64, key, v);
}

static void mac(const char *key, const uint8_t *m)
{
	printf(",\"%s\":\"%02x:%02x:%02x:%02x:%02x:%02x\"", key, m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void ip4(const char *key, const uint8_t *a)
{
	printf(",\"%s\":\"%u.%u.%u.%u\"", key, a[0], a[1], a[2], a[3]);
}

static void ip6(const char *key, const uint8_t *a)
{
	/* full form; the comparison normalises both sides */
	printf(",\"%s\":\"", key);
	for (int i = 0; i < 16; i += 2)
		printf("%s%x", i ? ":" : "", (unsigned)a[i] << 8 | a[i + 1]);
	printf("\"");
}

static void tlv_list(const char *cls_key, const char *type_key, const char *len_key,
		     const struct dps_tlv *t, unsigned n, unsigned len_extra)
{
	const char *keys[3] = { cls_key, type_key, len_key };
	for (int k = 0; k < 3 && keys[k]; k++) {
		printf(",\"%s\":[", keys[k]);
		for (unsigned i = 0; i < n; i++) {
			unsigned v = k == 0 ? t[i].cls : k == 1 ? t[i].type : t[i].length + len_extra;
			printf("%s%u", i ? "," : "", v);
		}
		printf("]");
	}
}

static void dump_layer(const struct dps_layer *l)
{
	int partial = l->flags & DPS_LAYER_PARTIAL;
	switch (l->type) {
	case DPS_LAYER_ETH:
		begin_layer("eth");
		if (!partial) {
			mac("eth.dst", l->u.eth.dst);
			mac("eth.src", l->u.eth.src);
			num("eth.type", l->u.eth.ethertype);
		}
		break;
	case DPS_LAYER_VLAN:
		if (partial) {
			begin_layer("vlan");
			break;
		}
		for (unsigned i = 0; i < l->u.vlan.n_stored; i++) {
			const struct dps_vlan_tag *t = &l->u.vlan.tag[i];
			int ad = t->tpid == 0x88A8;
			begin_layer(ad ? "ieee8021ad" : "vlan");
			num(ad ? "ieee8021ad.id" : "vlan.id", t->vid);
			num(ad ? "ieee8021ad.priority" : "vlan.priority", t->pcp);
			num(ad ? "ieee8021ad.dei" : "vlan.dei", t->dei);
			if (i + 1 < l->u.vlan.n_stored)
				printf("}");
		}
		if (!partial && l->u.vlan.n_stored == l->u.vlan.n_tags)
			num(l->u.vlan.tag[l->u.vlan.n_stored - 1].tpid == 0x88A8 ? "ieee8021ad.etype"
										   : "vlan.etype",
			    l->u.vlan.ethertype);
		break;
	case DPS_LAYER_MPLS:
		if (partial) {
			begin_layer("mpls");
			break;
		}
		for (unsigned i = 0; i < l->u.mpls.n_stored; i++) {
			uint32_t e = l->u.mpls.lse[i];
			begin_layer("mpls");
			num("mpls.label", e >> 12);
			num("mpls.exp", (e >> 9) & 7);
			num("mpls.bottom", (e >> 8) & 1);
			num("mpls.ttl", e & 0xFF);
			if (i + 1 < l->u.mpls.n_stored)
				printf("}");
		}
		break;
	case DPS_LAYER_IPV4:
		begin_layer("ip");
		if (!partial) {
			const struct dps_ipv4 *ip = &l->u.ipv4;
			ip4("ip.src", ip->src);
			ip4("ip.dst", ip->dst);
			num("ip.hdr_len", ip->ihl * 4u);
			num("ip.dsfield", ip->tos);
			num("ip.len", ip->total_length);
			num("ip.id", ip->id);
			num("ip.frag_offset", ip->frag_off);  /* tshark: 8-byte units */
			num("ip.flags.mf", ip->more_frags);
			num("ip.flags.df", ip->dont_frag);
			num("ip.ttl", ip->ttl);
			num("ip.proto", ip->protocol);
		}
		break;
	case DPS_LAYER_IPV6:
		begin_layer("ipv6");
		if (!partial) {
			const struct dps_ipv6 *ip = &l->u.ipv6;
			ip6("ipv6.src", ip->src);
			ip6("ipv6.dst", ip->dst);
			num("ipv6.tclass", ip->traffic_class);
			num("ipv6.flow", ip->flow_label);
			num("ipv6.plen", ip->payload_length);
			num("ipv6.nxt", ip->next_header);
			num("ipv6.hlim", ip->hop_limit);
			if (ip->is_fragment) {
				num("ipv6.fraghdr.offset", ip->frag_off);
				num("ipv6.fraghdr.more", ip->more_frags);
				num("ipv6.fraghdr.ident", ip->frag_id);
			}
		}
		break;
	case DPS_LAYER_UDP:
		begin_layer("udp");
		if (!partial) {
			num("udp.srcport", l->u.udp.src_port);
			num("udp.dstport", l->u.udp.dst_port);
			num("udp.length", l->u.udp.length);
		}
		break;
	case DPS_LAYER_TCP:
		begin_layer("tcp");
		if (!partial) {
			num("tcp.srcport", l->u.tcp.src_port);
			num("tcp.dstport", l->u.tcp.dst_port);
			num("tcp.seq_raw", l->u.tcp.seq);
			num("tcp.ack_raw", l->u.tcp.ack);
			num("tcp.hdr_len", l->u.tcp.data_offset * 4u);
			num("tcp.flags", l->u.tcp.flags);
			num("tcp.window_size_value", l->u.tcp.window);
		}
		break;
	case DPS_LAYER_ICMP:
	case DPS_LAYER_ICMPV6: {
		const char *p = l->type == DPS_LAYER_ICMP ? "icmp" : "icmpv6";
		char k1[32], k2[32];
		snprintf(k1, sizeof(k1), "%s.type", p);
		snprintf(k2, sizeof(k2), "%s.code", p);
		begin_layer(p);
		if (!partial) {
			num(k1, l->u.icmp.type);
			num(k2, l->u.icmp.code);
		}
		break;
	}
	case DPS_LAYER_SCTP:
		begin_layer("sctp");
		if (!partial) {
			num("sctp.srcport", l->u.sctp.src_port);
			num("sctp.dstport", l->u.sctp.dst_port);
			num("sctp.verification_tag", l->u.sctp.vtag);
		}
		break;
	case DPS_LAYER_GRE:
		begin_layer("gre");
		if (!partial) {
			num("gre.flags_and_version", l->u.gre.flags_version);
			num("gre.proto", l->u.gre.protocol);
			if (l->u.gre.has_checksum)
				num("gre.checksum", l->u.gre.checksum);
			if (l->u.gre.has_key)
				num("gre.key", l->u.gre.key);
			if (l->u.gre.has_seq)
				num("gre.sequence_number", l->u.gre.seq);
		}
		break;
	case DPS_LAYER_VXLAN:
		begin_layer("vxlan");
		if (!partial) {
			num("vxlan.flags", l->u.vxlan.flags);
			num("vxlan.vni", l->u.vxlan.vni);
		}
		break;
	case DPS_LAYER_VXLAN_GPE:
		begin_layer("vxlan");
		if (!partial) {
			num("vxlan.flags", l->u.gpe.flags);
			num("vxlan.next_proto", l->u.gpe.next_protocol);
			num("vxlan.vni", l->u.gpe.vni);
		}
		break;
	case DPS_LAYER_GENEVE:
		begin_layer("geneve");
		if (!partial) {
			const struct dps_geneve *g = &l->u.geneve;
			num("geneve.version", g->version);
			num("geneve.flags.oam", g->oam);
			num("geneve.flags.critical", g->critical);
			num("geneve.proto_type", g->protocol);
			num("geneve.vni", g->vni);
			/* tshark names the option-area length and each option's length alike */
			printf(",\"geneve.option.length\":[%u", g->opt_len * 4u);
			for (unsigned i = 0; i < g->n_stored; i++)
				printf(",%u", g->opt[i].length + 4u);
			printf("]");
			if (g->n_stored)
				tlv_list("geneve.option.class", "geneve.option.type", NULL, g->opt,
					 g->n_stored, 4);
		}
		break;
	case DPS_LAYER_NSH:
		begin_layer("nsh");
		if (!partial) {
			const struct dps_nsh *n = &l->u.nsh;
			num("nsh.version", n->version);
			num("nsh.ttl", n->ttl);
			num("nsh.length", n->length);
			num("nsh.mdtype", n->md_type);
			num("nsh.nextproto", n->next_protocol);
			num("nsh.spi", n->spi);
			num("nsh.si", n->si);
			if (n->md_type == 2)
				tlv_list("nsh.metadataclass", "nsh.metadatatype", "nsh.metadatalen",
					 n->tlv, n->n_stored, 0);
		}
		break;
	case DPS_LAYER_GTPU:
		begin_layer("gtp");
		if (!partial) {
			num("gtp.flags", l->u.gtpu.flags);
			num("gtp.message", l->u.gtpu.msg_type);
			num("gtp.length", l->u.gtpu.length);
			num("gtp.teid", l->u.gtpu.teid);
		}
		break;
	default:
		begin_layer("unknown");
		break;
	}
	printf("}");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE.pcap [--udp-vxlan PORT]...\n", argv[0]);
		return 2;
	}
	struct dps_decode_config cfg;
	dps_decode_config_init(&cfg);
	for (int i = 2; i + 1 < argc; i += 2)
		if (strcmp(argv[i], "--udp-vxlan") == 0)
			dps_decode_config_add_port(&cfg, DPS_UDP_VXLAN, (uint16_t)atoi(argv[i + 1]));
	struct pcap_file pf;
	if (pcap_load(argv[1], &pf) != 0) {
		fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
		return 1;
	}
	static struct dps_decoded dec;
	for (uint32_t f = 0; f < pf.n_frames; f++) {
		dps_decode_packet(&cfg, pf.frames[f].data, pf.frames[f].caplen, pf.frames[f].origlen,
				  &dec);
		printf("{\"frame\":%u,\"status\":\"%s\",\"depth\":%u,\"layers\":[", f + 1,
		       dps_decode_status_name(dec.status), dec.tunnel_depth);
		first_field = 1;
		for (unsigned i = 0; i < dec.n_layers; i++)
			dump_layer(&dec.layers[i]);
		printf("]}\n");
	}
	pcap_free(&pf);
	return 0;
}
