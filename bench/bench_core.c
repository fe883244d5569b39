/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench_core.c - forwarding-core benchmark: Mpps and ns/frame of bridge_input() on one CPU */

/*
 * How it measures
 * Every scenario builds its bridge, its FDB and a pool of frames once. A
 * pass runs the whole pool through bridge_input() in bursts of
 * BRIDGE_BURST_MAX, each burst from one ingress port, and "sends" the
 * output by counting the frames in each active list; the spare list is
 * refilled from the burst's clones after each call. Only the pass is timed
 * (CLOCK_MONOTONIC read before and after it); the same reading is the `now`
 * every burst of the pass gets, so time advances with the real clock and
 * the 300 s ageing never expires an entry during the program.
 *
 * The core retags frames in place (a trunk->access frame comes out popped,
 * an access->trunk one pushed into the headroom), so between passes, outside
 * the timed region, every frame gets its data, len and metadata reset and
 * its first 18 bytes rewritten from a template. A pool is 1024 or 2048
 * frames (16 or 32 bursts), small enough to stay in L2 with the FDB lines it
 * touches, and a pass takes tens of microseconds, so the two clock reads per
 * pass cost well under 0.1 % of it.
 *
 * A warm-up (which also calibrates how many passes make a run of about
 * 200 ms) precedes the runs; the reported figure is the median run. Before
 * the warm-up one pass is checked frame by frame (right output port, right
 * tag, right fan-out), and afterwards the port counters must show no drop,
 * no learning refusal and exactly the expected number of transmitted frames,
 * so a number can never come from a core that drops or floods instead of
 * forwarding. A failed check exits 1; a missed target only prints "NO".
 *
 * Frames are 60 bytes untagged (a 64-byte frame on the wire less the FCS,
 * which virtio-net does not carry) and 64 bytes when they carry a tag. Input
 * frames live in buffers of FRAME_HEADROOM + 64 bytes; the spares the core
 * may copy into are full FRAME_BUF_SIZE buffers.
 */

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bridge.h"
#include "core/eth.h"
#include "core/fdb.h"
#include "core/frame.h"
#include "core/portsec.h"
#include "core/vlan.h"

#define BURST BRIDGE_BURST_MAX
#define FRAME_LEN 60
#define BUF_SIZE (FRAME_HEADROOM + 64)
#define MAX_PORTS 16
#define EXP_FLOOD 0xffff
#define ETH_P_IPV4 0x0800
#define HDR_LEN (ETH_HLEN + VLAN_HLEN)

#define RUN_NS_DEFAULT 200000000ull /* one timed run */
#define WARM_NS_DEFAULT 50000000ull /* warm-up and calibration */
#define RUN_NS_QUICK 4000000ull
#define WARM_NS_QUICK 1000000ull
#define MAX_RUNS 1000
#define FDB_MEM_TARGET (8ull << 20)

/* what one input frame is, and what must become of it */
struct tmpl {
	uint8_t hdr[HDR_LEN]; /* first bytes of the frame as it enters */
	uint16_t len;
	uint16_t vid;	   /* VID it is classified into, 0 without filtering */
	uint16_t exp_port; /* the one output port, or EXP_FLOOD */
	uint16_t exp_refs; /* output lists that must hold it */
};

struct scen;

struct scen_def {
	const char *name;
	const char *what;
	double target_mpps; /* 0: no target */
	int (*setup)(struct scen *s);
};

struct scen {
	const struct scen_def *def;
	struct bridge *br;
	struct bridge_out *out;
	unsigned n_ports;
	unsigned n_frames;
	unsigned n_bursts;
	uint16_t *burst_port;
	uint8_t *bufs;
	struct frame *frames;
	struct frame **ptrs;
	struct tmpl *tmpl;
	bool egress_tagged[MAX_PORTS]; /* frames leave this port tagged */
	uint64_t tx_per_pass;
	uint64_t passes; /* every pass run, checked or timed */
	uint64_t tx;	 /* output list entries counted over them */
	bool churn;	 /* new source MAC on every frame */
	uint64_t churn_ctr;
	uint32_t churn_limit;
	uint64_t learned_before;
};

struct result {
	const char *name;
	bool ran;
	double mpps, ns, min_mpps, max_mpps, target_mpps;
};

