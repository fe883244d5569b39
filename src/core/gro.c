/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gro.c - coalescing consecutive TCP segments of one flow into one GSO frame (see gro.h)
 *
 * Every segment is checked as the receiver would check it (IP header and
 * TCP checksums) before it joins: the merged frame goes on with NEEDS_CSUM,
 * which a receiver takes as good, so a corrupt segment must never be let in
 * (it goes on alone, and its receiver drops it).
 */

#include <string.h>

#include "core/eth.h"
#include "core/gro.h"
#include "core/gso.h"

#define GRO_ETH_P_IP 0x0800
#define GRO_ETH_P_IPV6 0x86dd
#define GRO_IPV6_HLEN 40
#define GRO_TCP_HLEN 20
#define GRO_PROTO_TCP 6
#define GRO_TCP_PSH 0x08
#define GRO_TCP_ACK 0x10
#define GRO_IP_MAX 65535u

static uint32_t gro_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void gro_put_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* the pseudo-header's sum of TCP segment @l4len bytes long in the IP header @ip */
static uint64_t gro_pseudo(const uint8_t *ip, bool ipv6, uint32_t l4len)
{
	uint8_t tail[4] = { 0, GRO_PROTO_TCP };
	uint64_t sum;

	sum = ipv6 ? csum_add(0, ip + 8, 32) : csum_add(0, ip + 12, 8);
	if (ipv6) {
		uint8_t len[4] = { (uint8_t)(l4len >> 24), (uint8_t)(l4len >> 16),
				   (uint8_t)(l4len >> 8), (uint8_t)l4len };

		tail[1] = 0;
		tail[3] = GRO_PROTO_TCP;
		return csum_add(csum_add(sum, len, 4), tail, 4);
	}
	gro_put_be16(tail + 2, l4len);
	return csum_add(sum, tail, 4);
}

/*
 * Whether @len bytes at @p, a frame whose IP header is at @l3, are a TCP segment with good
 * checksums; *@l4 gets the TCP header's offset. IPv4 without options or fragments, IPv6
 * with TCP next, the IP length exactly the frame's rest.
 */
static bool gro_segment_ok(const uint8_t *p, uint32_t len, uint32_t l3, bool ipv6, uint32_t *l4)
{
	const uint8_t *ip = p + l3;
	uint32_t doff;

	if (ipv6) {
		if (len < l3 + GRO_IPV6_HLEN + GRO_TCP_HLEN || ip[0] >> 4 != 6 ||
		    ip[6] != GRO_PROTO_TCP || eth_get_be16(ip + 4) != len - l3 - GRO_IPV6_HLEN)
			return false;
		*l4 = l3 + GRO_IPV6_HLEN;
	} else {
		if (len < l3 + 20 + GRO_TCP_HLEN || ip[0] != 0x45 || ip[9] != GRO_PROTO_TCP ||
		    eth_get_be16(ip + 2) != len - l3 || (eth_get_be16(ip + 6) & 0x3fff) ||
		    csum_fold(csum_add(0, ip, 20)))
			return false;
		*l4 = l3 + 20;
	}
	doff = (uint32_t)(p[*l4 + 12] >> 4) * 4;
	if (doff < GRO_TCP_HLEN || *l4 + doff >= len) /* no payload: nothing to merge */
		return false;
	return !csum_fold(csum_add(gro_pseudo(ip, ipv6, len - *l4), p + *l4, len - *l4));
}

int gro_begin(struct gro *g, struct frame *f)
{
	uint32_t l3 = ETH_HLEN;
	uint16_t etype;

	memset(g, 0, sizeof(*g));
	if (f->vnet.flags || f->vnet.gso_type || f->len < ETH_HLEN)
		return -1;
	etype = eth_get_be16(f->data + 2 * ETH_ALEN);
	if ((etype == ETH_P_8021Q || etype == ETH_P_8021AD) && f->len >= ETH_HLEN + VLAN_HLEN) {
		etype = eth_get_be16(f->data + ETH_HLEN + 2);
		l3 += VLAN_HLEN;
	}
	if (etype != GRO_ETH_P_IP && etype != GRO_ETH_P_IPV6)
		return -1;
	g->ipv6 = etype == GRO_ETH_P_IPV6;
	if (!gro_segment_ok(f->data, f->len, l3, g->ipv6, &g->l4) ||
	    f->data[g->l4 + 13] != GRO_TCP_ACK)
		return -1;
	g->f = f;
	g->l3 = l3;
	g->hdr = g->l4 + (uint32_t)(f->data[g->l4 + 12] >> 4) * 4;
	g->mss = f->len - g->hdr;
	g->seq_next = gro_be32(f->data + g->l4 + 4) + g->mss;
	g->id_next = g->ipv6 ? 0 : (uint16_t)(eth_get_be16(f->data + l3 + 4) + 1);
	g->nseg = 1;
	return 0;
}

