/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vxlan.c - the VXLAN back-end: header, flow hash, MAC -> remote table, and ports on
 * loopback addresses exchanging real datagrams (no privilege needed; as root the ports send
 * through their raw sockets, which this exercises too)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/gso.h"
#include "gso_build.h"
#include "port/vxlan.h"

#define VNI 0x123456

static uint8_t rx_buf[4][FRAME_BUF_SIZE];
static uint8_t tx_buf[FRAME_BUF_SIZE];
static uint16_t test_port;

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void test_hdr(void **state)
{
	uint8_t p[64] = { 0 };
	uint32_t vni = 0;

	(void)state;
	vxlan_hdr_build(p, VNI);
	assert_int_equal(p[0], 0x08);
	assert_int_equal(p[1] | p[2] | p[3] | p[7], 0);
	assert_int_equal(p[4], 0x12);
	assert_int_equal(p[5], 0x34);
	assert_int_equal(p[6], 0x56);
	assert_int_equal(vxlan_hdr_parse(p, 8 + 14, &vni), 0);
	assert_int_equal(vni, VNI);
	/* no inner Ethernet header, or shorter than the header */
	assert_int_equal(vxlan_hdr_parse(p, 8 + 13, &vni), VXLAN_DROP_BAD_HEADER + 1);
	assert_int_equal(vxlan_hdr_parse(p, 4, &vni), VXLAN_DROP_BAD_HEADER + 1);
	/* reserved bits are ignored on receipt (RFC 7348 section 5) */
	p[0] |= 0xf7;
	p[1] = p[3] = p[7] = 0xff;
	assert_int_equal(vxlan_hdr_parse(p, 64, &vni), 0);
	assert_int_equal(vni, VNI);
	/* without the I flag there is no VNI */
	p[0] = 0xf7;
	assert_int_equal(vxlan_hdr_parse(p, 64, &vni), VXLAN_DROP_BAD_HEADER + 1);
}

