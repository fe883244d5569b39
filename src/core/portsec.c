// SPDX-License-Identifier: GPL-2.0-or-later
/* portsec.c - port security checks and DHCP snooping (see portsec.h) */

#include <errno.h>
#include <string.h>

#include "core/eth.h"
#include "core/portsec.h"

#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define ETH_P_RARP 0x8035
#define ETH_P_IPV6 0x86dd
#define PS_IPPROTO_HOPOPTS 0
#define PS_IPPROTO_UDP 17
#define PS_IPPROTO_ICMPV6 58
#define IP6_HLEN 40
#define ARP_LEN 28
#define ND_NS 135
#define ND_NA 136
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define ND_HLEN 24 /* ICMPv6 header, flags/reserved, target */
#define BOOTP_CHADDR 28
#define BOOTP_COOKIE 236
#define DHCP_OPT_TYPE 53
#define DHCP_OPT_LEASE 51
#define DHCP_ACK 5
#define PS_MAX_TAGS 2

static const char *const portsec_learning_names[PORTSEC_LEARN__MAX] = {
	[PORTSEC_LEARN_ANY] = "any",
	[PORTSEC_LEARN_DHCP] = "dhcp",
	[PORTSEC_LEARN_NONE] = "none",
};

const char *portsec_learning_name(enum portsec_learning l)
{
	return (unsigned)l < PORTSEC_LEARN__MAX ? portsec_learning_names[l] : NULL;
}

int portsec_learning_value(const char *name)
{
	for (int l = 0; l < PORTSEC_LEARN__MAX; l++)
		if (!strcmp(name, portsec_learning_names[l]))
			return l;
	return -1;
}

/* portsec_fast_pass()'s key: the first MAC and EtherType IPv4, as they lie in a frame */
static void portsec_fast_update(struct portsec *ps)
{
	const struct portsec_lease *last = NULL;
	uint8_t key[8] = { [6] = 0x08, [7] = 0x00 };

	ps->fast_until = 0;
	if (!ps->cfg.n_mac)
		return;
	memcpy(key, ps->cfg.mac[0], 6);
	memcpy(&ps->fast_key, key, sizeof(ps->fast_key));
	if (ps->cfg.n_ip4) {
		memcpy(&ps->fast_ip4, ps->cfg.ip4[0], 4);
		ps->fast_until = UINT64_MAX;
		return;
	}
	for (unsigned i = 0; i < PORTSEC_LEASES_MAX; i++)
		if (ps->lease[i].expires && (!last || ps->lease[i].expires > last->expires))
			last = &ps->lease[i];
	if (last) {
		memcpy(&ps->fast_ip4, last->ip, 4);
		ps->fast_until = last->expires;
	}
}

int portsec_set(struct portsec *ps, const struct portsec_cfg *cfg)
{
	bool same_macs;

	if ((cfg->flags & ~PORTSEC_ALL) || cfg->n_mac > PORTSEC_MAC_MAX ||
	    cfg->n_ip4 > PORTSEC_IP4_MAX || cfg->n_ip6 > PORTSEC_IP6_MAX ||
	    cfg->learning >= PORTSEC_LEARN__MAX)
		return -EINVAL;
	same_macs = cfg->n_mac == ps->cfg.n_mac &&
		    !memcmp(cfg->mac, ps->cfg.mac, sizeof(cfg->mac[0]) * cfg->n_mac);
	/* what was learned belongs to the MACs: kept while those stay, no address of its
	 * family is given and learning still takes it */
	if (cfg->n_ip4 || !same_macs || cfg->learning == PORTSEC_LEARN_NONE)
		memset(ps->lease, 0, sizeof(ps->lease));
	if (cfg->n_ip6 || !same_macs || cfg->learning != PORTSEC_LEARN_ANY)
		portsec_forget6(ps);
	ps->cfg = *cfg;
	portsec_fast_update(ps);
	return 0;
}

