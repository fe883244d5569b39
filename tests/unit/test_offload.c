/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_offload.c - unit tests of virtio-net offload metadata through tag push/pop and the bridge */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "helpers.h"

#define SEC 1000000000ull
#define T0 (50 * SEC)
#define MAXP 4
#define SEED 0x33

static const uint8_t mac_a[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static uint8_t want[FRAME_BUF_SIZE];

/* ---- packets: Ethernet (+ 802.1Q), IPv4 or IPv6, TCP or UDP, payload ---- */

struct pkt {
	bool tag; /* one 802.1Q tag */
	uint16_t tci;
	bool v6;
	bool udp;
	uint8_t doff;	 /* TCP data offset in 32-bit words; 0 means 5 */
	uint32_t l3_len; /* IP header to the end of the frame */
};

static uint32_t pkt_l2(const struct pkt *p)
{
	return p->tag ? ETH_HLEN + VLAN_HLEN : ETH_HLEN;
}

static uint32_t pkt_iphl(const struct pkt *p)
{
	return p->v6 ? 40 : 20;
}

static uint32_t pkt_l4hl(const struct pkt *p)
{
	return p->udp ? 8 : 4u * (p->doff ? p->doff : 5);
}

/* the bytes of @p into @out; return the frame length */
static uint32_t pkt_bytes(uint8_t *out, const struct pkt *p)
{
	uint32_t l2 = pkt_l2(p), iphl = pkt_iphl(p), l4hl = pkt_l4hl(p), i;
	uint8_t *ip = out + l2, *l4 = ip + iphl;

	memcpy(out, mac_b, ETH_ALEN);
	memcpy(out + ETH_ALEN, mac_a, ETH_ALEN);
	if (p->tag) {
		eth_put_be16(out + 12, ETH_P_8021Q);
		eth_put_be16(out + 14, p->tci);
	}
	eth_put_be16(out + l2 - 2, p->v6 ? 0x86dd : 0x0800);
	memset(ip, 0, iphl + l4hl);
	if (p->v6) {
		ip[0] = 0x60;
		eth_put_be16(ip + 4, (uint16_t)(p->l3_len - 40));
		ip[6] = p->udp ? 17 : 6;
		ip[7] = 64;
		ip[8] = 0xfd;
		ip[23] = 1;
		ip[24] = 0xfd;
		ip[39] = 2;
	} else {
		ip[0] = 0x45;
		eth_put_be16(ip + 2, (uint16_t)(p->l3_len > 65535 ? 65535 : p->l3_len));
		ip[6] = 0x40;
		ip[8] = 64;
		ip[9] = p->udp ? 17 : 6;
		ip[12] = 10;
		ip[15] = 1;
		ip[16] = 10;
		ip[19] = 2;
	}
	eth_put_be16(l4, 40000);
	eth_put_be16(l4 + 2, p->udp ? 4789 : 5201);
	if (p->udp) {
		eth_put_be16(l4 + 4, (uint16_t)(p->l3_len - iphl));
	} else {
		l4[4] = 0x12;
		l4[12] = (uint8_t)((l4hl / 4) << 4);
		l4[13] = 0x18;
		eth_put_be16(l4 + 14, 0xffff);
		for (i = 20; i < l4hl; i++)
			l4[i] = 1; /* NOP options */
	}
	tfill(l4 + l4hl, p->l3_len - iphl - l4hl, SEED);
	return l2 + p->l3_len;
}

/* checksum offload (and GSO if @gso_type) metadata describing @p */
static struct vnet_meta pkt_meta(const struct pkt *p, uint8_t gso_type, uint16_t gso_size)
{
	struct vnet_meta m;

	memset(&m, 0, sizeof(m));
	m.flags = VNET_F_NEEDS_CSUM;
	m.gso_type = gso_type;
	m.gso_size = gso_size;
	m.csum_start = (uint16_t)(pkt_l2(p) + pkt_iphl(p));
	m.csum_offset = p->udp ? 6 : 16;
	m.hdr_len = (uint16_t)(pkt_l2(p) + pkt_iphl(p) + pkt_l4hl(p));
	return m;
}

static void assert_meta_equal(const struct vnet_meta *a, const struct vnet_meta *b)
{
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->gso_type, b->gso_type);
	assert_int_equal(a->hdr_len, b->hdr_len);
	assert_int_equal(a->gso_size, b->gso_size);
	assert_int_equal(a->csum_start, b->csum_start);
	assert_int_equal(a->csum_offset, b->csum_offset);
}