/* an untagged IPv4/UDP frame from sport to 53 */
static size_t udp_frame(uint8_t *f, uint16_t sport)
{
	memset(f, 0, 60);
	memcpy(f, mac_b, 6);
	memcpy(f + 6, mac_a, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[23] = 17;
	f[26] = 192, f[29] = 1, f[30] = 192, f[33] = 2;
	f[34] = (uint8_t)(sport >> 8), f[35] = (uint8_t)sport, f[37] = 53;
	return 60;
}

static void test_flow_sport(void **state)
{
	uint8_t f[60];
	bool seen[65536] = { false };
	unsigned distinct = 0;

	(void)state;
	for (uint16_t s = 1000; s < 1064; s++) {
		uint16_t p = vxlan_flow_sport(f, udp_frame(f, s));

		assert_true(p >= VXLAN_SPORT_MIN);
		/* the same flow, the same port */
		assert_int_equal(p, vxlan_flow_sport(f, 60));
		distinct += !seen[p];
		seen[p] = true;
	}
	/* 64 flows spread over more than a few ports */
	assert_true(distinct > 32);
	/* anything, even nothing, hashes into the range */
	assert_true(vxlan_flow_sport(f, 3) >= VXLAN_SPORT_MIN);
}

static void test_fdb(void **state)
{
	struct vxlan_fdb_entry *tab = calloc(VXLAN_FDB_SIZE, sizeof(*tab));
	uint8_t mac[6] = { 0x06, 0, 0, 0, 0, 0 };

	(void)state;
	assert_non_null(tab);
	for (unsigned i = 0; i < VXLAN_FDB_SIZE; i++)
		tab[i].remote = VXLAN_FDB_NONE;
	assert_int_equal(vxlan_fdb_lookup(tab, mac_a, 7, 0), VXLAN_FDB_NONE);
	vxlan_fdb_learn(tab, mac_a, 7, 3, 10);
	assert_int_equal(vxlan_fdb_lookup(tab, mac_a, 7, 10), 3);
	/* per VNI */
	assert_int_equal(vxlan_fdb_lookup(tab, mac_a, 8, 10), VXLAN_FDB_NONE);
	/* it moves */
	vxlan_fdb_learn(tab, mac_a, 7, 1, 20);
	assert_int_equal(vxlan_fdb_lookup(tab, mac_a, 7, 20), 1);
	/* and ages */
	assert_int_equal(vxlan_fdb_lookup(tab, mac_a, 7, 20 + VXLAN_FDB_AGEING - 1), 1);
	assert_int_equal(vxlan_fdb_lookup(tab, mac_a, 7, 20 + VXLAN_FDB_AGEING), VXLAN_FDB_NONE);
	/* a pinned entry is neither moved by learning nor aged */
	assert_int_equal(vxlan_fdb_pin(tab, mac_b, 7, 1, 5), 0);
	vxlan_fdb_learn(tab, mac_b, 7, 2, 30);
	assert_int_equal(vxlan_fdb_lookup(tab, mac_b, 7, 30 + 10 * VXLAN_FDB_AGEING), 5);
	/* more MACs than the table holds: the newest is always found */
	for (unsigned i = 0; i < 4 * VXLAN_FDB_SIZE; i++) {
		mac[3] = (uint8_t)(i >> 16), mac[4] = (uint8_t)(i >> 8), mac[5] = (uint8_t)i;
		vxlan_fdb_learn(tab, mac, 7, (uint16_t)(i % 16), 100);
		assert_int_equal(vxlan_fdb_lookup(tab, mac, 7, 100), i % 16);
	}
	/* and the pinned one is still there */
	assert_int_equal(vxlan_fdb_lookup(tab, mac_b, 7, 100), 5);
	free(tab);
}

/* a VXLAN port on 127.0.0.@me with remotes 127.0.0.@r... (0-terminated) */
static int open_port(const char *name, int me, uint32_t vni, uint32_t mtu, struct port **out, ...)
{
	struct vxlan_config cfg = { .vni = vni, .ttl = 64, .mtu = mtu };
	struct sockaddr_in *a = (struct sockaddr_in *)&cfg.local;
	char err[256] = "";
	va_list ap;
	int r, ret;

	a->sin_family = AF_INET;
	a->sin_port = htons(test_port);
	a->sin_addr.s_addr = htonl(0x7f000000u | (unsigned)me);
	va_start(ap, out);
	while ((r = va_arg(ap, int))) {
		a = (struct sockaddr_in *)&cfg.remotes[cfg.n_remotes++];
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(0x7f000000u | (unsigned)r);
	}
	va_end(ap);
	ret = vxlan_port_open(name, &cfg, out, err, sizeof(err));
	if (ret && ret != -EADDRINUSE)
		fprintf(stderr, "%s\n", err);
	return ret;
}

struct ports {
	struct port *a, *b, *c;
};

/* A (.1) to B (.2, same VNI) and C (.3, another VNI); B and C know only A */
static int ports_setup(void **state)
{
	static struct ports ps;

	for (int tries = 0; tries < 50; tries++) {
		test_port = (uint16_t)(20000 + (getpid() * 7 + tries * 131) % 30000);
		if (open_port("vxa", 1, VNI, 0, &ps.a, 2, 3, 0))
			continue;
		if (open_port("vxb", 2, VNI, 0, &ps.b, 1, 0)) {
			ps.a->ops->destroy(ps.a);
			continue;
		}
		if (open_port("vxc", 3, VNI + 1, 0, &ps.c, 1, 0)) {
			ps.a->ops->destroy(ps.a);
			ps.b->ops->destroy(ps.b);
			continue;
		}
		*state = &ps;
		return 0;
	}
	return -1;
}

static int ports_teardown(void **state)
{
	struct ports *ps = *state;

	ps->a->ops->destroy(ps->a);
	ps->b->ops->destroy(ps->b);
	ps->c->ops->destroy(ps->c);
	return 0;
}

/* read what @p has within a second into rx_buf; Return: frames */
static int rx(struct port *p, struct frame *fr)
{
	struct frame *fp[4];
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	int n;

	for (int i = 0; i < 4; i++) {
		frame_init(&fr[i], rx_buf[i], FRAME_BUF_SIZE);
		fp[i] = &fr[i];
	}
	if (poll(&pfd, 1, 1000) != 1)
		return 0;
	n = p->ops->rx_burst(p, fp, 4);
	for (int i = 0; i < n; i++)
		fr[i] = *fp[i];
	return n;
}

/* a frame in tx_buf from @src to @dst of @len bytes */
static struct frame *tx_frame(const uint8_t *dst, const uint8_t *src, uint32_t len)
{
	static struct frame f;

	frame_init(&f, tx_buf, FRAME_BUF_SIZE);
	memset(f.data, 0x5a, len);
	memcpy(f.data, dst, 6);
	memcpy(f.data + 6, src, 6);
	f.data[12] = 0x88, f.data[13] = 0xb5;
	f.len = len;
	return &f;
}

static uint64_t drops(struct port *p, enum vxlan_drop d)
{
	struct vxlan_info info;

	vxlan_port_info(p, &info);
	return info.drops[d];
}

static void test_roundtrip(void **state)
{
	struct ports *ps = *state;
	struct frame fr[4], *f = tx_frame(bcast, mac_a, 100);
	struct sockaddr_storage ss;
	char addr[INET_ADDRSTRLEN];

	assert_true(vxlan_port_is(ps->a));
	/* a broadcast goes to each remote: B takes it, C drops it for its VNI */
	assert_int_equal(ps->a->ops->tx_burst(ps->a, &f, 1), 1);
	assert_int_equal(rx(ps->b, fr), 1);
	assert_int_equal(fr[0].len, 100);
	assert_memory_equal(fr[0].data, tx_buf + FRAME_HEADROOM, 100);
	assert_ptr_equal(fr[0].data, rx_buf[0] + FRAME_HEADROOM);
	assert_int_equal(rx(ps->c, fr), 0);
	assert_int_equal(drops(ps->c, VXLAN_DROP_BAD_VNI), 1);
	/* B learned A's MAC behind 127.0.0.1 */
	assert_true(vxlan_port_remote_of(ps->b, mac_a, 1, &ss));
	inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof(addr));
	assert_string_equal(addr, "127.0.0.1");
	assert_false(vxlan_port_remote_of(ps->b, mac_b, 1, &ss));

	/* B answers; A learns B behind .2 and then sends unicast to B only */
	f = tx_frame(mac_a, mac_b, 60);
	assert_int_equal(ps->b->ops->tx_burst(ps->b, &f, 1), 1);
	assert_int_equal(rx(ps->a, fr), 1);
	assert_true(vxlan_port_remote_of(ps->a, mac_b, 1, &ss));
	f = tx_frame(mac_b, mac_a, 60);
	assert_int_equal(ps->a->ops->tx_burst(ps->a, &f, 1), 1);
	assert_int_equal(rx(ps->b, fr), 1);
	assert_int_equal(rx(ps->c, fr), 0);
	assert_int_equal(drops(ps->c, VXLAN_DROP_BAD_VNI), 1);

	/* C (a remote of A's, with another VNI) to A: bad VNI there too */
	f = tx_frame(mac_a, mac_b, 60);
	assert_int_equal(ps->c->ops->tx_burst(ps->c, &f, 1), 1);
	assert_int_equal(rx(ps->a, fr), 0);
	assert_int_equal(drops(ps->a, VXLAN_DROP_BAD_VNI), 1);
}

