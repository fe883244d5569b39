/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_differential.c - randomized differential test of the forwarding core against a model */

/*
 * The model
 *
 * Below is a second, deliberately naive implementation of the forwarding
 * core, written from docs/forwarding.md and the headers alone: ports are a
 * plain array, VLAN membership two bool arrays of 4096, the FDB a small
 * array searched linearly, and every count (entries, static, learned per
 * port) is recounted from that array when asked. bridge_input() is one
 * straight-line function that follows the spec's numbered steps.
 *
 * A seeded pseudo-random sequence of operations (bursts of frames, port,
 * VLAN and FDB configuration, clock steps, ageing) is applied to both the
 * model and the real core. After each operation return codes, counters and
 * FDB statistics are compared; after each burst also every output list
 * frame by frame (pointer, length, bytes, offload metadata), the control
 * list, the copies and the refs. Every few operations the whole FDB, VLAN
 * membership and port settings are compared too. The random choices only
 * consult the model, so a seed always replays the same sequence.
 *
 * Run longer by hand with KVNET_DIFF_SEED=<n> (one seed) and
 * KVNET_DIFF_STEPS=<n>; KVNET_DIFF_VERBOSE=1 prints what each run covered, 2 also
 * every operation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "core/eth.h"
#include "core/fdb.h"
#include "core/frame.h"
#include "core/vlan.h"
#include "util/compiler.h"

#define D_MAX_PORTS 16	/* bridge max_ports */
#define D_PORTS_SOFT 12 /* ports usually kept at most */
#define D_MAX_LEARNED 24
#define D_MAX_STATIC 8
#define D_FDB_CAP (D_MAX_LEARNED + D_MAX_STATIC)
#define D_IN_LEN_MAX 65560 /* a little over the largest accepted frame */
#define D_IN_BUF_SIZE (FRAME_HEADROOM + D_IN_LEN_MAX + 64)
#define D_NS 1000000000ull
#define D_TICK (D_NS / 10) /* clock steps are multiples, so ageing boundaries are hit */
#define D_SEEDS 8
#define D_STEPS 20000
#define D_CHECK_EVERY 50
#define D_NMAC 10

/* ---------------------------------------------------------------------------------------- */
/* the reference model                                                                      */

struct m_port {
	bool exists;
	enum bridge_port_state state;
	uint32_t flags;
	uint32_t mtu;
	uint32_t learn_limit;
	uint16_t pvid;
	bool member[VLAN_N_VID];
	bool untagged[VLAN_N_VID];
	struct bridge_port_stats st;
};

struct m_fdb_ent {
	bool used;
	uint8_t mac[ETH_ALEN];
	uint16_t vid;
	uint16_t port;
	bool is_static;
	uint64_t seen;
};

struct model {
	bool filtering;
	bool stp;
	uint16_t default_pvid;
	uint64_t ageing;
	struct m_port port[D_MAX_PORTS];
	struct m_fdb_ent fdb[D_FDB_CAP];
	uint64_t learned, moved, refused_bridge, refused_port, aged;
};

/* egress forms of a frame */
enum m_form {
	F_ASIS, /* as it is (no filtering, or untagged and egress untagged) */
	F_KEEP, /* tagged, egress tagged: the tag stays (VID maybe rewritten) */
	F_PUSH, /* untagged, egress tagged: a tag is pushed */
	F_POP,	/* tagged, egress untagged: the tag is popped */
};

/* what the model decided for one frame, beyond the counters */
enum m_verdict {
	V_FWD = BR_DROP__MAX, /* in one or more output lists */
	V_CONTROL,	      /* in the control list */
	V_ALL_TXOVER,	      /* every target dropped it as tx-oversize */
};

struct m_txent {
	uint8_t frame; /* index in the burst */
	int8_t clone;  /* index in out->clones, -1 for the frame itself */
	uint8_t form;  /* enum m_form */
};

/* expected content of a struct bridge_out after a burst */
struct m_out {
	uint16_t n_tx[D_MAX_PORTS];
	struct m_txent tx[D_MAX_PORTS][BRIDGE_BURST_MAX];
	uint16_t n_active;
	uint16_t active[D_MAX_PORTS];
	uint16_t n_control;
	uint8_t control[BRIDGE_BURST_MAX];
	uint16_t n_clones;
	uint16_t refs[BRIDGE_BURST_MAX];
	uint16_t clone_refs[BRIDGE_BURST_MAX];
	uint16_t tci[BRIDGE_BURST_MAX];	    /* TCI of the tagged form */
	int verdict[BRIDGE_BURST_MAX];	    /* enum bridge_drop or enum m_verdict */
	uint32_t sent_to[BRIDGE_BURST_MAX]; /* ports (bits) that got the frame */
	uint32_t txover[BRIDGE_BURST_MAX];  /* ports (bits) that dropped it as tx-oversize */
	uint16_t vid[BRIDGE_BURST_MAX];
};

/* a frame as generated, before the core touched it */
struct pframe {
	uint8_t *buf;
	uint32_t len;
	uint32_t headroom;
	struct vnet_meta vnet;
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool mac_mcast(const uint8_t *m)
{
	return m[0] & 1;
}

static bool mac_bcast(const uint8_t *m)
{
	return m[0] == 0xff && m[1] == 0xff && m[2] == 0xff && m[3] == 0xff && m[4] == 0xff &&
	       m[5] == 0xff;
}

static bool mac_zero(const uint8_t *m)
{
	return !m[0] && !m[1] && !m[2] && !m[3] && !m[4] && !m[5];
}

static bool mac_link_local(const uint8_t *m)
{
	return m[0] == 0x01 && m[1] == 0x80 && m[2] == 0xc2 && m[3] == 0 && m[4] == 0 &&
	       m[5] <= 0x0f;
}

static bool is_tag_type(uint16_t t)
{
	return t == ETH_P_8021Q || t == ETH_P_8021AD;
}

static bool m_port_ok(const struct model *m, unsigned int p)
{
	return p < D_MAX_PORTS && m->port[p].exists;
}

/* --- FDB --- */

static int m_fdb_find(const struct model *m, const uint8_t *mac, uint16_t vid)
{
	int i;

	for (i = 0; i < D_FDB_CAP; i++)
		if (m->fdb[i].used && m->fdb[i].vid == vid && !memcmp(m->fdb[i].mac, mac, ETH_ALEN))
			return i;
	return -1;
}

/* entries on @port (-1: any) that are static (1), dynamic (0) or either (-1) */
static unsigned int m_fdb_count(const struct model *m, int port, int is_static)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < D_FDB_CAP; i++) {
		const struct m_fdb_ent *e = &m->fdb[i];

		if (!e->used)
			continue;
		if (port >= 0 && e->port != port)
			continue;
		if (is_static >= 0 && e->is_static != (bool)is_static)
			continue;
		n++;
	}
	return n;
}

static bool m_fdb_valid(const struct model *m, const struct m_fdb_ent *e, uint64_t now)
{
	return e->is_static || now - e->seen < m->ageing;
}

static struct m_fdb_ent *m_fdb_insert(struct model *m, const uint8_t *mac, uint16_t vid,
				      uint16_t port, bool is_static, uint64_t now)
{
	int i;

	for (i = 0; i < D_FDB_CAP; i++) {
		struct m_fdb_ent *e = &m->fdb[i];

		if (e->used)
			continue;
		e->used = true;
		memcpy(e->mac, mac, ETH_ALEN);
		e->vid = vid;
		e->port = port;
		e->is_static = is_static;
		e->seen = now;
		return e;
	}
	fprintf(stderr, "model FDB full: the limits should make this impossible\n");
	abort();
}

static uint16_t m_fdb_lookup(const struct model *m, const uint8_t *mac, uint16_t vid, uint64_t now)
{
	int i = m_fdb_find(m, mac, vid);

	if (i < 0 || !m_fdb_valid(m, &m->fdb[i], now))
		return FDB_PORT_NONE;
	return m->fdb[i].port;
}

static bool m_port_at_limit(const struct model *m, uint16_t port)
{
	uint32_t lim = m->port[port].learn_limit;

	return lim != FDB_NO_LIMIT && m_fdb_count(m, port, 0) >= lim;
}

static enum fdb_learn_result m_fdb_learn(struct model *m, const uint8_t *mac, uint16_t vid,
					 uint16_t port, uint64_t now)
{
	int i = m_fdb_find(m, mac, vid);

	if (i >= 0) {
		struct m_fdb_ent *e = &m->fdb[i];

		if (e->is_static)
			return FDB_LEARN_STATIC;
		if (e->port == port) {
			e->seen = now;
			return FDB_LEARN_REFRESHED;
		}
		if (m_port_at_limit(m, port)) {
			m->refused_port++;
			return FDB_LEARN_REFUSED;
		}
		e->port = port;
		e->seen = now;
		m->moved++;
		return FDB_LEARN_MOVED;
	}
	if (m_fdb_count(m, -1, 0) >= D_MAX_LEARNED) {
		m->refused_bridge++;
		return FDB_LEARN_REFUSED;
	}
	if (m_port_at_limit(m, port)) {
		m->refused_port++;
		return FDB_LEARN_REFUSED;
	}
	m_fdb_insert(m, mac, vid, port, false, now);
	m->learned++;
	return FDB_LEARN_NEW;
}

/* delete entries on @port (-1 any) in @vid (-1 any), static ones only if @with_static */
static unsigned int m_fdb_flush(struct model *m, int port, int vid, bool with_static)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < D_FDB_CAP; i++) {
		struct m_fdb_ent *e = &m->fdb[i];

		if (!e->used || (port >= 0 && e->port != port) || (vid >= 0 && e->vid != vid))
			continue;
		if (e->is_static && !with_static)
			continue;
		e->used = false;
		n++;
	}
	return n;
}

static unsigned int m_fdb_age(struct model *m, uint64_t now)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < D_FDB_CAP; i++) {
		struct m_fdb_ent *e = &m->fdb[i];

		if (e->used && !m_fdb_valid(m, e, now)) {
			e->used = false;
			n++;
		}
	}
	m->aged += n;
	return n;
}

static int m_fdb_add_static(struct model *m, const uint8_t *mac, uint16_t vid, uint16_t port,
			    bool replace, uint64_t now)
{
	int i;

	if (mac_mcast(mac) || mac_zero(mac) || vid > VLAN_VID_MAX || port >= D_MAX_PORTS)
		return -EINVAL;
	i = m_fdb_find(m, mac, vid);
	if (i >= 0 && m->fdb[i].is_static) {
		if (!replace)
			return -EEXIST;
		m->fdb[i].port = port;
		m->fdb[i].seen = now;
		return 0;
	}
	if (m_fdb_count(m, -1, 1) >= D_MAX_STATIC)
		return -ENOSPC;
	if (i >= 0) {
		m->fdb[i].is_static = true;
		m->fdb[i].port = port;
		m->fdb[i].seen = now;
		return 0;
	}
	m_fdb_insert(m, mac, vid, port, true, now);
	return 0;
}