/* whether @seg's headers are the run's but for lengths, IDs, checksums, sequence, flags */
static bool gro_same_headers(const struct gro *g, const uint8_t *seg)
{
	const uint8_t *a = g->f->data, *ip = seg + g->l3, *tcp = seg + g->l4;
	const uint8_t *aip = a + g->l3, *atcp = a + g->l4;

	if (memcmp(a, seg, g->l3))
		return false;
	if (g->ipv6 ? memcmp(aip, ip, 4) || memcmp(aip + 6, ip + 6, GRO_IPV6_HLEN - 6)
		    : memcmp(aip, ip, 2) || memcmp(aip + 6, ip + 6, 4) ||
			      memcmp(aip + 12, ip + 12, 8))
		return false;
	/* ports; then acknowledgement, offset, (flags apart), window, urgent, options */
	return !memcmp(atcp, tcp, 4) && !memcmp(atcp + 8, tcp + 8, 5) &&
	       !memcmp(atcp + 14, tcp + 14, 2) && !memcmp(atcp + 18, tcp + 18, g->hdr - g->l4 - 18);
}

bool gro_append(struct gro *g, const uint8_t *seg, uint32_t len)
{
	struct frame *f = g->f;
	uint32_t l4, pay;
	uint8_t flags;

	if (!f || g->closed || len <= g->hdr || len - g->hdr > g->mss)
		return false;
	pay = len - g->hdr;
	if (f->len + pay - g->l3 > GRO_IP_MAX + (g->ipv6 ? GRO_IPV6_HLEN : 0) ||
	    (uint32_t)(f->data - f->head) + f->len + pay > f->size)
		return false;
	if (!gro_same_headers(g, seg) || !gro_segment_ok(seg, len, g->l3, g->ipv6, &l4) ||
	    l4 != g->l4 || gro_be32(seg + l4 + 4) != g->seq_next ||
	    (!g->ipv6 && eth_get_be16(seg + g->l3 + 4) != g->id_next))
		return false;
	flags = seg[l4 + 13];
	if (flags != GRO_TCP_ACK && flags != (GRO_TCP_ACK | GRO_TCP_PSH))
		return false;
	memcpy(f->data + f->len, seg + g->hdr, pay);
	f->len += pay;
	g->seq_next += pay;
	g->id_next++;
	g->nseg++;
	g->psh = flags & GRO_TCP_PSH;
	g->closed = g->psh || pay < g->mss;
	return true;
}

uint32_t gro_end(struct gro *g)
{
	struct frame *f = g->f;
	uint8_t *ip, *tcp;
	uint16_t seed;

	if (!f || g->nseg < 2)
		return g->nseg;
	ip = f->data + g->l3;
	tcp = f->data + g->l4;
	if (g->ipv6) {
		gro_put_be16(ip + 4, f->len - g->l3 - GRO_IPV6_HLEN);
	} else {
		gro_put_be16(ip + 2, f->len - g->l3);
		gro_put_be16(ip + 10, 0);
		gro_put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	}
	if (g->psh)
		tcp[13] |= GRO_TCP_PSH;
	/* NEEDS_CSUM: the field holds the pseudo-header's sum, folded, not complemented */
	seed = (uint16_t)~csum_fold(gro_pseudo(ip, g->ipv6, f->len - g->l4));
	gro_put_be16(tcp + 16, seed);
	f->vnet = (struct vnet_meta){
		.flags = VNET_F_NEEDS_CSUM,
		.gso_type = g->ipv6 ? VNET_GSO_TCPV6 : VNET_GSO_TCPV4,
		.hdr_len = (uint16_t)g->hdr,
		.gso_size = (uint16_t)g->mss,
		.csum_start = (uint16_t)g->l4,
		.csum_offset = 16,
	};
	return g->nseg;
}