/* datagrams from a plain socket at 127.0.0.@from to A */
static void send_raw(int from, const void *buf, size_t len)
{
	struct sockaddr_in src = { .sin_family = AF_INET }, dst = src;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(s >= 0);
	src.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)from);
	dst.sin_addr.s_addr = htonl(0x7f000001u);
	dst.sin_port = htons(test_port);
	/* any source port: the port listens to the address only */
	assert_int_equal(bind(s, (struct sockaddr *)&src, sizeof(src)), 0);
	assert_int_equal(sendto(s, buf, len, 0, (struct sockaddr *)&dst, sizeof(dst)),
			 (ssize_t)len);
	close(s);
}

static void test_hostile(void **state)
{
	struct ports *ps = *state;
	struct frame fr[4];
	uint8_t d[64] = { 0 };

	vxlan_hdr_build(d, VNI);
	memcpy(d + 8, mac_a, 6);
	memcpy(d + 14, mac_b, 6);
	/* not a remote of A's */
	send_raw(9, d, sizeof(d));
	assert_int_equal(rx(ps->a, fr), 0);
	assert_int_equal(drops(ps->a, VXLAN_DROP_BAD_REMOTE), 1);
	/* truncated: the header and half an Ethernet header */
	send_raw(2, d, 15);
	/* no I flag */
	d[0] = 0;
	send_raw(2, d, sizeof(d));
	assert_int_equal(rx(ps->a, fr), 0);
	assert_int_equal(drops(ps->a, VXLAN_DROP_BAD_HEADER), 2);
	assert_int_equal(ps->a->rx_errors, 4); /* with the bad VNI of test_roundtrip */
	/* and a good one from .2 still goes through */
	d[0] = 0x08;
	send_raw(2, d, sizeof(d));
	assert_int_equal(rx(ps->a, fr), 1);
	assert_int_equal(fr[0].len, sizeof(d) - 8);
}