static int m_fdb_del(struct model *m, const uint8_t *mac, uint16_t vid)
{
	int i = m_fdb_find(m, mac, vid);

	if (i < 0)
		return -ENOENT;
	m->fdb[i].used = false;
	return 0;
}

static void m_fdb_stats(const struct model *m, struct fdb_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = m_fdb_count(m, -1, -1);
	st->n_static = m_fdb_count(m, -1, 1);
	st->n_learned = m_fdb_count(m, -1, 0);
	st->learned = m->learned;
	st->moved = m->moved;
	st->refused_bridge_limit = m->refused_bridge;
	st->refused_port_limit = m->refused_port;
	st->aged = m->aged;
}

/* --- ports and VLANs --- */

static void m_init(struct model *m, bool filtering, uint16_t default_pvid, uint64_t ageing)
{
	memset(m, 0, sizeof(*m));
	m->filtering = filtering;
	m->default_pvid = default_pvid;
	m->ageing = ageing;
}

static int m_port_add(struct model *m)
{
	struct m_port *p;
	int i;

	for (i = 0; i < D_MAX_PORTS; i++)
		if (!m->port[i].exists)
			break;
	if (i == D_MAX_PORTS)
		return -ENOSPC;
	p = &m->port[i];
	memset(p, 0, sizeof(*p));
	p->exists = true;
	p->state = BR_STATE_FORWARDING;
	p->flags = BR_PORT_FLAGS_DEFAULT;
	p->mtu = BRIDGE_MTU_DEFAULT;
	p->learn_limit = FDB_NO_LIMIT;
	if (m->default_pvid) {
		p->member[m->default_pvid] = true;
		p->untagged[m->default_pvid] = true;
		p->pvid = m->default_pvid;
	}
	return i;
}

static int m_port_del(struct model *m, uint16_t port)
{
	if (!m_port_ok(m, port))
		return -ENOENT;
	m_fdb_flush(m, port, -1, true);
	m->port[port].exists = false;
	return 0;
}

static int m_set_flags(struct model *m, uint16_t port, uint32_t set, uint32_t clear)
{
	if (!m_port_ok(m, port))
		return -ENOENT;
	if ((set | clear) & ~BR_PORT_FLAGS_ALL)
		return -EINVAL;
	m->port[port].flags = (m->port[port].flags | set) & ~clear;
	return 0;
}

static int m_set_mtu(struct model *m, uint16_t port, uint32_t mtu)
{
	if (!m_port_ok(m, port))
		return -ENOENT;
	if (mtu < BRIDGE_MTU_MIN || mtu > BRIDGE_MTU_MAX)
		return -EINVAL;
	m->port[port].mtu = mtu;
	return 0;
}

static int m_set_state(struct model *m, uint16_t port, unsigned int state)
{
	if (!m_port_ok(m, port))
		return -ENOENT;
	if (state > BR_STATE_BLOCKING)
		return -EINVAL;
	if (state == BR_STATE_DISABLED)
		m_fdb_flush(m, port, -1, false);
	m->port[port].state = (enum bridge_port_state)state;
	return 0;
}

static int m_set_limit(struct model *m, uint16_t port, uint32_t limit)
{
	if (!m_port_ok(m, port))
		return -ENOENT;
	m->port[port].learn_limit = limit;
	return 0;
}

static int m_vlan_add(struct model *m, uint16_t port, uint16_t vid, bool pvid, bool untagged)
{
	struct m_port *p;

	if (!m_port_ok(m, port))
		return -ENOENT;
	if (vid < VLAN_VID_MIN || vid > VLAN_VID_MAX)
		return -EINVAL;
	p = &m->port[port];
	p->member[vid] = true;
	p->untagged[vid] = untagged;
	if (pvid)
		p->pvid = vid;
	else if (p->pvid == vid)
		p->pvid = VLAN_NO_PVID;
	return 0;
}

static int m_vlan_del(struct model *m, uint16_t port, uint16_t vid)
{
	struct m_port *p;

	if (!m_port_ok(m, port))
		return -ENOENT;
	if (vid < VLAN_VID_MIN || vid > VLAN_VID_MAX)
		return -EINVAL;
	p = &m->port[port];
	if (!p->member[vid])
		return -ENOENT;
	p->member[vid] = false;
	p->untagged[vid] = false;
	if (p->pvid == vid)
		p->pvid = VLAN_NO_PVID;
	m_fdb_flush(m, port, vid, false);
	return 0;
}

static int m_vlan_spec(struct model *m, uint16_t port, const struct vlan_spec *s)
{
	struct m_port *p;
	unsigned int i, n_native = 0;

	if (!m_port_ok(m, port))
		return -ENOENT;
	if (!s->n_tags)
		return -EINVAL;
	for (i = 0; i < s->n_tags; i++) {
		if (s->tags[i].id < VLAN_VID_MIN || s->tags[i].id > VLAN_VID_MAX)
			return -EINVAL;
		if (s->tags[i].native_mode != VLAN_NATIVE_NONE)
			n_native++;
	}
	if (n_native > 1)
		return -EINVAL;
	p = &m->port[port];
	memset(p->member, 0, sizeof(p->member));
	memset(p->untagged, 0, sizeof(p->untagged));
	p->pvid = VLAN_NO_PVID;
	if (!s->trunk && s->n_tags == 1) {
		/* access port */
		p->member[s->tags[0].id] = true;
		p->untagged[s->tags[0].id] = true;
		p->pvid = s->tags[0].id;
	} else {
		for (i = 0; i < s->n_tags; i++) {
			uint16_t id = s->tags[i].id;

			p->member[id] = true;
			if (s->tags[i].native_mode == VLAN_NATIVE_UNTAGGED)
				p->untagged[id] = true;
			if (s->tags[i].native_mode != VLAN_NATIVE_NONE)
				p->pvid = id;
		}
	}
	m_fdb_flush(m, port, -1, false);
	return 0;
}

static void m_set_filtering(struct model *m, bool on)
{
	m_fdb_flush(m, -1, -1, false);
	m->filtering = on;
}

/* --- bridge_input() --- */

static uint32_t m_l4_len(const struct pframe *f)
{
	uint8_t g = f->vnet.gso_type & (uint8_t)~VNET_GSO_ECN;

	if (g == VNET_GSO_TCPV4 || g == VNET_GSO_TCPV6)
		return (uint32_t)(f->buf[f->vnet.csum_start + 12] >> 4) * 4;
	return 8;
}

static bool m_is_gso(const struct pframe *f)
{
	return (f->vnet.gso_type & (uint8_t)~VNET_GSO_ECN) != VNET_GSO_NONE;
}

/* step 3 */
static bool m_bad_offload(const struct pframe *f, uint32_t l2)
{
	const struct vnet_meta *v = &f->vnet;
	uint8_t g = v->gso_type & (uint8_t)~VNET_GSO_ECN;
	bool csum = v->flags & VNET_F_NEEDS_CSUM;

	if (g != VNET_GSO_NONE && g != VNET_GSO_TCPV4 && g != VNET_GSO_UDP && g != VNET_GSO_TCPV6 &&
	    g != VNET_GSO_UDP_L4)
		return true;
	if (g != VNET_GSO_NONE && (v->gso_size == 0 || !csum))
		return true;
	if (csum && (v->csum_start < l2 || (uint32_t)v->csum_start + v->csum_offset + 2 > f->len))
		return true;
	if (g == VNET_GSO_TCPV4 || g == VNET_GSO_TCPV6) {
		if ((uint32_t)v->csum_start + 13 > f->len)
			return true;
		if ((f->buf[v->csum_start + 12] >> 4) < 5)
			return true;
	}
	return false;
}

/* L3 length of one GSO segment, with the csum_start and l2 of a given form */
static int64_t m_seg_l3(const struct pframe *f, int64_t csum_start, uint32_t l2)
{
	return csum_start + (int64_t)m_l4_len(f) - (int64_t)l2 + f->vnet.gso_size;
}

static int m_drop(struct model *m, uint16_t port, enum bridge_drop d)
{
	m->port[port].st.drops[d]++;
	return d;
}

static bool m_form_tagged(enum m_form form)
{
	return form == F_KEEP || form == F_PUSH;
}

static int m_form_delta(enum m_form form)
{
	return form == F_PUSH ? VLAN_HLEN : form == F_POP ? -VLAN_HLEN : 0;
}