static uint8_t *spare_bufs;
static struct frame spare_frames[BURST];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Station addresses: 52:54:00 (libvirt's prefix) and 24 bits that are a
 * bijection of @i, so distinct and scattered. The mixing constants are not
 * the FDB's hash multiplier, so keys are not correlated with the hash.
 */
static void mac_station(uint8_t mac[ETH_ALEN], uint32_t i)
{
	const uint32_t mask = (1u << 24) - 1;
	uint32_t x = (i * 0x2c1b3c6du) & mask;

	x ^= x >> 12;
	x = (x * 0x297a2d39u) & mask;
	x ^= x >> 11;
	mac[0] = 0x52;
	mac[1] = 0x54;
	mac[2] = 0x00;
	mac[3] = (uint8_t)(x >> 16);
	mac[4] = (uint8_t)(x >> 8);
	mac[5] = (uint8_t)x;
}

/* churned sources: 02 (locally administered unicast) and 40 bits that are a bijection of @i */
static void mac_churn(uint8_t *mac, uint64_t i)
{
	const uint64_t mask = (1ull << 40) - 1;
	uint64_t x = (i * 0xd6e8feb86659fd93ull) & mask;

	x ^= x >> 19;
	x = (x * 0xa3b195354a39b70dull) & mask;
	x ^= x >> 21;
	mac[0] = 0x02;
	mac[1] = (uint8_t)(x >> 32);
	mac[2] = (uint8_t)(x >> 24);
	mac[3] = (uint8_t)(x >> 16);
	mac[4] = (uint8_t)(x >> 8);
	mac[5] = (uint8_t)x;
}

static int fail(const char *scen, const char *msg)
{
	fprintf(stderr, "bench-core: %s: %s\n", scen, msg);
	return -1;
}

/* allocate a bridge of @n_ports ports and a pool of @n_bursts bursts */
static int scen_alloc(struct scen *s, const struct bridge_config *c, unsigned n_ports,
		      unsigned n_bursts)
{
	unsigned i;

	s->n_ports = n_ports;
	s->n_bursts = n_bursts;
	s->n_frames = n_bursts * BURST;
	s->br = bridge_new(c);
	if (!s->br)
		return fail(s->def->name, "bridge_new failed");
	for (i = 0; i < n_ports; i++)
		if (bridge_port_add(s->br) != (int)i)
			return fail(s->def->name, "bridge_port_add failed");
	s->out = bridge_out_new(s->br);
	s->burst_port = calloc(n_bursts, sizeof(*s->burst_port));
	s->frames = calloc(s->n_frames, sizeof(*s->frames));
	s->ptrs = calloc(s->n_frames, sizeof(*s->ptrs));
	s->tmpl = calloc(s->n_frames, sizeof(*s->tmpl));
	s->bufs = aligned_alloc(64, (size_t)s->n_frames * BUF_SIZE);
	if (!s->out || !s->burst_port || !s->frames || !s->ptrs || !s->tmpl || !s->bufs)
		return fail(s->def->name, "out of memory");
	memset(s->bufs, 0, (size_t)s->n_frames * BUF_SIZE);
	for (i = 0; i < s->n_frames; i++)
		frame_init(&s->frames[i], s->bufs + (size_t)i * BUF_SIZE, BUF_SIZE);
	for (i = 0; i < BURST; i++) {
		frame_init(&spare_frames[i], spare_bufs + (size_t)i * FRAME_BUF_SIZE,
			   FRAME_BUF_SIZE);
		s->out->spare[i] = &spare_frames[i];
	}
	s->out->n_spare = BURST;
	return 0;
}

static void scen_free(struct scen *s)
{
	bridge_out_free(s->out);
	bridge_free(s->br);
	free(s->burst_port);
	free(s->frames);
	free(s->ptrs);
	free(s->tmpl);
	free(s->bufs);
}

/* describe input frame @idx; @tag_vid 0 for an untagged frame */
static void put_frame(struct scen *s, unsigned idx, const uint8_t *dst, const uint8_t *src,
		      uint16_t tag_vid, uint16_t vid, uint16_t exp_port, uint16_t exp_refs)
{
	struct tmpl *t = &s->tmpl[idx];

	memset(t, 0, sizeof(*t));
	memcpy(t->hdr, dst, ETH_ALEN);
	memcpy(t->hdr + ETH_ALEN, src, ETH_ALEN);
	if (tag_vid) {
		eth_put_be16(t->hdr + 12, ETH_P_8021Q);
		eth_put_be16(t->hdr + 14, tag_vid);
		eth_put_be16(t->hdr + 16, ETH_P_IPV4);
		t->len = FRAME_LEN + VLAN_HLEN;
	} else {
		eth_put_be16(t->hdr + 12, ETH_P_IPV4);
		t->len = FRAME_LEN;
	}
	t->vid = vid;
	t->exp_port = exp_port;
	t->exp_refs = exp_refs;
}

static int learn(struct scen *s, const uint8_t *mac, uint16_t vid, uint16_t port)
{
	if (fdb_learn(bridge_fdb(s->br), mac, vid, port, now_ns()) != FDB_LEARN_NEW)
		return fail(s->def->name, "fdb_learn of a setup station did not learn it");
	return 0;
}

/*
 * (a) Two ports, no VLAN filtering, one station behind each, known unicast
 * both ways: bursts alternate between port 0 (A to B) and port 1 (B to A).
 */
static int setup_unicast_2p(struct scen *s)
{
	struct bridge_config c;
	uint8_t mac[2][ETH_ALEN];
	unsigned b, j;

	bridge_config_default(&c);
	c.vlan_filtering = false;
	c.max_ports = 2;
	if (scen_alloc(s, &c, 2, 16))
		return -1;
	mac_station(mac[0], 1);
	mac_station(mac[1], 2);
	if (learn(s, mac[0], 0, 0) || learn(s, mac[1], 0, 1))
		return -1;
	for (b = 0; b < s->n_bursts; b++) {
		uint16_t p = (uint16_t)(b & 1);

		s->burst_port[b] = p;
		for (j = 0; j < BURST; j++)
			put_frame(s, b * BURST + j, mac[!p], mac[p], 0, 0, !p, 1);
	}
	s->tx_per_pass = s->n_frames;
	return 0;
}

/*
 * (b) 16 ports on a filtering bridge with 16 VLANs (VIDs 100..115).
 * Ports 0..7 are trunks, tagged members of all 16 (<vlan trunk='yes'>);
 * ports 8..15 are access ports, port 8+k untagged in VID 100+k alone
 * (<vlan><tag id='100+k'/></vlan>). Eight access ports can serve only eight
 * of the VLANs, so VIDs 108..115 live on the trunks alone.
 *
 * 4096 stations are learned, 256 per VLAN: in VLAN v < 8 stations 0..127
 * sit behind access port 8+v and stations 128..255 on trunk (index % 8);
 * in VLAN v >= 8 all 256 are on trunk (index % 8). Every frame crosses
 * between a trunk and an access port, so every frame has its tag popped
 * (trunk to access) or pushed (access to trunk):
 *  - trunk t sends 128 frames per pass, tagged with VLAN v = j % 8 in turn,
 *    from its trunk-side stations to access-side stations of v;
 *  - access port 8+v sends 128 untagged frames from its 128 stations to the
 *    128 trunk-side stations of v, spread over the eight trunks.
 * Over a pass each of the 2048 stations of VLANs 100..107 is a source once
 * and a destination once; the 2048 of VLANs 108..115 just fill the table.
 * Bursts go round the 16 ports twice; a trunk burst fans out to the 8
 * access ports, an access burst to the 8 trunks.
 */
#define V16_PORTS 16
#define V16_TRUNKS 8
#define V16_VLANS 16
#define V16_VID0 100
#define V16_PER_VLAN 256
#define V16_ACCESS_SIDE 128

static void v16_mac(uint8_t mac[ETH_ALEN], unsigned v, unsigned m)
{
	mac_station(mac, 0x1000 + v * V16_PER_VLAN + m);
}

static uint16_t v16_port_of(unsigned v, unsigned m)
{
	if (v < V16_PORTS - V16_TRUNKS && m < V16_ACCESS_SIDE)
		return (uint16_t)(V16_TRUNKS + v);
	return (uint16_t)(m % V16_TRUNKS);
}

static int setup_vlan_16p(struct scen *s)
{
	struct vlan_spec_tag tags[V16_VLANS];
	struct bridge_config c;
	struct vlan_spec spec;
	uint8_t src[ETH_ALEN], dst[ETH_ALEN];
	unsigned p, v, m, b, j;

	bridge_config_default(&c);
	c.max_ports = V16_PORTS;
	if (scen_alloc(s, &c, V16_PORTS, 32))
		return -1;
	for (v = 0; v < V16_VLANS; v++) {
		tags[v].id = (uint16_t)(V16_VID0 + v);
		tags[v].native_mode = VLAN_NATIVE_NONE;
	}
	for (p = 0; p < V16_PORTS; p++) {
		if (p < V16_TRUNKS) {
			spec.trunk = true;
			spec.n_tags = V16_VLANS;
			spec.tags = tags;
		} else {
			spec.trunk = false;
			spec.n_tags = 1;
			spec.tags = &tags[p - V16_TRUNKS];
		}
		if (bridge_vlan_apply_spec(s->br, (uint16_t)p, &spec))
			return fail(s->def->name, "bridge_vlan_apply_spec failed");
		s->egress_tagged[p] = p < V16_TRUNKS;
	}
	for (v = 0; v < V16_VLANS; v++) {
		for (m = 0; m < V16_PER_VLAN; m++) {
			v16_mac(src, v, m);
			if (learn(s, src, (uint16_t)(V16_VID0 + v), v16_port_of(v, m)))
				return -1;
		}
	}
	for (b = 0; b < s->n_bursts; b++) {
		unsigned round = b / V16_PORTS;

		p = b % V16_PORTS;
		s->burst_port[b] = (uint16_t)p;
		for (j = round * BURST; j < (round + 1) * BURST; j++) {
			unsigned idx = b * BURST + j % BURST, ms, md;
			uint16_t vid;

			if (p < V16_TRUNKS) {
				v = j % 8;
				ms = V16_ACCESS_SIDE + (j / 8) * 8 + p;
				md = p * 16 + j / 8;
			} else {
				v = p - V16_TRUNKS;
				ms = j;
				md = V16_ACCESS_SIDE + (j * 37 + 5) % V16_ACCESS_SIDE;
			}
			vid = (uint16_t)(V16_VID0 + v);
			v16_mac(src, v, ms);
			v16_mac(dst, v, md);
			put_frame(s, idx, dst, src, p < V16_TRUNKS ? vid : 0, vid,
				  v16_port_of(v, md), 1);
		}
	}
	s->tx_per_pass = s->n_frames;
	return 0;
}

/*
 * (c) 8 ports on a filtering bridge as created (every port untagged in
 * VLAN 1, its PVID). Broadcast from one port floods to the 7 others: one in,
 * 7 out. Bursts go round the 8 ports, each from the station on that port.
 * Mpps counts input frames; each is listed 7 times.
 */
#define F8_PORTS 8

static int setup_flood_8p(struct scen *s)
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct bridge_config c;
	uint8_t src[ETH_ALEN];
	unsigned b, j;

	bridge_config_default(&c);
	c.max_ports = F8_PORTS;
	if (scen_alloc(s, &c, F8_PORTS, 16))
		return -1;
	for (b = 0; b < s->n_bursts; b++) {
		uint16_t p = (uint16_t)(b % F8_PORTS);

		s->burst_port[b] = p;
		mac_station(src, 0x100 + p);
		for (j = 0; j < BURST; j++)
			put_frame(s, b * BURST + j, bcast, src, 0, c.default_pvid, EXP_FLOOD,
				  F8_PORTS - 1);
	}
	s->tx_per_pass = (uint64_t)s->n_frames * (F8_PORTS - 1);
	return 0;
}