/* @m with its header offsets moved by @d (a tag pushed: 4, popped: -4) */
static struct vnet_meta meta_moved(struct vnet_meta m, int d)
{
	if (m.flags & VNET_F_NEEDS_CSUM)
		m.csum_start = (uint16_t)(m.csum_start + d);
	if (m.hdr_len)
		m.hdr_len = (uint16_t)(m.hdr_len + d);
	return m;
}

/* ---- fixture: a filtering bridge with ports 0..3 ---- */

struct fx {
	struct bridge *br;
	struct bridge_out *out;
	struct tpool pool;
};

static int setup(void **state)
{
	struct bridge_config c;
	struct fx *x = calloc(1, sizeof(*x));
	int i;

	if (!x)
		return -1;
	bridge_config_default(&c);
	c.max_ports = MAXP;
	x->br = bridge_new(&c);
	if (!x->br)
		return -1;
	for (i = 0; i < MAXP; i++) {
		if (bridge_port_add(x->br) != i)
			return -1;
	}
	x->out = bridge_out_new(x->br);
	if (!x->out)
		return -1;
	x->out->n_spare = 0;
	*state = x;
	return 0;
}

static int setup_tpool(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	if (!x)
		return 0;
	bridge_out_free(x->out);
	bridge_free(x->br);
	tpool_free(&x->pool);
	free(x);
	return 0;
}

static struct frame *mk(struct fx *x, const struct pkt *p, uint8_t gso_type, uint16_t gso_size)
{
	struct frame *f = tpool_frame(&x->pool);

	f->len = pkt_bytes(f->data, p);
	f->vnet = pkt_meta(p, gso_type, gso_size);
	return f;
}

static void in(struct fx *x, uint16_t port, struct frame *f)
{
	bridge_input(x->br, port, &f, 1, T0, x->out);
}

static const struct bridge_port_stats *pst(struct fx *x, uint16_t port)
{
	return bridge_port_stats(x->br, port);
}

static void vlan_clear(struct fx *x, uint16_t port)
{
	const struct vlan_port *v = bridge_port_vlan(x->br, port);
	unsigned int vid;

	for (vid = VLAN_VID_MIN; vid <= VLAN_VID_MAX; vid++) {
		if (vlan_is_member(v, (uint16_t)vid))
			assert_int_equal(bridge_vlan_del(x->br, port, (uint16_t)vid), 0);
	}
}

/* port 1: access 10; port 2: trunk 10; port 3: access 10 if @access3, else out of VLAN 10 */
static void topo(struct fx *x, bool access3)
{
	vlan_clear(x, 1);
	assert_int_equal(bridge_vlan_add(x->br, 1, 10, true, true), 0);
	vlan_clear(x, 2);
	assert_int_equal(bridge_vlan_add(x->br, 2, 10, false, false), 0);
	if (access3) {
		vlan_clear(x, 3);
		assert_int_equal(bridge_vlan_add(x->br, 3, 10, true, true), 0);
	}
}

/* @f went out on @port alone, as the same frame */
static void expect_out1(struct fx *x, const struct frame *f, uint16_t port)
{
	assert_int_equal(x->out->n_control, 0);
	assert_int_equal(x->out->n_clones, 0);
	assert_int_equal(x->out->n_active, 1);
	assert_int_equal(x->out->active[0], port);
	assert_int_equal(x->out->tx[port].n, 1);
	assert_ptr_equal(x->out->tx[port].frames[0], f);
	assert_int_equal(f->refs, 1);
}

static void expect_nothing(struct fx *x)
{
	unsigned int p;

	assert_int_equal(x->out->n_active, 0);
	assert_int_equal(x->out->n_control, 0);
	assert_int_equal(x->out->n_clones, 0);
	for (p = 0; p < MAXP; p++)
		assert_int_equal(x->out->tx[p].n, 0);
}