/* one frame of a burst, steps 1 to 12; returns the verdict */
static int m_input_one(struct model *m, uint16_t in, const struct pframe *f, unsigned int k,
		       uint64_t now, unsigned int *spare_left, struct m_out *mo)
{
	struct m_port *ip = &m->port[in];
	const uint8_t *d = f->buf;
	uint16_t type, vid = 0, tci = 0;
	uint32_t l2, targets = 0, remaining = 0;
	enum m_form form[D_MAX_PORTS];
	bool tagged = false, need_tag = false, need_untag = false;
	int clone = -1;
	unsigned int q;
	uint16_t dst_port;

	ip->st.rx_frames++;
	ip->st.rx_bytes += f->len;

	/* 1-2 */
	if (f->len < ETH_HLEN)
		return m_drop(m, in, BR_DROP_RUNT);
	if (ip->state == BR_STATE_DISABLED)
		return m_drop(m, in, BR_DROP_PORT_STATE);
	type = be16(d + 12);
	l2 = is_tag_type(type) ? 18 : 14;
	/* 3 */
	if (m_bad_offload(f, l2))
		return m_drop(m, in, BR_DROP_BAD_OFFLOAD);
	/* 4 */
	if (f->len > 65535 + 18)
		return m_drop(m, in, BR_DROP_OVERSIZE);
	if (!m_is_gso(f) && f->len > ip->mtu + l2)
		return m_drop(m, in, BR_DROP_OVERSIZE);
	if (m_is_gso(f) && m_seg_l3(f, f->vnet.csum_start, l2) > ip->mtu)
		return m_drop(m, in, BR_DROP_OVERSIZE);
	/* 5 */
	if (mac_mcast(d + 6) || mac_zero(d + 6))
		return m_drop(m, in, BR_DROP_BAD_SOURCE);
	/* 6: with STP off, 01:80:C2:00:00:00 goes on like any frame */
	if (mac_link_local(d) && (d[5] != 0 || m->stp)) {
		ip->st.rx_control++;
		mo->control[mo->n_control++] = (uint8_t)k;
		return V_CONTROL;
	}
	/* 7 */
	if (ip->state == BR_STATE_BLOCKING || ip->state == BR_STATE_LISTENING)
		return m_drop(m, in, BR_DROP_PORT_STATE);
	/* 8 */
	if (m->filtering) {
		bool tunnel = ip->flags & BR_PORT_DOT1Q_TUNNEL;

		if (type == ETH_P_8021AD && !tunnel)
			return m_drop(m, in, BR_DROP_QINQ);
		if (type == ETH_P_8021Q && !tunnel) {
			if (f->len < 18)
				return m_drop(m, in, BR_DROP_RUNT);
			tci = be16(d + 14);
			vid = tci & VLAN_VID_MASK;
			if (vid == 0) {
				if (!ip->pvid)
					return m_drop(m, in, BR_DROP_NO_PVID);
				vid = ip->pvid;
				tci = (uint16_t)((tci & ~VLAN_VID_MASK) | vid);
			} else if (vid == 4095) {
				return m_drop(m, in, BR_DROP_RESERVED_VID);
			} else if (!ip->member[vid]) {
				return m_drop(m, in, BR_DROP_INGRESS_FILTER);
			}
			tagged = true;
		} else {
			if (!ip->pvid)
				return m_drop(m, in, BR_DROP_NO_PVID);
			vid = ip->pvid;
			tci = vid;
		}
	}
	mo->vid[k] = vid;
	mo->tci[k] = tci;
	/* 9 */
	if ((ip->flags & BR_PORT_LEARNING) &&
	    (ip->state == BR_STATE_LEARNING || ip->state == BR_STATE_FORWARDING)) {
		if (m_fdb_learn(m, d + 6, vid, in, now) == FDB_LEARN_REFUSED)
			ip->st.learn_refused++;
	}
	/* 10 */
	if (ip->state == BR_STATE_LEARNING)
		return m_drop(m, in, BR_DROP_PORT_STATE);
	/* 11 */
	dst_port = mac_mcast(d) ? FDB_PORT_NONE : m_fdb_lookup(m, d, vid, now);
	if (dst_port != FDB_PORT_NONE) {
		struct m_port *dp = &m->port[dst_port];

		if (!dp->exists) {
			fprintf(stderr, "model: FDB entry to a missing port\n");
			abort();
		}
		if (dst_port == in && !(ip->flags & BR_PORT_HAIRPIN))
			return m_drop(m, in, BR_DROP_SAME_PORT);
		if (dp->state != BR_STATE_FORWARDING)
			return m_drop(m, in, BR_DROP_EGRESS_STATE);
		if (m->filtering && !dp->member[vid])
			return m_drop(m, in, BR_DROP_EGRESS_FILTER);
		if ((ip->flags & BR_PORT_ISOLATED) && (dp->flags & BR_PORT_ISOLATED))
			return m_drop(m, in, BR_DROP_ISOLATED);
		targets = 1u << dst_port;
	} else {
		uint32_t need = mac_bcast(d)   ? BR_PORT_BCAST_FLOOD
				: mac_mcast(d) ? BR_PORT_MCAST_FLOOD
					       : BR_PORT_FLOOD;

		for (q = 0; q < D_MAX_PORTS; q++) {
			struct m_port *qp = &m->port[q];

			if (!qp->exists)
				continue;
			if (q == in && !(qp->flags & BR_PORT_HAIRPIN))
				continue;
			if (qp->state != BR_STATE_FORWARDING)
				continue;
			if (m->filtering && !qp->member[vid])
				continue;
			if ((ip->flags & BR_PORT_ISOLATED) && (qp->flags & BR_PORT_ISOLATED))
				continue;
			if (!(qp->flags & need))
				continue;
			targets |= 1u << q;
		}
		if (!targets)
			return m_drop(m, in, BR_DROP_NO_DEST);
	}
	/* 12: the form per target and tx-oversize */
	for (q = 0; q < D_MAX_PORTS; q++) {
		uint32_t out_len, out_l2;
		uint16_t out_type;
		bool over;

		if (!(targets & (1u << q)))
			continue;
		if (!m->filtering)
			form[q] = F_ASIS;
		else if (m->port[q].untagged[vid])
			form[q] = tagged ? F_POP : F_ASIS;
		else
			form[q] = tagged ? F_KEEP : F_PUSH;
		out_len = (uint32_t)((int64_t)f->len + m_form_delta(form[q]));
		if (form[q] == F_PUSH || form[q] == F_KEEP)
			out_type = ETH_P_8021Q;
		else if (form[q] == F_POP)
			out_type = be16(d + 16);
		else
			out_type = type;
		out_l2 = is_tag_type(out_type) ? 18 : 14;
		/* a tag pushed onto a tag (a dot1q-tunnel port's frame): both are headers */
		if (form[q] == F_PUSH && is_tag_type(type))
			out_l2 = 22;
		if (m_is_gso(f))
			over = m_seg_l3(f, (int64_t)f->vnet.csum_start + m_form_delta(form[q]),
					out_l2) > m->port[q].mtu;
		else
			over = out_len > m->port[q].mtu + out_l2;
		if (over) {
			m->port[q].st.drops[BR_DROP_TX_OVERSIZE]++;
			mo->txover[k] |= 1u << q;
			continue;
		}
		remaining |= 1u << q;
		if (m_form_tagged(form[q]))
			need_tag = true;
		else
			need_untag = true;
	}
	if (!remaining)
		return V_ALL_TXOVER;
	if (need_tag && need_untag) {
		if (!*spare_left)
			return m_drop(m, in, BR_DROP_NO_BUFFER);
		(*spare_left)--;
		clone = mo->n_clones++;
	} else if (need_tag && !tagged && f->headroom < VLAN_HLEN) {
		return m_drop(m, in, BR_DROP_NO_HEADROOM);
	}
	for (q = 0; q < D_MAX_PORTS; q++) {
		struct m_txent *e;

		if (!(remaining & (1u << q)))
			continue;
		if (!mo->n_tx[q])
			mo->active[mo->n_active++] = (uint16_t)q;
		e = &mo->tx[q][mo->n_tx[q]++];
		e->frame = (uint8_t)k;
		e->form = (uint8_t)form[q];
		e->clone = (int8_t)(clone >= 0 && m_form_tagged(form[q]) ? clone : -1);
		if (e->clone >= 0)
			mo->clone_refs[clone]++;
		else
			mo->refs[k]++;
		m->port[q].st.tx_frames++;
		m->port[q].st.tx_bytes += (uint64_t)((int64_t)f->len + m_form_delta(form[q]));
	}
	mo->sent_to[k] = remaining;
	return V_FWD;
}

static void m_input(struct model *m, uint16_t in, const struct pframe *f, unsigned int n,
		    uint64_t now, unsigned int n_spare, struct m_out *mo)
{
	unsigned int k;

	memset(mo, 0, sizeof(*mo));
	for (k = 0; k < n; k++)
		mo->verdict[k] = m_input_one(m, in, &f[k], k, now, &n_spare, mo);
}

/* ---------------------------------------------------------------------------------------- */
/* the run: PRNG, core and model side by side                                               */

struct run {
	uint64_t seed;
	bool filtering0;
	unsigned long step;
	unsigned long steps;
	uint64_t rng;
	unsigned long verbose;
	char op[600];
	struct bridge *br;
	struct bridge_out *out;
	struct model m;
	uint64_t now;
	/* the current burst */
	bool in_burst;
	uint16_t in_port;
	unsigned int n;
	unsigned int n_spare;
	struct pframe pf[BRIDGE_BURST_MAX];
	struct frame fr[BRIDGE_BURST_MAX];
	struct frame *fp[BRIDGE_BURST_MAX];
	uint8_t *inbuf[BRIDGE_BURST_MAX];
	struct frame sp[BRIDGE_BURST_MAX];
	uint8_t *spbuf[BRIDGE_BURST_MAX];
	struct m_out mo;
	uint8_t *scratch;
	/* coverage, printed with KVNET_DIFF_VERBOSE */
	uint64_t cov_verdict[V_ALL_TXOVER + 1];
	uint64_t cov_form[4];
	uint64_t cov_clones, cov_frames;
};

static struct run *R;

static const char *const drop_names[BR_DROP__MAX] = {
	[BR_DROP_RUNT] = "runt",
	[BR_DROP_PORT_STATE] = "port-state",
	[BR_DROP_BAD_OFFLOAD] = "bad-offload",
	[BR_DROP_OVERSIZE] = "oversize",
	[BR_DROP_BAD_SOURCE] = "bad-source",
	[BR_DROP_QINQ] = "qinq",
	[BR_DROP_NO_PVID] = "no-pvid",
	[BR_DROP_RESERVED_VID] = "reserved-vid",
	[BR_DROP_INGRESS_FILTER] = "ingress-filter",
	[BR_DROP_SAME_PORT] = "same-port",
	[BR_DROP_EGRESS_FILTER] = "egress-filter",
	[BR_DROP_EGRESS_STATE] = "egress-state",
	[BR_DROP_ISOLATED] = "isolated",
	[BR_DROP_NO_DEST] = "no-dest",
	[BR_DROP_NO_BUFFER] = "no-buffer",
	[BR_DROP_NO_HEADROOM] = "no-headroom",
	[BR_DROP_TX_OVERSIZE] = "tx-oversize",
};

static const char *const form_names[] = { "as-is", "keep-tag", "push", "pop" };

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* xorshift64* */
static uint64_t rnd(struct run *r)
{
	uint64_t x = r->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(struct run *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * n) >> 32);
}

static bool chance(struct run *r, unsigned int percent)
{
	return rnd_below(r, 100) < percent;
}

static char *fmt_mac(const uint8_t *m, char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static void fmt_verdict(const struct m_out *mo, unsigned int k, char *buf, size_t size)
{
	int v = mo->verdict[k];
	size_t o;
	unsigned int q;

	if (v < BR_DROP__MAX) {
		snprintf(buf, size, "drop %s", drop_names[v]);
	} else if (v == V_CONTROL) {
		snprintf(buf, size, "control");
	} else if (v == V_ALL_TXOVER) {
		snprintf(buf, size, "tx-oversize on all targets 0x%x", mo->txover[k]);
	} else {
		o = (size_t)snprintf(buf, size, "vid %u sent to", mo->vid[k]);
		for (q = 0; q < D_MAX_PORTS && o < size; q++)
			if (mo->sent_to[k] & (1u << q))
				o += (size_t)snprintf(buf + o, size - o, " %u", q);
		if (mo->txover[k] && o < size)
			snprintf(buf + o, size - o, " (tx-oversize 0x%x)", mo->txover[k]);
	}
}

static void dump_frame(const struct run *r, unsigned int k)
{
	const struct pframe *f = &r->pf[k];
	char line[400], v[160];
	size_t o;
	uint32_t i;

	o = (size_t)snprintf(line, sizeof(line),
			     "  f%u len %u headroom %u vnet{fl %u gso %#x hl %u gs %u cs %u "
			     "co %u} [",
			     k, f->len, f->headroom, f->vnet.flags, f->vnet.gso_type,
			     f->vnet.hdr_len, f->vnet.gso_size, f->vnet.csum_start,
			     f->vnet.csum_offset);
	for (i = 0; i < f->len && i < 26 && o < sizeof(line); i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%02x",
				      i == 6 || i == 12 ? " " : "", f->buf[i]);
	fmt_verdict(&r->mo, k, v, sizeof(v));
	print_error("%s%s] model: %s\n", line, f->len > 26 ? " ..." : "", v);
}

/* report the first disagreement and stop the test */
__attribute__((format(printf, 2, 3))) static void diff_fail(struct run *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	unsigned int k, p;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->in_burst) {
		print_error("burst on port %u, %u frames, %u spares; the model's verdicts:\n",
			    r->in_port, r->n, r->n_spare);
		for (k = 0; k < r->n; k++)
			dump_frame(r, k);
	}
	print_error("ports:");
	for (p = 0; p < D_MAX_PORTS; p++) {
		const struct m_port *mp = &r->m.port[p];

		if (mp->exists)
			print_error(" %u{st %d fl %#x mtu %u pvid %u lim %u}", p, mp->state,
				    mp->flags, mp->mtu, mp->pvid, mp->learn_limit);
	}
	print_error("\n");
	print_error("DIFFERENTIAL MISMATCH: seed %" PRIu64 ", bridge created %s, step %lu, "
		    "op: %s\n  %s\n  replay: KVNET_DIFF_SEED=%" PRIu64 " KVNET_DIFF_STEPS=%lu\n",
		    r->seed, r->filtering0 ? "filtering" : "non-filtering", r->step, r->op, msg,
		    r->seed, r->step + 1);
	fail();
}

