/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_portsec.c - port security and DHCP snooping: portsec.c, and its step in bridge_input() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "core/portsec.h"
#include "helpers.h"

#define SEC 1000000000ull
#define T0 (1000 * SEC)
#define NPORTS 3
#define VM 0	  /* the port with port security */
#define HOST 1	  /* trusted: the network's DHCP server is behind it */
#define GUARDED 2 /* another VM port: DHCP guard, so not trusted */

static const uint8_t mac_a[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t mac_h[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast6[ETH_ALEN] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x0a };
static const uint8_t ip_a[4] = { 10, 0, 0, 5 };
static const uint8_t ip_b[4] = { 10, 0, 0, 6 };
static const uint8_t ip_h[4] = { 10, 0, 0, 1 };
static const uint8_t ip_0[4] = { 0, 0, 0, 0 };
/* fe80::5054:ff:fe00:a, mac_a's link-local address; and mac_b's */
static const uint8_t ll_a[16] = { 0xfe, 0x80, [8] = 0x50, 0x54, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x0a };
static const uint8_t ll_b[16] = { 0xfe, 0x80, [8] = 0x50, 0x54, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x0b };
static const uint8_t gl_a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };
static const uint8_t ip6_0[16] = { 0 };

/* clean-traffic on VM for mac_a, with @n_ip4 of ip_a */
static void vm_portsec(struct tbr *x, unsigned n_ip4)
{
	struct portsec_cfg c = { .flags = PORTSEC_ALL, .n_mac = 1, .n_ip4 = (uint8_t)n_ip4 };

	memcpy(c.mac[0], mac_a, ETH_ALEN);
	memcpy(c.ip4[0], ip_a, 4);
	c.n_ip6 = 1;
	memcpy(c.ip6[0], gl_a, 16);
	assert_int_equal(bridge_port_set_portsec(x->br, VM, &c), 0);
}

static int setup(void **state)
{
	struct bridge_config c;
	struct tbr *x;

	bridge_config_default(&c);
	c.max_ports = 8;
	x = tbr_new(&c, NPORTS, T0);
	if (!x)
		return -1;
	bridge_port_set_flags(x->br, GUARDED, BR_PORT_DHCP_GUARD, 0);
	*state = x;
	vm_portsec(x, 1);
	return 0;
}

static int teardown(void **state)
{
	tbr_free(*state);
	return 0;
}

static uint64_t drops(struct tbr *x, uint16_t port, enum bridge_drop d)
{
	return bridge_port_stats(x->br, port)->drops[d];
}

/* @f in on @port: Return: how many ports it went to */
static unsigned in(struct tbr *x, uint16_t port, struct frame *f)
{
	bridge_input(x->br, port, &f, 1, x->now, x->out);
	return x->out->n_active;
}

static struct frame *raw(struct tbr *x, const uint8_t *dst, const uint8_t *src, const uint8_t *l2,
			 uint32_t n)
{
	return tf_raw(&x->pool, dst, src, l2, n);
}

/* IPv4 @proto from @src, with @sport -> @dport for UDP; Return: its length from the EtherType */
static uint32_t ip4(uint8_t *p, const uint8_t *src, uint8_t proto, uint16_t sport, uint16_t dport)
{
	memset(p, 0, 2 + 28);
	eth_put_be16(p, 0x0800);
	p[2] = 0x45;
	eth_put_be16(p + 4, 28);
	p[2 + 8] = 64;
	p[2 + 9] = proto;
	memcpy(p + 2 + 12, src, 4);
	memset(p + 2 + 16, 0xff, 4);
	eth_put_be16(p + 22, sport);
	eth_put_be16(p + 24, dport);
	return 2 + 28;
}