static void expect_drops(struct fx *x, uint16_t port, enum bridge_drop d, const char *name,
			 uint64_t n)
{
	unsigned int c;

	assert_string_equal(bridge_drop_name(d), name);
	for (c = 0; c < BR_DROP__MAX; c++) {
		if (pst(x, port)->drops[c] != (c == d ? n : 0))
			fail_msg("port %u: %llu %s drops, expected %llu", port,
				 (unsigned long long)pst(x, port)->drops[c],
				 bridge_drop_name((enum bridge_drop)c),
				 (unsigned long long)(c == d ? n : 0));
	}
}

static void expect_no_drops(struct fx *x, uint16_t port)
{
	unsigned int c;

	for (c = 0; c < BR_DROP__MAX; c++) {
		if (pst(x, port)->drops[c])
			fail_msg("port %u: %llu unexpected %s drops", port,
				 (unsigned long long)pst(x, port)->drops[c],
				 bridge_drop_name((enum bridge_drop)c));
	}
}

/* ======== eth_push_tag() / eth_pop_tag() ======== */

static void rule9_push_pop_move_csum_start_and_hdr_len(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 1500 };
	struct frame *f = mk(x, &p, VNET_GSO_TCPV4, 1448);
	struct vnet_meta m0 = f->vnet;

	assert_int_equal(m0.csum_start, 34);
	assert_int_equal(m0.hdr_len, 54);
	assert_int_equal(eth_push_tag(f, 10), 0);
	assert_int_equal(f->vnet.csum_start, 38);
	assert_int_equal(f->vnet.hdr_len, 58);
	assert_int_equal(f->vnet.csum_offset, 16);
	assert_int_equal(f->vnet.gso_size, 1448);
	assert_int_equal(f->vnet.gso_type, VNET_GSO_TCPV4);
	assert_int_equal(f->vnet.flags, VNET_F_NEEDS_CSUM);
	eth_pop_tag(f);
	assert_meta_equal(&f->vnet, &m0);
}

static void rule9_push_pop_without_needs_csum_keep_csum_start(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 100 };
	struct frame *f = mk(x, &p, VNET_GSO_NONE, 0);

	f->vnet.flags = VNET_F_DATA_VALID;
	f->vnet.csum_start = 34;
	f->vnet.csum_offset = 16;
	f->vnet.hdr_len = 54;
	assert_int_equal(eth_push_tag(f, 10), 0);
	assert_int_equal(f->vnet.flags, VNET_F_DATA_VALID);
	assert_int_equal(f->vnet.csum_start, 34);
	assert_int_equal(f->vnet.csum_offset, 16);
	assert_int_equal(f->vnet.hdr_len, 58);
	eth_pop_tag(f);
	assert_int_equal(f->vnet.csum_start, 34);
	assert_int_equal(f->vnet.hdr_len, 54);

	/* nothing at all: stays nothing */
	memset(&f->vnet, 0, sizeof(f->vnet));
	assert_int_equal(eth_push_tag(f, 10), 0);
	assert_int_equal(f->vnet.flags, 0);
	assert_int_equal(f->vnet.csum_start, 0);
	assert_int_equal(f->vnet.hdr_len, 0);
	assert_int_equal(f->vnet.gso_type, 0);
	assert_int_equal(f->vnet.gso_size, 0);
	eth_pop_tag(f);
	assert_int_equal(f->vnet.csum_start, 0);
	assert_int_equal(f->vnet.hdr_len, 0);
}

static void rule9_push_pop_with_zero_hdr_len(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 100 };
	struct frame *f = mk(x, &p, VNET_GSO_NONE, 0);

	f->vnet.hdr_len = 0;
	assert_int_equal(eth_push_tag(f, 10), 0);
	assert_int_equal(f->vnet.csum_start, 38);
	assert_int_equal(f->vnet.hdr_len, 0);
	eth_pop_tag(f);
	assert_int_equal(f->vnet.csum_start, 34);
	assert_int_equal(f->vnet.hdr_len, 0);
}