static void check_rc(struct run *r, const char *what, long core, long model)
{
	size_t o = strlen(r->op);

	if (core != model)
		diff_fail(r, "%s returned %ld, model says %ld", what, core, model);
	snprintf(r->op + o, sizeof(r->op) - o, " = %ld", core);
}

/* --- comparisons --- */

static void check_port_stats(struct run *r, uint16_t p)
{
	const struct bridge_port_stats *c = bridge_port_stats(r->br, p);
	const struct bridge_port_stats *s = &r->m.port[p].st;
	unsigned int i;

#define CMP_STAT(field)                                                                            \
	do {                                                                                       \
		if (c->field != s->field)                                                          \
			diff_fail(r, "port %u stats " #field ": core %" PRIu64 ", model %" PRIu64, \
				  p, c->field, s->field);                                          \
	} while (0)
	CMP_STAT(rx_frames);
	CMP_STAT(rx_bytes);
	CMP_STAT(tx_frames);
	CMP_STAT(tx_bytes);
	CMP_STAT(rx_control);
	CMP_STAT(learn_refused);
#undef CMP_STAT
	for (i = 0; i < BR_DROP__MAX; i++)
		if (c->drops[i] != s->drops[i])
			diff_fail(r, "port %u drops[%s]: core %" PRIu64 ", model %" PRIu64, p,
				  drop_names[i], c->drops[i], s->drops[i]);
}

/* counters: every port's stats, the FDB's stats and learned count per port */
static void check_counters(struct run *r)
{
	const struct fdb *fdb = bridge_fdb_const(r->br);
	struct fdb_stats c, s;
	uint16_t p;

	for (p = 0; p < D_MAX_PORTS + 2; p++) {
		bool e = p < D_MAX_PORTS && r->m.port[p].exists;

		if (bridge_port_exists(r->br, p) != e)
			diff_fail(r, "bridge_port_exists(%u): core %d, model %d", p,
				  bridge_port_exists(r->br, p), e);
		if (e)
			check_port_stats(r, p);
	}
	fdb_get_stats(fdb, &c);
	m_fdb_stats(&r->m, &s);
#define CMP_FST(field)                                                                             \
	do {                                                                                       \
		if (c.field != s.field)                                                            \
			diff_fail(r, "fdb_stats " #field ": core %" PRIu64 ", model %" PRIu64,     \
				  c.field, s.field);                                               \
	} while (0)
	CMP_FST(size);
	CMP_FST(n_static);
	CMP_FST(n_learned);
	CMP_FST(learned);
	CMP_FST(moved);
	CMP_FST(refused_bridge_limit);
	CMP_FST(refused_port_limit);
	CMP_FST(aged);
#undef CMP_FST
	for (p = 0; p < D_MAX_PORTS; p++) {
		uint32_t cl = fdb_port_learned(fdb, p), ml = m_fdb_count(&r->m, p, 0);

		if (cl != ml)
			diff_fail(r, "fdb_port_learned(%u): core %u, model %u", p, cl, ml);
	}
}

static int cmp_entry(const void *a, const void *b)
{
	const struct fdb_entry *x = a, *y = b;

	if (x->vid != y->vid)
		return x->vid < y->vid ? -1 : 1;
	return memcmp(x->mac, y->mac, ETH_ALEN);
}

static const uint8_t mac_pool[D_NMAC][ETH_ALEN] = {
	{ 0x02, 0, 0, 0, 0, 0x01 },	     { 0x02, 0, 0, 0, 0, 0x02 },
	{ 0x02, 0, 0, 0, 0, 0x03 },	     { 0x02, 0, 0, 0, 0, 0x04 },
	{ 0x52, 0x54, 0, 0x12, 0x34, 0x05 }, { 0x52, 0x54, 0, 0x12, 0x34, 0x06 },
	{ 0x00, 0x16, 0x3e, 0, 0, 0x07 },    { 0x00, 0x16, 0x3e, 0, 0, 0x08 },
	{ 0x00, 0, 0, 0, 0, 0x09 },	     { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xfe },
};

/* VIDs used for configuration, frames and FDB keys */
static const uint16_t cfg_vids[] = { 1, 2, 3, 10, 100, 4094 };
static const uint16_t frame_vids[] = { 0, 1, 2, 3, 10, 100, 4094, 4095, 5 };

/* the whole FDB, VLAN membership, port settings and lookups */
static void check_full(struct run *r)
{
	const struct fdb *fdb = bridge_fdb_const(r->br);
	struct fdb_entry ce[D_FDB_CAP + 1], me[D_FDB_CAP];
	unsigned int nc = 0, nm = 0, i, j;
	size_t cursor = 0;
	char b1[18];
	uint16_t p, vid;

	check_counters(r);
	if (bridge_stp(r->br) != r->m.stp)
		diff_fail(r, "bridge_stp: core %d, model %d", bridge_stp(r->br), r->m.stp);
	if (bridge_vlan_filtering(r->br) != r->m.filtering)
		diff_fail(r, "bridge_vlan_filtering: core %d, model %d",
			  bridge_vlan_filtering(r->br), r->m.filtering);
	if (bridge_max_ports(r->br) != D_MAX_PORTS)
		diff_fail(r, "bridge_max_ports: %u", bridge_max_ports(r->br));
	if (fdb_ageing(fdb) != r->m.ageing)
		diff_fail(r, "fdb_ageing: core %" PRIu64 ", model %" PRIu64, fdb_ageing(fdb),
			  r->m.ageing);
	while (fdb_next(fdb, &cursor, &ce[nc])) {
		if (++nc > D_FDB_CAP)
			diff_fail(r, "fdb_next: more than %u entries", D_FDB_CAP);
	}
	for (i = 0; i < D_FDB_CAP; i++) {
		const struct m_fdb_ent *e = &r->m.fdb[i];

		if (!e->used)
			continue;
		memset(&me[nm], 0, sizeof(me[nm]));
		memcpy(me[nm].mac, e->mac, ETH_ALEN);
		me[nm].vid = e->vid;
		me[nm].port = e->port;
		me[nm].is_static = e->is_static;
		me[nm].seen = e->seen;
		nm++;
	}
	qsort(ce, nc, sizeof(ce[0]), cmp_entry);
	qsort(me, nm, sizeof(me[0]), cmp_entry);
	for (i = 0, j = 0; i < nc || j < nm;) {
		int c = i == nc ? 1 : j == nm ? -1 : cmp_entry(&ce[i], &me[j]);

		if (c < 0)
			diff_fail(r, "FDB: core has %s vid %u port %u%s, model has no such entry",
				  fmt_mac(ce[i].mac, b1), ce[i].vid, ce[i].port,
				  ce[i].is_static ? " static" : "");
		if (c > 0)
			diff_fail(r, "FDB: model has %s vid %u port %u%s, core has no such entry",
				  fmt_mac(me[j].mac, b1), me[j].vid, me[j].port,
				  me[j].is_static ? " static" : "");
		if (ce[i].port != me[j].port || ce[i].is_static != me[j].is_static ||
		    (!me[j].is_static && ce[i].seen != me[j].seen))
			diff_fail(r,
				  "FDB %s vid %u: core port %u static %d seen %" PRIu64
				  ", model port %u static %d seen %" PRIu64,
				  fmt_mac(me[j].mac, b1), me[j].vid, ce[i].port, ce[i].is_static,
				  ce[i].seen, me[j].port, me[j].is_static, me[j].seen);
		i++;
		j++;
	}
	for (i = 0; i < D_NMAC; i++) {
		for (j = 0; j <= ARRAY_SIZE(cfg_vids); j++) {
			uint16_t cp, mp;

			vid = j < ARRAY_SIZE(cfg_vids) ? cfg_vids[j] : 0;
			cp = fdb_lookup(fdb, mac_pool[i], vid, r->now);
			mp = m_fdb_lookup(&r->m, mac_pool[i], vid, r->now);
			if (cp != mp)
				diff_fail(r, "fdb_lookup(%s, vid %u): core %u, model %u",
					  fmt_mac(mac_pool[i], b1), vid, cp, mp);
		}
	}
	for (p = 0; p < D_MAX_PORTS; p++) {
		const struct m_port *mp = &r->m.port[p];
		const struct vlan_port *v;
		unsigned int n_members = 0;

		if (!mp->exists)
			continue;
		if (bridge_port_flags(r->br, p) != mp->flags)
			diff_fail(r, "port %u flags: core %#x, model %#x", p,
				  bridge_port_flags(r->br, p), mp->flags);
		if (bridge_port_mtu(r->br, p) != mp->mtu)
			diff_fail(r, "port %u mtu: core %u, model %u", p, bridge_port_mtu(r->br, p),
				  mp->mtu);
		if (bridge_port_state(r->br, p) != mp->state)
			diff_fail(r, "port %u state: core %d, model %d", p,
				  bridge_port_state(r->br, p), mp->state);
		v = bridge_port_vlan(r->br, p);
		if (v->pvid != mp->pvid)
			diff_fail(r, "port %u pvid: core %u, model %u", p, v->pvid, mp->pvid);
		for (vid = 0; vid < VLAN_N_VID; vid++) {
			if (vlan_is_member(v, vid) != mp->member[vid])
				diff_fail(r, "port %u vid %u member: core %d, model %d", p, vid,
					  vlan_is_member(v, vid), mp->member[vid]);
			if (mp->member[vid] && vlan_is_untagged(v, vid) != mp->untagged[vid])
				diff_fail(r, "port %u vid %u untagged: core %d, model %d", p, vid,
					  vlan_is_untagged(v, vid), mp->untagged[vid]);
			n_members += mp->member[vid];
		}
		if (v->n_members != n_members)
			diff_fail(r, "port %u n_members: core %u, model %u", p, v->n_members,
				  n_members);
	}
}

