/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gso.c - software segmentation of GSO frames and completion of partial checksums
 *
 * Theory of Operation
 *
 * A GSO frame (virtio-net gso_type TCPV4, TCPV6 or UDP_L4) is one set of
 * headers followed by a payload of up to 64 KiB that a peer with offloads
 * would cut itself. A peer without them (QEMU's stream and dgram sockets
 * carry no virtio-net header) must receive the segments, so we cut it:
 *
 *   in:   | L2 (tags) | IP | TCP/UDP | payload 0 ... payload nseg-1 |
 *   out:  | L2 (tags) | IP'| TCP/UDP'| payload i |      for each i
 *
 * gso_begin() parses the headers itself, never trusting the metadata's
 * offsets beyond checking they agree: Ethernet, up to two 802.1Q/802.1ad
 * tags, then IPv4 (no fragment) or IPv6 (hop-by-hop and destination
 * options may precede the L4 header), then TCP or UDP. Every read is
 * bounded by the frame's length, checked once while parsing; every write
 * is bounded by the output frame's buffer, checked before each segment.
 *
 * gso_next() then writes segment i as a copy of the headers and the i-th
 * slice of mss payload bytes, and fixes what differs per segment, as the
 * kernel's tcp/udp GSO does: IPv4 total length, identification (first +
 * i), header checksum; IPv6 payload length; TCP sequence number (first +
 * i * mss), FIN and PSH kept only on the last segment and CWR only on the
 * first; UDP length; and the L4 checksum, computed in full over the
 * pseudo-header and the segment. Segments can be made a few at a time
 * (gso_next() keeps its place), so a caller with one scratch buffer can
 * segment a 64 KiB frame with gso_size 1.
 *
 * UFO (VNET_GSO_UDP) would mean IP fragmentation, and for IPv6 a fragment
 * identification we have no source for; no back-end of ours takes it in,
 * so it is refused as unsupported.
 *
 * csum_compute() and csum_complete() finish the partial checksum of a
 * non-GSO NEEDS_CSUM frame: the seed at csum_start + csum_offset is
 * already in the data, so the checksum is the complement of the sum from
 * csum_start to the end.
 */

#include <errno.h>
#include <string.h>

#include "core/eth.h"
#include "core/gso.h"

#define GSO_ETH_P_IP 0x0800
#define GSO_ETH_P_IPV6 0x86dd
#define GSO_PROTO_TCP 6
#define GSO_PROTO_UDP 17
#define GSO_IPV6_HLEN 40
#define GSO_TCP_HLEN 20
#define GSO_UDP_HLEN 8
/* extension headers we step over before the L4 header */
#define GSO_IPV6_HOPOPTS 0
#define GSO_IPV6_DSTOPTS 60
#define GSO_IPV6_EXT_MAX 8

#define GSO_TCP_FIN 0x01
#define GSO_TCP_PSH 0x08
#define GSO_TCP_CWR 0x80

