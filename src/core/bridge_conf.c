/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bridge_conf.c - a bridge's ports and settings, changed between bursts by the control side
 *
 * Nothing here runs per frame: ports come and go (the FDB's and MDB's entries
 * with them), their flags, state, MTU, VLANs, guards, port security, storm
 * and learning limits change, and the bridge's own settings are read and set.
 * The pipeline that uses them is bridge.c.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "core/bridge_priv.h"
#include "core/fdb.h"
#include "core/mdb.h"

int bridge_port_add(struct bridge *br)
{
	struct bridge_port *p;
	uint16_t no = 0;
	unsigned i;

	/* port_list is ascending, so the first gap in it is the lowest free number */
	for (i = 0; i < br->n_ports && br->port_list[i] == no; i++)
		no++;
	if (no >= br->cfg.max_ports)
		return -ENOSPC;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->state = BR_STATE_FORWARDING;
	p->want_state = BR_STATE_FORWARDING;
	p->flags = BR_PORT_FLAGS_DEFAULT;
	p->mtu = BRIDGE_MTU_DEFAULT;
	vlan_port_init(&p->vlan);
	if (br->cfg.default_pvid)
		vlan_add(&p->vlan, br->cfg.default_pvid, true, true);
	memmove(&br->port_list[i + 1], &br->port_list[i], (br->n_ports - i) * sizeof(uint16_t));
	br->port_list[i] = no;
	br->n_ports++;
	br->ports[no] = p;
	fdb_port_reset(br->fdb, no);
	mdb_port_reset(br->mdb, no);
	return no;
}

bool bridge_port_exists(const struct bridge *br, uint16_t port)
{
	return bridge_port(br, port) != NULL;
}

void bridge_port_count_shaped(struct bridge *br, uint16_t port, bool rx, uint32_t len)
{
	struct bridge_port *p = bridge_port(br, port);

	if (!p)
		return;
	if (rx) {
		p->stats.rx_frames++;
		p->stats.rx_bytes += len;
		bridge_drop(p, BR_DROP_SHAPED_RX);
		return;
	}
	/* listed as sent; an egress tag may have changed its length since, by 4 bytes */
	p->stats.tx_frames -= !!p->stats.tx_frames;
	p->stats.tx_bytes -= len < p->stats.tx_bytes ? len : p->stats.tx_bytes;
	bridge_drop(p, BR_DROP_SHAPED_TX);
}

int bridge_port_del(struct bridge *br, uint16_t port)
{
	struct bridge_port *p = bridge_port(br, port);
	unsigned i = 0;

	if (!p)
		return -ENOENT;
	fdb_flush(br->fdb, port, FDB_FLUSH_ANY_VID, true);
	mdb_port_reset(br->mdb, port);
	br->n_portsec -= !!p->portsec.cfg.flags;
	while (br->port_list[i] != port)
		i++;
	memmove(&br->port_list[i], &br->port_list[i + 1], (br->n_ports - i - 1) * sizeof(uint16_t));
	br->n_ports--;
	br->ports[port] = NULL;
	free(p);
	return 0;
}

int bridge_port_set_flags(struct bridge *br, uint16_t port, uint32_t set, uint32_t clear)
{
	struct bridge_port *p = bridge_port(br, port);

	if (!p)
		return -ENOENT;
	if ((set | clear) & ~BR_PORT_FLAGS_ALL)
		return -EINVAL;
	p->flags = (p->flags & ~clear) | set;
	return 0;
}

int bridge_port_set_mtu(struct bridge *br, uint16_t port, uint32_t mtu)
{
	struct bridge_port *p = bridge_port(br, port);

	if (!p)
		return -ENOENT;
	if (mtu < BRIDGE_MTU_MIN || mtu > BRIDGE_MTU_MAX)
		return -EINVAL;
	p->mtu = mtu;
	return 0;
}

