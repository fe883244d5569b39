/* SPDX-License-Identifier: GPL-2.0-or-later */
/* eth.c - 802.1Q tag push/pop in place, and MAC address text */

#include <stdio.h>

#include "core/eth.h"

/* The offsets of a virtio-net header count from the Ethernet header, so they move with a tag. */
static void eth_shift_offload(struct frame *f, int delta)
{
	if (f->vnet.flags & VNET_F_NEEDS_CSUM)
		f->vnet.csum_start = (uint16_t)(f->vnet.csum_start + delta);
	if (f->vnet.hdr_len)
		f->vnet.hdr_len = (uint16_t)(f->vnet.hdr_len + delta);
}

/*
 * Move the two addresses by a tag's length. Loading all 12 bytes before
 * storing makes the overlap harmless and keeps this inline: a libc memmove
 * call costs more than the move.
 */
static inline void eth_move_addrs(uint8_t *to, const uint8_t *from)
{
	uint64_t a;
	uint32_t b;

	memcpy(&a, from, sizeof(a));
	memcpy(&b, from + sizeof(a), sizeof(b));
	memcpy(to, &a, sizeof(a));
	memcpy(to + sizeof(a), &b, sizeof(b));
}

int eth_push_tag(struct frame *f, uint16_t tci)
{
	if (frame_headroom(f) < VLAN_HLEN)
		return -1;
	eth_move_addrs(f->data - VLAN_HLEN, f->data);
	f->data -= VLAN_HLEN;
	f->len += VLAN_HLEN;
	eth_put_be16(f->data + 2 * ETH_ALEN, ETH_P_8021Q);
	eth_put_be16(f->data + 2 * ETH_ALEN + 2, tci);
	eth_shift_offload(f, VLAN_HLEN);
	return 0;
}

void eth_pop_tag(struct frame *f)
{
	eth_move_addrs(f->data + VLAN_HLEN, f->data);
	f->data += VLAN_HLEN;
	f->len -= VLAN_HLEN;
	eth_shift_offload(f, -VLAN_HLEN);
}

static int eth_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int eth_parse_mac(const char *s, uint8_t mac[ETH_ALEN])
{
	uint8_t m[ETH_ALEN];

	if (!s)
		return -1;
	for (int i = 0; i < ETH_ALEN; i++) {
		int hi = eth_hex(s[0]), lo = hi < 0 ? -1 : eth_hex(s[1]);

		if (hi < 0 || lo < 0)
			return -1;
		m[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < ETH_ALEN - 1) {
			if (*s != ':' && *s != '-')
				return -1;
			s++;
		}
	}
	if (*s)
		return -1;
	memcpy(mac, m, ETH_ALEN);
	return 0;
}

char *eth_format_mac(const uint8_t mac[ETH_ALEN], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
	return buf;
}
