/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vxlan.h - VXLAN tunnel ports (RFC 7348): Ethernet frames in UDP to a static list of remotes
 *
 * Theory of Operation
 *
 * A VXLAN port is a back-end (port.h) whose outside is a UDP socket bound to
 * a local endpoint (address and port, 4789 by default), shared with the
 * other VXLAN ports on that endpoint, which carry other VNIs
 * (vxlan_priv.h). Every frame the
 * switch gives it goes out as one datagram per remote: an 8-byte VXLAN
 * header (I flag, the port's VNI) before the frame. Unicast to a MAC the
 * port has seen arrive from one remote goes to that remote only; anything
 * else (broadcast, multicast, unknown unicast) is replicated to each remote
 * (head-end replication). The MAC -> remote table is the port's own
 * (vxlan_fdb.c): the switch's FDB still learns MAC -> port, and the port
 * picks the remote.
 *
 * VLANs. A port may carry several VLANs of a trunk, each as a VNI of its
 * own (the kernel's vnifilter, OVS's tunnel key per VLAN): a frame the
 * switch gives it tagged with a mapped VID leaves untagged in that VID's VNI,
 * and a datagram in a mapped VNI comes in tagged with its VID. Untagged
 * frames, and tagged ones of a VLAN the map does not name (tag kept, as the
 * kernel's vxlan carries them), use the port's own VNI; a port with a map
 * and no VNI of its own drops them (counted: no-vni). The MAC -> remote
 * table is per VNI.
 *
 * Input is accepted only from a configured remote's address (any source
 * port: senders spread flows over source ports), with a well-formed header
 * (at least 8 bytes, I flag set; the reserved bits are ignored, as RFC 7348
 * says) carrying the port's VNI, and an inner frame of at least an Ethernet
 * header. Everything else is a counted drop (enum vxlan_drop), readable
 * through the back-end's counters op.
 *
 * Sending. With CAP_NET_RAW the port sends through a raw UDP socket, so
 * that each inner flow gets its own UDP source port (a hash of the inner
 * addresses and ports, in 49152..65535, as RFC 7348 recommends) and the
 * underlay can spread the flows over its paths; IPv4 datagrams carry a zero
 * UDP checksum (RFC 7348 section 5), IPv6 ones a full one the kernel
 * computes (IPV6_CHECKSUM). Without it (kvnetd as a user) the port sends
 * from its bound socket: every datagram has the local port as source port.
 * A frame whose datagram would exceed the underlay MTU (the MTU of the
 * interface that holds the local address, or the one given) is dropped and
 * counted: VXLAN must not be fragmented. GSO frames are segmented first and
 * partial checksums completed (the remote takes no offloads); where the
 * kernel has UDP tunnel GSO, a TCP GSO frame's segments go in one send with
 * UDP_SEGMENT, and reads take UDP_GRO batches (vxlan_gso.c). Nothing is
 * allocated per frame.
 */
#ifndef KVNET_PORT_VXLAN_H
#define KVNET_PORT_VXLAN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "port/port.h"

#define VXLAN_PORT_DEFAULT 4789
#define VXLAN_HDR_LEN 8
#define VXLAN_FLAG_I 0x08
#define VXLAN_VNI_MAX 0xffffffu
#define VXLAN_REMOTES_MAX 16
/* where a port sends: its remotes, or its group and the peers it learned (vxlan_priv.h) */
#define VXLAN_DST_MAX 64
#define VXLAN_TTL_DEFAULT 64
#define VXLAN_MAP_MAX 64
/* outer IP + UDP + VXLAN header, without the inner frame */
#define VXLAN_OVERHEAD4 (20 + 8 + VXLAN_HDR_LEN)
#define VXLAN_OVERHEAD6 (40 + 8 + VXLAN_HDR_LEN)
/* UDP source ports of the hash (RFC 7348 section 5: the dynamic/private range) */
#define VXLAN_SPORT_MIN 49152u

/* why a received datagram was dropped; counted per port */
enum vxlan_drop {
	VXLAN_DROP_BAD_REMOTE, /* not from a configured remote */
	VXLAN_DROP_BAD_HEADER, /* shorter than the header and an Ethernet header, or no I flag */
	VXLAN_DROP_BAD_VNI,    /* another VNI */
	VXLAN_DROP_TOO_BIG,    /* did not fit the receive buffer */
	VXLAN_DROP_OVER_MTU,   /* sent: the datagram would exceed the underlay MTU */
	VXLAN_DROP_NO_VNI,     /* sent: no VNI for the frame's VLAN */
	VXLAN_DROP_QUEUE_FULL, /* read by another port of the endpoint, and this one's inbox is full */
	VXLAN_DROP__MAX,
};

/**
 * struct vxlan_map - one VLAN carried as a VNI of its own
 * @vid:	the VLAN, 1..4094
 * @vni:	its VNI, 0..VXLAN_VNI_MAX
 */
struct vxlan_map {
	uint16_t vid;
	uint32_t vni;
};

/**
 * struct vxlan_config - what a VXLAN port is made with
 * @vni:	its VXLAN network identifier, 0..VXLAN_VNI_MAX: for untagged frames and the
 *		VLANs @map does not name
 * @no_vni:	it has none (only @map): those frames are dropped
 * @map:	VLANs carried as VNIs of their own; no VID or VNI twice, none equal to @vni
 * @n_map:	0..VXLAN_MAP_MAX
 * @local:	local address and UDP port (the port is also the remotes' destination port)
 * @remotes:	remote endpoints: addresses of @local's family (their port is ignored)
 * @n_remotes:	1..VXLAN_REMOTES_MAX; 0 with @group
 * @group:	a multicast group of @local's family instead of @remotes (ss_family
 *		AF_UNSPEC for none): broadcast, multicast and unknown unicast go to it,
 *		datagrams from any source are taken (still VNI-checked), and the sources
 *		become peers that learned MACs are sent to by unicast
 * @group_ifindex: the interface the group is joined and sent on, 0 for the one the
 *		local address's route gives
 * @ttl:	TTL / hop limit of the datagrams, 1..255
 * @tos:	TOS / traffic class byte of the datagrams (DSCP and ECN), 0 by default
 * @mtu:	the underlay MTU, 0 for the MTU of the interface holding @local's address
 */
struct vxlan_config {
	uint32_t vni;
	bool no_vni;
	struct vxlan_map map[VXLAN_MAP_MAX];
	unsigned n_map;
	struct sockaddr_storage local;
	struct sockaddr_storage remotes[VXLAN_REMOTES_MAX];
	unsigned n_remotes;
	struct sockaddr_storage group;
	unsigned group_ifindex;
	uint8_t ttl;
	uint8_t tos;
	uint32_t mtu;
};

/**
 * struct vxlan_info - what a VXLAN port shows
 * @cfg:	its configuration, with @cfg.mtu the underlay MTU in use
 * @raw:	it sends through a raw socket (per-flow source ports)
 * @mtu_given:	the underlay MTU it was made with (0: the interface's)
 * @drops:	its drops by cause
 * @n_peers:	with a group: the sources it learned (at most VXLAN_DST_MAX - 1)
 * @udp_gso:	GSO frames go out with UDP_SEGMENT (vxlan_gso.c)
 * @udp_gro:	its socket reads with UDP_GRO
 * @gso_sends:	sends with UDP_SEGMENT
 * @gso_fallbacks: GSO frames the kernel refused that way (segmented here since)
 * @coalesced:	TCP segments received that were merged into an earlier one's frame
 */
struct vxlan_info {
	struct vxlan_config cfg;
	bool raw;
	bool udp_gso;
	bool udp_gro;
	uint64_t gso_sends;
	uint64_t gso_fallbacks;
	uint64_t coalesced;
	unsigned n_peers;
	uint32_t mtu_given;
	uint64_t drops[VXLAN_DROP__MAX];
};

/**
 * vxlan_port_open() - a VXLAN port: a UDP socket bound to @cfg->local, non-blocking
 * @name:	port name (shorter than IF_NAMESIZE)
 * @cfg:	its configuration, copied
 * @out:	on success, gets the port, the caller's to destroy; untouched on failure
 * @err, @errlen: on failure, a message naming the port and what was wrong
 *
 * Return: 0, or a negative errno with @err filled: -EINVAL (a bad name, VNI, TTL, no
 * remote, or a remote of another address family than @local), -EADDRINUSE (another
 * socket has that endpoint, e.g. another VXLAN port or the kernel's vxlan), -ENOMEM,
 * or the failing call's (-EADDRNOTAVAIL: the local address is not on this host)
 */
int vxlan_port_open(const char *name, const struct vxlan_config *cfg, struct port **out, char *err,
		    size_t errlen);

/** vxlan_port_is() - whether @p is a VXLAN port */
bool vxlan_port_is(const struct port *p);

/** vxlan_port_info() - @p's configuration and counters; @p must be a VXLAN port */
void vxlan_port_info(const struct port *p, struct vxlan_info *info);

/**
 * vxlan_port_remote_of() - the remote a MAC was last seen behind on VXLAN port @p
 * @mac:	the MAC
 * @vid:	its VLAN on the switch (picks the VNI through the map)
 * @out:	gets the remote's address (port 0)
 * Return: true if @p knows one (seen within the ageing time), false if not
 */
bool vxlan_port_remote_of(const struct port *p, const uint8_t mac[6], uint16_t vid,
			  struct sockaddr_storage *out);

/**
 * vxlan_port_pin_of() - the remote a static entry (vxlan_port_pin()) gives @mac in @vid
 * Return: true with *@out set, or false if there is none
 */
bool vxlan_port_pin_of(const struct port *p, const uint8_t mac[6], uint16_t vid,
		       struct sockaddr_storage *out);

/**
 * vxlan_underlay_mtu() - the MTU of the interface that holds @local's address (the port is
 * ignored)
 * Return: the MTU, or 0 if no interface has that address (a wildcard, or not on this host)
 */
uint32_t vxlan_underlay_mtu(const struct sockaddr_storage *local);

/** vxlan_drop_name() - the counter's name of @d ("bad-remote"), for stats */
const char *vxlan_drop_name(enum vxlan_drop d);

/**
 * vxlan_hdr_parse() - check a received VXLAN payload's header
 * @p:		the UDP payload
 * @len:	its length
 * @vni:	gets the VNI
 * Return: 0 if @p has a VXLAN header with the I flag and an inner Ethernet header after it,
 * else VXLAN_DROP_BAD_HEADER + 1 (so that 0 is good). Reserved bits are ignored.
 */
int vxlan_hdr_parse(const uint8_t *p, size_t len, uint32_t *vni);

/** vxlan_hdr_build() - write the 8-byte VXLAN header for @vni at @p: I flag, reserved zero */
void vxlan_hdr_build(uint8_t *p, uint32_t vni);

/**
 * vxlan_flow_sport() - the UDP source port for an inner frame: a hash of its MACs, its
 * IPv4/IPv6 addresses and TCP/UDP ports where present, in VXLAN_SPORT_MIN..65535
 * @frame:	the inner Ethernet frame (untagged or with one 802.1Q tag)
 * @len:	its length
 * Return: the port, host order
 */
uint16_t vxlan_flow_sport(const uint8_t *frame, size_t len);

/* the port's MAC -> remote table (vxlan_fdb.c) */

#define VXLAN_FDB_SIZE 4096   /* entries, a power of two */
#define VXLAN_FDB_AGEING 300  /* seconds an entry counts after it was last seen */
#define VXLAN_FDB_NONE 0xffff /* no remote */

/**
 * struct vxlan_fdb_entry - a MAC of a VNI and the remote it was last seen behind
 * @mac:	the MAC
 * @remote:	index in the port's remotes; VXLAN_FDB_NONE for a free slot
 * @pinned:	a static entry (vxlan_fdb_pin()): never aged, moved or evicted
 * @vid:	a pinned entry's VLAN on the switch, as it was given
 * @vni:	the VNI
 * @seen:	the port's clock (seconds) when last seen
 */
struct vxlan_fdb_entry {
	uint8_t mac[6];
	uint16_t remote;
	bool pinned;
	uint16_t vid;
	uint32_t vni;
	uint32_t seen;
};

/**
 * vxlan_fdb_learn() - remember that @mac of @vni was seen behind remote @remote at @now
 * @tab:	VXLAN_FDB_SIZE entries
 * A full probe window loses its oldest entry; a pinned entry stays as it is.
 */
void vxlan_fdb_learn(struct vxlan_fdb_entry *tab, const uint8_t mac[6], uint32_t vni,
		     uint16_t remote, uint32_t now);

/**
 * vxlan_fdb_lookup() - the remote @mac of @vni is behind, if seen within VXLAN_FDB_AGEING
 * of @now
 * Return: its index, or VXLAN_FDB_NONE
 */
uint16_t vxlan_fdb_lookup(const struct vxlan_fdb_entry *tab, const uint8_t mac[6], uint32_t vni,
			  uint32_t now);

/**
 * vxlan_fdb_pin() - a static entry: @mac of @vni (VLAN @vid) is behind remote @remote
 * Return: 0, or -ENOSPC if its probe window holds only other pinned entries
 */
int vxlan_fdb_pin(struct vxlan_fdb_entry *tab, const uint8_t mac[6], uint32_t vni, uint16_t vid,
		  uint16_t remote);

/**
 * vxlan_port_pin() - a static entry on VXLAN port @p: unicast to @mac in VLAN @vid goes
 * to @remote, whatever is learned
 * @check:	only check that it could be made
 * Return: 0, -ENOENT (@remote is not one of the port's), -EINVAL (@vid has no VNI on the
 * port), or -ENOSPC (not with @check)
 */
int vxlan_port_pin(struct port *p, const uint8_t mac[6], uint16_t vid,
		   const struct sockaddr_storage *remote, bool check);

/**
 * vxlan_port_unpin() - drop the static entries of VXLAN port @p that @keep says no to
 * @keep:	called with each pinned MAC and VLAN, and @ctx
 */
void vxlan_port_unpin(struct port *p, bool (*keep)(void *ctx, const uint8_t mac[6], uint16_t vid),
		      void *ctx);

#endif