/*
 * (c') flood-8p's bridge, but IPv4 multicast to 239.1.2.3 (UDP), with IGMP/MLD snooping
 * (core/mdb.h) deciding: the querier is on and every port listens to the group, so each
 * frame goes to the 7 others as in flood-8p, after snooping read its IP header and looked
 * the group up. Against flood-8p, the cost of snooping per multicast frame; unicast never
 * reaches it.
 */
static int setup_mcast_8p(struct scen *s)
{
	static const uint8_t dst[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };
	static const uint8_t group[4] = { 239, 1, 2, 3 };
	struct bridge_config c;
	struct mdb_group g = { .v6 = false };
	uint8_t src[ETH_ALEN];
	unsigned b, j;

	bridge_config_default(&c);
	c.max_ports = F8_PORTS;
	if (scen_alloc(s, &c, F8_PORTS, 16))
		return -1;
	memcpy(g.addr, group, 4);
	mdb_set_querier(bridge_mdb(s->br), true, now_ns());
	for (uint16_t p = 0; p < F8_PORTS; p++)
		if (mdb_join(bridge_mdb(s->br), c.default_pvid, &g, p, now_ns()))
			return fail(s->def->name, "mdb_join failed");
	for (b = 0; b < s->n_bursts; b++) {
		uint16_t p = (uint16_t)(b % F8_PORTS);

		s->burst_port[b] = p;
		mac_station(src, 0x100 + p);
		for (j = 0; j < BURST; j++) {
			/* the IP header past what scen_prepare() copies: written once, never
			 * changed, as no tag is pushed or popped on this bridge */
			uint8_t *ip = s->frames[b * BURST + j].data + ETH_HLEN;

			put_frame(s, b * BURST + j, dst, src, 0, c.default_pvid, EXP_FLOOD,
				  F8_PORTS - 1);
			ip[0] = 0x45;
			eth_put_be16(ip + 2, FRAME_LEN - ETH_HLEN);
			ip[8] = 1;
			ip[9] = 17;
			memcpy(ip + 16, group, 4);
		}
	}
	s->tx_per_pass = (uint64_t)s->n_frames * (F8_PORTS - 1);
	return 0;
}