int bridge_port_set_state(struct bridge *br, uint16_t port, enum bridge_port_state state)
{
	struct bridge_port *p = bridge_port(br, port);

	if (!p)
		return -ENOENT;
	if (!bridge_port_state_name(state))
		return -EINVAL;
	p->want_state = (uint8_t)state;
	if (p->bpdu_tripped)
		return 0;
	p->state = (uint8_t)state;
	if (state == BR_STATE_DISABLED) {
		fdb_flush(br->fdb, port, FDB_FLUSH_ANY_VID, false);
		mdb_flush_port(br->mdb, port, 0);
		/* the guest's DAD claims them again when it comes back (portsec.h) */
		portsec_forget6(&p->portsec);
	}
	return 0;
}

int bridge_port_set_portsec(struct bridge *br, uint16_t port, const struct portsec_cfg *cfg)
{
	struct bridge_port *p = bridge_port(br, port);
	bool was;
	int err;

	if (!p)
		return -ENOENT;
	was = p->portsec.cfg.flags;
	err = portsec_set(&p->portsec, cfg);
	if (err)
		return err;
	br->n_portsec = (uint16_t)(br->n_portsec - was + !!cfg->flags);
	return 0;
}

int bridge_port_portsec_learn(struct bridge *br, uint16_t port, const uint8_t mac[6],
			      const uint8_t ip[4], uint64_t expires)
{
	struct bridge_port *p = bridge_port(br, port);

	if (!p)
		return -ENOENT;
	if (!p->portsec.cfg.flags || !portsec_learn(&p->portsec, mac, ip, expires))
		return -EINVAL;
	return 0;
}

const struct portsec *bridge_port_portsec(const struct bridge *br, uint16_t port)
{
	return &bridge_port(br, port)->portsec;
}

bool bridge_port_bpdu_tripped(const struct bridge *br, uint16_t port)
{
	const struct bridge_port *p = bridge_port(br, port);

	return p && p->bpdu_tripped;
}

int bridge_port_bpdu_reset(struct bridge *br, uint16_t port)
{
	struct bridge_port *p = bridge_port(br, port);

	if (!p)
		return -ENOENT;
	if (!p->bpdu_tripped)
		return 0;
	p->bpdu_tripped = false;
	return bridge_port_set_state(br, port, (enum bridge_port_state)p->want_state);
}

int bridge_port_set_storm(struct bridge *br, uint16_t port, enum bridge_storm kind, uint32_t rate,
			  uint64_t now)
{
	struct bridge_port *p = bridge_port(br, port);

	if (!p)
		return -ENOENT;
	if ((unsigned)kind >= BR_STORM__MAX)
		return -EINVAL;
	return storm_set(&p->storm[kind], rate, now);
}

uint32_t bridge_port_storm(const struct bridge *br, uint16_t port, enum bridge_storm kind)
{
	return (unsigned)kind < BR_STORM__MAX ? bridge_port(br, port)->storm[kind].rate : 0;
}

int bridge_port_set_uplink(struct bridge *br, uint16_t port, bool on)
{
	struct bridge_port *p = bridge_port(br, port);

	if (!p)
		return -ENOENT;
	p->uplink = on;
	return 0;
}

bool bridge_port_uplink(const struct bridge *br, uint16_t port)
{
	return bridge_port(br, port)->uplink;
}

int bridge_port_set_learn_limit(struct bridge *br, uint16_t port, uint32_t limit)
{
	if (!bridge_port(br, port))
		return -ENOENT;
	return fdb_set_port_limit(br->fdb, port, limit);
}

uint32_t bridge_port_flags(const struct bridge *br, uint16_t port)
{
	return bridge_port(br, port)->flags;
}

uint32_t bridge_port_mtu(const struct bridge *br, uint16_t port)
{
	return bridge_port(br, port)->mtu;
}

enum bridge_port_state bridge_port_state(const struct bridge *br, uint16_t port)
{
	return (enum bridge_port_state)bridge_port(br, port)->state;
}

