/* SPDX-License-Identifier: GPL-2.0-or-later */
/* portsec.h - port security: what source addresses a port may send from, as libvirt's clean-traffic
 *
 * Theory of Operation
 * A VM port is an end station with known addresses: its MAC(s), and the IP
 * addresses it was given (libvirt's IP parameter) or leased from the
 * network's DHCP server. Port security drops what such a station has no
 * business sending, in the terms of libvirt's nwfilter building blocks:
 *  - PORTSEC_MAC (no-mac-spoofing): an Ethernet source not among the port's MACs;
 *  - PORTSEC_IP (no-ip-spoofing): an IPv4 source not among its addresses, except
 *    0.0.0.0 for a DHCP client's UDP 68 -> 67; an IPv6 source not among them nor
 *    the link-local address of one of its MACs (modified EUI-64), except :: for
 *    ICMPv6 (duplicate address detection, MLD);
 *  - PORTSEC_ARP (no-arp-spoofing, and its IPv6 counterpart): ARP other than an
 *    Ethernet/IPv4 request or reply, a sender MAC that is not the frame's source
 *    and one of the port's MACs, a sender IP not among its addresses (0.0.0.0, an
 *    ARP probe, passes); Neighbor Solicitations and Advertisements whose link-layer
 *    options name another MAC, an Advertisement for another's target, a DAD
 *    solicitation for another's address;
 *  - PORTSEC_L2 (no-other-l2-traffic): any EtherType but IPv4, ARP, RARP (QEMU's
 *    announce-self) and IPv6.
 * Up to two VLAN tags are skipped first. With no IPv4 address given, the port's
 * IPv4 addresses are the ones DHCP snooping learned: a DHCP ACK from a trusted
 * port (portsec_dhcp_ack()) for one of the port's MACs allows its yiaddr until the
 * lease ends (portsec_learn()). Until then only DHCP and ARP probes pass.
 *
 * With no IPv6 address given, the port's IPv6 addresses are learned first come,
 * first served, as RFC 6620's FCFS SAVI does: the guest's own Duplicate Address
 * Detection (a Neighbor Solicitation from :: for target T) claims T for the
 * port, unless another port of the bridge holds it (given, learned, or the
 * link-local address of its MAC): then the probe is dropped (nd-spoof), so the
 * holder keeps it. portsec_check() says PORTSEC_CLAIM6 and the bridge, which
 * sees every port, asks portsec_holds_ip6() of the others and calls
 * portsec_learn6(). At most PORTSEC_IP6_MAX are learned; a claim past that is
 * refused (nd-spoof), never an older one replaced: the oldest is most often
 * the address in use (the SLAAC or DHCPv6 one), and a guest flooding claims
 * must not push out its own good ones for the next claimant. What is learned
 * is forgotten when the port is disabled (its link down) or goes, and when its
 * MACs change or IPv6 addresses are given. A packet from a source the port
 * does not hold claims it too, as libvirt's CTRL_IP_LEARNING='any' learns
 * from any traffic (refused: ip-spoof): a guest that kept its addresses
 * while its port was made again (kvnetd restarted under it) does no DAD for
 * them. Claims that need the bridge to look at every port are rate-limited
 * (PORTSEC_CLAIM_RATE a second per port).
 *
 * What is learned at all follows libvirt's CTRL_IP_LEARNING (enum
 * portsec_learning): any (its default) learns both ways, dhcp only IPv4 from
 * DHCP, none nothing.
 * Nothing here allocates; a frame is read within its length only.
 */
#ifndef KVNET_CORE_PORTSEC_H
#define KVNET_CORE_PORTSEC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/frame.h"
#include "core/storm.h"

#define PORTSEC_MAC (1u << 0) /* no-mac-spoofing */
#define PORTSEC_IP (1u << 1)  /* no-ip-spoofing, IPv4 and IPv6 */
#define PORTSEC_ARP (1u << 2) /* no-arp-spoofing, and ND's link-layer options and targets */
#define PORTSEC_L2 (1u << 3)  /* no-other-l2-traffic */
#define PORTSEC_ALL (PORTSEC_MAC | PORTSEC_IP | PORTSEC_ARP | PORTSEC_L2)