static inline uint32_t gso_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t gso_min(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static inline void gso_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * The one's complement sum of the @n bytes at @p (a multiple of 8), folded to 16 bits, in
 * network order. It reads them as native 64-bit words, 8 bytes a step where byte loads
 * took 4: the sum is the same in either byte order up to a swap of its two bytes (RFC 1071,
 * section 2), and a carry out of the top goes back in at the bottom (2^64 = 1 modulo 0xffff).
 */
static uint32_t csum_bulk(const uint8_t *p, uint32_t n)
{
	uint64_t acc = 0, w;

	for (uint32_t i = 0; i < n; i += 8) {
		memcpy(&w, p + i, 8);
		acc += w;
		acc += acc < w;
	}
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	acc = (acc >> 8 | acc << 8) & 0xffff;
#endif
	return (uint32_t)acc;
}

uint64_t csum_add(uint64_t sum, const uint8_t *p, uint32_t len)
{
	if (len >= 64) {
		uint32_t n = len & ~7u;

		sum += csum_bulk(p, n);
		p += n;
		len -= n;
	}
	/* 32-bit words: 2^16 = 1 modulo 0xffff, so they sum as their two halves would */
	while (len >= 4) {
		sum += gso_get_be32(p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Return: the L4 header's offset after the IPv4 header at @l3, or a negative errno */
static int gso_parse_ipv4(const struct frame *in, uint32_t l3, uint8_t proto)
{
	const uint8_t *ip = in->data + l3;
	uint32_t ihl;

	if (l3 + 20 > in->len || ip[0] >> 4 != 4)
		return -EINVAL;
	ihl = (uint32_t)(ip[0] & 0xf) * 4;
	if (ihl < 20 || l3 + ihl > in->len)
		return -EINVAL;
	/* a fragment (MF, or an offset) cannot be segmented */
	if (eth_get_be16(ip + 6) & 0x3fff)
		return -EINVAL;
	if (ip[9] != proto)
		return -EINVAL;
	return (int)(l3 + ihl);
}

static int gso_parse_ipv6(const struct frame *in, uint32_t l3, uint8_t proto)
{
	uint32_t off = l3 + GSO_IPV6_HLEN;
	uint8_t nh;

	if (off > in->len || in->data[l3] >> 4 != 6)
		return -EINVAL;
	nh = in->data[l3 + 6];
	for (unsigned i = 0; nh == GSO_IPV6_HOPOPTS || nh == GSO_IPV6_DSTOPTS; i++) {
		if (i == GSO_IPV6_EXT_MAX || off + 8 > in->len)
			return -EINVAL;
		nh = in->data[off];
		off += ((uint32_t)in->data[off + 1] + 1) * 8;
		if (off > in->len)
			return -EINVAL;
	}
	if (nh != GSO_PROTO_TCP && nh != GSO_PROTO_UDP)
		return -EPROTONOSUPPORT; /* routing, fragment, anything else */
	if (nh != proto)
		return -EINVAL;
	return (int)off;
}

int gso_begin(struct gso_ctx *ctx, const struct frame *in)
{
	uint8_t type = in->vnet.gso_type & ~VNET_GSO_ECN;
	uint32_t l3 = ETH_HLEN, l4len;
	uint16_t etype;
	uint8_t proto;
	int l4;

	memset(ctx, 0, sizeof(*ctx));
	switch (type) {
	case VNET_GSO_TCPV4:
	case VNET_GSO_TCPV6:
		proto = GSO_PROTO_TCP;
		break;
	case VNET_GSO_UDP_L4:
		proto = GSO_PROTO_UDP;
		break;
	default:
		return type == VNET_GSO_NONE ? -EINVAL : -EPROTONOSUPPORT;
	}
	if (!in->vnet.gso_size || in->len > FRAME_MAX_LEN || in->len < ETH_HLEN)
		return -EINVAL;

	etype = eth_get_be16(in->data + 2 * ETH_ALEN);
	for (unsigned tags = 0; etype == ETH_P_8021Q || etype == ETH_P_8021AD; tags++) {
		if (tags == 2 || l3 + VLAN_HLEN > in->len)
			return -EINVAL;
		etype = eth_get_be16(in->data + l3 + 2);
		l3 += VLAN_HLEN;
	}
	if (etype == GSO_ETH_P_IP && type != VNET_GSO_TCPV6) {
		l4 = gso_parse_ipv4(in, l3, proto);
	} else if (etype == GSO_ETH_P_IPV6 && type != VNET_GSO_TCPV4) {
		l4 = gso_parse_ipv6(in, l3, proto);
		ctx->ipv6 = true;
	} else {
		return etype == GSO_ETH_P_IP || etype == GSO_ETH_P_IPV6 ? -EINVAL
									: -EPROTONOSUPPORT;
	}
	if (l4 < 0)
		return l4;

	if (proto == GSO_PROTO_TCP) {
		if ((uint32_t)l4 + GSO_TCP_HLEN > in->len)
			return -EINVAL;
		l4len = (uint32_t)(in->data[l4 + 12] >> 4) * 4;
		if (l4len < GSO_TCP_HLEN)
			return -EINVAL;
	} else {
		l4len = GSO_UDP_HLEN;
	}
	if ((uint32_t)l4 + l4len > in->len)
		return -EINVAL;
	/* the metadata, if it says where the checksum goes, must say where it is */
	if (in->vnet.flags & VNET_F_NEEDS_CSUM) {
		if (in->vnet.csum_start != (uint32_t)l4 ||
		    in->vnet.csum_offset != (proto == GSO_PROTO_TCP ? 16 : 6))
			return -EINVAL;
	}

	ctx->in = in;
	ctx->l3 = l3;
	ctx->l4 = (uint32_t)l4;
	ctx->hdr = (uint32_t)l4 + l4len;
	ctx->mss = in->vnet.gso_size;
	ctx->payload = in->len - ctx->hdr;
	ctx->nseg = ctx->payload ? (ctx->payload + ctx->mss - 1) / ctx->mss : 1;
	ctx->tcp = proto == GSO_PROTO_TCP;
	if (ctx->tcp)
		ctx->seq = gso_get_be32(in->data + l4 + 4);
	if (!ctx->ipv6)
		ctx->id = eth_get_be16(in->data + l3 + 4);
	return 0;
}

uint32_t gso_seg_len(const struct gso_ctx *ctx, uint32_t i)
{
	uint32_t off;

	if (i >= ctx->nseg)
		return 0;
	off = i * ctx->mss;
	return ctx->hdr + gso_min(ctx->mss, ctx->payload - off);
}

/* the L4 checksum of the segment at @d, @len bytes, its field zero */
static uint16_t gso_l4_csum(const struct gso_ctx *ctx, const uint8_t *d, uint32_t len)
{
	uint32_t l4len = len - ctx->l4;
	uint64_t sum;

	if (ctx->ipv6)
		sum = csum_add(0, d + ctx->l3 + 8, 32);
	else
		sum = csum_add(0, d + ctx->l3 + 12, 8);
	sum += ctx->tcp ? GSO_PROTO_TCP : GSO_PROTO_UDP;
	sum += l4len;
	sum = csum_add(sum, d + ctx->l4, l4len);
	return csum_fold(sum);
}

static void gso_write_seg(const struct gso_ctx *ctx, uint32_t i, struct frame *o, uint32_t len)
{
	const struct frame *in = ctx->in;
	uint8_t *d = o->data, *l3 = o->data + ctx->l3, *l4 = o->data + ctx->l4;
	bool first = i == 0, last = i + 1 == ctx->nseg;
	uint16_t csum;

	memcpy(d, in->data, ctx->hdr);
	memcpy(d + ctx->hdr, in->data + ctx->hdr + i * ctx->mss, len - ctx->hdr);

	if (ctx->ipv6) {
		eth_put_be16(l3 + 4, (uint16_t)(len - ctx->l3 - GSO_IPV6_HLEN));
	} else {
		eth_put_be16(l3 + 2, (uint16_t)(len - ctx->l3));
		eth_put_be16(l3 + 4, (uint16_t)(ctx->id + i));
		eth_put_be16(l3 + 10, 0);
		eth_put_be16(l3 + 10, csum_fold(csum_add(0, l3, ctx->l4 - ctx->l3)));
	}
	if (ctx->tcp) {
		gso_put_be32(l4 + 4, ctx->seq + i * ctx->mss);
		if (!last)
			l4[13] &= (uint8_t) ~(GSO_TCP_FIN | GSO_TCP_PSH);
		if (!first)
			l4[13] &= (uint8_t)~GSO_TCP_CWR;
		eth_put_be16(l4 + 16, 0);
		eth_put_be16(l4 + 16, gso_l4_csum(ctx, d, len));
	} else {
		eth_put_be16(l4 + 4, (uint16_t)(len - ctx->l4));
		eth_put_be16(l4 + 6, 0);
		csum = gso_l4_csum(ctx, d, len);
		eth_put_be16(l4 + 6, csum ? csum : 0xffff);
	}

	o->len = len;
	memset(&o->vnet, 0, sizeof(o->vnet));
	o->port = in->port;
	o->tci = in->tci;
	o->tagged = in->tagged;
	o->refs = 0;
}

int gso_next(struct gso_ctx *ctx, struct frame **out, unsigned max_out)
{
	unsigned n = 0;

	while (n < max_out && ctx->next < ctx->nseg) {
		struct frame *o = out[n];
		uint32_t len = gso_seg_len(ctx, ctx->next);

		if (o->data < o->head || o->data > o->head + o->size ||
		    (uint32_t)(o->head + o->size - o->data) < len)
			return n ? (int)n : -ENOSPC;
		gso_write_seg(ctx, ctx->next, o, len);
		ctx->next++;
		n++;
	}
	return (int)n;
}

int gso_segment(const struct frame *in, struct frame **out, unsigned max_out)
{
	struct gso_ctx ctx;
	int ret = gso_begin(&ctx, in);

	if (ret)
		return ret;
	if (ctx.nseg > max_out)
		return -ENOSPC;
	ret = gso_next(&ctx, out, max_out);
	if (ret >= 0 && (uint32_t)ret < ctx.nseg)
		return -ENOSPC;
	return ret;
}

int csum_compute(const struct frame *f, uint8_t csum[2])
{
	uint32_t start = f->vnet.csum_start;
	uint16_t c;

	if (!(f->vnet.flags & VNET_F_NEEDS_CSUM) || f->len > FRAME_MAX_LEN ||
	    start + f->vnet.csum_offset + 2 > f->len)
		return -EINVAL;
	c = csum_fold(csum_add(0, f->data + start, f->len - start));
	eth_put_be16(csum, c ? c : 0xffff);
	return 0;
}

int csum_complete(struct frame *f)
{
	uint8_t c[2];
	int ret;

	if (!(f->vnet.flags & VNET_F_NEEDS_CSUM))
		return 0;
	if (gso_is_gso(f))
		return -EINVAL;
	ret = csum_compute(f, c);
	if (ret)
		return ret;
	memcpy(f->data + f->vnet.csum_start + f->vnet.csum_offset, c, 2);
	f->vnet.flags &= (uint8_t)~VNET_F_NEEDS_CSUM;
	f->vnet.csum_start = 0;
	f->vnet.csum_offset = 0;
	return 0;
}