/*
 * (d) Two ports, no VLAN filtering, every frame from port 0 with a source
 * MAC never seen before, to a station on port 1 (a static entry, so flushes
 * leave it). Steady state: before each pass, outside the timed region, the
 * frames get fresh source MACs and, if the pass could take the learned
 * entries over the bridge limit (65536), fdb_flush() empties the dynamic
 * entries. The table so cycles between 0 and 64k learned entries (at most
 * a quarter of its slots used), every frame of every pass learns a new
 * entry, and the check afterwards demands learned == frames and no refusal.
 */
static int setup_learn_churn(struct scen *s)
{
	struct bridge_config c;
	uint8_t dst[ETH_ALEN];
	unsigned b, j;

	bridge_config_default(&c);
	c.vlan_filtering = false;
	c.max_ports = 2;
	if (scen_alloc(s, &c, 2, 16))
		return -1;
	mac_station(dst, 3);
	if (fdb_add_static(bridge_fdb(s->br), dst, 0, 1, false, now_ns()))
		return fail(s->def->name, "fdb_add_static failed");
	for (b = 0; b < s->n_bursts; b++) {
		s->burst_port[b] = 0;
		for (j = 0; j < BURST; j++)
			put_frame(s, b * BURST + j, dst, dst, 0, 0, 1, 1);
	}
	s->churn = true;
	s->churn_limit = c.fdb_max_learned;
	s->tx_per_pass = s->n_frames;
	return 0;
}