#define PORTSEC_MAC_MAX 8
#define PORTSEC_IP4_MAX 8
#define PORTSEC_IP6_MAX 8
#define PORTSEC_LEASES_MAX 8
/* a DHCP ACK without a lease time (option 51): held this long */
#define PORTSEC_LEASE_DEFAULT_S 3600u
/*
 * DAD claims a second a port may make the bridge check against every port: a guest's
 * addresses at boot are a handful (link-local, one per prefix, a temporary one); a flood of
 * made-up claims must not cost the datapath a scan of the bridge each
 */
#define PORTSEC_CLAIM_RATE 16

/* how a port learns its addresses: libvirt's CTRL_IP_LEARNING */
enum portsec_learning {
	PORTSEC_LEARN_ANY,  /* libvirt's default: DHCP snooping (IPv4), DAD claims (IPv6) */
	PORTSEC_LEARN_DHCP, /* DHCP snooping only */
	PORTSEC_LEARN_NONE, /* nothing: the addresses given only */
	PORTSEC_LEARN__MAX,
};

/** portsec_learning_name() - "any", "dhcp", "none", or NULL */
const char *portsec_learning_name(enum portsec_learning l);
/** portsec_learning_value() - the enum portsec_learning named @name, or -1 */
int portsec_learning_value(const char *name);

/**
 * struct portsec_cfg - what a port may send from, as configured
 * @flags:	PORTSEC_* checks on
 * @n_mac:	how many of @mac
 * @mac:	the port's MACs
 * @n_ip4:	how many of @ip4; 0 lets DHCP snooping find them
 * @ip4:	IPv4 addresses, network order
 * @n_ip6:	how many of @ip6 (link-local addresses of @mac are implied); 0 lets DAD
 *		claims find them
 * @ip6:	IPv6 addresses
 * @learning:	enum portsec_learning
 */
struct portsec_cfg {
	uint32_t flags;
	uint8_t learning;
	uint8_t n_mac;
	uint8_t n_ip4;
	uint8_t n_ip6;
	uint8_t mac[PORTSEC_MAC_MAX][6];
	uint8_t ip4[PORTSEC_IP4_MAX][4];
	uint8_t ip6[PORTSEC_IP6_MAX][16];
};

/* an IPv4 address DHCP snooping learned; @expires 0: the slot is free */
struct portsec_lease {
	uint8_t ip[4];
	uint64_t expires;
};

/*
 * a port's state: its configuration and what snooping learned; @claim is the address of the
 * last PORTSEC_CLAIM6 verdict, @claim_drop the cause to count if it fails (enum
 * portsec_verdict: nd-spoof for a DAD probe, ip-spoof for a packet from it), @claims the
 * rate of those; @fast_key, @fast_ip4 and @fast_until are portsec_fast_pass()'s (kept by
 * portsec.c)
 */
struct portsec {
	struct portsec_cfg cfg;
	struct portsec_lease lease[PORTSEC_LEASES_MAX];
	uint8_t n_ip6_learned;
	uint8_t ip6_learned[PORTSEC_IP6_MAX][16];
	uint8_t claim[16];
	uint8_t claim_drop;
	struct storm_bucket claims;
	uint64_t fast_key;
	uint32_t fast_ip4;
	uint64_t fast_until;
};

/* why portsec_check() refused a frame */
enum portsec_verdict {
	PORTSEC_PASS,
	PORTSEC_MAC_SPOOF, /* Ethernet source */
	PORTSEC_IP_SPOOF,  /* IPv4 or IPv6 source, or a header too short to tell */
	PORTSEC_ARP_SPOOF, /* ARP sender or opcode */
	PORTSEC_ND_SPOOF,  /* Neighbor Discovery target or link-layer option */
	PORTSEC_L2_OTHER,  /* an EtherType clean-traffic does not pass */
	PORTSEC_CLAIM6,	   /* a claim on ps->claim: the bridge decides (see above) */
};