static uint32_t arp(uint8_t *p, uint16_t op, const uint8_t *smac, const uint8_t *sip)
{
	memset(p, 0, 2 + 28);
	eth_put_be16(p, 0x0806);
	eth_put_be16(p + 2, 1);
	eth_put_be16(p + 4, 0x0800);
	p[6] = 6;
	p[7] = 4;
	eth_put_be16(p + 8, op);
	memcpy(p + 10, smac, 6);
	memcpy(p + 16, sip, 4);
	memcpy(p + 26, ip_h, 4);
	return 2 + 28;
}

/* IPv6 from @src, ICMPv6 ND @type for @target with a link-layer option @opt of @lla (0: none) */
static uint32_t nd(uint8_t *p, const uint8_t *src, uint8_t type, const uint8_t *target, uint8_t opt,
		   const uint8_t *lla)
{
	uint32_t n = 2 + 40 + 24 + (opt ? 8 : 0);

	memset(p, 0, n);
	eth_put_be16(p, 0x86dd);
	p[2] = 0x60;
	eth_put_be16(p + 2 + 4, (uint16_t)(n - 42));
	p[2 + 6] = 58;
	p[2 + 7] = 255;
	memcpy(p + 2 + 8, src, 16);
	p[2 + 24] = 0xff;
	p[42] = type;
	memcpy(p + 42 + 8, target, 16);
	if (opt) {
		p[66] = opt;
		p[67] = 1;
		memcpy(p + 68, lla, 6);
	}
	return n;
}

/* a DHCP reply from the host: @mtype for @chaddr, @yiaddr, lease @lease_s (0: no option) */
static uint32_t dhcp_reply(uint8_t *p, uint8_t mtype, const uint8_t *chaddr, const uint8_t *yiaddr,
			   uint32_t lease_s)
{
	uint8_t *b = p + 2 + 28;
	uint32_t o = 240;

	ip4(p, ip_h, 17, 67, 68);
	memset(b, 0, 300);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	memcpy(b + 16, yiaddr, 4);
	memcpy(b + 28, chaddr, 6);
	b[236] = 99;
	b[237] = 130;
	b[238] = 83;
	b[239] = 99;
	b[o++] = 53;
	b[o++] = 1;
	b[o++] = mtype;
	if (lease_s) {
		b[o++] = 51;
		b[o++] = 4;
		eth_put_be16(b + o, (uint16_t)(lease_s >> 16));
		eth_put_be16(b + o + 2, (uint16_t)lease_s);
		o += 4;
	}
	b[o++] = 255;
	return 2 + 28 + o;
}

static void mac_spoof(void **state)
{
	struct tbr *x = *state;
	uint8_t b[64];
	uint32_t n = ip4(b, ip_a, 6, 0, 0);

	assert_int_equal(in(x, VM, raw(x, bcast, mac_b, b, n)), 0);
	assert_int_equal(drops(x, VM, BR_DROP_MAC_SPOOF), 1);
	/* the spoofed source is not learned: no FDB poisoning */
	assert_int_equal(fdb_lookup(bridge_fdb(x->br), mac_b, 1, x->now), FDB_PORT_NONE);
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, n)), 2);
	assert_int_equal(fdb_lookup(bridge_fdb(x->br), mac_a, 1, x->now), VM);
	assert_string_equal(bridge_drop_name(BR_DROP_MAC_SPOOF), "mac-spoof");
}

static void ipv4_source(void **state)
{
	struct tbr *x = *state;
	uint8_t b[64];

	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_b, 6, 0, 0))), 0);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 1);
	/* a DHCP client's discover from 0.0.0.0 passes; nothing else from it */
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_0, 17, 68, 67))), 2);
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_0, 17, 68, 68))), 0);
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_0, 6, 68, 67))), 0);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 3);
	/* a header too short to read is no proof of anything */
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, 6)), 0);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 4);
	/* behind a priority tag too */
	b[0] = 0x81;
	b[1] = 0;
	b[2] = 0;
	b[3] = 0;
	ip4(b + 4, ip_b, 6, 0, 0);
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, 34)), 0);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 5);
}