static void test_over_mtu(void **state)
{
	struct ports *ps = *state;
	struct port *m;
	struct frame *f, fr[4];

	(void)ps;
	/* the underlay's MTU says 1000: 964 bytes of frame fit with 36 of headers, 965 not */
	assert_int_equal(open_port("vxm", 4, VNI, 1000, &m, 2, 0), 0);
	f = tx_frame(bcast, mac_a, 965);
	assert_int_equal(m->ops->tx_burst(m, &f, 1), 0);
	assert_int_equal(drops(m, VXLAN_DROP_OVER_MTU), 1);
	assert_int_equal(m->tx_errors, 1);
	f = tx_frame(bcast, mac_a, 964);
	assert_int_equal(m->ops->tx_burst(m, &f, 1), 1);
	/* B does not know .4: a bad remote there */
	assert_int_equal(rx(ps->b, fr), 0);
	assert_int_equal(drops(ps->b, VXLAN_DROP_BAD_REMOTE), 1);
	m->ops->destroy(m);
}

/* VLAN 10 as VNI 1010 and 20 as 1020 on .5 and .6, no VNI of their own */
static void test_vlan_map(void **state)
{
	struct ports *ps = *state;
	struct vxlan_config cfg = { .ttl = 64, .no_vni = true, .n_map = 2, .n_remotes = 1 };
	struct port *m5, *m6;
	struct frame *f, fr[4];
	struct sockaddr_storage ss;
	char err[256];

	(void)ps;
	cfg.map[0] = (struct vxlan_map){ 10, 1010 };
	cfg.map[1] = (struct vxlan_map){ 20, 1020 };
	for (int me = 5; me <= 6; me++) {
		struct sockaddr_in *a = (struct sockaddr_in *)&cfg.local;
		struct sockaddr_in *r = (struct sockaddr_in *)&cfg.remotes[0];

		a->sin_family = r->sin_family = AF_INET;
		a->sin_port = htons(test_port);
		a->sin_addr.s_addr = htonl(0x7f000000u | (unsigned)me);
		r->sin_addr.s_addr = htonl(0x7f000000u | (unsigned)(11 - me));
		assert_int_equal(vxlan_port_open(me == 5 ? "vx5" : "vx6", &cfg, me == 5 ? &m5 : &m6,
						 err, sizeof(err)),
				 0);
	}
	/* tagged 20 on .5: untagged in VNI 1020 on the wire, tagged 20 again on .6 */
	f = tx_frame(bcast, mac_a, 64);
	f->data[12] = 0x81, f->data[13] = 0x00, f->data[14] = 0x20, f->data[15] = 20;
	f->data[16] = 0x88, f->data[17] = 0xb5;
	assert_int_equal(m5->ops->tx_burst(m5, &f, 1), 1);
	assert_int_equal(rx(m6, fr), 1);
	assert_int_equal(fr[0].len, 64);
	assert_memory_equal(fr[0].data, tx_buf + FRAME_HEADROOM, 12);
	/* the priority bits stay behind: only the VID crosses */
	assert_int_equal(fr[0].data[14], 0);
	assert_int_equal(fr[0].data[15], 20);
	assert_memory_equal(fr[0].data + 16, tx_buf + FRAME_HEADROOM + 16, 48);
	assert_true(vxlan_port_remote_of(m6, mac_a, 20, &ss));
	assert_false(vxlan_port_remote_of(m6, mac_a, 10, &ss));
	/* untagged, and VLAN 30: no VNI */
	f = tx_frame(bcast, mac_a, 64);
	assert_int_equal(m5->ops->tx_burst(m5, &f, 1), 0);
	f->data[12] = 0x81, f->data[13] = 0x00, f->data[14] = 0, f->data[15] = 30;
	assert_int_equal(m5->ops->tx_burst(m5, &f, 1), 0);
	assert_int_equal(drops(m5, VXLAN_DROP_NO_VNI), 2);
	m5->ops->destroy(m5);
	m6->ops->destroy(m6);
	/* a map that names the port's own VNI */
	cfg.no_vni = false;
	cfg.vni = 1010;
	assert_int_equal(vxlan_port_open("vx7", &cfg, &m5, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "VNI 1010 is the port's own"));
}