const struct vlan_port *bridge_port_vlan(const struct bridge *br, uint16_t port)
{
	return &bridge_port(br, port)->vlan;
}

const struct bridge_port_stats *bridge_port_stats(const struct bridge *br, uint16_t port)
{
	return &bridge_port(br, port)->stats;
}

int bridge_vlan_add(struct bridge *br, uint16_t port, uint16_t vid, bool pvid, bool untagged)
{
	struct bridge_port *p = bridge_port(br, port);

	return p ? vlan_add(&p->vlan, vid, pvid, untagged) : -ENOENT;
}

int bridge_vlan_del(struct bridge *br, uint16_t port, uint16_t vid)
{
	struct bridge_port *p = bridge_port(br, port);
	int err;

	if (!p)
		return -ENOENT;
	err = vlan_del(&p->vlan, vid);
	if (!err) {
		fdb_flush(br->fdb, port, vid, false);
		mdb_flush_port(br->mdb, port, vid);
	}
	return err;
}

int bridge_vlan_apply_spec(struct bridge *br, uint16_t port, const struct vlan_spec *spec)
{
	struct bridge_port *p = bridge_port(br, port);
	int err;

	if (!p)
		return -ENOENT;
	err = vlan_apply_spec(&p->vlan, spec);
	if (!err) {
		fdb_flush(br->fdb, port, FDB_FLUSH_ANY_VID, false);
		mdb_flush_port(br->mdb, port, 0);
	}
	return err;
}

bool bridge_stp(const struct bridge *br)
{
	return br->cfg.stp;
}

void bridge_set_stp(struct bridge *br, bool on)
{
	br->cfg.stp = on;
}

bool bridge_vlan_filtering(const struct bridge *br)
{
	return br->cfg.vlan_filtering;
}

void bridge_set_vlan_filtering(struct bridge *br, bool on)
{
	if (br->cfg.vlan_filtering == on)
		return;
	br->cfg.vlan_filtering = on;
	fdb_flush(br->fdb, FDB_FLUSH_ANY_PORT, FDB_FLUSH_ANY_VID, false);
}

int bridge_set_relay(struct bridge *br, enum bridge_relay relay)
{
	if (!bridge_relay_name(relay))
		return -EINVAL;
	if (br->cfg.relay == relay)
		return 0;
	br->cfg.relay = relay;
	fdb_flush(br->fdb, FDB_FLUSH_ANY_PORT, FDB_FLUSH_ANY_VID, false);
	return 0;
}

enum bridge_relay bridge_relay(const struct bridge *br)
{
	return br->cfg.relay;
}

int bridge_set_vlan_proto(struct bridge *br, uint16_t proto)
{
	if (proto != ETH_P_8021Q && proto != ETH_P_8021AD)
		return -EINVAL;
	if (br->cfg.vlan_proto == proto)
		return 0;
	br->cfg.vlan_proto = proto;
	fdb_flush(br->fdb, FDB_FLUSH_ANY_PORT, FDB_FLUSH_ANY_VID, false);
	return 0;
}

uint16_t bridge_vlan_proto(const struct bridge *br)
{
	return br->cfg.vlan_proto;
}

uint16_t bridge_max_ports(const struct bridge *br)
{
	return br->cfg.max_ports;
}

struct fdb *bridge_fdb(struct bridge *br)
{
	return br->fdb;
}

const struct fdb *bridge_fdb_const(const struct bridge *br)
{
	return br->fdb;
}

struct mdb *bridge_mdb(struct bridge *br)
{
	return br->mdb;
}

const struct mdb *bridge_mdb_const(const struct bridge *br)
{
	return br->mdb;
}

bool bridge_mcast_snooping(const struct bridge *br)
{
	return br->cfg.mcast_snooping;
}

void bridge_set_mcast_snooping(struct bridge *br, bool on)
{
	if (!on)
		mdb_flush(br->mdb);
	br->cfg.mcast_snooping = on;
}
