/* SPDX-License-Identifier: GPL-2.0-or-later */
/* eth.h - Ethernet addresses, the 802.1Q tag, and tag push/pop in a frame's headroom */
#ifndef KVNET_CORE_ETH_H
#define KVNET_CORE_ETH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/frame.h"

/* the same values as <linux/if_ether.h>, which a file may include too */
#define ETH_ALEN 6
#define ETH_HLEN 14
#define VLAN_HLEN 4
#define ETH_P_8021Q 0x8100
#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88a8
#endif

#define VLAN_VID_MASK 0x0fff
#define VLAN_PRIO_SHIFT 13

static inline bool eth_is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;
}

static inline bool eth_is_broadcast(const uint8_t *mac)
{
	return (mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xff;
}

static inline bool eth_is_zero(const uint8_t *mac)
{
	return (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0;
}

/* 01:80:C2:00:00:00 to 0F, the IEEE 802.1D reserved group addresses */
static inline bool eth_is_link_local(const uint8_t *mac)
{
	return mac[0] == 0x01 && mac[1] == 0x80 && mac[2] == 0xc2 && mac[3] == 0 && mac[4] == 0 &&
	       (mac[5] & 0xf0) == 0;
}

static inline uint16_t eth_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void eth_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* EtherType or TPID right after the two addresses; the caller checked len >= ETH_HLEN */
static inline uint16_t eth_outer_type(const struct frame *f)
{
	return eth_get_be16(f->data + 2 * ETH_ALEN);
}

/**
 * eth_push_tag_proto() - insert a VLAN tag after the addresses, using headroom
 * @f:		frame; what follows its addresses (a tag or not) becomes the payload's start
 * @tpid:	ETH_P_8021Q (a C-tag) or ETH_P_8021AD (an S-tag)
 * @tci:	tag control information (PCP, DEI, VID) to insert
 *
 * Moves the 12 address bytes 4 bytes back; the payload stays where it is.
 * Offload offsets are moved with the headers.
 *
 * Return: 0, or -1 if the frame has less than VLAN_HLEN headroom
 */
int eth_push_tag_proto(struct frame *f, uint16_t tpid, uint16_t tci);

/** eth_push_tag() - eth_push_tag_proto() of an 802.1Q tag */
static inline int eth_push_tag(struct frame *f, uint16_t tci)
{
	return eth_push_tag_proto(f, ETH_P_8021Q, tci);
}

/**
 * eth_pop_tag() - remove the outer 802.1Q tag, moving the addresses forward
 * @f:		frame whose bytes carry a tag (the caller checked len >= ETH_HLEN + VLAN_HLEN)
 */
void eth_pop_tag(struct frame *f);

#endif