/* expected bytes of frame @k in @form into r->scratch; returns the length */
static uint32_t expected_bytes(struct run *r, unsigned int k, enum m_form form)
{
	const struct pframe *f = &r->pf[k];
	uint8_t *x = r->scratch;
	uint16_t tci = r->mo.tci[k];

	switch (form) {
	case F_ASIS:
		memcpy(x, f->buf, f->len);
		return f->len;
	case F_KEEP:
		memcpy(x, f->buf, f->len);
		x[14] = (uint8_t)(tci >> 8);
		x[15] = (uint8_t)tci;
		return f->len;
	case F_PUSH:
		memcpy(x, f->buf, 12);
		x[12] = ETH_P_8021Q >> 8;
		x[13] = ETH_P_8021Q & 0xff;
		x[14] = (uint8_t)(tci >> 8);
		x[15] = (uint8_t)tci;
		memcpy(x + 16, f->buf + 12, f->len - 12);
		return f->len + 4;
	case F_POP:
		memcpy(x, f->buf, 12);
		memcpy(x + 12, f->buf + 16, f->len - 16);
		return f->len - 4;
	}
	return 0;
}

static void check_tx_frame(struct run *r, uint16_t q, unsigned int i, const struct m_txent *e,
			   const struct frame *got)
{
	const struct pframe *f = &r->pf[e->frame];
	struct vnet_meta v = f->vnet;
	int delta = m_form_delta((enum m_form)e->form);
	uint32_t len = expected_bytes(r, e->frame, (enum m_form)e->form), o;
	const char *what = e->clone >= 0 ? "copy" : "frame";

	if (got->len != len)
		diff_fail(r, "tx[%u][%u] (f%u %s, %s): len %u, model %u", q, i, e->frame, what,
			  form_names[e->form], got->len, len);
	if (memcmp(got->data, r->scratch, len)) {
		for (o = 0; o < len && got->data[o] == r->scratch[o]; o++)
			;
		diff_fail(r, "tx[%u][%u] (f%u %s, %s): byte %u is %02x, model %02x", q, i, e->frame,
			  what, form_names[e->form], o, got->data[o], r->scratch[o]);
	}
	if (v.flags & VNET_F_NEEDS_CSUM)
		v.csum_start = (uint16_t)(v.csum_start + delta);
	if (v.hdr_len)
		v.hdr_len = (uint16_t)(v.hdr_len + delta);
	if (got->vnet.flags != v.flags || got->vnet.gso_type != v.gso_type ||
	    got->vnet.hdr_len != v.hdr_len || got->vnet.gso_size != v.gso_size ||
	    got->vnet.csum_start != v.csum_start || got->vnet.csum_offset != v.csum_offset)
		diff_fail(r,
			  "tx[%u][%u] (f%u %s, %s): vnet {fl %u gso %#x hl %u gs %u cs %u "
			  "co %u}, model {fl %u gso %#x hl %u gs %u cs %u co %u}",
			  q, i, e->frame, what, form_names[e->form], got->vnet.flags,
			  got->vnet.gso_type, got->vnet.hdr_len, got->vnet.gso_size,
			  got->vnet.csum_start, got->vnet.csum_offset, v.flags, v.gso_type,
			  v.hdr_len, v.gso_size, v.csum_start, v.csum_offset);
	if (e->clone < 0 && got->port != r->in_port)
		diff_fail(r, "tx[%u][%u] (f%u): frame->port %u, ingress port %u", q, i, e->frame,
			  got->port, r->in_port);
}

/* the output of a burst against the model's, list by list and frame by frame */
static void check_burst(struct run *r)
{
	const struct bridge_out *out = r->out;
	const struct m_out *mo = &r->mo;
	unsigned int i, k;
	uint16_t q;

	if (out->n_control != mo->n_control)
		diff_fail(r, "n_control: core %u, model %u", out->n_control, mo->n_control);
	for (i = 0; i < mo->n_control; i++) {
		const struct frame *c = out->control[i];

		k = mo->control[i];
		if (c != r->fp[k])
			diff_fail(r, "control[%u] is not f%u", i, k);
		if (c->port != r->in_port)
			diff_fail(r, "control[%u] (f%u): frame->port %u, ingress port %u", i, k,
				  c->port, r->in_port);
		if (c->len != r->pf[k].len || memcmp(c->data, r->pf[k].buf, c->len))
			diff_fail(r, "control[%u] (f%u): frame changed", i, k);
	}
	if (out->n_clones != mo->n_clones)
		diff_fail(r, "n_clones: core %u, model %u", out->n_clones, mo->n_clones);
	for (i = 0; i < mo->n_clones; i++)
		if (out->clones[i] != &r->sp[r->n_spare - 1 - i])
			diff_fail(r, "clones[%u] is not spare[%u] (spares are taken from the end)",
				  i, r->n_spare - 1 - i);
	if (out->n_spare != r->n_spare - mo->n_clones)
		diff_fail(r, "n_spare after: core %u, model %u", out->n_spare,
			  r->n_spare - mo->n_clones);
	for (q = 0; q < D_MAX_PORTS; q++) {
		const struct bridge_tx *tx = &out->tx[q];

		if (tx->n != mo->n_tx[q]) {
			char list[BRIDGE_BURST_MAX * 8] = "";
			size_t o = 0;

			for (i = 0; i < tx->n && i < BRIDGE_BURST_MAX; i++) {
				const struct frame *g = tx->frames[i];
				int idx = -1;

				for (k = 0; k < r->n; k++)
					if (g == r->fp[k])
						idx = (int)k;
				o += (size_t)snprintf(list + o, sizeof(list) - o, " %s%d",
						      idx < 0 ? "copy/" : "f", idx);
				if (o >= sizeof(list))
					break;
			}
			diff_fail(r, "tx[%u].n: core %u, model %u; core list:%s", q, tx->n,
				  mo->n_tx[q], list);
		}
		for (i = 0; i < mo->n_tx[q]; i++) {
			const struct m_txent *e = &mo->tx[q][i];
			const struct frame *want = e->clone >= 0 ? &r->sp[r->n_spare - 1 - e->clone]
								 : r->fp[e->frame];

			if (tx->frames[i] != want)
				diff_fail(r, "tx[%u][%u]: not the expected %s of f%u (%s)", q, i,
					  e->clone >= 0 ? "copy" : "frame", e->frame,
					  form_names[e->form]);
			check_tx_frame(r, q, i, e, tx->frames[i]);
		}
	}
	if (out->n_active != mo->n_active)
		diff_fail(r, "n_active: core %u, model %u", out->n_active, mo->n_active);
	for (i = 0; i < mo->n_active; i++)
		if (out->active[i] != mo->active[i])
			diff_fail(r, "active[%u]: core %u, model %u", i, out->active[i],
				  mo->active[i]);
	for (k = 0; k < r->n; k++)
		if (mo->verdict[k] != V_CONTROL && r->fr[k].refs != mo->refs[k])
			diff_fail(r, "f%u refs: core %u, model %u", k, r->fr[k].refs, mo->refs[k]);
	for (i = 0; i < mo->n_clones; i++)
		if (r->sp[r->n_spare - 1 - i].refs != mo->clone_refs[i])
			diff_fail(r, "clone %u refs: core %u, model %u", i,
				  r->sp[r->n_spare - 1 - i].refs, mo->clone_refs[i]);
}

/* ---------------------------------------------------------------------------------------- */
/* generation                                                                               */

static const uint32_t mtus[] = { 68, 100, 576, 1496, 1500, 1500, 1500, 1504, 9000, 65535 };

static int pick_port(struct run *r)
{
	unsigned int cand[D_MAX_PORTS], n = 0, p;

	for (p = 0; p < D_MAX_PORTS; p++)
		if (r->m.port[p].exists)
			cand[n++] = p;
	return n ? (int)cand[rnd_below(r, n)] : -1;
}

static unsigned int n_ports(const struct run *r)
{
	unsigned int p, n = 0;

	for (p = 0; p < D_MAX_PORTS; p++)
		n += r->m.port[p].exists;
	return n;
}

/* an existing port mostly; now and then one that does not exist (maybe out of range) */
static uint16_t pick_port_or_bad(struct run *r)
{
	int p = pick_port(r);

	if (p < 0 || chance(r, 4)) {
		static const uint16_t odd[] = { 15, 16, 17, 1023, 0xffff };

		if (chance(r, 60))
			return (uint16_t)rnd_below(r, D_MAX_PORTS);
		return odd[rnd_below(r, ARRAY_SIZE(odd))];
	}
	return (uint16_t)p;
}

static uint16_t pick_cfg_vid(struct run *r)
{
	return cfg_vids[rnd_below(r, ARRAY_SIZE(cfg_vids))];
}

static uint16_t pick_bad_vid(struct run *r)
{
	static const uint16_t bad[] = { 0, 4095, 4096, 5000, 0xffff };

	return bad[rnd_below(r, ARRAY_SIZE(bad))];
}

static uint32_t pick_port_mtu(struct run *r)
{
	int p = pick_port(r);

	return p < 0 ? BRIDGE_MTU_DEFAULT : r->m.port[p].mtu;
}

static void pick_dst(struct run *r, uint8_t *mac)
{
	static const uint8_t bc[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mc[][ETH_ALEN] = {
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x10 }, { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x21 },
		{ 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 },
	};
	uint32_t c = rnd_below(r, 100);

	if (c < 64) {
		memcpy(mac, mac_pool[rnd_below(r, D_NMAC)], ETH_ALEN);
	} else if (c < 76) {
		memcpy(mac, bc, ETH_ALEN);
	} else if (c < 86) {
		memcpy(mac, mc[rnd_below(r, ARRAY_SIZE(mc))], ETH_ALEN);
	} else if (c < 92) {
		static const uint8_t ll[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0, 0, 0 };

		memcpy(mac, ll, ETH_ALEN);
		mac[5] = (uint8_t)rnd_below(r, 16);
	} else if (c < 95) {
		memset(mac, 0, ETH_ALEN);
	} else {
		mac[0] = 0x0a;
		mac[1] = 0xbb;
		mac[2] = 0;
		mac[3] = 0;
		mac[4] = 0;
		mac[5] = (uint8_t)rnd_below(r, 4);
	}
}