/* the per-frame compares, as word loads: the arrays are in no particular alignment */
static inline uint32_t portsec_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t portsec_u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static bool portsec_has_mac(const struct portsec_cfg *c, const uint8_t *mac)
{
	uint32_t hi = portsec_u32(mac);
	uint16_t lo = portsec_u16(mac + 4);

	for (unsigned i = 0; i < c->n_mac; i++)
		if (portsec_u32(c->mac[i]) == hi && portsec_u16(c->mac[i] + 4) == lo)
			return true;
	return false;
}

static bool portsec_has_ip4(const struct portsec *ps, const uint8_t *ip, uint64_t now)
{
	uint32_t a = portsec_u32(ip);

	for (unsigned i = 0; i < ps->cfg.n_ip4; i++)
		if (portsec_u32(ps->cfg.ip4[i]) == a)
			return true;
	/* addresses given: snooping learns nothing (portsec_learn()) */
	if (ps->cfg.n_ip4)
		return false;
	for (unsigned i = 0; i < PORTSEC_LEASES_MAX; i++)
		if (ps->lease[i].expires > now && portsec_u32(ps->lease[i].ip) == a)
			return true;
	return false;
}

static bool portsec_is_zero(const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* fe80::/64 with the modified EUI-64 of @mac (RFC 4291 appendix A) */
static bool portsec_is_mac_ll(const uint8_t *ip, const uint8_t *mac)
{
	static const uint8_t pfx[8] = { 0xfe, 0x80 };

	return !memcmp(ip, pfx, 8) && ip[8] == (mac[0] ^ 2) && ip[9] == mac[1] &&
	       ip[10] == mac[2] && ip[11] == 0xff && ip[12] == 0xfe && ip[13] == mac[3] &&
	       ip[14] == mac[4] && ip[15] == mac[5];
}

static bool portsec_has_ip6(const struct portsec *ps, const uint8_t *ip)
{
	const struct portsec_cfg *c = &ps->cfg;

	for (unsigned i = 0; i < c->n_ip6; i++)
		if (!memcmp(c->ip6[i], ip, 16))
			return true;
	for (unsigned i = 0; i < ps->n_ip6_learned; i++)
		if (!memcmp(ps->ip6_learned[i], ip, 16))
			return true;
	for (unsigned i = 0; i < c->n_mac; i++)
		if (portsec_is_mac_ll(ip, c->mac[i]))
			return true;
	return false;
}

bool portsec_holds_ip6(const struct portsec *ps, const uint8_t ip[16])
{
	return ps->cfg.flags && portsec_has_ip6(ps, ip);
}

bool portsec_learn6(struct portsec *ps, const uint8_t ip[16])
{
	if (portsec_has_ip6(ps, ip))
		return true;
	if (ps->n_ip6_learned >= PORTSEC_IP6_MAX)
		return false;
	memcpy(ps->ip6_learned[ps->n_ip6_learned++], ip, 16);
	return true;
}

void portsec_forget6(struct portsec *ps)
{
	ps->n_ip6_learned = 0;
	memset(ps->ip6_learned, 0, sizeof(ps->ip6_learned));
}

/*
 * May the port claim @target by DAD: learning any, no IPv6 address given, room left, a
 * unicast address (not ::, ::1 or multicast), and within the claim rate. If so, it is kept
 * in ps->claim for the bridge
 */
static bool portsec_may_claim(struct portsec *ps, const uint8_t *target, uint64_t now,
			      enum portsec_verdict drop)
{
	static const uint8_t loopback[16] = { [15] = 1 };

	if (ps->cfg.learning != PORTSEC_LEARN_ANY || ps->cfg.n_ip6 ||
	    ps->n_ip6_learned >= PORTSEC_IP6_MAX || target[0] == 0xff ||
	    portsec_is_zero(target, 16) || !memcmp(target, loopback, 16))
		return false;
	if (!ps->claims.rate)
		storm_set(&ps->claims, PORTSEC_CLAIM_RATE, now);
	if (!storm_allow(&ps->claims, now))
		return false;
	memcpy(ps->claim, target, 16);
	ps->claim_drop = (uint8_t)drop;
	return true;
}

/* Return: the offset of the payload after up to two VLAN tags, its EtherType in *type */
static uint32_t portsec_l3(const struct frame *f, uint16_t *type)
{
	uint32_t off = 2 * ETH_ALEN;
	uint16_t t = eth_get_be16(f->data + off);

	for (unsigned i = 0; i < PS_MAX_TAGS && (t == ETH_P_8021Q || t == ETH_P_8021AD); i++) {
		off += VLAN_HLEN;
		if (off + 2 > f->len) {
			*type = 0;
			return f->len;
		}
		t = eth_get_be16(f->data + off);
	}
	*type = t;
	return off + 2;
}

static enum portsec_verdict portsec_ipv4(const struct portsec *ps, const struct frame *f,
					 uint32_t off, uint64_t now)
{
	const uint8_t *ip = f->data + off;
	uint32_t l4;

	if (off + 20 > f->len || ip[0] >> 4 != 4)
		return PORTSEC_IP_SPOOF;
	if (portsec_has_ip4(ps, ip + 12, now))
		return PORTSEC_PASS;
	/* a DHCP client has no address yet: only its own UDP 68 -> 67, whole */
	if (!portsec_is_zero(ip + 12, 4) || ip[9] != PS_IPPROTO_UDP ||
	    (eth_get_be16(ip + 6) & 0x3fff))
		return PORTSEC_IP_SPOOF;
	l4 = off + (uint32_t)(ip[0] & 0x0f) * 4;
	if (l4 + 4 > f->len || eth_get_be16(f->data + l4) != 68 ||
	    eth_get_be16(f->data + l4 + 2) != 67)
		return PORTSEC_IP_SPOOF;
	return PORTSEC_PASS;
}

static enum portsec_verdict portsec_arp(const struct portsec *ps, const struct frame *f,
					uint32_t off, uint64_t now)
{
	const uint8_t *a = f->data + off;
	uint16_t op;

	if (off + ARP_LEN > f->len || eth_get_be16(a) != 1 || eth_get_be16(a + 2) != ETH_P_IP ||
	    a[4] != ETH_ALEN || a[5] != 4)
		return PORTSEC_ARP_SPOOF;
	op = eth_get_be16(a + 6);
	if (op != 1 && op != 2)
		return PORTSEC_ARP_SPOOF;
	if (memcmp(a + 8, f->data + ETH_ALEN, ETH_ALEN) || !portsec_has_mac(&ps->cfg, a + 8))
		return PORTSEC_ARP_SPOOF;
	/* 0.0.0.0: an ARP probe (RFC 5227) before the address is used */
	if (!portsec_is_zero(a + 14, 4) && !portsec_has_ip4(ps, a + 14, now))
		return PORTSEC_ARP_SPOOF;
	return PORTSEC_PASS;
}

/* the ND options from @off to the end of @f: every link-layer address one of the port's */
static enum portsec_verdict portsec_nd_opts(const struct portsec_cfg *c, const struct frame *f,
					    uint32_t off)
{
	while (off + 2 <= f->len) {
		uint32_t len = (uint32_t)f->data[off + 1] * 8;

		if (!len || off + len > f->len)
			return PORTSEC_ND_SPOOF;
		if (f->data[off] == ND_OPT_SLLA || f->data[off] == ND_OPT_TLLA) {
			if (len < 8 || !portsec_has_mac(c, f->data + off + 2))
				return PORTSEC_ND_SPOOF;
		}
		off += len;
	}
	return PORTSEC_PASS;
}

/* the target of a DAD probe (RFC 4862 5.4.2: a Neighbor Solicitation from ::), else NULL */
static const uint8_t *portsec_dad_target(const struct frame *f, uint32_t off)
{
	const uint8_t *ip = f->data + off;
	uint32_t icmp = off + IP6_HLEN;

	if (ip[6] != PS_IPPROTO_ICMPV6 || icmp + ND_HLEN > f->len || f->data[icmp] != ND_NS ||
	    !portsec_is_zero(ip + 8, 16))
		return NULL;
	return f->data + icmp + 8;
}

/* Neighbor Solicitations and Advertisements (RFC 4861 section 4.3, 4.4) from the port */
static enum portsec_verdict portsec_nd(struct portsec *ps, const struct frame *f, uint32_t off,
				       uint64_t now)
{
	const uint8_t *ip = f->data + off, *target;
	uint32_t icmp = off + IP6_HLEN;
	enum portsec_verdict v;
	uint8_t type;

	/* ND is never behind an extension header; the IPv6 length bounds the options */
	if (ip[6] != PS_IPPROTO_ICMPV6 || icmp + 1 > f->len)
		return PORTSEC_PASS;
	type = f->data[icmp];
	if (type != ND_NS && type != ND_NA)
		return PORTSEC_PASS;
	if (icmp + ND_HLEN > f->len)
		return PORTSEC_ND_SPOOF;
	v = portsec_nd_opts(&ps->cfg, f, icmp + ND_HLEN);
	if (v != PORTSEC_PASS)
		return v;
	/* an advertisement speaks for its target; so does a DAD probe (source ::), which may
	 * claim it */
	target = f->data + icmp + 8;
	if ((type == ND_NA || portsec_is_zero(ip + 8, 16)) && !portsec_has_ip6(ps, target)) {
		if (type == ND_NS && portsec_may_claim(ps, target, now, PORTSEC_ND_SPOOF))
			return PORTSEC_CLAIM6;
		return PORTSEC_ND_SPOOF;
	}
	return PORTSEC_PASS;
}

static enum portsec_verdict portsec_ipv6(struct portsec *ps, const struct frame *f, uint32_t off,
					 uint64_t now)
{
	const uint8_t *ip = f->data + off, *target;
	uint32_t flags = ps->cfg.flags;

	if (off + IP6_HLEN > f->len || ip[0] >> 4 != 6)
		return PORTSEC_IP_SPOOF;
	if ((flags & PORTSEC_IP) && !portsec_has_ip6(ps, ip + 8)) {
		/* a source of its own it has not claimed by DAD (a restarted kvnetd forgot) */
		if (portsec_may_claim(ps, ip + 8, now, PORTSEC_IP_SPOOF))
			return PORTSEC_CLAIM6;
		/* ::, for DAD and MLD reports (which sit behind hop-by-hop options) only */
		if (!portsec_is_zero(ip + 8, 16) ||
		    (ip[6] != PS_IPPROTO_ICMPV6 && ip[6] != PS_IPPROTO_HOPOPTS))
			return PORTSEC_IP_SPOOF;
	}
	if (flags & PORTSEC_ARP)
		return portsec_nd(ps, f, off, now);
	/* ip_lock alone does not police ND, but the guest's DAD is how it learns its addresses */
	target = portsec_dad_target(f, off);
	if (target && !portsec_has_ip6(ps, target) &&
	    portsec_may_claim(ps, target, now, PORTSEC_ND_SPOOF))
		return PORTSEC_CLAIM6;
	return PORTSEC_PASS;
}

enum portsec_verdict portsec_check(struct portsec *ps, const struct frame *f, uint64_t now)
{
	uint32_t flags = ps->cfg.flags;
	uint16_t type;
	uint32_t off;

	if ((flags & PORTSEC_MAC) && !portsec_has_mac(&ps->cfg, f->data + ETH_ALEN))
		return PORTSEC_MAC_SPOOF;
	off = portsec_l3(f, &type);
	switch (type) {
	case ETH_P_IP:
		return (flags & PORTSEC_IP) ? portsec_ipv4(ps, f, off, now) : PORTSEC_PASS;
	case ETH_P_ARP:
		return (flags & PORTSEC_ARP) ? portsec_arp(ps, f, off, now) : PORTSEC_PASS;
	case ETH_P_IPV6:
		return (flags & (PORTSEC_IP | PORTSEC_ARP)) ? portsec_ipv6(ps, f, off, now)
							    : PORTSEC_PASS;
	case ETH_P_RARP:
		return PORTSEC_PASS;
	default:
		return (flags & PORTSEC_L2) ? PORTSEC_L2_OTHER : PORTSEC_PASS;
	}
}

/* the DHCP options from @off: message type and lease time. Return: whether it is an ACK */
static bool portsec_dhcp_opts(const struct frame *f, uint32_t off, uint32_t *lease_s)
{
	bool ack = false;

	*lease_s = PORTSEC_LEASE_DEFAULT_S;
	while (off < f->len && f->data[off] != 255) {
		uint8_t code = f->data[off];
		uint32_t len;

		if (code == 0) {
			off++;
			continue;
		}
		if (off + 2 > f->len)
			break;
		len = f->data[off + 1];
		if (off + 2 + len > f->len)
			break;
		if (code == DHCP_OPT_TYPE && len == 1)
			ack = f->data[off + 2] == DHCP_ACK;
		else if (code == DHCP_OPT_LEASE && len == 4)
			*lease_s = (uint32_t)eth_get_be16(f->data + off + 2) << 16 |
				   eth_get_be16(f->data + off + 4);
		off += 2 + len;
	}
	return ack;
}

bool portsec_dhcp_ack(const struct frame *f, uint8_t chaddr[6], uint8_t yiaddr[4],
		      uint32_t *lease_s)
{
	static const uint8_t cookie[4] = { 99, 130, 83, 99 };
	uint16_t type;
	uint32_t off = portsec_l3(f, &type), bootp, lease;
	const uint8_t *ip = f->data + off, *b;

	if (type != ETH_P_IP || off + 20 > f->len || ip[0] >> 4 != 4 || ip[9] != PS_IPPROTO_UDP ||
	    (eth_get_be16(ip + 6) & 0x3fff))
		return false;
	off += (uint32_t)(ip[0] & 0x0f) * 4;
	if (off + 8 > f->len || eth_get_be16(f->data + off) != 67 ||
	    eth_get_be16(f->data + off + 2) != 68)
		return false;
	bootp = off + 8;
	if (bootp + BOOTP_COOKIE + 4 > f->len)
		return false;
	b = f->data + bootp;
	/* a BOOTREPLY for an Ethernet client, with the DHCP magic cookie */
	if (b[0] != 2 || b[1] != 1 || b[2] != ETH_ALEN || memcmp(b + BOOTP_COOKIE, cookie, 4) ||
	    portsec_is_zero(b + 16, 4))
		return false;
	if (!portsec_dhcp_opts(f, bootp + BOOTP_COOKIE + 4, &lease))
		return false;
	memcpy(chaddr, b + BOOTP_CHADDR, ETH_ALEN);
	memcpy(yiaddr, b + 16, 4);
	*lease_s = lease;
	return true;
}

bool portsec_learn(struct portsec *ps, const uint8_t mac[6], const uint8_t ip[4], uint64_t expires)
{
	struct portsec_lease *slot = NULL;

	if (ps->cfg.n_ip4 || ps->cfg.learning == PORTSEC_LEARN_NONE ||
	    !portsec_has_mac(&ps->cfg, mac))
		return false;
	for (unsigned i = 0; i < PORTSEC_LEASES_MAX; i++) {
		struct portsec_lease *l = &ps->lease[i];

		if (l->expires && !memcmp(l->ip, ip, 4)) {
			slot = l;
			break;
		}
		if (!slot || l->expires < slot->expires)
			slot = l;
	}
	memcpy(slot->ip, ip, 4);
	slot->expires = expires;
	portsec_fast_update(ps);
	return true;
}