/* outside the timed region: make every frame what its template says */
static void scen_prepare(struct scen *s)
{
	unsigned i;

	if (s->churn) {
		struct fdb *fdb = bridge_fdb(s->br);
		struct fdb_stats st;

		fdb_get_stats(fdb, &st);
		if (st.n_learned + s->n_frames > s->churn_limit)
			fdb_flush(fdb, FDB_FLUSH_ANY_PORT, FDB_FLUSH_ANY_VID, false);
		for (i = 0; i < s->n_frames; i++)
			mac_churn(s->tmpl[i].hdr + ETH_ALEN, s->churn_ctr++);
	}
	for (i = 0; i < s->n_frames; i++) {
		struct frame *f = &s->frames[i];

		f->data = f->head + FRAME_HEADROOM;
		f->len = s->tmpl[i].len;
		memset(&f->vnet, 0, sizeof(f->vnet));
		f->refs = 0;
		f->port = 0;
		f->tci = 0;
		f->tagged = false;
		memcpy(f->data, s->tmpl[i].hdr, HDR_LEN);
		s->ptrs[i] = f;
	}
}

/* one timed pass over the pool; Return: nanoseconds it took */
static uint64_t scen_pass(struct scen *s)
{
	struct bridge_out *out = s->out;
	uint64_t t0, t1, sent = 0;
	unsigned b, i;

	scen_prepare(s);
	t0 = now_ns();
	for (b = 0; b < s->n_bursts; b++) {
		bridge_input(s->br, s->burst_port[b], s->ptrs + b * BURST, BURST, t0, out);
		for (i = 0; i < out->n_active; i++)
			sent += out->tx[out->active[i]].n;
		for (i = 0; i < out->n_clones; i++)
			out->spare[out->n_spare++] = out->clones[i];
	}
	t1 = now_ns();
	s->tx += sent;
	s->passes++;
	return t1 - t0;
}

/* Return: what is wrong with frame @f listed for port @q, or NULL */
static const char *check_tx(const struct scen *s, uint16_t in, uint16_t q, const struct frame *f)
{
	const struct tmpl *t;
	bool tagged;

	if (f < s->frames || f >= s->frames + s->n_frames)
		return "output frame not from the pool";
	t = &s->tmpl[f - s->frames];
	if (t->exp_port == EXP_FLOOD ? q == in : q != t->exp_port)
		return "frame sent to the wrong port";
	if (f->refs != t->exp_refs)
		return "frame listed a wrong number of times";
	tagged = f->len >= ETH_HLEN && eth_outer_type(f) == ETH_P_8021Q;
	if (tagged != s->egress_tagged[q] || f->len != FRAME_LEN + (tagged ? VLAN_HLEN : 0u))
		return "frame leaves in the wrong form";
	if (tagged && (eth_get_be16(f->data + ETH_HLEN) & VLAN_VID_MASK) != t->vid)
		return "frame leaves with a wrong VID";
	if (memcmp(f->data, t->hdr, 2 * ETH_ALEN))
		return "frame addresses changed";
	return NULL;
}

/* one untimed pass, checking where every frame went and in what form */
static int scen_check_pass(struct scen *s)
{
	struct bridge_out *out = s->out;
	uint64_t sent = 0;
	unsigned b, i, k;

	scen_prepare(s);
	for (b = 0; b < s->n_bursts; b++) {
		uint16_t in = s->burst_port[b];

		bridge_input(s->br, in, s->ptrs + b * BURST, BURST, now_ns(), out);
		if (out->n_control || out->n_clones)
			return fail(s->def->name, "unexpected control frame or copy");
		for (i = 0; i < out->n_active; i++) {
			uint16_t q = out->active[i];
			const struct bridge_tx *tx = &out->tx[q];

			for (k = 0; k < tx->n; k++) {
				const char *err = check_tx(s, in, q, tx->frames[k]);

				if (err)
					return fail(s->def->name, err);
			}
			sent += tx->n;
		}
	}
	if (sent != s->tx_per_pass)
		return fail(s->def->name, "a frame was dropped in the checked pass");
	s->tx += sent;
	s->passes++;
	return 0;
}