static void pick_src(struct run *r, uint16_t in, uint8_t *mac)
{
	uint32_t c = rnd_below(r, 100);

	if (c < 50) {
		/* stations mostly stay on "their" port */
		memcpy(mac, mac_pool[(in + (c & 1) * 5) % D_NMAC], ETH_ALEN);
	} else if (c < 92) {
		memcpy(mac, mac_pool[rnd_below(r, D_NMAC)], ETH_ALEN);
	} else if (c < 95) {
		static const uint8_t mc[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x05 };

		memcpy(mac, mc, ETH_ALEN);
		if (chance(r, 30))
			memset(mac, 0xff, ETH_ALEN);
	} else if (c < 97) {
		memset(mac, 0, ETH_ALEN);
	} else {
		mac[0] = 0x0a;
		mac[1] = 0xcc;
		mac[2] = 0;
		mac[3] = 0;
		mac[4] = 0;
		mac[5] = (uint8_t)rnd_below(r, 64);
	}
}

/* a VID for a tagged frame on @in: often one the port is a member of */
static uint16_t pick_frame_vid(struct run *r, uint16_t in)
{
	uint16_t cand[ARRAY_SIZE(cfg_vids)];
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(cfg_vids); i++)
		if (r->m.port[in].member[cfg_vids[i]])
			cand[n++] = cfg_vids[i];
	if (n && chance(r, 60))
		return cand[rnd_below(r, n)];
	return frame_vids[rnd_below(r, ARRAY_SIZE(frame_vids))];
}

static uint16_t pick_gso_size(struct run *r, uint32_t base)
{
	uint32_t mtu = pick_port_mtu(r), c = rnd_below(r, 10);
	int64_t g;

	if (c < 5)
		g = (int64_t)mtu - base + (int64_t)rnd_below(r, 7) - 3;
	else if (c < 7)
		g = 1448;
	else
		g = 1 + rnd_below(r, 9000);
	if (g < 1)
		g = 1;
	if (g > 0xffff)
		g = 0xffff;
	return (uint16_t)g;
}

/*
 * Offload metadata for a frame with outer header length @l2; may raise *len. Sets *doff_at
 * to the offset of a TCP data offset byte to write (or -1) and *doff to its value.
 */
static void gen_meta(struct run *r, struct pframe *f, uint32_t l2, uint32_t *len, int *doff_at,
		     uint8_t *doff)
{
	struct vnet_meta *v = &f->vnet;
	uint32_t c = rnd_below(r, 14), cs, l4, need;
	bool tcp = false;

	memset(v, 0, sizeof(*v));
	*doff_at = -1;
	switch (c) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 9:
	case 10: /* TCP GSO, valid or broken */
		tcp = true;
		v->gso_type = chance(r, 50) ? VNET_GSO_TCPV4 : VNET_GSO_TCPV6;
		cs = l2 + (v->gso_type == VNET_GSO_TCPV4 ? 20 : 40);
		l4 = 4 * (5 + rnd_below(r, 11));
		*doff = (uint8_t)((l4 / 4) << 4 | rnd_below(r, 16));
		v->csum_offset = 16;
		break;
	case 4:
	case 5:
	case 11: /* UDP GSO */
		v->gso_type = chance(r, 50) ? VNET_GSO_UDP : VNET_GSO_UDP_L4;
		cs = l2 + 20;
		l4 = 8;
		v->csum_offset = 6;
		break;
	case 6:
	case 7: /* checksum offload only */
		v->flags = VNET_F_NEEDS_CSUM | (chance(r, 20) ? VNET_F_DATA_VALID : 0);
		v->csum_start = (uint16_t)(l2 - 2 + rnd_below(r, 60));
		v->csum_offset = (uint16_t)(chance(r, 50) ? 16 : rnd_below(r, 40));
		if (chance(r, 30))
			v->hdr_len = (uint16_t)(v->csum_start + 20);
		if (chance(r, 70) && *len < (uint32_t)v->csum_start + v->csum_offset + 2)
			*len = (uint32_t)v->csum_start + v->csum_offset + 2 + rnd_below(r, 100);
		if (chance(r, 5))
			v->csum_offset = 0xfff0;
		return;
	case 12: /* ECN bit alone: not GSO */
		v->gso_type = VNET_GSO_ECN;
		v->flags = chance(r, 50) ? VNET_F_NEEDS_CSUM : 0;
		v->csum_start = (uint16_t)(chance(r, 70) ? l2 + 20 : rnd_below(r, 100));
		v->csum_offset = (uint16_t)(chance(r, 50) ? 16 : 6);
		v->gso_size = (uint16_t)(chance(r, 50) ? 0 : 1 + rnd_below(r, 2000));
		if (*len < (uint32_t)v->csum_start + v->csum_offset + 2 && chance(r, 80))
			*len = (uint32_t)v->csum_start + v->csum_offset + 2 + rnd_below(r, 100);
		return;
	case 8: /* garbage, no flags */
	default:
		v->flags = chance(r, 50) ? VNET_F_DATA_VALID : 0;
		v->csum_start = (uint16_t)rnd(r);
		v->csum_offset = (uint16_t)rnd(r);
		v->hdr_len = (uint16_t)(chance(r, 50) ? 0 : 18 + rnd_below(r, 2000));
		v->gso_size = (uint16_t)(chance(r, 70) ? 0 : rnd(r));
		return;
	}
	/* GSO */
	v->flags = VNET_F_NEEDS_CSUM | (chance(r, 20) ? VNET_F_DATA_VALID : 0);
	if (chance(r, 10))
		v->gso_type |= VNET_GSO_ECN;
	v->csum_start = (uint16_t)cs;
	v->gso_size = pick_gso_size(r, cs + l4 - l2);
	if (chance(r, 50))
		v->hdr_len = (uint16_t)(cs + l4);
	need = cs + l4;
	if (chance(r, 8))
		*len = 60000 + rnd_below(r, D_IN_LEN_MAX - 60000 + 1);
	else if (*len < need || chance(r, 50))
		*len = need + rnd_below(r, 4000);
	if (tcp)
		*doff_at = (int)cs + 12;
	if (c >= 9) {
		/* break it */
		switch (rnd_below(r, 7)) {
		case 0:
			v->gso_type = (uint8_t)(chance(r, 50) ? 2 : 6 + rnd_below(r, 0x7a));
			break;
		case 1:
			v->gso_size = 0;
			break;
		case 2:
			v->flags &= (uint8_t)~VNET_F_NEEDS_CSUM;
			break;
		case 3:
			v->csum_start = (uint16_t)rnd_below(r, l2);
			break;
		case 4:
			*len = cs + v->csum_offset + 1 - rnd_below(r, 3);
			break;
		case 5:
			*doff = (uint8_t)(rnd_below(r, 5) << 4 | rnd_below(r, 16));
			break;
		default:
			*len = cs + 8 + rnd_below(r, 5); /* cs + 13 > len for TCP */
			break;
		}
	}
}

/* one random frame for port @in into r->pf[k], the core's copy in r->fr[k] */
static void gen_frame(struct run *r, uint16_t in, unsigned int k)
{
	struct pframe *f = &r->pf[k];
	struct frame *fr = &r->fr[k];
	uint8_t h[32];
	uint32_t hl, len, c, i, l2;
	uint16_t tci, tci2, inner;
	int doff_at = -1;
	uint8_t doff = 0;

	pick_dst(r, h);
	pick_src(r, in, h + 6);
	tci = (uint16_t)(rnd_below(r, 8) << VLAN_PRIO_SHIFT | rnd_below(r, 2) << 12 |
			 pick_frame_vid(r, in));
	tci2 = (uint16_t)(rnd_below(r, 8) << VLAN_PRIO_SHIFT | pick_cfg_vid(r));
	c = rnd_below(r, 100);
	if (c < 45) {
		static const uint16_t types[] = { 0x0800, 0x0800, 0x86dd, 0x0806, 0x88cc, 0x0042 };

		eth_put_be16(h + 12, types[rnd_below(r, ARRAY_SIZE(types))]);
		hl = 14;
	} else if (c < 93) {
		eth_put_be16(h + 12, ETH_P_8021Q);
		eth_put_be16(h + 14, tci);
		c = rnd_below(r, 100);
		inner = c < 80 ? 0x0800 : c < 88 ? 0x86dd : c < 96 ? ETH_P_8021Q : ETH_P_8021AD;
		eth_put_be16(h + 16, inner);
		hl = 18;
		if (is_tag_type(inner)) {
			eth_put_be16(h + 18, tci2);
			eth_put_be16(h + 20, 0x0800);
			hl = 22;
		}
	} else {
		eth_put_be16(h + 12, ETH_P_8021AD);
		eth_put_be16(h + 14, tci);
		eth_put_be16(h + 16, ETH_P_8021Q);
		eth_put_be16(h + 18, tci2);
		eth_put_be16(h + 20, 0x0800);
		hl = 22;
	}
	l2 = hl > 14 ? 18 : 14;

	c = rnd_below(r, 100);
	if (c < 3)
		len = rnd_below(r, ETH_HLEN);
	else if (c < 6)
		len = 14 + rnd_below(r, 4);
	else if (c < 20)
		len = pick_port_mtu(r) + (chance(r, 50) ? 14 : 18) - 5 + rnd_below(r, 11);
	else if (c < 21)
		len = 65548 + rnd_below(r, 13);
	else if (c < 30)
		len = 200 + rnd_below(r, 1400);
	else
		len = 60 + rnd_below(r, 100);

	memset(&f->vnet, 0, sizeof(f->vnet));
	/*
	 * Not on a frame tagged twice with 0x8100 outside: popped, its outer EtherType is
	 * again a tag, and whether a GSO segment's L3 length at egress ("as in 4") uses
	 * that form's l2 of 18 or stays what it was at ingress is not specified.
	 */
	if (chance(r, 12) && !(be16(h + 12) == ETH_P_8021Q && hl == 22))
		gen_meta(r, f, l2, &len, &doff_at, &doff);
	if (len > D_IN_LEN_MAX)
		len = D_IN_LEN_MAX;
	f->len = len;
	memcpy(f->buf, h, len < hl ? len : hl);
	if (len > hl) {
		uint8_t s = (uint8_t)rnd(r);

		for (i = hl; i < len; i++)
			f->buf[i] = (uint8_t)(s + i * 13u + (i >> 8));
	}
	if (doff_at >= 0 && (uint32_t)doff_at < len)
		f->buf[doff_at] = doff;

	c = rnd_below(r, 100);
	f->headroom = c < 85   ? FRAME_HEADROOM
		      : c < 95 ? rnd_below(r, VLAN_HLEN)
			       : 4 + rnd_below(r, 8);

	frame_init(fr, r->inbuf[k], D_IN_BUF_SIZE);
	fr->data = fr->head + f->headroom;
	memcpy(fr->data, f->buf, len);
	fr->len = len;
	fr->vnet = f->vnet;
	r->fp[k] = fr;
}

/* ---------------------------------------------------------------------------------------- */
/* operations: each does the same to the core and the model and compares                    */

#define OP(r, ...) snprintf((r)->op, sizeof((r)->op), __VA_ARGS__)