static void arp_sender(void **state)
{
	struct tbr *x = *state;
	uint8_t b[64];

	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, arp(b, 1, mac_a, ip_a))), 2);
	/* a gratuitous ARP claiming another's address */
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, arp(b, 2, mac_a, ip_b))), 0);
	/* a sender MAC not the frame's */
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, arp(b, 1, mac_b, ip_a))), 0);
	/* neither request nor reply */
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, arp(b, 3, mac_a, ip_a))), 0);
	assert_int_equal(drops(x, VM, BR_DROP_ARP_SPOOF), 3);
	/* an ARP probe (RFC 5227) */
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, arp(b, 1, mac_a, ip_0))), 2);
}

static void ipv6_and_nd(void **state)
{
	struct tbr *x = *state;
	uint8_t b[128];

	/* its link-local and its given address; another's link-local */
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, ll_a, 135, ll_b, 1, mac_a))), 2);
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, gl_a, 135, ll_b, 0, NULL))), 2);
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, ll_b, 135, ll_a, 0, NULL))), 0);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 1);
	/* DAD for its own address passes; for another's it is a claim */
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, ip6_0, 135, ll_a, 0, NULL))), 2);
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, ip6_0, 135, ll_b, 0, NULL))), 0);
	/* an advertisement for another's target, or naming another MAC */
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, ll_a, 136, ll_b, 2, mac_a))), 0);
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, ll_a, 136, ll_a, 2, mac_b))), 0);
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, ll_a, 135, ll_b, 1, mac_b))), 0);
	assert_int_equal(drops(x, VM, BR_DROP_ND_SPOOF), 4);
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, ll_a, 136, ll_a, 2, mac_a))), 2);
	/* :: is for ICMPv6 only */
	nd(b, ip6_0, 135, ll_a, 0, NULL);
	b[2 + 6] = 17;
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, 66)), 0);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 2);
}

static void other_l2(void **state)
{
	struct tbr *x = *state;
	uint8_t b[64] = { 0x90, 0x00 };

	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, 46)), 0);
	assert_int_equal(drops(x, VM, BR_DROP_L2_OTHER), 1);
	/* QEMU's announce-self */
	b[0] = 0x80;
	b[1] = 0x35;
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, 46)), 2);
	/* only the blocks asked for: without no-other-l2-traffic it passes */
	{
		struct portsec_cfg c = bridge_port_portsec(x->br, VM)->cfg;

		c.flags &= ~PORTSEC_L2;
		assert_int_equal(bridge_port_set_portsec(x->br, VM, &c), 0);
	}
	b[0] = 0x90;
	b[1] = 0x00;
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, 46)), 2);
}

static void dhcp_snooping(void **state)
{
	struct tbr *x = *state;
	uint8_t b[400];

	vm_portsec(x, 0);
	/* nothing leased: only DHCP and probes */
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_b, 6, 0, 0))), 0);
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_0, 17, 68, 67))), 2);
	/* an offer teaches nothing; nor an ACK from an untrusted port, nor for another MAC */
	in(x, HOST, raw(x, bcast, mac_h, b, dhcp_reply(b, 2, mac_a, ip_b, 60)));
	in(x, GUARDED, raw(x, bcast, mac_b, b, dhcp_reply(b, 5, mac_a, ip_b, 60)));
	in(x, HOST, raw(x, bcast, mac_h, b, dhcp_reply(b, 5, mac_b, ip_b, 60)));
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_b, 6, 0, 0))), 0);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 2);
	/* the server's ACK for it */
	in(x, HOST, raw(x, bcast, mac_h, b, dhcp_reply(b, 5, mac_a, ip_b, 60)));
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_b, 6, 0, 0))), 2);
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, arp(b, 1, mac_a, ip_b))), 2);
	/* and no other */
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_a, 6, 0, 0))), 0);
	/* until the lease ends, unless renewed */
	x->now += 50 * SEC;
	in(x, HOST, raw(x, bcast, mac_h, b, dhcp_reply(b, 5, mac_a, ip_b, 60)));
	x->now += 50 * SEC;
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_b, 6, 0, 0))), 2);
	x->now += 11 * SEC;
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_b, 6, 0, 0))), 0);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 4);
}