/* ports of two VNIs on one endpoint (.7, and .8 for the other side): the VNI picks the port */
static void test_shared_endpoint(void **state)
{
	struct port *a1, *a2, *b1, *b2, *x;
	struct frame *f, fr[4];
	struct vxlan_config cfg;
	char err[256];

	(void)state;
	assert_int_equal(open_port("a1", 7, 500, 0, &a1, 8, 0), 0);
	assert_int_equal(open_port("a2", 7, 501, 0, &a2, 8, 0), 0);
	assert_int_equal(open_port("b1", 8, 500, 0, &b1, 7, 0), 0);
	assert_int_equal(open_port("b2", 8, 501, 0, &b2, 7, 0), 0);
	/* VNI 501 from b2: a1 may read it first, a2 gets it */
	f = tx_frame(bcast, mac_b, 80);
	assert_int_equal(b2->ops->tx_burst(b2, &f, 1), 1);
	assert_int_equal(rx(a1, fr), 0);
	assert_int_equal(rx(a2, fr), 1);
	assert_int_equal(fr[0].len, 80);
	assert_memory_equal(fr[0].data, tx_buf + FRAME_HEADROOM, 80);
	/* VNI 500 from b1, read by a1 itself */
	f = tx_frame(bcast, mac_a, 70);
	assert_int_equal(b1->ops->tx_burst(b1, &f, 1), 1);
	assert_int_equal(rx(a1, fr), 1);
	assert_int_equal(fr[0].len, 70);
	assert_int_equal(rx(a2, fr), 0);
	assert_int_equal(a1->rx_errors + a2->rx_errors, 0);
	/* a VNI taken on the endpoint, and another TTL */
	assert_int_equal(open_port("a3", 7, 500, 0, &x, 8, 0), -EEXIST);
	memset(&cfg, 0, sizeof(cfg));
	cfg.vni = 502;
	cfg.ttl = 9;
	cfg.n_remotes = 1;
	cfg.local.ss_family = cfg.remotes[0].ss_family = AF_INET;
	((struct sockaddr_in *)&cfg.local)->sin_port = htons(test_port);
	((struct sockaddr_in *)&cfg.local)->sin_addr.s_addr = htonl(0x7f000007);
	assert_int_equal(vxlan_port_open("a4", &cfg, &x, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "share the socket"));
	a1->ops->destroy(a1);
	/* a2 keeps the endpoint */
	f = tx_frame(bcast, mac_b, 60);
	assert_int_equal(b2->ops->tx_burst(b2, &f, 1), 1);
	assert_int_equal(rx(a2, fr), 1);
	a2->ops->destroy(a2);
	b1->ops->destroy(b1);
	b2->ops->destroy(b2);
}