static void op_burst(struct run *r)
{
	int in = pick_port(r);
	unsigned int k, c;

	if (in < 0)
		return;
	c = rnd_below(r, 100);
	r->n = c < 50	? 1 + rnd_below(r, 4)
	       : c < 85 ? 1 + rnd_below(r, 16)
			: 1 + rnd_below(r, BRIDGE_BURST_MAX);
	c = rnd_below(r, 100);
	r->n_spare = c < 90 ? BRIDGE_BURST_MAX : c < 95 ? 0 : 1 + rnd_below(r, 3);
	r->in_port = (uint16_t)in;
	for (k = 0; k < r->n; k++)
		gen_frame(r, r->in_port, k);
	for (k = 0; k < BRIDGE_BURST_MAX; k++) {
		frame_init(&r->sp[k], r->spbuf[k], FRAME_BUF_SIZE);
		r->out->spare[k] = &r->sp[k];
	}
	r->out->n_spare = (uint16_t)r->n_spare;
	OP(r, "bridge_input(port %u, %u frames, now %" PRIu64 ", %u spares)", r->in_port, r->n,
	   r->now, r->n_spare);
	r->in_burst = true;
	bridge_input(r->br, r->in_port, r->fp, r->n, r->now, r->out);
	m_input(&r->m, r->in_port, r->pf, r->n, r->now, r->n_spare, &r->mo);
	check_burst(r);
	for (k = 0; k < r->n; k++) {
		r->cov_verdict[r->mo.verdict[k]]++;
		r->cov_verdict[BR_DROP_TX_OVERSIZE] += (unsigned int)__builtin_popcount(
			r->mo.txover[k]);
	}
	for (c = 0; c < D_MAX_PORTS; c++)
		for (k = 0; k < r->mo.n_tx[c]; k++)
			r->cov_form[r->mo.tx[c][k].form]++;
	r->cov_clones += r->mo.n_clones;
	r->cov_frames += r->n;
	check_counters(r);
	r->in_burst = false;
	/* give the copies back: the spares are re-initialised before every burst */
}

static void op_port_add(struct run *r)
{
	OP(r, "bridge_port_add()");
	check_rc(r, "bridge_port_add", bridge_port_add(r->br), m_port_add(&r->m));
}

static void op_port_del(struct run *r)
{
	uint16_t p = pick_port_or_bad(r);

	OP(r, "bridge_port_del(%u)", p);
	check_rc(r, "bridge_port_del", bridge_port_del(r->br, p), m_port_del(&r->m, p));
}

_Static_assert(BR_PORT_FLAGS_ALL + 1 == 1u << 11, "op_flags: the first unknown flag bit");

static void op_flags(struct run *r)
{
	uint16_t p = pick_port_or_bad(r);
	uint32_t set = 0, clear = 0, bit;

	for (bit = 1; bit <= BR_PORT_DOT1Q_TUNNEL; bit <<= 1) {
		bool special = bit == BR_PORT_HAIRPIN || bit == BR_PORT_ISOLATED ||
			       bit == BR_PORT_DOT1Q_TUNNEL;
		uint32_t c = rnd_below(r, 100);

		if (c < (special ? 12u : 20u))
			set |= bit;
		else if (c < (special ? 30u : 28u))
			clear |= bit;
	}
	/* an unknown bit: the guards (bits 7..10, test_guard.c) are not modelled here */
	if (m_port_ok(&r->m, p) && chance(r, 2))
		*(chance(r, 50) ? &set : &clear) |= 1u << (11 + rnd_below(r, 21));
	OP(r, "bridge_port_set_flags(%u, set %#x, clear %#x)", p, set, clear);
	check_rc(r, "bridge_port_set_flags", bridge_port_set_flags(r->br, p, set, clear),
		 m_set_flags(&r->m, p, set, clear));
}

static void op_mtu(struct run *r)
{
	static const uint32_t bad[] = { 0, 67, 65536, 100000 };
	uint16_t p = pick_port_or_bad(r);
	uint32_t mtu = mtus[rnd_below(r, ARRAY_SIZE(mtus))];

	if (m_port_ok(&r->m, p) && chance(r, 5))
		mtu = bad[rnd_below(r, ARRAY_SIZE(bad))];
	OP(r, "bridge_port_set_mtu(%u, %u)", p, mtu);
	check_rc(r, "bridge_port_set_mtu", bridge_port_set_mtu(r->br, p, mtu),
		 m_set_mtu(&r->m, p, mtu));
}

static void op_state(struct run *r)
{
	uint16_t p = pick_port_or_bad(r);
	uint32_t c = rnd_below(r, 100);
	unsigned int st;

	st = c < 55   ? BR_STATE_FORWARDING
	     : c < 67 ? BR_STATE_LEARNING
	     : c < 77 ? BR_STATE_BLOCKING
	     : c < 87 ? BR_STATE_LISTENING
		      : BR_STATE_DISABLED;
	if (m_port_ok(&r->m, p) && chance(r, 3))
		st = 5 + rnd_below(r, 3);
	OP(r, "bridge_port_set_state(%u, %u)", p, st);
	check_rc(r, "bridge_port_set_state",
		 bridge_port_set_state(r->br, p, (enum bridge_port_state)st),
		 m_set_state(&r->m, p, st));
}

static void op_learn_limit(struct run *r)
{
	static const uint32_t lims[] = { 0, 0, 1, 2, 3, 5 };
	uint16_t p = pick_port_or_bad(r);
	uint32_t lim = lims[rnd_below(r, ARRAY_SIZE(lims))];

	OP(r, "bridge_port_set_learn_limit(%u, %u)", p, lim);
	check_rc(r, "bridge_port_set_learn_limit", bridge_port_set_learn_limit(r->br, p, lim),
		 m_set_limit(&r->m, p, lim));
}

static void op_vlan_add(struct run *r)
{
	uint16_t p = pick_port_or_bad(r), vid = pick_cfg_vid(r);
	bool pvid = chance(r, 40), untagged = chance(r, 50);

	if (m_port_ok(&r->m, p) && chance(r, 5))
		vid = pick_bad_vid(r);
	OP(r, "bridge_vlan_add(%u, vid %u, pvid %d, untagged %d)", p, vid, pvid, untagged);
	check_rc(r, "bridge_vlan_add", bridge_vlan_add(r->br, p, vid, pvid, untagged),
		 m_vlan_add(&r->m, p, vid, pvid, untagged));
}

static void op_vlan_del(struct run *r)
{
	uint16_t p = pick_port_or_bad(r), vid = pick_cfg_vid(r);

	if (m_port_ok(&r->m, p) && chance(r, 5))
		vid = pick_bad_vid(r);
	OP(r, "bridge_vlan_del(%u, vid %u)", p, vid);
	check_rc(r, "bridge_vlan_del", bridge_vlan_del(r->br, p, vid), m_vlan_del(&r->m, p, vid));
}

static void op_vlan_spec(struct run *r)
{
	static const char *const nm[] = { "", "/tagged", "/untagged" };
	struct vlan_spec_tag tags[5];
	struct vlan_spec spec = { .tags = tags };
	uint16_t p = pick_port_or_bad(r);
	uint32_t c = rnd_below(r, 10), i, j;
	size_t o;

	memset(tags, 0, sizeof(tags));
	if (c < 4) {
		/* access; a nativeMode on a lone non-trunk tag only in its unambiguous form */
		spec.n_tags = 1;
		tags[0].id = pick_cfg_vid(r);
		if (chance(r, 20))
			tags[0].native_mode = VLAN_NATIVE_UNTAGGED;
	} else if (c < 9) {
		spec.trunk = chance(r, 70);
		spec.n_tags = (uint16_t)(1 + rnd_below(r, 4));
		if (!spec.trunk && spec.n_tags == 1)
			spec.trunk = true;
		for (i = 0; i < spec.n_tags; i++) {
			do {
				tags[i].id = pick_cfg_vid(r);
				for (j = 0; j < i && tags[j].id != tags[i].id; j++)
					;
			} while (j < i);
		}
		if (c >= 7)
			tags[rnd_below(r, spec.n_tags)].native_mode =
				chance(r, 50) ? VLAN_NATIVE_TAGGED : VLAN_NATIVE_UNTAGGED;
	} else {
		/* invalid: on an existing port only (-ENOENT vs -EINVAL is not specified) */
		if (!m_port_ok(&r->m, p))
			return;
		spec.trunk = chance(r, 50);
		switch (rnd_below(r, 3)) {
		case 0:
			spec.n_tags = 0;
			break;
		case 1:
			spec.n_tags = (uint16_t)(1 + rnd_below(r, 3));
			for (i = 0; i < spec.n_tags; i++)
				tags[i].id = pick_cfg_vid(r);
			tags[rnd_below(r, spec.n_tags)].id = pick_bad_vid(r);
			break;
		default:
			spec.n_tags = (uint16_t)(2 + rnd_below(r, 3));
			for (i = 0; i < spec.n_tags; i++)
				tags[i].id = (uint16_t)(10 + i);
			tags[0].native_mode = VLAN_NATIVE_TAGGED;
			tags[spec.n_tags - 1].native_mode = chance(r, 50) ? VLAN_NATIVE_TAGGED
									  : VLAN_NATIVE_UNTAGGED;
			break;
		}
	}
	o = (size_t)OP(r, "bridge_vlan_apply_spec(%u, trunk %d, tags", p, spec.trunk);
	for (i = 0; i < spec.n_tags && o < sizeof(r->op); i++)
		o += (size_t)snprintf(r->op + o, sizeof(r->op) - o, " %u%s", tags[i].id,
				      nm[tags[i].native_mode]);
	if (o < sizeof(r->op))
		snprintf(r->op + o, sizeof(r->op) - o, ")");
	check_rc(r, "bridge_vlan_apply_spec", bridge_vlan_apply_spec(r->br, p, &spec),
		 m_vlan_spec(&r->m, p, &spec));
}

static void pick_fdb_key(struct run *r, uint8_t *mac, uint16_t *vid)
{
	memcpy(mac, mac_pool[rnd_below(r, D_NMAC)], ETH_ALEN);
	if (!r->m.filtering && chance(r, 80))
		*vid = 0;
	else if (chance(r, 90))
		*vid = pick_cfg_vid(r);
	else
		*vid = 0;
}