/* a failed push changes no metadata */
static void rule9_failed_push_keeps_metadata(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 100 };
	struct frame *f = tpool_frame(&x->pool);
	struct vnet_meta m;

	f->data = f->head + 2;
	f->len = pkt_bytes(f->data, &p);
	f->vnet = pkt_meta(&p, VNET_GSO_NONE, 0);
	m = f->vnet;
	assert_int_equal(eth_push_tag(f, 10), -1);
	assert_meta_equal(&f->vnet, &m);
}

/* ======== through the bridge ======== */

static void rule9_bridge_push_and_pop_move_metadata(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 1000 };
	struct pkt pt = { .tag = true, .tci = 10, .l3_len = 1000 };
	struct frame *f;
	struct vnet_meta m;
	uint32_t n;

	topo(x, false);
	f = mk(x, &p, VNET_GSO_NONE, 0);
	f->vnet.flags |= VNET_F_DATA_VALID;
	m = f->vnet;
	in(x, 1, f);
	expect_out1(x, f, 2);
	m = meta_moved(m, 4);
	assert_meta_equal(&f->vnet, &m);
	n = pkt_bytes(want, &pt);
	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);

	f = mk(x, &pt, VNET_GSO_NONE, 0);
	m = f->vnet;
	in(x, 2, f);
	expect_out1(x, f, 1);
	m = meta_moved(m, -4);
	assert_meta_equal(&f->vnet, &m);
	n = pkt_bytes(want, &p);
	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);
}

/* a copy for the tagged targets carries moved metadata; the frame keeps its own */
static void rule9_copy_carries_its_own_metadata(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 4000 };
	struct frame *f, *s;
	struct vnet_meta m0, m4;
	uint16_t q;

	topo(x, true);
	for (q = 1; q <= 3; q++)
		assert_int_equal(bridge_port_set_mtu(x->br, q, 9000), 0);
	f = mk(x, &p, VNET_GSO_TCPV4, 1448);
	m0 = f->vnet;
	m4 = meta_moved(m0, 4);
	x->out->n_spare = 1;
	s = x->out->spare[0] = tpool_frame(&x->pool);
	in(x, 1, f);
	assert_int_equal(x->out->n_clones, 1);
	assert_ptr_equal(x->out->clones[0], s);
	assert_ptr_equal(x->out->tx[3].frames[0], f);
	assert_ptr_equal(x->out->tx[2].frames[0], s);
	assert_meta_equal(&f->vnet, &m0);
	assert_meta_equal(&s->vnet, &m4);
	assert_int_equal(f->len, 14 + 4000);
	assert_int_equal(s->len, 18 + 4000);
}

/* a 64 KiB TCP GSO frame, access -> trunk, stays one frame with right metadata */
static void rule9_gso_64k_access_to_trunk_unsegmented(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 65535 };
	struct pkt pt = { .tag = true, .tci = 10, .l3_len = 65535 };
	struct frame *f;
	struct vnet_meta m;
	uint8_t *payload0;
	uint32_t n;

	topo(x, false);
	f = mk(x, &p, VNET_GSO_TCPV4, 1448);
	assert_int_equal(f->len, 65549);
	payload0 = f->data + 12;
	in(x, 1, f);
	expect_out1(x, f, 2);
	expect_no_drops(x, 1);
	expect_no_drops(x, 2);
	assert_int_equal(f->len, 65553);
	assert_ptr_equal(f->data + 16, payload0);
	n = pkt_bytes(want, &pt);
	assert_int_equal(n, 65553);
	assert_memory_equal(f->data, want, n);
	m = pkt_meta(&pt, VNET_GSO_TCPV4, 1448);
	assert_meta_equal(&f->vnet, &m);
	assert_int_equal(f->vnet.csum_start, 38);
	assert_int_equal(f->vnet.hdr_len, 58);
	assert_int_equal(pst(x, 2)->tx_frames, 1);
	assert_int_equal(pst(x, 2)->tx_bytes, 65553);
	assert_int_equal(pst(x, 1)->rx_bytes, 65549);
}

