/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vxlan_hdr.c - the VXLAN header (RFC 7348 section 5) and the UDP source port of a flow
 *
 * The header is 8 bytes: flags (only I, 0x08, is defined; the other seven
 * are reserved), 24 reserved bits, the 24-bit VNI, 8 reserved bits. The
 * sender sets the reserved bits to zero, the receiver ignores them. No
 * system calls here: the unit test and the fuzz target call these directly.
 */

#include <stddef.h>
#include <stdint.h>

#include "port/vxlan.h"

#define ETH_HLEN 14
#define ETH_P_8021Q 0x8100
#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86dd
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

static const char *const vxlan_drop_names[VXLAN_DROP__MAX] = {
	[VXLAN_DROP_BAD_REMOTE] = "bad-remote", [VXLAN_DROP_BAD_HEADER] = "bad-header",
	[VXLAN_DROP_BAD_VNI] = "bad-vni",	[VXLAN_DROP_TOO_BIG] = "too-big",
	[VXLAN_DROP_OVER_MTU] = "over-mtu",	[VXLAN_DROP_NO_VNI] = "no-vni",
	[VXLAN_DROP_QUEUE_FULL] = "queue-full",
};

const char *vxlan_drop_name(enum vxlan_drop d)
{
	return (unsigned)d < VXLAN_DROP__MAX ? vxlan_drop_names[d] : "unknown";
}

int vxlan_hdr_parse(const uint8_t *p, size_t len, uint32_t *vni)
{
	if (len < VXLAN_HDR_LEN + ETH_HLEN || !(p[0] & VXLAN_FLAG_I))
		return VXLAN_DROP_BAD_HEADER + 1;
	*vni = (uint32_t)p[4] << 16 | (uint32_t)p[5] << 8 | p[6];
	return 0;
}

void vxlan_hdr_build(uint8_t *p, uint32_t vni)
{
	p[0] = VXLAN_FLAG_I;
	p[1] = p[2] = p[3] = 0;
	p[4] = (uint8_t)(vni >> 16);
	p[5] = (uint8_t)(vni >> 8);
	p[6] = (uint8_t)vni;
	p[7] = 0;
}

/* FNV-1a over @len bytes at @p, continuing @h */
static uint32_t vxlan_hash(uint32_t h, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

uint16_t vxlan_flow_sport(const uint8_t *f, size_t len)
{
	uint32_t h = 2166136261u;
	size_t off = 12, l4 = 0;
	unsigned proto = 0;
	uint16_t type;

	if (len < ETH_HLEN)
		goto out;
	h = vxlan_hash(h, f, 12);
	type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == ETH_P_8021Q && len >= ETH_HLEN + 4) {
		off += 4;
		type = (uint16_t)(f[16] << 8 | f[17]);
	}
	off += 2; /* the network header */
	if (type == ETH_P_IPV4 && len >= off + 20) {
		size_t ihl = (size_t)(f[off] & 0x0f) * 4;

		h = vxlan_hash(h, f + off + 12, 8);
		proto = f[off + 9];
		/* only a first fragment has the ports */
		if (ihl >= 20 && !((f[off + 6] << 8 | f[off + 7]) & 0x1fff))
			l4 = off + ihl;
	} else if (type == ETH_P_IPV6 && len >= off + 40) {
		h = vxlan_hash(h, f + off + 8, 32);
		proto = f[off + 6];
		l4 = off + 40;
	}
	if ((proto == IPPROTO_TCP_ || proto == IPPROTO_UDP_) && l4 && len >= l4 + 4)
		h = vxlan_hash(h, f + l4, 4);
	h = vxlan_hash(h, (const uint8_t *)&proto, 1);
out:
	h ^= h >> 16;
	return (uint16_t)(VXLAN_SPORT_MIN + h % (65536u - VXLAN_SPORT_MIN));
}