static void op_fdb_add(struct run *r)
{
	struct fdb *fdb = bridge_fdb(r->br);
	uint8_t mac[ETH_ALEN];
	char b[18];
	uint16_t vid, port;
	bool replace = chance(r, 50);
	int p = pick_port(r), i;

	if (p < 0)
		return;
	port = (uint16_t)p;
	pick_fdb_key(r, mac, &vid);
	switch (rnd_below(r, 30)) {
	case 0:
		mac[0] |= 1;
		break;
	case 1:
		memset(mac, 0, ETH_ALEN);
		break;
	case 2:
		vid = pick_bad_vid(r);
		if (!vid)
			vid = 4095;
		break;
	case 3:
		port = chance(r, 50) ? 0xffff : FDB_PORT_NONE - 1;
		break;
	default:
		break;
	}
	i = m_fdb_find(&r->m, mac, vid);
	if (i >= 0 && !r->m.fdb[i].is_static && port < D_MAX_PORTS) {
		/*
		 * Not specified: whether a dynamic entry turned static without replace
		 * moves to @port. Keep to the case where both readings agree.
		 */
		if (!replace)
			port = r->m.fdb[i].port;
	}
	OP(r, "fdb_add_static(%s, vid %u, port %u, replace %d, now %" PRIu64 ")", fmt_mac(mac, b),
	   vid, port, replace, r->now);
	check_rc(r, "fdb_add_static", fdb_add_static(fdb, mac, vid, port, replace, r->now),
		 m_fdb_add_static(&r->m, mac, vid, port, replace, r->now));
}

static void op_fdb_del(struct run *r)
{
	uint8_t mac[ETH_ALEN];
	char b[18];
	uint16_t vid;

	pick_fdb_key(r, mac, &vid);
	OP(r, "fdb_del(%s, vid %u)", fmt_mac(mac, b), vid);
	check_rc(r, "fdb_del", fdb_del(bridge_fdb(r->br), mac, vid), m_fdb_del(&r->m, mac, vid));
}

static void op_fdb_flush(struct run *r)
{
	int p = pick_port(r);
	uint16_t port = p < 0 || chance(r, 30) ? FDB_FLUSH_ANY_PORT : (uint16_t)p;
	uint16_t vid = chance(r, 40) ? FDB_FLUSH_ANY_VID : r->m.filtering ? pick_cfg_vid(r) : 0;
	bool with_static = chance(r, 40);

	OP(r, "fdb_flush(port %u, vid %u, with_static %d)", port, vid, with_static);
	check_rc(r, "fdb_flush", (long)fdb_flush(bridge_fdb(r->br), port, vid, with_static),
		 m_fdb_flush(&r->m, port == FDB_FLUSH_ANY_PORT ? -1 : port,
			     vid == FDB_FLUSH_ANY_VID ? -1 : vid, with_static));
}

static void op_clock(struct run *r)
{
	uint32_t c = rnd_below(r, 100);
	uint64_t step;

	if (c < 60)
		step = rnd_below(r, 4) * D_TICK;
	else if (c < 85)
		step = (5 + rnd_below(r, 16)) * D_TICK;
	else
		step = r->m.ageing + rnd_below(r, 11) * D_TICK;
	r->now += step;
	OP(r, "clock + %" PRIu64 " ns to %" PRIu64, step, r->now);
}

static void op_age(struct run *r)
{
	OP(r, "bridge_age(now %" PRIu64 ")", r->now);
	check_rc(r, "bridge_age", (long)bridge_age(r->br, r->now), m_fdb_age(&r->m, r->now));
}

static void op_set_ageing(struct run *r)
{
	static const uint64_t ag[] = { 0,	 D_NS,	   2 * D_NS, 3 * D_NS,
				       3 * D_NS, 5 * D_NS, 5 * D_NS, 10 * D_NS };
	uint64_t a = ag[rnd_below(r, ARRAY_SIZE(ag))];

	OP(r, "fdb_set_ageing(%" PRIu64 ")", a);
	fdb_set_ageing(bridge_fdb(r->br), a);
	r->m.ageing = a;
}

static void op_filtering(struct run *r)
{
	bool on = !r->m.filtering;

	OP(r, "bridge_set_vlan_filtering(%d)", on);
	bridge_set_vlan_filtering(r->br, on);
	m_set_filtering(&r->m, on);
}

static void op_stp(struct run *r)
{
	bool on = !r->m.stp;

	OP(r, "bridge_set_stp(%d)", on);
	bridge_set_stp(r->br, on);
	r->m.stp = on;
}

static void do_op(struct run *r)
{
	uint32_t c = rnd_below(r, 1000);
	unsigned int np = n_ports(r);

	if (!np || (np < 3 && c < 100)) {
		op_port_add(r);
		return;
	}
	if (c < 480)
		op_burst(r);
	else if (c < 505)
		np < D_PORTS_SOFT || chance(r, 35) ? op_port_add(r) : op_port_del(r);
	else if (c < 520)
		op_port_del(r);
	else if (c < 570)
		op_flags(r);
	else if (c < 590)
		op_mtu(r);
	else if (c < 630)
		op_state(r);
	else if (c < 650)
		op_learn_limit(r);
	else if (c < 700)
		op_vlan_add(r);
	else if (c < 725)
		op_vlan_del(r);
	else if (c < 755)
		op_vlan_spec(r);
	else if (c < 795)
		op_fdb_add(r);
	else if (c < 820)
		op_fdb_del(r);
	else if (c < 830)
		op_fdb_flush(r);
	else if (c < 945)
		op_clock(r);
	else if (c < 980)
		op_age(r);
	else if (c < 987)
		op_set_ageing(r);
	else if (c < 990 && (r->m.filtering != r->filtering0 || chance(r, 10)))
		op_filtering(r); /* mostly in the mode the bridge was created in */
	else if (c < 993)
		op_stp(r);
	else
		op_clock(r);
}

/* ---------------------------------------------------------------------------------------- */
/* runs and tests                                                                           */

static void print_coverage(struct run *r)
{
	struct fdb_stats st;
	unsigned int i;

	m_fdb_stats(&r->m, &st);
	fprintf(stderr, "seed %" PRIu64 " %s: %" PRIu64 " frames, %" PRIu64 " copies;", r->seed,
		r->filtering0 ? "filtering" : "non-filtering", r->cov_frames, r->cov_clones);
	for (i = 0; i <= V_ALL_TXOVER; i++)
		fprintf(stderr, " %s %" PRIu64,
			i < BR_DROP__MAX ? drop_names[i]
			: i == V_FWD	 ? "FWD"
			: i == V_CONTROL ? "CONTROL"
					 : "ALL-TXOVER",
			r->cov_verdict[i]);
	for (i = 0; i < 4; i++)
		fprintf(stderr, " %s %" PRIu64, form_names[i], r->cov_form[i]);
	fprintf(stderr,
		"; fdb learned %" PRIu64 " moved %" PRIu64 " refused %" PRIu64 "/%" PRIu64
		" aged %" PRIu64 "\n",
		st.learned, st.moved, st.refused_bridge_limit, st.refused_port_limit, st.aged);
	memset(r->cov_verdict, 0, sizeof(r->cov_verdict));
	memset(r->cov_form, 0, sizeof(r->cov_form));
	r->cov_clones = 0;
	r->cov_frames = 0;
}

static void run_one(struct run *r, uint64_t seed, bool filtering, unsigned long steps)
{
	struct bridge_config cfg;
	uint32_t c;
	unsigned int i;

	r->seed = seed;
	r->filtering0 = filtering;
	r->steps = steps;
	r->step = 0;
	r->in_burst = false;
	r->rng = seed * 2 + filtering;
	r->rng = splitmix64(&r->rng) | 1;
	r->now = 1000 * D_NS;

	bridge_config_default(&cfg);
	cfg.vlan_filtering = filtering;
	cfg.max_ports = D_MAX_PORTS;
	c = rnd_below(r, 10);
	cfg.default_pvid = c < 8 ? 1 : c < 9 ? 0 : 10;
	cfg.fdb_max_learned = D_MAX_LEARNED;
	cfg.fdb_max_static = D_MAX_STATIC;
	cfg.ageing_ns = 3 * D_NS;
	cfg.stp = chance(r, 50);
	OP(r, "bridge_new(filtering %d, default_pvid %u, stp %d)", filtering, cfg.default_pvid,
	   cfg.stp);
	r->br = bridge_new(&cfg);
	if (!r->br)
		diff_fail(r, "bridge_new failed");
	r->out = bridge_out_new(r->br);
	if (!r->out)
		diff_fail(r, "bridge_out_new failed");
	m_init(&r->m, filtering, cfg.default_pvid, cfg.ageing_ns);
	r->m.stp = cfg.stp;
	check_full(r);

	for (i = 0; i < 6; i++)
		op_port_add(r);
	for (r->step = 1; r->step <= steps; r->step++) {
		do_op(r);
		if (r->verbose > 1)
			fprintf(stderr, "%lu: %s\n", r->step, r->op);
		if (!r->in_burst)
			check_counters(r);
		if (r->step % D_CHECK_EVERY == 0)
			check_full(r);
	}
	r->step = steps;
	OP(r, "final check");
	check_full(r);
	if (r->verbose)
		print_coverage(r);
	bridge_out_free(r->out);
	r->out = NULL;
	bridge_free(r->br);
	r->br = NULL;
}

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s || !*s)
		return def;
	v = strtoul(s, &end, 0);
	return *end ? def : v;
}

static void run_seeds(bool filtering)
{
	const char *s = getenv("KVNET_DIFF_SEED");
	unsigned long steps = env_ulong("KVNET_DIFF_STEPS", D_STEPS);
	uint64_t seed;

	R->verbose = env_ulong("KVNET_DIFF_VERBOSE", 0);
	if (s && *s) {
		run_one(R, strtoull(s, NULL, 0), filtering, steps);
		return;
	}
	for (seed = 1; seed <= D_SEEDS; seed++)
		run_one(R, seed, filtering, steps);
}

static void test_differential_filtering(void **state)
{
	(void)state;
	run_seeds(true);
}

static void test_differential_non_filtering(void **state)
{
	(void)state;
	run_seeds(false);
}

static int group_setup(void **state)
{
	unsigned int k;

	(void)state;
	R = calloc(1, sizeof(*R));
	if (!R)
		return -1;
	R->scratch = malloc(D_IN_BUF_SIZE);
	if (!R->scratch)
		return -1;
	for (k = 0; k < BRIDGE_BURST_MAX; k++) {
		R->pf[k].buf = malloc(D_IN_BUF_SIZE);
		R->inbuf[k] = malloc(D_IN_BUF_SIZE);
		R->spbuf[k] = malloc(FRAME_BUF_SIZE);
		if (!R->pf[k].buf || !R->inbuf[k] || !R->spbuf[k])
			return -1;
	}
	return 0;
}

/* after each test, also after a failure: free what the run left */
static int teardown(void **state)
{
	(void)state;
	bridge_out_free(R->out);
	R->out = NULL;
	bridge_free(R->br);
	R->br = NULL;
	return 0;
}

static int group_teardown(void **state)
{
	unsigned int k;

	(void)state;
	for (k = 0; k < BRIDGE_BURST_MAX; k++) {
		free(R->pf[k].buf);
		free(R->inbuf[k]);
		free(R->spbuf[k]);
	}
	free(R->scratch);
	free(R);
	R = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_differential_filtering, teardown),
		cmocka_unit_test_teardown(test_differential_non_filtering, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