/* and back: trunk -> access */
static void rule9_gso_64k_trunk_to_access_unsegmented(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 65535 };
	struct pkt pt = { .tag = true, .tci = 10, .l3_len = 65535 };
	struct frame *f;
	struct vnet_meta m;
	uint32_t n;

	topo(x, false);
	f = mk(x, &pt, VNET_GSO_TCPV4, 1448);
	assert_int_equal(f->len, 65553);
	in(x, 2, f);
	expect_out1(x, f, 1);
	expect_no_drops(x, 2);
	expect_no_drops(x, 1);
	n = pkt_bytes(want, &p);
	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);
	m = pkt_meta(&p, VNET_GSO_TCPV4, 1448);
	assert_meta_equal(&f->vnet, &m);
	assert_int_equal(pst(x, 1)->tx_bytes, 65549);
}

/* GSO: the MTU applies to the segment (csum_start + l4 - l2 + gso_size), not the frame */
static void rule9_gso_mtu_check_uses_segment_size(void **state)
{
	struct fx *x = *state;
	struct pkt p60k = { .l3_len = 60000 };
	struct pkt small = { .l3_len = 200 };
	struct frame *f;

	/* 60 KB with 1448-byte segments passes a 1500 MTU; 34 + 20 - 14 + 1460 = 1500 too */
	f = mk(x, &p60k, VNET_GSO_TCPV4, 1448);
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	f = mk(x, &p60k, VNET_GSO_TCPV4, 1460);
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	expect_no_drops(x, 0);

	/* 1461: a segment would be 1501 bytes, whatever the frame's own length */
	in(x, 0, mk(x, &p60k, VNET_GSO_TCPV4, 1461));
	expect_nothing(x);
	in(x, 0, mk(x, &small, VNET_GSO_TCPV4, 1461));
	expect_nothing(x);
	in(x, 0, mk(x, &small, VNET_GSO_TCPV4, 9000));
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_OVERSIZE, "oversize", 3);
}

static void rule9_gso_segment_counts_tcp_options(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .doff = 8, .l3_len = 30000 };

	/* 34 + 32 - 14 + 1448 = 1500 */
	in(x, 0, mk(x, &p, VNET_GSO_TCPV4, 1448));
	assert_int_equal(x->out->n_active, 3);
	in(x, 0, mk(x, &p, VNET_GSO_TCPV4, 1449));
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
}

/* a tagged GSO frame: csum_start counts the tag, l2 is 18, the segment is the same */
static void rule9_gso_tagged_ingress_segment(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .tag = true, .tci = 10, .l3_len = 30000 };
	struct frame *f;

	topo(x, false);
	/* 38 + 20 - 18 + 1460 = 1500 */
	f = mk(x, &p, VNET_GSO_TCPV4, 1460);
	in(x, 2, f);
	expect_out1(x, f, 1);
	in(x, 2, mk(x, &p, VNET_GSO_TCPV4, 1461));
	expect_nothing(x);
	expect_drops(x, 2, BR_DROP_OVERSIZE, "oversize", 1);
}

static void rule9_gso_tcpv6_segment(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .v6 = true, .l3_len = 20000 };

	/* 54 + 20 - 14 + 1440 = 1500 */
	in(x, 0, mk(x, &p, VNET_GSO_TCPV6, 1440));
	assert_int_equal(x->out->n_active, 3);
	in(x, 0, mk(x, &p, VNET_GSO_TCPV6, 1441));
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
}

static void rule9_gso_udp_l4_segment_uses_8_byte_header(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .udp = true, .l3_len = 20000 };

	/* 34 + 8 - 14 + 1472 = 1500 */
	in(x, 0, mk(x, &p, VNET_GSO_UDP_L4, 1472));
	assert_int_equal(x->out->n_active, 3);
	in(x, 0, mk(x, &p, VNET_GSO_UDP_L4, 1473));
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
}

static void rule9_gso_udp_segment_uses_8_byte_header(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .udp = true, .l3_len = 20000 };

	in(x, 0, mk(x, &p, VNET_GSO_UDP, 1472));
	assert_int_equal(x->out->n_active, 3);
	in(x, 0, mk(x, &p, VNET_GSO_UDP, 1473));
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
}