static void learn_slots(void **state)
{
	struct portsec ps = { 0 };
	struct portsec_cfg c = { .flags = PORTSEC_IP, .n_mac = 1 };
	uint8_t ip[4] = { 10, 0, 0, 0 };

	(void)state;
	memcpy(c.mac[0], mac_a, ETH_ALEN);
	assert_int_equal(portsec_set(&ps, &c), 0);
	/* more leases than slots: the one ending first goes */
	for (unsigned i = 1; i <= PORTSEC_LEASES_MAX + 1; i++) {
		ip[3] = (uint8_t)i;
		assert_true(portsec_learn(&ps, mac_a, ip, 100 + i));
	}
	for (unsigned i = 0; i < PORTSEC_LEASES_MAX; i++)
		assert_int_not_equal(ps.lease[i].ip[3], 1);
	/* the same MACs again keep what was learned; other MACs forget it */
	assert_int_equal(portsec_set(&ps, &c), 0);
	assert_int_not_equal(ps.lease[0].expires, 0);
	c.mac[0][5] ^= 1;
	assert_int_equal(portsec_set(&ps, &c), 0);
	assert_int_equal(ps.lease[0].expires, 0);
	/* given addresses turn learning off */
	c.n_ip4 = 1;
	memcpy(c.ip4[0], ip_a, 4);
	assert_int_equal(portsec_set(&ps, &c), 0);
	assert_false(portsec_learn(&ps, mac_a, ip, 200));
	c.flags = 1u << 7;
	assert_int_equal(portsec_set(&ps, &c), -EINVAL);
	c.flags = PORTSEC_ALL;
	c.n_mac = PORTSEC_MAC_MAX + 1;
	assert_int_equal(portsec_set(&ps, &c), -EINVAL);
}

/* the fast path says "passes" only where portsec_check() passes, and follows leases */
static void fast_pass(void **state)
{
	struct tbr *x = *state;
	struct portsec ps = { 0 };
	struct portsec_cfg c = { .flags = PORTSEC_ALL, .n_mac = 1, .n_ip4 = 1 };
	uint8_t l2[64], tagged[68], good[60];
	struct frame *f;
	uint32_t n;

	memcpy(c.mac[0], mac_a, ETH_ALEN);
	memcpy(c.ip4[0], ip_a, 4);
	assert_int_equal(portsec_set(&ps, &c), 0);
	n = ip4(l2, ip_a, 17, 1000, 2000);
	f = raw(x, mac_h, mac_a, l2, n);
	assert_true(portsec_fast_pass(&ps, f, T0));
	assert_int_equal(portsec_check(&ps, f, T0), PORTSEC_PASS);
	f->len = 33; /* shorter than an IPv4 header */
	assert_false(portsec_fast_pass(&ps, f, T0));
	assert_false(portsec_fast_pass(&ps, raw(x, mac_h, mac_b, l2, n), T0));
	f = raw(x, mac_h, mac_a, l2, n);
	f->data[14] = 0x65; /* not version 4 */
	assert_false(portsec_fast_pass(&ps, f, T0));
	n = ip4(l2, ip_b, 17, 1000, 2000);
	assert_false(portsec_fast_pass(&ps, raw(x, mac_h, mac_a, l2, n), T0));
	n = arp(l2, 1, mac_a, ip_a);
	assert_false(portsec_fast_pass(&ps, raw(x, mac_h, mac_a, l2, n), T0));
	eth_put_be16(tagged, ETH_P_8021Q);
	eth_put_be16(tagged + 2, 10);
	n = ip4(tagged + 4, ip_a, 17, 1000, 2000) + 4;
	assert_false(portsec_fast_pass(&ps, raw(x, mac_h, mac_a, tagged, n), T0));

	/* any byte of a passing frame changed: never a pass that the full check refuses */
	n = ip4(l2, ip_a, 17, 1000, 2000);
	f = raw(x, mac_h, mac_a, l2, n);
	memcpy(good, f->data, sizeof(good));
	srand(19);
	for (unsigned i = 0; i < 20000; i++) {
		memcpy(f->data, good, sizeof(good));
		f->data[rand() % 42] ^= (uint8_t)(1 + rand() % 255);
		if (portsec_fast_pass(&ps, f, T0))
			assert_int_equal(portsec_check(&ps, f, T0), PORTSEC_PASS);
	}

	/* no address given: the lease learned last, until it ends */
	c.n_ip4 = 0;
	assert_int_equal(portsec_set(&ps, &c), 0);
	n = ip4(l2, ip_b, 17, 1000, 2000);
	f = raw(x, mac_h, mac_a, l2, n);
	assert_false(portsec_fast_pass(&ps, f, T0));
	assert_true(portsec_learn(&ps, mac_a, ip_a, T0 + 5 * SEC));
	assert_true(portsec_learn(&ps, mac_a, ip_b, T0 + 10 * SEC));
	assert_true(portsec_fast_pass(&ps, f, T0));
	assert_false(portsec_fast_pass(&ps, f, T0 + 10 * SEC));
	assert_int_equal(portsec_check(&ps, f, T0 + 10 * SEC), PORTSEC_IP_SPOOF);
	/* other MACs: what was learned is forgotten, and the fast path with it */
	c.mac[0][5] ^= 1;
	assert_int_equal(portsec_set(&ps, &c), 0);
	assert_false(portsec_fast_pass(&ps, f, T0));
}

