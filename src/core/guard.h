/* SPDX-License-Identifier: GPL-2.0-or-later */
/* guard.h - what a guarded port may not send: server answers, router adverts, stacked tags
 *
 * Theory of Operation
 * A VM port is an end station. Some frames only a network's own
 * infrastructure should send: DHCP server messages (a rogue server hands out
 * its own router and DNS), IPv6 Router Advertisements (a rogue router takes
 * the LAN's default route), and, from an access port, frames with a VLAN tag
 * of their own (the double-tagging hop). These helpers classify a frame; the
 * bridge (bridge.c) drops and counts what a port's flags forbid. They read
 * the frame only, within its length, and allocate nothing.
 */
#ifndef KVNET_CORE_GUARD_H
#define KVNET_CORE_GUARD_H

#include <stdbool.h>

#include "core/frame.h"

/* what a frame is, for the guards */
enum guard_kind {
	GUARD_NONE,	   /* nothing a guard looks at */
	GUARD_DHCP_SERVER, /* UDP 67 -> 68 over IPv4, or 547 -> 546 over IPv6 */
	GUARD_ROUTER_ADV,  /* ICMPv6 type 134, or IPv6 whose upper header cannot be found */
};

/**
 * guard_classify() - whether @f is a DHCP server message or a Router Advertisement
 * @f:	a frame of at least ETH_HLEN bytes; up to two VLAN tags are skipped
 *
 * An IPv4 fragment other than the first cannot be judged and is GUARD_NONE. An
 * IPv6 packet whose extension headers leave the upper header out of the frame
 * (RFC 7113's evasion) is taken as an advertisement: a guarded port has no
 * business sending one.
 * Return: the kind
 */
enum guard_kind guard_classify(const struct frame *f);

/**
 * guard_stacked_tag() - whether @f carries a VLAN the port did not give it
 * @f:	a frame of at least ETH_HLEN bytes
 *
 * True for an outer 802.1Q or 802.1ad tag with a non-zero VID, and for a
 * priority tag (VID 0) with another tag behind it (its inner tag would come out
 * on a trunk whose native VLAN is the port's). A priority tag alone is fine.
 * Return: true if an access port must drop the frame
 */
bool guard_stacked_tag(const struct frame *f);

#endif