/* after the runs: nothing dropped or refused, every frame accounted for */
static int scen_check_counters(struct scen *s)
{
	struct fdb_stats st;
	uint64_t tx = 0;
	unsigned p, d;

	for (p = 0; p < s->n_ports; p++) {
		const struct bridge_port_stats *ps = bridge_port_stats(s->br, (uint16_t)p);

		for (d = 0; d < BR_DROP__MAX; d++) {
			if (!ps->drops[d])
				continue;
			fprintf(stderr, "bench-core: %s: port %u dropped %llu frames (%s)\n",
				s->def->name, p, (unsigned long long)ps->drops[d],
				bridge_drop_name((enum bridge_drop)d));
			return -1;
		}
		if (fdb_port_evicted(bridge_fdb_const(s->br), p) || ps->rx_control)
			return fail(s->def->name, "FDB entries evicted or control frames");
		tx += ps->tx_frames;
	}
	if (tx != s->tx || s->tx != s->passes * s->tx_per_pass)
		return fail(s->def->name, "transmitted frames do not add up");
	fdb_get_stats(bridge_fdb_const(s->br), &st);
	if (st.evicted_bridge_limit || st.evicted_port_limit || st.moved)
		return fail(s->def->name, "FDB evicted or moved entries");
	if (s->churn && st.learned - s->learned_before != s->passes * s->n_frames)
		return fail(s->def->name, "not every frame learned a new entry");
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int run_scenario(const struct scen_def *def, unsigned runs, uint64_t run_ns,
			uint64_t warm_ns, struct result *r)
{
	double mpps[MAX_RUNS];
	struct scen s = { .def = def };
	struct fdb_stats st;
	uint64_t ns = 0, passes = 0, per_run, i;
	unsigned k;
	int err = -1;

	if (def->setup(&s))
		goto out;
	fdb_get_stats(bridge_fdb_const(s.br), &st);
	s.learned_before = st.learned;
	if (scen_check_pass(&s))
		goto out;
	while (ns < warm_ns || passes < 2) {
		ns += scen_pass(&s);
		passes++;
	}
	per_run = run_ns * passes / (ns ? ns : 1);
	if (per_run < 1)
		per_run = 1;
	for (k = 0; k < runs; k++) {
		ns = 0;
		for (i = 0; i < per_run; i++)
			ns += scen_pass(&s);
		mpps[k] = (double)(per_run * s.n_frames) * 1e3 / (double)(ns ? ns : 1);
	}
	if (scen_check_counters(&s))
		goto out;
	qsort(mpps, runs, sizeof(mpps[0]), cmp_double);
	r->mpps = runs % 2 ? mpps[runs / 2] : (mpps[runs / 2 - 1] + mpps[runs / 2]) / 2;
	r->ns = 1e3 / r->mpps;
	r->min_mpps = mpps[0];
	r->max_mpps = mpps[runs - 1];
	r->target_mpps = def->target_mpps;
	r->ran = true;
	err = 0;
out:
	scen_free(&s);
	return err;
}

/* fdb_memory() of a table made for 65536 learned entries, holding 65536 */
static int fdb_64k_bytes(size_t *bytes)
{
	struct fdb *fdb = fdb_new(FDB_MAX_LEARNED_DEFAULT, FDB_MAX_STATIC_DEFAULT, 16,
				  FDB_AGEING_DEFAULT_NS);
	uint64_t now = now_ns();
	struct fdb_stats st;
	uint8_t mac[ETH_ALEN];
	uint32_t i;
	int err = 0;

	if (!fdb)
		return fail("fdb-64k", "fdb_new failed");
	for (i = 0; i < FDB_MAX_LEARNED_DEFAULT; i++) {
		mac_churn(mac, i);
		fdb_learn(fdb, mac, (uint16_t)(1 + i % 16), (uint16_t)(i % 16), now);
	}
	fdb_get_stats(fdb, &st);
	if (st.n_learned != FDB_MAX_LEARNED_DEFAULT)
		err = fail("fdb-64k", "did not learn 65536 entries");
	*bytes = fdb_memory(fdb);
	fdb_free(fdb);
	return err;
}

#define HASH_N 20000000u

/*
 * ns per FDB home-slot hash: the keyed SipHash-1-3 the FDB uses, and the fixed
 * multiplier it used before (public, so chosen MACs could collide). Each of
 * the two FDB look-ups of a forwarded frame pays one.
 */
static void fdb_hash_ns(double *keyed, double *paired, double *multiplier)
{
	const struct siphash_key k = { 0x0123456789abcdefull, 0xfedcba9876543210ull };
	volatile uint64_t sink = 0;
	uint64_t t0, acc = 0;

	t0 = now_ns();
	for (uint64_t i = 0; i < HASH_N; i++)
		acc += siphash_u64(&k, i ^ acc, 1, 3) >> 47;
	*keyed = (double)(now_ns() - t0) / HASH_N;
	sink = acc;
	/* a frame's source and destination, hashed together (fdb_probe_pair()) */
	t0 = now_ns();
	for (uint64_t i = 0; i < HASH_N; i += 2) {
		uint64_t h[2];

		siphash_u64x2(&k, i ^ acc, (i + 1) ^ acc, 1, 3, h);
		acc += (h[0] >> 47) + (h[1] >> 47);
	}
	*paired = (double)(now_ns() - t0) / HASH_N;
	sink += acc;
	t0 = now_ns();
	for (uint64_t i = 0; i < HASH_N; i++)
		acc += ((i ^ acc) * 0x9e3779b97f4a7c15ull) >> 47;
	*multiplier = (double)(now_ns() - t0) / HASH_N;
	sink += acc;
	(void)sink;
}

/*
 * (e) unicast-2p with real IPv4 headers (10.0.0.1 <-> 10.0.0.2), with port security on both
 * ports (libvirt's clean-traffic: MAC, IP, ARP and other-EtherType checks) or off: the
 * cost of port security is the ratio of the two. The IPv4 header's first 4 bytes are in
 * the template (scen_prepare() rewrites 18 bytes), the rest stays in the buffer.
 */
static int setup_ip_2p(struct scen *s, bool portsec)
{
	uint8_t mac[2][ETH_ALEN];

	if (setup_unicast_2p(s))
		return -1;
	mac_station(mac[0], 1);
	mac_station(mac[1], 2);
	for (unsigned i = 0; i < s->n_frames; i++) {
		uint8_t *ip = s->frames[i].head + FRAME_HEADROOM + ETH_HLEN;
		uint16_t p = s->burst_port[i / BURST];

		s->tmpl[i].hdr[ETH_HLEN] = 0x45;
		s->tmpl[i].hdr[ETH_HLEN + 3] = FRAME_LEN - ETH_HLEN;
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, (const uint8_t[4]){ 10, 0, 0, (uint8_t)(1 + p) }, 4);
		memcpy(ip + 16, (const uint8_t[4]){ 10, 0, 0, (uint8_t)(2 - p) }, 4);
	}
	for (uint16_t p = 0; portsec && p < 2; p++) {
		struct portsec_cfg ps = { .flags = PORTSEC_ALL, .n_mac = 1, .n_ip4 = 1 };

		memcpy(ps.mac[0], mac[p], ETH_ALEN);
		memcpy(ps.ip4[0], (const uint8_t[4]){ 10, 0, 0, (uint8_t)(1 + p) }, 4);
		if (bridge_port_set_portsec(s->br, p, &ps))
			return fail(s->def->name, "bridge_port_set_portsec failed");
	}
	return 0;
}