/* clean-traffic on @port for @mac with no address given: DHCP snooping and DAD claims learn */
static void learner(struct tbr *x, uint16_t port, const uint8_t *mac, uint32_t flags,
		    enum portsec_learning l)
{
	struct portsec_cfg c = { .flags = flags, .n_mac = 1, .learning = (uint8_t)l };

	memcpy(c.mac[0], mac, ETH_ALEN);
	assert_int_equal(bridge_port_set_portsec(x->br, port, &c), 0);
}

/* a DAD probe for @target from @mac on @port; Return: ports it went to */
static unsigned dad(struct tbr *x, uint16_t port, const uint8_t *mac, const uint8_t *target)
{
	uint8_t b[128];

	return in(x, port, raw(x, mcast6, mac, b, nd(b, ip6_0, 135, target, 0, NULL)));
}

/* an ICMPv6 echo-like packet (an NS will do: it is from @src) from @src on @port */
static unsigned from6(struct tbr *x, uint16_t port, const uint8_t *mac, const uint8_t *src)
{
	uint8_t b[128];

	return in(x, port, raw(x, mcast6, mac, b, nd(b, src, 135, ll_b, 0, NULL)));
}

/*
 * IPv6 addresses learned first come, first served from the guest's own DAD (RFC 6620): a
 * claim binds an address no other port holds; one another holds (learned, given, or its
 * MAC's link-local) is dropped as nd-spoof; learned ones are used like given ones
 */
