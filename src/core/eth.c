/* SPDX-License-Identifier: GPL-2.0-or-later */
/* eth.c - 802.1Q tags pushed and popped in place */

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

int eth_push_tag_proto(struct frame *f, uint16_t tpid, uint16_t tci)
{
	if (frame_headroom(f) < VLAN_HLEN)
		return -1;
	eth_move_addrs(f->data - VLAN_HLEN, f->data);
	f->data -= VLAN_HLEN;
	f->len += VLAN_HLEN;
	eth_put_be16(f->data + 2 * ETH_ALEN, tpid);
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