static int setup_ip_2p_off(struct scen *s)
{
	return setup_ip_2p(s, false);
}

static int setup_ip_2p_portsec(struct scen *s)
{
	return setup_ip_2p(s, true);
}

static const struct scen_def scen_defs[] = {
	{ "unicast-2p", "2 ports, no VLAN filtering, known unicast both ways", 10.0,
	  setup_unicast_2p },
	{ "vlan-16p",
	  "8 trunk + 8 access ports, 4096 MACs in 16 VLANs, every frame pushed or "
	  "popped",
	  20.0, setup_vlan_16p },
	{ "flood-8p", "broadcast on an 8-port bridge (VLAN 1): 1 in, 7 out; Mpps of input", 10.0,
	  setup_flood_8p },
	{ "mcast-8p",
	  "IPv4 multicast on flood-8p's bridge, IGMP snooping sending it to 7 listeners", 10.0,
	  setup_mcast_8p },
	{ "learn-churn", "new source MAC every frame, FDB flushed before 64k (untimed)", 0.0,
	  setup_learn_churn },
	{ "ip-2p", "unicast-2p with IPv4 headers, port security off", 0.0, setup_ip_2p_off },
	{ "portsec-2p", "ip-2p with port security (clean-traffic) on both ports", 0.0,
	  setup_ip_2p_portsec },
};

#define N_SCEN (sizeof(scen_defs) / sizeof(scen_defs[0]))

static int pin_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -1;
	return cpu;
}

static void usage(FILE *f)
{
	unsigned i;

	fprintf(f, "usage: bench-core [--runs N] [--quick] [--scenario NAME]\n"
		   "  --runs N         timed runs per scenario, median reported (default 5)\n"
		   "  --quick          short runs, to check that it works\n"
		   "  --scenario NAME  run one of:");
	for (i = 0; i < N_SCEN; i++)
		fprintf(f, " %s", scen_defs[i].name);
	fprintf(f, " fdb-64k\n");
}