static void test_bad_config(void **state)
{
	struct vxlan_config cfg = { .vni = VNI, .ttl = 64 };
	struct port *p = NULL;
	char err[256];

	(void)state;
	cfg.local.ss_family = AF_INET;
	assert_int_equal(vxlan_port_open("vxz", &cfg, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "0 remotes"));
	cfg.n_remotes = 1;
	cfg.remotes[0].ss_family = AF_INET6;
	assert_int_equal(vxlan_port_open("vxz", &cfg, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "family"));
	cfg.remotes[0].ss_family = AF_INET;
	cfg.vni = VXLAN_VNI_MAX + 1;
	assert_int_equal(vxlan_port_open("vxz", &cfg, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "vni"));
	cfg.vni = VNI;
	/* a group instead of remotes: not both, a multicast address of the local family */
	cfg.group.ss_family = AF_INET;
	((struct sockaddr_in *)&cfg.group)->sin_addr.s_addr = htonl(0xef010101u); /* 239.1.1.1 */
	assert_int_equal(vxlan_port_open("vxz", &cfg, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "remotes and a group"));
	cfg.n_remotes = 0;
	((struct sockaddr_in *)&cfg.group)->sin_addr.s_addr = htonl(0x0a000001u); /* 10.0.0.1 */
	assert_int_equal(vxlan_port_open("vxz", &cfg, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a multicast address"));
	cfg.group.ss_family = AF_INET6;
	assert_int_equal(vxlan_port_open("vxz", &cfg, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a multicast address"));
	assert_null(p);
}

/*
 * A TCP GSO frame from A: with UDP_SEGMENT its segments leave in one send per remote; B
 * reads them (UDP_GRO) and merges them again into one GSO frame (core/gro.c) that cuts
 * into the same segments; C drops each segment for its VNI, counted one by one
 */
static void test_gso_tcp(void **state)
{
	static uint8_t a[10][2048], b[10][2048];
	struct frame fa[10], fb[10], *pa[10], *pb[10];
	struct gb_pkt k = { .seq = 77, .ip_id = 5, .flags = GB_ACK | GB_PSH };
	struct ports *ps = *state;
	struct frame in, fr[4], *f = &in;
	struct vxlan_info ia, ib;
	uint64_t bad_vni = drops(ps->c, VXLAN_DROP_BAD_VNI);

	frame_init(&in, tx_buf, FRAME_BUF_SIZE);
	in.len = gb_build(in.data, &k, 0, 9 * 1400 + 123);
	in.vnet = (struct vnet_meta){ .flags = VNET_F_NEEDS_CSUM,
				      .gso_type = VNET_GSO_TCPV4,
				      .gso_size = 1400,
				      .csum_start = (uint16_t)gb_l4(&k),
				      .csum_offset = 16 };
	vxlan_port_info(ps->a, &ia);
	if (!ia.udp_gso || !ia.udp_gro)
		skip(); /* a kernel without UDP tunnel GSO: the segment-by-segment path */
	assert_int_equal(ps->a->ops->tx_burst(ps->a, &f, 1), 1);
	vxlan_port_info(ps->a, &ib);
	assert_int_equal(ib.gso_sends, ia.gso_sends + 2); /* to B and to C */
	vxlan_port_info(ps->b, &ia);
	assert_int_equal(rx(ps->b, fr), 1);
	vxlan_port_info(ps->b, &ib);
	assert_int_equal(ib.coalesced, ia.coalesced + 9);
	assert_int_equal(fr[0].len, in.len);
	assert_int_equal(fr[0].vnet.gso_type, VNET_GSO_TCPV4);
	assert_int_equal(fr[0].vnet.gso_size, 1400);
	/* both cut into the same segments, byte for byte */
	for (int i = 0; i < 10; i++) {
		frame_init(&fa[i], a[i], sizeof(a[i]));
		frame_init(&fb[i], b[i], sizeof(b[i]));
		pa[i] = &fa[i];
		pb[i] = &fb[i];
	}
	assert_int_equal(gso_segment(&in, pa, 10), 10);
	assert_int_equal(gso_segment(&fr[0], pb, 10), 10);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(fa[i].len, fb[i].len);
		assert_memory_equal(fa[i].data, fb[i].data, fa[i].len);
	}
	assert_int_equal(rx(ps->c, fr), 0);
	assert_int_equal(drops(ps->c, VXLAN_DROP_BAD_VNI), bad_vni + 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr),
		cmocka_unit_test(test_flow_sport),
		cmocka_unit_test(test_fdb),
		cmocka_unit_test(test_bad_config),
	};
	const struct CMUnitTest port_tests[] = {
		cmocka_unit_test(test_roundtrip),	cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_over_mtu),	cmocka_unit_test(test_vlan_map),
		cmocka_unit_test(test_shared_endpoint), cmocka_unit_test(test_gso_tcp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL) |
	       cmocka_run_group_tests_name("ports", port_tests, ports_setup, ports_teardown);
}
