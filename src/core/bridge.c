/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bridge.c - the forwarding pipeline: ingress checks, VLAN, learning, forwarding, egress tagging
 *
 * What the control side sets between bursts (ports, their VLANs, guards and
 * limits, the bridge's own settings) is bridge_conf.c's.
 *
 * The order of the steps, and which counter each drop goes to, is the
 * contract written out in docs/forwarding.md; keep the two in step.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "core/bridge_priv.h"
#include "core/eth.h"
#include "core/guard.h"
#include "core/portsec.h"
#include "core/storm.h"
#include "util/compiler.h"

/* what one egress port makes of a frame on a filtering bridge */
enum bridge_form {
	BR_FORM_UNTAGGED,
	BR_FORM_TAGGED,
	BR_FORM_TOO_BIG,
};

static const char *const bridge_drop_names[BR_DROP__MAX] = {
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
	[BR_DROP_BPDU_GUARD] = "bpdu-guard",
	[BR_DROP_ACCESS_TAGGED] = "access-tagged",
	[BR_DROP_DHCP_SERVER] = "dhcp-server",
	[BR_DROP_ROUTER_ADV] = "router-advert",
	[BR_DROP_STORM_BCAST] = "storm-broadcast",
	[BR_DROP_STORM_UNKNOWN] = "storm-unknown-unicast",
	[BR_DROP_STORM_MCAST] = "storm-multicast",
	[BR_DROP_SHAPED_RX] = "shaped-rx",
	[BR_DROP_SHAPED_TX] = "shaped-tx",
	[BR_DROP_BAD_IGMP_MLD] = "bad-igmp-mld",
	[BR_DROP_MAC_SPOOF] = "mac-spoof",
	[BR_DROP_IP_SPOOF] = "ip-spoof",
	[BR_DROP_ARP_SPOOF] = "arp-spoof",
	[BR_DROP_ND_SPOOF] = "nd-spoof",
	[BR_DROP_L2_OTHER] = "l2-other",
};

static const char *const bridge_state_names[] = {
	[BR_STATE_DISABLED] = "disabled", [BR_STATE_LISTENING] = "listening",
	[BR_STATE_LEARNING] = "learning", [BR_STATE_FORWARDING] = "forwarding",
	[BR_STATE_BLOCKING] = "blocking",
};

static const char *const bridge_relay_names[BR_RELAY__MAX] = {
	[BR_RELAY_VEB] = "veb",
	[BR_RELAY_VEPA] = "vepa",
	[BR_RELAY_PRIVATE] = "private",
};

const char *bridge_relay_name(enum bridge_relay r)
{
	return (unsigned)r < BR_RELAY__MAX ? bridge_relay_names[r] : NULL;
}

const char *bridge_drop_name(enum bridge_drop d)
{
	return (unsigned)d < BR_DROP__MAX ? bridge_drop_names[d] : NULL;
}

const char *bridge_port_state_name(enum bridge_port_state s)
{
	return (unsigned)s < ARRAY_SIZE(bridge_state_names) ? bridge_state_names[s] : NULL;
}

void bridge_config_default(struct bridge_config *c)
{
	c->vlan_filtering = true;
	c->stp = false;
	c->relay = BR_RELAY_VEB;
	c->vlan_proto = ETH_P_8021Q;
	c->max_ports = BRIDGE_PORTS_MAX;
	c->default_pvid = 1;
	c->fdb_max_learned = FDB_MAX_LEARNED_DEFAULT;
	c->fdb_max_static = FDB_MAX_STATIC_DEFAULT;
	c->ageing_ns = FDB_AGEING_DEFAULT_NS;
	c->fdb_hash_key = (struct siphash_key){ 0, 0 };
	c->mcast_snooping = true;
	c->mdb_max = MDB_MAX_DEFAULT;
}

struct bridge *bridge_new(const struct bridge_config *c)
{
	struct bridge *br;

	if (!c->max_ports || c->max_ports > BRIDGE_PORTS_MAX || c->default_pvid > VLAN_VID_MAX ||
	    !bridge_relay_name(c->relay) ||
	    (c->vlan_proto != ETH_P_8021Q && c->vlan_proto != ETH_P_8021AD))
		return NULL;
	br = calloc(1, sizeof(*br));
	if (!br)
		return NULL;
	br->cfg = *c;
	br->fdb = fdb_new(c->fdb_max_learned, c->fdb_max_static, c->max_ports, c->ageing_ns);
	br->ports = calloc(c->max_ports, sizeof(*br->ports));
	br->port_list = calloc(c->max_ports, sizeof(*br->port_list));
	br->targets = calloc(c->max_ports, sizeof(*br->targets));
	br->target_form = calloc(c->max_ports, sizeof(*br->target_form));
	br->mcast_mask = calloc(c->max_ports, sizeof(*br->mcast_mask));
	/* the groups' hash is keyed too: a VM must not choose groups that share a chain */
	br->mdb = mdb_new(c->mdb_max ? c->mdb_max : MDB_MAX_DEFAULT, c->max_ports,
			  &c->fdb_hash_key);
	if (br->fdb)
		fdb_set_hash_key(br->fdb, &c->fdb_hash_key);
	if (!br->fdb || !br->ports || !br->port_list || !br->targets || !br->target_form ||
	    !br->mcast_mask || !br->mdb) {
		bridge_free(br);
		return NULL;
	}
	return br;
}

void bridge_free(struct bridge *br)
{
	if (!br)
		return;
	for (unsigned i = 0; i < br->n_ports; i++)
		free(br->ports[br->port_list[i]]);
	fdb_free(br->fdb);
	free(br->ports);
	free(br->port_list);
	free(br->targets);
	free(br->target_form);
	free(br->mcast_mask);
	mdb_free(br->mdb);
	free(br);
}

struct bridge_out *bridge_out_new(const struct bridge *br)
{
	struct bridge_out *out = calloc(1, sizeof(*out));

	if (!out)
		return NULL;
	out->active = calloc(br->cfg.max_ports, sizeof(*out->active));
	out->tx = calloc(br->cfg.max_ports, sizeof(*out->tx));
	if (!out->active || !out->tx) {
		bridge_out_free(out);
		return NULL;
	}
	return out;
}

void bridge_out_free(struct bridge_out *out)
{
	if (!out)
		return;
	free(out->active);
	free(out->tx);
	free(out);
}

static void bridge_out_reset(struct bridge_out *out)
{
	for (unsigned i = 0; i < out->n_active; i++)
		out->tx[out->active[i]].n = 0;
	out->n_active = 0;
	out->n_control = 0;
	out->n_clones = 0;
}

static inline bool bridge_type_is_tag(uint16_t type)
{
	return type == ETH_P_8021Q || type == ETH_P_8021AD;
}

static inline bool bridge_gso_is_tcp(const struct frame *f)
{
	uint8_t t = f->vnet.gso_type & ~VNET_GSO_ECN;

	return t == VNET_GSO_TCPV4 || t == VNET_GSO_TCPV6;
}

/* Return: whether the virtio-net metadata of @f describes a frame that can exist */
static bool bridge_offload_valid(const struct frame *f, unsigned l2)
{
	const struct vnet_meta *m = &f->vnet;
	uint8_t type = m->gso_type & ~VNET_GSO_ECN;
	bool gso = type != VNET_GSO_NONE;

	if (type != VNET_GSO_NONE && type != VNET_GSO_TCPV4 && type != VNET_GSO_UDP &&
	    type != VNET_GSO_TCPV6 && type != VNET_GSO_UDP_L4)
		return false;
	if (gso && (!m->gso_size || !(m->flags & VNET_F_NEEDS_CSUM)))
		return false;
	if (m->flags & VNET_F_NEEDS_CSUM) {
		if (m->csum_start < l2 || (uint32_t)m->csum_start + m->csum_offset + 2 > f->len)
			return false;
	}
	if (gso && bridge_gso_is_tcp(f)) {
		if ((uint32_t)m->csum_start + 13 > f->len || (f->data[m->csum_start + 12] >> 4) < 5)
			return false;
	}
	return true;
}

/* L3 length of each segment a GSO frame will be cut into; the metadata was validated */
static uint32_t bridge_gso_seg_l3(const struct frame *f, unsigned l2)
{
	uint32_t l4 = bridge_gso_is_tcp(f) ? (uint32_t)(f->data[f->vnet.csum_start + 12] >> 4) * 4
					   : 8;

	return f->vnet.csum_start + l4 - l2 + f->vnet.gso_size;
}

static inline bool bridge_fits_mtu(uint32_t len, unsigned l2, bool gso, uint32_t seg_l3,
				   uint32_t mtu)
{
	return gso ? seg_l3 <= mtu : len <= mtu + l2;
}

static inline void bridge_tx_add(struct bridge_out *out, struct bridge_port *q, uint16_t port,
				 struct frame *f)
{
	struct bridge_tx *tx = &out->tx[port];

	if (!tx->n)
		out->active[out->n_active++] = port;
	tx->frames[tx->n++] = f;
	f->refs++;
	q->stats.tx_frames++;
	q->stats.tx_bytes += f->len;
}

/*
 * Ingress VLAN classification on a filtering bridge (step 8). Only the bridge's own tag
 * is a tag: on an S-VLAN bridge a C-tag is payload, and so is any tag at a dot1q-tunnel
 * port. Return: the frame's VID, with f->tci and f->tagged set, or -1 after counting a drop
 */
static int bridge_vlan_ingress(const struct bridge *br, struct bridge_port *in, struct frame *f,
			       uint16_t type)
{
	const struct vlan_port *v = &in->vlan;
	bool tunnel = in->flags & BR_PORT_DOT1Q_TUNNEL;
	uint16_t tci, vid;

	if (type == ETH_P_8021AD && br->cfg.vlan_proto == ETH_P_8021Q && !tunnel) {
		bridge_drop(in, BR_DROP_QINQ);
		return -1;
	}
	if (type != br->cfg.vlan_proto || tunnel) {
		if (v->pvid == VLAN_NO_PVID) {
			bridge_drop(in, BR_DROP_NO_PVID);
			return -1;
		}
		f->tci = v->pvid;
		f->tagged = false;
		return v->pvid;
	}
	if (f->len < ETH_HLEN + VLAN_HLEN) {
		bridge_drop(in, BR_DROP_RUNT);
		return -1;
	}
	tci = eth_get_be16(f->data + ETH_HLEN);
	vid = tci & VLAN_VID_MASK;
	if (vid == 0) {
		if (v->pvid == VLAN_NO_PVID) {
			bridge_drop(in, BR_DROP_NO_PVID);
			return -1;
		}
		vid = v->pvid;
		tci = (uint16_t)((tci & ~VLAN_VID_MASK) | vid);
		eth_put_be16(f->data + ETH_HLEN, tci);
	} else if (vid == VLAN_N_VID - 1) {
		bridge_drop(in, BR_DROP_RESERVED_VID);
		return -1;
	} else if (!vlan_is_member(v, vid)) {
		bridge_drop(in, BR_DROP_INGRESS_FILTER);
		return -1;
	}
	f->tci = tci;
	f->tagged = true;
	return vid;
}

/*
 * On a VEPA or private bridge, may a frame in on @in leave by @q: a station's only by an
 * uplink, an uplink's only by a station (the adjacent bridge does any reflecting).
 */
static inline bool bridge_relay_allows(const struct bridge *br, const struct bridge_port *in,
				       const struct bridge_port *q)
{
	return br->cfg.relay == BR_RELAY_VEB || in->uplink != q->uplink;
}

/*
 * Known unicast to @p (step 11, first half).
 * Return: true if @p may take the frame, else false after counting a drop
 */
static bool bridge_unicast_allowed(const struct bridge *br, struct bridge_port *in, uint16_t in_no,
				   uint16_t p, uint16_t vid)
{
	const struct bridge_port *q = br->ports[p];
	enum bridge_drop why;

	if (p == in_no && !(in->flags & BR_PORT_HAIRPIN))
		why = BR_DROP_SAME_PORT;
	else if (!q || q->state != BR_STATE_FORWARDING)
		why = BR_DROP_EGRESS_STATE;
	else if (br->cfg.vlan_filtering && !vlan_is_member(&q->vlan, vid))
		why = BR_DROP_EGRESS_FILTER;
	else if ((in->flags & q->flags & BR_PORT_ISOLATED) || !bridge_relay_allows(br, in, q))
		why = BR_DROP_ISOLATED;
	else
		return true;
	bridge_drop(in, why);
	return false;
}

/*
 * Flood targets (step 11, second half); @station is the port of the station whose
 * reflected frame this is (never flooded back to it), else FDB_PORT_NONE. With @mask
 * (snooped multicast) only the ports it marks, whatever their flood flags.
 * Return: how many, in br->targets
 */
static unsigned bridge_flood_targets(const struct bridge *br, const struct bridge_port *in,
				     uint16_t in_no, uint16_t station, uint16_t vid,
				     uint32_t flood_flag, const uint8_t *mask)
{
	unsigned n = 0;

	for (unsigned i = 0; i < br->n_ports; i++) {
		uint16_t p = br->port_list[i];
		const struct bridge_port *q = br->ports[p];

		if (p == in_no && !(q->flags & BR_PORT_HAIRPIN))
			continue;
		if (p == station || !bridge_relay_allows(br, in, q))
			continue;
		if (q->state != BR_STATE_FORWARDING)
			continue;
		if (mask ? !mask[p] : !(q->flags & flood_flag))
			continue;
		if (br->cfg.vlan_filtering && !vlan_is_member(&q->vlan, vid))
			continue;
		if (in->flags & q->flags & BR_PORT_ISOLATED)
			continue;
		br->targets[n++] = p;
	}
	return n;
}

/* Egress without VLAN filtering: the frame leaves as it came (step 12). */
static void bridge_egress_plain(struct bridge *br, struct frame *f, unsigned n_targets, unsigned l2,
				bool gso, uint32_t seg_l3, struct bridge_out *out)
{
	for (unsigned i = 0; i < n_targets; i++) {
		uint16_t p = br->targets[i];
		struct bridge_port *q = br->ports[p];

		if (!bridge_fits_mtu(f->len, l2, gso, seg_l3, q->mtu))
			bridge_drop(q, BR_DROP_TX_OVERSIZE);
		else
			bridge_tx_add(out, q, p, f);
	}
}

/*
 * Egress with VLAN filtering (step 12): each target takes the tagged or
 * untagged form; the frame is retagged in place, and copied only when
 * both forms are wanted.
 */
static void bridge_egress_vlan(struct bridge *br, struct bridge_port *in, struct frame *f,
			       unsigned n_targets, uint16_t vid, bool gso, uint32_t seg_l3,
			       struct bridge_out *out)
{
	unsigned n_tagged = 0, n_untagged = 0;
	uint32_t len_tagged = f->tagged ? f->len : f->len + VLAN_HLEN;
	uint32_t len_untagged = f->tagged ? f->len - VLAN_HLEN : f->len;
	/* a tag in the payload (a second tag from a trunk, a C-tag on an S-VLAN bridge or from
	 * a dot1q-tunnel port) is the outer one when the bridge's is popped; on an S-VLAN
	 * bridge, and for a frame with no tag of the bridge's yet, it adds to the pushed one */
	bool inner = bridge_type_is_tag(eth_get_be16(f->data + (f->tagged ? ETH_HLEN + 2 : 12)));
	unsigned l2_untagged = inner ? ETH_HLEN + VLAN_HLEN : ETH_HLEN;
	unsigned l2_tagged = ETH_HLEN + VLAN_HLEN;
	struct frame *ftag = f, *funtag = f;

	if (inner && (br->cfg.vlan_proto == ETH_P_8021AD || !f->tagged))
		l2_tagged += VLAN_HLEN;

	for (unsigned i = 0; i < n_targets; i++) {
		struct bridge_port *q = br->ports[br->targets[i]];
		bool tagged = !vlan_is_untagged(&q->vlan, vid);
		bool fits = tagged ? bridge_fits_mtu(len_tagged, l2_tagged, gso, seg_l3, q->mtu)
				   : bridge_fits_mtu(len_untagged, l2_untagged, gso, seg_l3,
						     q->mtu);

		if (!fits) {
			bridge_drop(q, BR_DROP_TX_OVERSIZE);
			br->target_form[i] = BR_FORM_TOO_BIG;
			continue;
		}
		br->target_form[i] = tagged ? BR_FORM_TAGGED : BR_FORM_UNTAGGED;
		n_tagged += tagged;
		n_untagged += !tagged;
	}
	if (!n_tagged && !n_untagged)
		return;

	if (n_tagged && n_untagged) {
		struct frame *copy;

		if (!out->n_spare) {
			bridge_drop(in, BR_DROP_NO_BUFFER);
			return;
		}
		copy = out->spare[out->n_spare - 1];
		if (frame_copy(copy, f)) {
			bridge_drop(in, BR_DROP_NO_BUFFER);
			return;
		}
		out->n_spare--;
		out->clones[out->n_clones++] = copy;
		ftag = copy;
	}
	if (n_tagged && !ftag->tagged) {
		if (eth_push_tag_proto(ftag, br->cfg.vlan_proto, ftag->tci)) {
			bridge_drop(in, BR_DROP_NO_HEADROOM);
			return;
		}
		ftag->tagged = true;
	}
	if (n_untagged && funtag->tagged) {
		eth_pop_tag(funtag);
		funtag->tagged = false;
	}

	for (unsigned i = 0; i < n_targets; i++) {
		uint16_t p = br->targets[i];

		if (br->target_form[i] == BR_FORM_TAGGED)
			bridge_tx_add(out, br->ports[p], p, ftag);
		else if (br->target_form[i] == BR_FORM_UNTAGGED)
			bridge_tx_add(out, br->ports[p], p, funtag);
	}
}

/*
 * A BPDU on a port with BPDU guard: the port goes disabled, as the kernel bridge's guard
 * does, and forgets what it learned; the caller sees the trip in bridge_port_bpdu_tripped().
 */
static void bridge_bpdu_trip(struct bridge *br, struct bridge_port *in, uint16_t in_no)
{
	bridge_drop(in, BR_DROP_BPDU_GUARD);
	if (in->bpdu_tripped)
		return;
	in->bpdu_tripped = true;
	in->state = BR_STATE_DISABLED;
	fdb_flush(br->fdb, in_no, FDB_FLUSH_ANY_VID, false);
}

/* The DHCP and RA guards (step 8b). Return: true if @f may go on, else false after counting */
static bool bridge_guard_allows(struct bridge_port *in, const struct frame *f)
{
	enum guard_kind k = guard_classify(f);

	if (k == GUARD_DHCP_SERVER && (in->flags & BR_PORT_DHCP_GUARD)) {
		bridge_drop(in, BR_DROP_DHCP_SERVER);
		return false;
	}
	if (k == GUARD_ROUTER_ADV && (in->flags & BR_PORT_RA_GUARD)) {
		bridge_drop(in, BR_DROP_ROUTER_ADV);
		return false;
	}
	return true;
}

/* a DHCPACK from a trusted port: its address becomes its client's on the client's ports */
static void bridge_portsec_snoop(struct bridge *br, const struct frame *f, uint64_t now)
{
	uint8_t mac[ETH_ALEN], ip[4];
	uint32_t lease_s;
	uint64_t expires;

	if (!portsec_dhcp_ack(f, mac, ip, &lease_s))
		return;
	expires = lease_s == UINT32_MAX || lease_s > (UINT64_MAX - now) / 1000000000ull
			  ? UINT64_MAX
			  : now + lease_s * 1000000000ull;
	for (unsigned i = 0; i < br->n_ports; i++) {
		struct bridge_port *q = br->ports[br->port_list[i]];

		if (q->portsec.cfg.flags)
			portsec_learn(&q->portsec, mac, ip, expires);
	}
}

/* does a port of @br other than @in hold @ip for port security (portsec_holds_ip6()) */
static bool bridge_ip6_held(const struct bridge *br, const struct bridge_port *in,
			    const uint8_t *ip)
{
	for (unsigned i = 0; i < br->n_ports; i++) {
		const struct bridge_port *q = br->ports[br->port_list[i]];

		if (q != in && portsec_holds_ip6(&q->portsec, ip))
			return true;
	}
	return false;
}

/*
 * Port security (step 8c): a port with it on is checked; one without it and without DHCP
 * guard is trusted to send DHCP answers, which are snooped.
 * Return: true if @f may go on, else false after counting
 */
static bool bridge_portsec_allows(struct bridge *br, struct bridge_port *in, const struct frame *f,
				  uint64_t now)
{
	static const enum bridge_drop why[] = {
		[PORTSEC_MAC_SPOOF] = BR_DROP_MAC_SPOOF, [PORTSEC_IP_SPOOF] = BR_DROP_IP_SPOOF,
		[PORTSEC_ARP_SPOOF] = BR_DROP_ARP_SPOOF, [PORTSEC_ND_SPOOF] = BR_DROP_ND_SPOOF,
		[PORTSEC_L2_OTHER] = BR_DROP_L2_OTHER,
	};
	enum portsec_verdict v;

	if (!in->portsec.cfg.flags) {
		if (!(in->flags & BR_PORT_DHCP_GUARD))
			bridge_portsec_snoop(br, f, now);
		return true;
	}
	if (portsec_fast_pass(&in->portsec, f, now))
		return true;
	v = portsec_check(&in->portsec, f, now);
	if (v == PORTSEC_PASS)
		return true;
	/* first come, first served: the address is the port's unless another holds it; then
	 * the frame is checked again, as the claim stopped the checks after it (an NA from a
	 * new source must still be for the port's own target) */
	if (v == PORTSEC_CLAIM6) {
		if (!bridge_ip6_held(br, in, in->portsec.claim) &&
		    portsec_learn6(&in->portsec, in->portsec.claim)) {
			v = portsec_check(&in->portsec, f, now);
			if (v == PORTSEC_PASS)
				return true;
		}
		if (v == PORTSEC_CLAIM6)
			v = (enum portsec_verdict)in->portsec.claim_drop;
	}
	bridge_drop(in, why[v]);
	return false;
}

/* storm control before a flood (step 11). Return: true if @f may be flooded */
static bool bridge_storm_allows(struct bridge_port *in, enum bridge_storm kind, uint64_t now)
{
	static const enum bridge_drop why[BR_STORM__MAX] = {
		[BR_STORM_BCAST] = BR_DROP_STORM_BCAST,
		[BR_STORM_UNKNOWN] = BR_DROP_STORM_UNKNOWN,
		[BR_STORM_MCAST] = BR_DROP_STORM_MCAST,
	};

	if (storm_allow(&in->storm[kind], now))
		return true;
	bridge_drop(in, why[kind]);
	return false;
}

/*
 * IGMP/MLD snooping (step 11, multicast): learn from @f, and say where it goes.
 * Return: 1 to the ports marked in br->mcast_mask, 0 flood, -1 dropped and counted
 */
static int bridge_mcast_snoop(struct bridge *br, struct bridge_port *in, uint16_t in_no,
			      const struct frame *f, uint16_t vid, uint64_t now)
{
	struct mdb_group g;
	enum mdb_family fam = MDB_IPV4;
	enum mdb_verdict v = mdb_snoop(br->mdb, f, in_no, vid, now, &g, &fam);

	if (v == MDB_BAD) {
		bridge_drop(in, BR_DROP_BAD_IGMP_MLD);
		return -1;
	}
	if (v != MDB_DATA && v != MDB_REPORT)
		return 0;
	/* no querier, no fresh memberships: flooding is all that is safe (as the kernel) */
	if (!mdb_querier_exists(br->mdb, fam, now))
		return 0;
	mdb_targets(br->mdb, vid, v == MDB_DATA ? &g : NULL, now, br->mcast_mask);
	return 1;
}

static void bridge_frame(struct bridge *br, struct bridge_port *in, uint16_t in_no, struct frame *f,
			 uint64_t now, struct bridge_out *out)
{
	const uint8_t *dst, *src;
	unsigned l2, n_targets;
	uint16_t type, vid = 0, station = FDB_PORT_NONE;
	struct fdb_probe pr[2]; /* the source's and the destination's */
	uint32_t seg_l3 = 0;
	bool gso = false;

	f->refs = 0;
	f->port = in_no;
	f->tci = 0;
	f->tagged = false;
	in->stats.rx_frames++;
	in->stats.rx_bytes += f->len;

	if (unlikely(f->len < ETH_HLEN)) {
		bridge_drop(in, BR_DROP_RUNT);
		return;
	}
	if (unlikely(in->state == BR_STATE_DISABLED)) {
		bridge_drop(in, BR_DROP_PORT_STATE);
		return;
	}
	type = eth_outer_type(f);
	l2 = bridge_type_is_tag(type) ? ETH_HLEN + VLAN_HLEN : ETH_HLEN;
	/* an S-VLAN bridge's frame may carry its customer's tag too: both are headers */
	if (br->cfg.vlan_proto == ETH_P_8021AD && l2 > ETH_HLEN && f->len >= l2 &&
	    bridge_type_is_tag(eth_get_be16(f->data + ETH_HLEN + 2)))
		l2 += VLAN_HLEN;
	if (unlikely(f->vnet.flags || f->vnet.gso_type)) {
		if (!bridge_offload_valid(f, l2)) {
			bridge_drop(in, BR_DROP_BAD_OFFLOAD);
			return;
		}
		gso = (f->vnet.gso_type & ~VNET_GSO_ECN) != VNET_GSO_NONE;
		if (gso)
			seg_l3 = bridge_gso_seg_l3(f, l2);
	}
	if (unlikely(f->len > FRAME_MAX_LEN ||
		     !bridge_fits_mtu(f->len, l2, gso, seg_l3, in->mtu))) {
		bridge_drop(in, BR_DROP_OVERSIZE);
		return;
	}
	dst = f->data;
	src = f->data + ETH_ALEN;
	if (unlikely(eth_is_multicast(src) || eth_is_zero(src))) {
		bridge_drop(in, BR_DROP_BAD_SOURCE);
		return;
	}
	/* with STP off, BPDUs pass through: the switch stays transparent to the tree around it */
	if (unlikely(eth_is_link_local(dst)) && (dst[5] != 0 || br->cfg.stp)) {
		if (dst[5] == 0 && (in->flags & BR_PORT_BPDU_GUARD)) {
			bridge_bpdu_trip(br, in, in_no);
			return;
		}
		in->stats.rx_control++;
		out->control[out->n_control++] = f;
		return;
	}
	if (unlikely(in->state == BR_STATE_BLOCKING || in->state == BR_STATE_LISTENING)) {
		bridge_drop(in, BR_DROP_PORT_STATE);
		return;
	}
	if ((in->flags & BR_PORT_ACCESS_GUARD) && guard_stacked_tag(f)) {
		bridge_drop(in, BR_DROP_ACCESS_TAGGED);
		return;
	}
	if (br->cfg.vlan_filtering) {
		int v = bridge_vlan_ingress(br, in, f, type);

		if (v < 0)
			return;
		vid = (uint16_t)v;
	}
	if ((in->flags & (BR_PORT_DHCP_GUARD | BR_PORT_RA_GUARD)) && !bridge_guard_allows(in, f))
		return;
	if (unlikely(br->n_portsec) && !bridge_portsec_allows(br, in, f, now))
		return;
	/* a unicast frame's two hashed at once: the destination's then costs little more */
	if (eth_is_multicast(dst))
		fdb_probe(br->fdb, src, vid, &pr[0]);
	else
		fdb_probe_pair(br->fdb, src, dst, vid, pr);
	/* a station's own frame, sent back by the adjacent bridge: its address stays put */
	if (br->cfg.relay != BR_RELAY_VEB && in->uplink) {
		station = fdb_lookup_probe(br->fdb, &pr[0], now);
		if (station != FDB_PORT_NONE && (!br->ports[station] || br->ports[station]->uplink))
			station = FDB_PORT_NONE;
		if (station != FDB_PORT_NONE && br->cfg.relay == BR_RELAY_PRIVATE) {
			bridge_drop(in, BR_DROP_ISOLATED);
			return;
		}
	}
	/* only learning and forwarding ports get this far */
	if ((in->flags & BR_PORT_LEARNING) && station == FDB_PORT_NONE) {
		fdb_learn_probe(br->fdb, &pr[0], in_no, now);
	}
	if (unlikely(in->state == BR_STATE_LEARNING)) {
		bridge_drop(in, BR_DROP_PORT_STATE);
		return;
	}

	if (!eth_is_multicast(dst)) {
		uint16_t p = fdb_lookup_probe(br->fdb, &pr[1], now);
		bool unknown = p == FDB_PORT_NONE;

		/* a station's frame to a station goes up to the adjacent bridge like any other */
		if (p != FDB_PORT_NONE && br->cfg.relay != BR_RELAY_VEB && !in->uplink &&
		    br->ports[p] && !br->ports[p]->uplink)
			p = FDB_PORT_NONE;
		if (p != FDB_PORT_NONE) {
			if (!bridge_unicast_allowed(br, in, in_no, p, vid))
				return;
			br->targets[0] = p;
			n_targets = 1;
			goto egress;
		}
		/* storm control counts what is unknown, not a VEPA station's frame sent up */
		if (unknown && !bridge_storm_allows(in, BR_STORM_UNKNOWN, now))
			return;
		n_targets = bridge_flood_targets(br, in, in_no, station, vid, BR_PORT_FLOOD, NULL);
	} else {
		bool bcast = eth_is_broadcast(dst);
		int snooped = 0;

		if (!bridge_storm_allows(in, bcast ? BR_STORM_BCAST : BR_STORM_MCAST, now))
			return;
		if (!bcast && br->cfg.mcast_snooping && !br->injecting) {
			snooped = bridge_mcast_snoop(br, in, in_no, f, vid, now);
			if (snooped < 0)
				return;
		}
		n_targets = bridge_flood_targets(br, in, in_no, station, vid,
						 bcast ? BR_PORT_BCAST_FLOOD : BR_PORT_MCAST_FLOOD,
						 snooped ? br->mcast_mask : NULL);
		/* only existing ports are marked: port_del takes a port out of the MDB */
		for (unsigned i = 0; snooped && i < br->n_ports; i++)
			br->mcast_mask[br->port_list[i]] = 0;
	}
	if (!n_targets) {
		bridge_drop(in, BR_DROP_NO_DEST);
		return;
	}
egress:
	if (br->cfg.vlan_filtering)
		bridge_egress_vlan(br, in, f, n_targets, vid, gso, seg_l3, out);
	else
		bridge_egress_plain(br, f, n_targets, l2, gso, seg_l3, out);
}

void bridge_input(struct bridge *br, uint16_t in_port, struct frame **frames, unsigned n,
		  uint64_t now, struct bridge_out *out)
{
	struct bridge_port *in = in_port < br->cfg.max_ports ? br->ports[in_port] : NULL;

	bridge_out_reset(out);
	if (n > BRIDGE_BURST_MAX)
		n = BRIDGE_BURST_MAX;
	for (unsigned i = 0; i < n; i++) {
		if (unlikely(!in))
			frames[i]->refs = 0;
		else
			bridge_frame(br, in, in_port, frames[i], now, out);
	}
}

void bridge_inject(struct bridge *br, uint16_t port, struct frame *f, uint64_t now,
		   struct bridge_out *out)
{
	br->injecting = true;
	bridge_input(br, port, &f, 1, now, out);
	br->injecting = false;
}

size_t bridge_age(struct bridge *br, uint64_t now)
{
	mdb_age(br->mdb, now);
	return fdb_age(br->fdb, now);
}