static void dad_claims(void **state)
{
	struct tbr *x = *state;
	const struct portsec *ps = bridge_port_portsec(x->br, VM);
	uint8_t b[128];

	learner(x, VM, mac_a, PORTSEC_ALL, PORTSEC_LEARN_ANY);
	learner(x, GUARDED, mac_b, PORTSEC_ALL, PORTSEC_LEARN_ANY);
	/* its DAD claims it, and passes */
	assert_int_equal(dad(x, VM, mac_a, gl_a), 2);
	assert_int_equal(ps->n_ip6_learned, 1);
	assert_memory_equal(ps->ip6_learned[0], gl_a, 16);
	assert_int_equal(from6(x, VM, mac_a, gl_a), 2);
	assert_int_equal(in(x, VM, raw(x, mcast6, mac_a, b, nd(b, gl_a, 136, gl_a, 2, mac_a))), 2);
	/* a second DAD for it (the guest's link bounced on its side) is its own: no change */
	assert_int_equal(dad(x, VM, mac_a, gl_a), 2);
	assert_int_equal(ps->n_ip6_learned, 1);
	/* another port's claim on it, or on the VM's MAC's link-local, is dropped */
	assert_int_equal(dad(x, GUARDED, mac_b, gl_a), 0);
	assert_int_equal(dad(x, GUARDED, mac_b, ll_a), 0);
	assert_int_equal(drops(x, GUARDED, BR_DROP_ND_SPOOF), 2);
	assert_int_equal(bridge_port_portsec(x->br, GUARDED)->n_ip6_learned, 0);
	assert_int_equal(from6(x, GUARDED, mac_b, gl_a), 0);
	assert_int_equal(drops(x, GUARDED, BR_DROP_IP_SPOOF), 1);
	/* multicast, :: and ::1 are never claimed */
	assert_int_equal(dad(x, GUARDED, mac_b, (const uint8_t[16]){ 0xff, 0x02, [15] = 1 }), 0);
	assert_int_equal(dad(x, GUARDED, mac_b, ip6_0), 0);
	assert_int_equal(dad(x, GUARDED, mac_b, (const uint8_t[16]){ [15] = 1 }), 0);
	assert_int_equal(drops(x, GUARDED, BR_DROP_ND_SPOOF), 5);
	/* at most PORTSEC_IP6_MAX: the next is refused, nothing replaced */
	for (unsigned i = 1; i < PORTSEC_IP6_MAX; i++) {
		uint8_t t[16];

		memcpy(t, gl_a, 16);
		t[14] = (uint8_t)i;
		assert_int_equal(dad(x, VM, mac_a, t), 2);
	}
	assert_int_equal(ps->n_ip6_learned, PORTSEC_IP6_MAX);
	{
		uint8_t t[16];

		memcpy(t, gl_a, 16);
		t[14] = 0x77;
		assert_int_equal(dad(x, VM, mac_a, t), 0);
		assert_int_equal(drops(x, VM, BR_DROP_ND_SPOOF), 1);
		assert_memory_equal(ps->ip6_learned[0], gl_a, 16);
		/* nor does a packet from it claim it */
		assert_int_equal(from6(x, VM, mac_a, t), 0);
		assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 1);
	}
	/* the VM's link goes down: it forgets, and the other may claim the address */
	assert_int_equal(bridge_port_set_state(x->br, VM, BR_STATE_DISABLED), 0);
	assert_int_equal(ps->n_ip6_learned, 0);
	assert_int_equal(bridge_port_set_state(x->br, VM, BR_STATE_FORWARDING), 0);
	assert_int_equal(dad(x, GUARDED, mac_b, gl_a), 2);
	assert_int_equal(dad(x, VM, mac_a, gl_a), 0);
}

/*
 * a packet from a source the port does not hold claims it as a DAD probe does (a guest whose
 * port was made again does no DAD for the addresses it kept); one another port holds is
 * ip-spoof
 */