/* the ECN bit is not part of the type */
static void rule9_gso_ecn_bit_accepted(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 10000 };
	struct pkt p6 = { .v6 = true, .l3_len = 10000 };
	struct frame *f;

	f = mk(x, &p, VNET_GSO_TCPV4 | VNET_GSO_ECN, 1448);
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	assert_int_equal(f->vnet.gso_type, VNET_GSO_TCPV4 | VNET_GSO_ECN);
	in(x, 0, mk(x, &p6, VNET_GSO_TCPV6 | VNET_GSO_ECN, 1400));
	assert_int_equal(x->out->n_active, 3);
	in(x, 0, mk(x, &p, VNET_GSO_TCPV4 | VNET_GSO_ECN, 1461));
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
}

/* the egress MTU applies to segments too, counted on the egress port */
static void rule9_gso_tx_oversize_on_small_mtu_egress(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 60000 };
	struct frame *f;

	assert_int_equal(bridge_port_set_mtu(x->br, 0, 9000), 0);
	assert_int_equal(bridge_port_set_mtu(x->br, 2, 9000), 0);
	/* 34 + 20 - 14 + 8000 = 8040 */
	f = mk(x, &p, VNET_GSO_TCPV4, 8000);
	in(x, 0, f);
	expect_out1(x, f, 2);
	expect_no_drops(x, 0);
	expect_drops(x, 1, BR_DROP_TX_OVERSIZE, "tx-oversize", 1);
	expect_drops(x, 3, BR_DROP_TX_OVERSIZE, "tx-oversize", 1);
	expect_no_drops(x, 2);
	/* 1448-byte segments fit everywhere */
	f = mk(x, &p, VNET_GSO_TCPV4, 1448);
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	assert_int_equal(f->refs, 3);
}

/* no frame may be longer than 65553 bytes, GSO or not */
static void rule9_gso_frame_over_65553_is_oversize(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 65540 };
	struct frame *f = tpool_frame(&x->pool);

	f->data = f->head + FRAME_BUF_SIZE - 65554;
	f->len = pkt_bytes(f->data, &p);
	assert_int_equal(f->len, 65554);
	f->vnet = pkt_meta(&p, VNET_GSO_TCPV4, 1448);
	in(x, 0, f);
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
}

/* ---- bad-offload, docs/forwarding.md step 3 ---- */

static void rule9_bad_offload_unknown_gso_type(void **state)
{
	static const uint8_t bad[] = { 2, 6, 7, 0x10, 0x7f, 0x82, 0x86, 0xff };
	struct fx *x = *state;
	struct pkt p = { .l3_len = 3000 };
	unsigned int i;

	for (i = 0; i < sizeof(bad); i++) {
		in(x, 0, mk(x, &p, bad[i], 1000));
		expect_nothing(x);
	}
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", sizeof(bad));
}

static void rule9_bad_offload_gso_size_zero(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 3000 };
	struct pkt pu = { .udp = true, .l3_len = 3000 };

	in(x, 0, mk(x, &p, VNET_GSO_TCPV4, 0));
	expect_nothing(x);
	in(x, 0, mk(x, &pu, VNET_GSO_UDP_L4, 0));
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 2);
}

static void rule9_bad_offload_gso_without_needs_csum(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 3000 };
	struct frame *f;

	f = mk(x, &p, VNET_GSO_TCPV4, 1000);
	f->vnet.flags = 0;
	in(x, 0, f);
	expect_nothing(x);
	f = mk(x, &p, VNET_GSO_TCPV4, 1000);
	f->vnet.flags = VNET_F_DATA_VALID;
	in(x, 0, f);
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 2);
}