/**
 * portsec_set() - give @ps a configuration; what snooping learned is kept only while the
 * MACs stay the same, no address of its family is given and learning still allows it
 * @ps:		the port's state (zeroed at first)
 * @cfg:	the configuration, copied
 * Return: 0, or -EINVAL for flags outside PORTSEC_ALL, counts over their maxima or an unknown
 * learning
 */
int portsec_set(struct portsec *ps, const struct portsec_cfg *cfg);

/**
 * portsec_check() - whether a port with @ps may send @f
 * @ps:		the port's state; its flags are not 0 (else there is nothing to check); a
 *		claim takes from its rate
 * @f:		a frame of at least ETH_HLEN bytes
 * @now:	current time, ns (learned addresses expire)
 * Return: PORTSEC_PASS, PORTSEC_CLAIM6 (ps->claim set), or the cause to count the drop under
 */
enum portsec_verdict portsec_check(struct portsec *ps, const struct frame *f, uint64_t now);

/**
 * portsec_fast_pass() - whether @f passes for certain, in a few instructions
 *
 * Most of a VM's frames are untagged IPv4 from its one MAC and its one address: one 8-byte
 * load (the source MAC and the EtherType) and one 4-byte load (the source address) tell
 * them, where portsec_check() walks every list, which cost 15 % of the core's rate. The
 * address is the port's first one given, else the lease learned last, until it expires.
 * Return: true only if portsec_check() would pass @f at @now; false says nothing
 */
static inline bool portsec_fast_pass(const struct portsec *ps, const struct frame *f, uint64_t now)
{
	uint64_t key;
	uint32_t ip;

	if (f->len < 34 || now >= ps->fast_until)
		return false;
	memcpy(&key, f->data + 6, sizeof(key));
	memcpy(&ip, f->data + 26, sizeof(ip));
	return key == ps->fast_key && ip == ps->fast_ip4 && f->data[14] >> 4 == 4;
}

/**
 * portsec_holds_ip6() - does the port of @ps hold @ip: given, learned, or the link-local
 * address of one of its MACs (nothing while its flags are 0)
 */
bool portsec_holds_ip6(const struct portsec *ps, const uint8_t ip[16]);

/**
 * portsec_learn6() - @ip is the port's now (a claim no other port holds); nothing happens
 * when it already is, or PORTSEC_IP6_MAX are learned
 * Return: true if it is the port's
 */
bool portsec_learn6(struct portsec *ps, const uint8_t ip[16]);

/** portsec_forget6() - forget the IPv6 addresses learned (the port's link went down) */
void portsec_forget6(struct portsec *ps);

/**
 * portsec_dhcp_ack() - read a DHCPACK out of @f
 * @f:		a frame of at least ETH_HLEN bytes
 * @chaddr:	filled with the client's hardware address
 * @yiaddr:	filled with the address it was given, network order
 * @lease_s:	filled with the lease time in seconds (UINT32_MAX: infinite)
 * Return: true if @f is a UDP 67 -> 68 BOOTREPLY with DHCP message type ACK and a
 * non-zero yiaddr; otherwise false and nothing filled
 */
bool portsec_dhcp_ack(const struct frame *f, uint8_t chaddr[6], uint8_t yiaddr[4],
		      uint32_t *lease_s);

/**
 * portsec_learn() - allow @ip for @ps after a DHCPACK for @mac, if @mac is the port's
 * @ps:		the port's state; nothing is learned while it has IPv4 addresses given or
 *		its learning is none
 * @mac:	the ACK's chaddr
 * @ip:		its yiaddr
 * @expires:	when the lease ends, ns (UINT64_MAX: never)
 *
 * An address already learned has its expiry moved; a new one takes a free or
 * expired slot, or the one that expires first.
 * Return: true if learned
 */
bool portsec_learn(struct portsec *ps, const uint8_t mac[6], const uint8_t ip[4], uint64_t expires);

#endif