static void data_claims(void **state)
{
	struct tbr *x = *state;
	const struct portsec *ps = bridge_port_portsec(x->br, VM);

	learner(x, VM, mac_a, PORTSEC_ALL, PORTSEC_LEARN_ANY);
	learner(x, GUARDED, mac_b, PORTSEC_ALL, PORTSEC_LEARN_ANY);
	assert_int_equal(from6(x, VM, mac_a, gl_a), 2);
	assert_int_equal(ps->n_ip6_learned, 1);
	assert_int_equal(drops(x, VM, BR_DROP_IP_SPOOF), 0);
	assert_int_equal(from6(x, GUARDED, mac_b, gl_a), 0);
	assert_int_equal(from6(x, GUARDED, mac_b, ll_a), 0);
	assert_int_equal(drops(x, GUARDED, BR_DROP_IP_SPOOF), 2);
	assert_int_equal(drops(x, GUARDED, BR_DROP_ND_SPOOF), 0);
	assert_int_equal(bridge_port_portsec(x->br, GUARDED)->n_ip6_learned, 0);
	/* a claim from a new source does not skip the ND checks: an NA for another's target
	 * from it is still nd-spoof (the source is learned all the same) */
	{
		uint8_t b[128], src[16];

		memcpy(src, gl_a, 16);
		src[14] = 9;
		assert_int_equal(in(x, VM,
				    raw(x, mcast6, mac_a, b, nd(b, src, 136, ll_b, 2, mac_a))),
				 0);
		assert_int_equal(drops(x, VM, BR_DROP_ND_SPOOF), 1);
		assert_int_equal(ps->n_ip6_learned, 2);
	}
	/* ip_lock off: no claim from data (nothing to check it against) */
	learner(x, VM, mac_a, PORTSEC_MAC | PORTSEC_ARP, PORTSEC_LEARN_ANY);
	assert_int_equal(ps->n_ip6_learned, 2);
	{
		uint8_t src[16];

		memcpy(src, gl_a, 16);
		src[14] = 10;
		assert_int_equal(from6(x, VM, mac_a, src), 2);
		assert_int_equal(ps->n_ip6_learned, 2);
	}
}

/* claims that make the bridge look at every port are rate-limited per port */
static void dad_claim_rate(void **state)
{
	struct tbr *x = *state;
	uint8_t t[16];

	learner(x, VM, mac_a, PORTSEC_ALL, PORTSEC_LEARN_ANY);
	learner(x, GUARDED, mac_b, PORTSEC_ALL, PORTSEC_LEARN_ANY);
	assert_int_equal(dad(x, VM, mac_a, gl_a), 2);
	for (unsigned i = 0; i < PORTSEC_CLAIM_RATE + 5; i++)
		assert_int_equal(dad(x, GUARDED, mac_b, gl_a), 0);
	memcpy(t, gl_a, 16);
	t[14] = 1;
	/* out of claims this second: even a free address is refused */
	assert_int_equal(dad(x, GUARDED, mac_b, t), 0);
	assert_int_equal(drops(x, GUARDED, BR_DROP_ND_SPOOF), PORTSEC_CLAIM_RATE + 6);
	x->now += SEC;
	assert_int_equal(dad(x, GUARDED, mac_b, t), 2);
}