static void rule9_bad_offload_csum_start_before_l2(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 100 };
	struct pkt pt = { .tag = true, .tci = 1, .l3_len = 100 };
	struct frame *f;

	f = mk(x, &p, VNET_GSO_NONE, 0);
	f->vnet.csum_start = 13;
	f->vnet.csum_offset = 0;
	in(x, 0, f);
	expect_nothing(x);
	/* tagged: l2 is 18 */
	f = mk(x, &pt, VNET_GSO_NONE, 0);
	f->vnet.csum_start = 17;
	f->vnet.csum_offset = 0;
	in(x, 0, f);
	expect_nothing(x);
	f = mk(x, &pt, VNET_GSO_NONE, 0);
	f->vnet.csum_start = 14;
	in(x, 0, f);
	expect_nothing(x);
	/* 802.1ad counts 18 as well, and bad-offload comes before qinq */
	f = tpool_frame(&x->pool);
	f->len = tb_tag(f->data, bcast, mac_a, ETH_P_8021AD, 1, 0x0800, 100, SEED);
	f->vnet.flags = VNET_F_NEEDS_CSUM;
	f->vnet.csum_start = 14;
	f->vnet.csum_offset = 6;
	in(x, 0, f);
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 4);

	/* exactly l2 is fine */
	f = mk(x, &p, VNET_GSO_NONE, 0);
	f->vnet.csum_start = 14;
	f->vnet.csum_offset = 0;
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	f = mk(x, &pt, VNET_GSO_NONE, 0);
	f->vnet.csum_start = 18;
	f->vnet.csum_offset = 0;
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 4);
}

static void rule9_bad_offload_csum_field_past_end(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .udp = true, .l3_len = 46 };
	struct frame *f;

	/* len 60, csum_start 34: csum_offset 24 puts the field at bytes 58-59, 25 past the end */
	f = mk(x, &p, VNET_GSO_NONE, 0);
	assert_int_equal(f->len, 60);
	f->vnet.csum_offset = 25;
	in(x, 0, f);
	expect_nothing(x);
	f = mk(x, &p, VNET_GSO_NONE, 0);
	f->vnet.csum_start = 60;
	f->vnet.csum_offset = 0;
	in(x, 0, f);
	expect_nothing(x);
	f = mk(x, &p, VNET_GSO_NONE, 0);
	f->vnet.csum_start = 0xffff;
	f->vnet.csum_offset = 0xffff;
	in(x, 0, f);
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 3);

	f = mk(x, &p, VNET_GSO_NONE, 0);
	f->vnet.csum_offset = 24;
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 3);
}

/* TCP GSO needs the TCP header's data offset byte inside the frame */
static void rule9_bad_offload_tcp_header_past_end(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 40 };
	struct frame *f;

	/* len 54: csum_start 42 puts byte csum_start + 12 at 54, past the end */
	f = mk(x, &p, VNET_GSO_TCPV4, 100);
	assert_int_equal(f->len, 54);
	f->vnet.csum_start = 42;
	f->vnet.csum_offset = 0;
	f->data[54] = 0x50; /* the buffer byte after the frame must not be read as one */
	in(x, 0, f);
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 1);

	/* 41: byte 53 is inside; make it a valid data offset */
	f = mk(x, &p, VNET_GSO_TCPV4, 100);
	f->vnet.csum_start = 41;
	f->vnet.csum_offset = 0;
	f->data[53] = 0x50;
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 1);
}

static void rule9_bad_offload_tcp_data_offset_under_5(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 3000 };
	struct pkt p6 = { .v6 = true, .l3_len = 3000 };
	struct frame *f;

	f = mk(x, &p, VNET_GSO_TCPV4, 1000);
	f->data[34 + 12] = 0x40;
	in(x, 0, f);
	expect_nothing(x);
	f = mk(x, &p, VNET_GSO_TCPV4, 1000);
	f->data[34 + 12] = 0x0f;
	in(x, 0, f);
	expect_nothing(x);
	f = mk(x, &p6, VNET_GSO_TCPV6, 1000);
	f->data[54 + 12] = 0x10;
	in(x, 0, f);
	expect_nothing(x);
	expect_drops(x, 0, BR_DROP_BAD_OFFLOAD, "bad-offload", 3);

	f = mk(x, &p, VNET_GSO_TCPV4, 1000);
	assert_int_equal(f->data[34 + 12], 0x50);
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
}