int main(int argc, char **argv)
{
	struct result res[N_SCEN] = { { 0 } };
	const char *only = NULL;
	uint64_t run_ns = RUN_NS_DEFAULT, warm_ns = WARM_NS_DEFAULT;
	unsigned runs = 5, i;
	bool quick = false, found, do_fdb, fdb_ok;
	double hash_keyed = 0, hash_paired = 0, hash_mul = 0;
	size_t fdb_bytes = 0;
	int cpu, a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--runs") && a + 1 < argc) {
			char *end;
			unsigned long n = strtoul(argv[++a], &end, 10);

			if (*end || n < 1 || n > MAX_RUNS) {
				fprintf(stderr, "bench-core: --runs wants 1..%d\n", MAX_RUNS);
				return 2;
			}
			runs = (unsigned)n;
		} else if (!strcmp(argv[a], "--quick")) {
			quick = true;
		} else if (!strcmp(argv[a], "--scenario") && a + 1 < argc) {
			only = argv[++a];
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (quick) {
		run_ns = RUN_NS_QUICK;
		warm_ns = WARM_NS_QUICK;
	}
	do_fdb = !only || !strcmp(only, "fdb-64k");
	found = do_fdb;
	for (i = 0; i < N_SCEN; i++)
		found |= only && !strcmp(only, scen_defs[i].name);
	if (!found) {
		fprintf(stderr, "bench-core: no scenario %s\n", only);
		usage(stderr);
		return 2;
	}

	spare_bufs = malloc((size_t)BURST * FRAME_BUF_SIZE);
	if (!spare_bufs) {
		fprintf(stderr, "bench-core: out of memory\n");
		return 1;
	}
	cpu = pin_cpu();

	for (i = 0; i < N_SCEN; i++) {
		if (only && strcmp(only, scen_defs[i].name))
			continue;
		res[i].name = scen_defs[i].name;
		if (run_scenario(&scen_defs[i], runs, run_ns, warm_ns, &res[i]))
			return 1;
	}
	if (do_fdb && fdb_64k_bytes(&fdb_bytes))
		return 1;
	fdb_ok = fdb_bytes < FDB_MEM_TARGET;
	if (do_fdb)
		fdb_hash_ns(&hash_keyed, &hash_paired, &hash_mul);
	free(spare_bufs);

	if (cpu >= 0)
		printf("kvnet core benchmark: bridge_input() alone on CPU %d", cpu);
	else
		printf("kvnet core benchmark: bridge_input() alone (could not pin to a CPU)");
	printf(", bursts of %d, %d-byte frames (+4 tagged)\n", BURST, FRAME_LEN);
	printf("median of %u run%s of ~%llu ms%s; frame reset between passes is not timed\n\n",
	       runs, runs == 1 ? "" : "s", (unsigned long long)(run_ns / 1000000),
	       quick ? " (--quick)" : "");
	printf("%-12s %8s %9s %17s  %-14s %s\n", "scenario", "Mpps", "ns/frame", "runs min..max",
	       "target", "ok");
	for (i = 0; i < N_SCEN; i++) {
		const struct result *r = &res[i];
		char range[32], target[32];

		if (!r->ran)
			continue;
		snprintf(range, sizeof(range), "%.2f..%.2f", r->min_mpps, r->max_mpps);
		if (r->target_mpps > 0)
			snprintf(target, sizeof(target), ">= %.0f Mpps", r->target_mpps);
		else
			snprintf(target, sizeof(target), "-");
		printf("%-12s %8.2f %9.2f %17s  %-14s %s\n", r->name, r->mpps, r->ns, range, target,
		       r->target_mpps > 0 ? (r->mpps >= r->target_mpps ? "yes" : "NO") : "-");
	}
	if (do_fdb) {
		char bytes[32];

		snprintf(bytes, sizeof(bytes), "MiB (%zu bytes)", fdb_bytes);
		printf("%-12s %8.2f %-27s  %-14s %s\n", "fdb-64k", (double)fdb_bytes / (1 << 20),
		       bytes, "< 8 MiB", fdb_ok ? "yes" : "NO");
		printf("%-12s %8.2f ns per keyed hash (SipHash-1-3); %.2f ns each of a pair; "
		       "%.2f ns with the old public multiplier\n",
		       "fdb-hash", hash_keyed, hash_paired, hash_mul);
	}
	printf("\n");
	for (i = 0; i < N_SCEN; i++)
		if (res[i].ran)
			printf("  %-12s %s\n", scen_defs[i].name, scen_defs[i].what);
	if (!only || !do_fdb)
		printf("\n");
	for (i = 0; i < N_SCEN; i++)
		if (res[i].ran)
			printf("bench core/%s mpps=%.2f ns_per_frame=%.2f\n", res[i].name,
			       res[i].mpps, res[i].ns);
	/* the last two scenarios: port security off, then on */
	if (res[N_SCEN - 2].ran && res[N_SCEN - 1].ran)
		printf("bench core/portsec mpps_off=%.2f mpps_on=%.2f ratio=%.3f\n",
		       res[N_SCEN - 2].mpps, res[N_SCEN - 1].mpps,
		       res[N_SCEN - 1].mpps / res[N_SCEN - 2].mpps);
	if (do_fdb) {
		printf("bench core/fdb-64k bytes=%zu\n", fdb_bytes);
		printf("bench core/fdb-hash keyed_ns=%.2f paired_ns=%.2f multiplier_ns=%.2f\n",
		       hash_keyed, hash_paired, hash_mul);
	}
	return 0;
}