/* CTRL_IP_LEARNING: ip_lock alone learns too; dhcp learns no IPv6, none nothing */
static void dad_learning_modes(void **state)
{
	struct tbr *x = *state;
	const struct portsec *ps = bridge_port_portsec(x->br, VM);
	struct portsec_cfg c;
	uint8_t b[400];

	learner(x, GUARDED, mac_b, PORTSEC_ALL, PORTSEC_LEARN_ANY);
	assert_int_equal(dad(x, GUARDED, mac_b, ll_b), 2); /* its own link-local: no claim */
	learner(x, VM, mac_a, PORTSEC_IP, PORTSEC_LEARN_ANY);
	assert_int_equal(dad(x, VM, mac_a, gl_a), 2);
	assert_int_equal(ps->n_ip6_learned, 1);
	assert_int_equal(from6(x, VM, mac_a, gl_a), 2);
	/* ip_lock alone does not police ND, but a claim on what another holds still fails */
	assert_int_equal(dad(x, GUARDED, mac_b, gl_a), 0);
	assert_int_equal(drops(x, GUARDED, BR_DROP_ND_SPOOF), 1);
	/* the same configuration again keeps what was learned */
	c = ps->cfg;
	assert_int_equal(bridge_port_set_portsec(x->br, VM, &c), 0);
	assert_int_equal(ps->n_ip6_learned, 1);
	/* an IPv6 address given: learning is off, what was learned forgotten */
	c.n_ip6 = 1;
	memcpy(c.ip6[0], ll_b, 16); /* whatever: the test asks only what is learned */
	assert_int_equal(bridge_port_set_portsec(x->br, VM, &c), 0);
	assert_int_equal(ps->n_ip6_learned, 0);
	c.n_ip6 = 0;
	/* dhcp: no IPv6 claims (a DAD probe passes under ip_lock alone, learning nothing) */
	c.learning = PORTSEC_LEARN_DHCP;
	assert_int_equal(bridge_port_set_portsec(x->br, VM, &c), 0);
	assert_int_equal(dad(x, VM, mac_a, gl_a), 2);
	assert_int_equal(ps->n_ip6_learned, 0);
	assert_int_equal(from6(x, VM, mac_a, gl_a), 0);
	/* with arp_lock, a DAD probe for what is not its own is nd-spoof */
	c.flags = PORTSEC_ALL;
	assert_int_equal(bridge_port_set_portsec(x->br, VM, &c), 0);
	assert_int_equal(dad(x, VM, mac_a, gl_a), 0);
	assert_int_equal(drops(x, VM, BR_DROP_ND_SPOOF), 1);
	/* but its DHCP lease is learned */
	in(x, HOST, raw(x, bcast, mac_h, b, dhcp_reply(b, 5, mac_a, ip_b, 60)));
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_b, 6, 0, 0))), 2);
	/* none: no lease either (and the one learned is forgotten) */
	c.learning = PORTSEC_LEARN_NONE;
	assert_int_equal(bridge_port_set_portsec(x->br, VM, &c), 0);
	in(x, HOST, raw(x, bcast, mac_h, b, dhcp_reply(b, 5, mac_a, ip_b, 60)));
	assert_int_equal(in(x, VM, raw(x, bcast, mac_a, b, ip4(b, ip_b, 6, 0, 0))), 0);
	assert_int_equal(dad(x, VM, mac_a, gl_a), 0);
	c.learning = PORTSEC_LEARN__MAX;
	assert_int_equal(bridge_port_set_portsec(x->br, VM, &c), -EINVAL);
	assert_string_equal(portsec_learning_name(PORTSEC_LEARN_DHCP), "dhcp");
	assert_null(portsec_learning_name(PORTSEC_LEARN__MAX));
	assert_int_equal(portsec_learning_value("none"), PORTSEC_LEARN_NONE);
	assert_int_equal(portsec_learning_value("all"), -1);
}

static void off_again(void **state)
{
	struct tbr *x = *state;
	struct portsec_cfg none = { 0 };
	uint8_t b[64];

	assert_int_equal(bridge_port_set_portsec(x->br, 7, &none), -ENOENT);
	assert_int_equal(bridge_port_set_portsec(x->br, VM, &none), 0);
	assert_int_equal(in(x, VM, raw(x, bcast, mac_b, b, ip4(b, ip_b, 6, 0, 0))), 2);
	assert_int_equal(drops(x, VM, BR_DROP_MAC_SPOOF), 0);
	/* a port deleted with it on leaves the bridge with none */
	vm_portsec(x, 1);
	assert_int_equal(bridge_port_del(x->br, VM), 0);
	assert_int_equal(in(x, HOST, raw(x, bcast, mac_h, b, ip4(b, ip_h, 6, 0, 0))), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(mac_spoof, setup, teardown),
		cmocka_unit_test_setup_teardown(ipv4_source, setup, teardown),
		cmocka_unit_test_setup_teardown(arp_sender, setup, teardown),
		cmocka_unit_test_setup_teardown(ipv6_and_nd, setup, teardown),
		cmocka_unit_test_setup_teardown(other_l2, setup, teardown),
		cmocka_unit_test_setup_teardown(dhcp_snooping, setup, teardown),
		cmocka_unit_test(learn_slots),
		cmocka_unit_test_setup_teardown(fast_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(dad_claims, setup, teardown),
		cmocka_unit_test_setup_teardown(data_claims, setup, teardown),
		cmocka_unit_test_setup_teardown(dad_claim_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(dad_learning_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(off_again, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