/* UDP GSO is not held to the TCP header checks */
static void rule9_udp_gso_not_subject_to_tcp_checks(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .udp = true, .l3_len = 28 };
	struct frame *f;

	/* len 42: csum_start 34 + 13 > 42, and byte 46 does not exist */
	f = mk(x, &p, VNET_GSO_UDP_L4, 1000);
	assert_int_equal(f->len, 42);
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	expect_no_drops(x, 0);
}

/* bad-offload is checked after runt and disabled, before oversize and bad-source */
static void rule9_bad_offload_check_order(void **state)
{
	struct fx *x = *state;
	struct pkt p = { .l3_len = 1501 };
	struct frame *f;

	f = mk(x, &p, 2, 1000);
	f->len = 13;
	in(x, 0, f);
	expect_drops(x, 0, BR_DROP_RUNT, "runt", 1);

	/* 1515 bytes: oversize if it got that far */
	f = mk(x, &p, 2, 1000);
	in(x, 1, f);
	expect_drops(x, 1, BR_DROP_BAD_OFFLOAD, "bad-offload", 1);

	f = mk(x, &p, 2, 1000);
	memset(f->data + ETH_ALEN, 0, ETH_ALEN);
	in(x, 2, f);
	expect_drops(x, 2, BR_DROP_BAD_OFFLOAD, "bad-offload", 1);

	assert_int_equal(bridge_port_set_state(x->br, 3, BR_STATE_DISABLED), 0);
	in(x, 3, mk(x, &p, 2, 1000));
	expect_drops(x, 3, BR_DROP_PORT_STATE, "port-state", 1);
	expect_nothing(x);
}

/* without filtering, offloaded frames go through as they are, metadata included */
static void rule9_no_filtering_keeps_metadata(void **state)
{
	struct fx *x = *state;
	struct pkt pt = { .tag = true, .tci = 77, .l3_len = 65535 };
	struct frame *f;
	struct vnet_meta m;
	uint32_t n;

	bridge_set_vlan_filtering(x->br, false);
	f = mk(x, &pt, VNET_GSO_TCPV4, 1448);
	m = f->vnet;
	in(x, 0, f);
	assert_int_equal(x->out->n_active, 3);
	assert_int_equal(f->refs, 3);
	assert_meta_equal(&f->vnet, &m);
	n = pkt_bytes(want, &pt);
	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TF(f) cmocka_unit_test_setup_teardown(f, setup_tpool, teardown)
	const struct CMUnitTest tests[] = {
		TF(rule9_push_pop_move_csum_start_and_hdr_len),
		TF(rule9_push_pop_without_needs_csum_keep_csum_start),
		TF(rule9_push_pop_with_zero_hdr_len),
		TF(rule9_failed_push_keeps_metadata),
		T(rule9_bridge_push_and_pop_move_metadata),
		T(rule9_copy_carries_its_own_metadata),
		T(rule9_gso_64k_access_to_trunk_unsegmented),
		T(rule9_gso_64k_trunk_to_access_unsegmented),
		T(rule9_gso_mtu_check_uses_segment_size),
		T(rule9_gso_segment_counts_tcp_options),
		T(rule9_gso_tagged_ingress_segment),
		T(rule9_gso_tcpv6_segment),
		T(rule9_gso_udp_l4_segment_uses_8_byte_header),
		T(rule9_gso_udp_segment_uses_8_byte_header),
		T(rule9_gso_ecn_bit_accepted),
		T(rule9_gso_tx_oversize_on_small_mtu_egress),
		T(rule9_gso_frame_over_65553_is_oversize),
		T(rule9_bad_offload_unknown_gso_type),
		T(rule9_bad_offload_gso_size_zero),
		T(rule9_bad_offload_gso_without_needs_csum),
		T(rule9_bad_offload_csum_start_before_l2),
		T(rule9_bad_offload_csum_field_past_end),
		T(rule9_bad_offload_tcp_header_past_end),
		T(rule9_bad_offload_tcp_data_offset_under_5),
		T(rule9_udp_gso_not_subject_to_tcp_checks),
		T(rule9_bad_offload_check_order),
		T(rule9_no_filtering_keeps_metadata),
	};
#undef T
#undef TF

	return cmocka_run_group_tests(tests, NULL, NULL);
}
