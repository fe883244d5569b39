// SPDX-License-Identifier: GPL-2.0-or-later
/* guard.c - classify frames a guarded port may not send (see guard.h) */

#include "core/guard.h"
#include "core/eth.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define IPPROTO_UDP_ 17
#define IPPROTO_ICMPV6_ 58
#define IP6_HLEN 40
#define ICMPV6_ROUTER_ADV 134
#define GUARD_MAX_TAGS 2
#define GUARD_MAX_EXT 8 /* extension headers walked before giving up */

static inline bool guard_is_tag(uint16_t type)
{
	return type == ETH_P_8021Q || type == ETH_P_8021AD;
}

/* UDP ports at @off: is it a server's answer to a client? */
static bool guard_udp_server(const struct frame *f, uint32_t off, uint16_t sport, uint16_t dport)
{
	if (off + 4 > f->len)
		return false;
	return eth_get_be16(f->data + off) == sport && eth_get_be16(f->data + off + 2) == dport;
}

static enum guard_kind guard_ipv4(const struct frame *f, uint32_t off)
{
	const uint8_t *ip = f->data + off;
	uint32_t ihl;

	if (off + 20 > f->len || ip[0] >> 4 != 4 || ip[9] != IPPROTO_UDP_)
		return GUARD_NONE;
	/* a later fragment has no UDP header to judge */
	if (eth_get_be16(ip + 6) & 0x1fff)
		return GUARD_NONE;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20)
		return GUARD_NONE;
	return guard_udp_server(f, off + ihl, 67, 68) ? GUARD_DHCP_SERVER : GUARD_NONE;
}

static enum guard_kind guard_ipv6(const struct frame *f, uint32_t off)
{
	uint8_t next;

	if (off + IP6_HLEN > f->len || f->data[off] >> 4 != 6)
		return GUARD_NONE;
	next = f->data[off + 6];
	off += IP6_HLEN;
	for (unsigned i = 0; i <= GUARD_MAX_EXT; i++) {
		switch (next) {
		case IPPROTO_UDP_:
			return guard_udp_server(f, off, 547, 546) ? GUARD_DHCP_SERVER : GUARD_NONE;
		case IPPROTO_ICMPV6_:
			if (off + 1 > f->len)
				return GUARD_ROUTER_ADV;
			return f->data[off] == ICMPV6_ROUTER_ADV ? GUARD_ROUTER_ADV : GUARD_NONE;
		case 0:	 /* hop-by-hop options */
		case 43: /* routing */
		case 60: /* destination options */
			if (off + 2 > f->len)
				return GUARD_ROUTER_ADV;
			next = f->data[off];
			off += ((uint32_t)f->data[off + 1] + 1) * 8;
			break;
		case 44: /* fragment: only the first carries the upper header */
			if (off + 8 > f->len)
				return GUARD_ROUTER_ADV;
			if (eth_get_be16(f->data + off + 2) & 0xfff8)
				return GUARD_NONE;
			next = f->data[off];
			off += 8;
			break;
		default:
			return GUARD_NONE;
		}
	}
	/* a chain this long only hides what is behind it */
	return GUARD_ROUTER_ADV;
}

enum guard_kind guard_classify(const struct frame *f)
{
	uint32_t off = 2 * ETH_ALEN;
	uint16_t type = eth_get_be16(f->data + off);

	for (unsigned i = 0; i < GUARD_MAX_TAGS && guard_is_tag(type); i++) {
		off += VLAN_HLEN;
		if (off + 2 > f->len)
			return GUARD_NONE;
		type = eth_get_be16(f->data + off);
	}
	off += 2;
	if (type == ETH_P_IP)
		return guard_ipv4(f, off);
	if (type == ETH_P_IPV6)
		return guard_ipv6(f, off);
	return GUARD_NONE;
}

bool guard_stacked_tag(const struct frame *f)
{
	if (!guard_is_tag(eth_outer_type(f)))
		return false;
	/* a tag cut short is no tag the bridge will take either: let the runt check count it */
	if (f->len < ETH_HLEN + VLAN_HLEN)
		return false;
	if (eth_get_be16(f->data + ETH_HLEN) & VLAN_VID_MASK)
		return true;
	return guard_is_tag(eth_get_be16(f->data + ETH_HLEN + 2));
}
