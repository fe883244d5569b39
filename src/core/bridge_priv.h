/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bridge_priv.h - a bridge's and its ports' state, shared by bridge.c and bridge_conf.c only */
#ifndef KVNET_CORE_BRIDGE_PRIV_H
#define KVNET_CORE_BRIDGE_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "core/bridge.h"
#include "core/portsec.h"
#include "core/storm.h"
#include "core/vlan.h"

struct bridge_port {
	uint8_t state;
	uint8_t want_state; /* as last set: a tripped BPDU guard holds @state disabled */
	bool bpdu_tripped;
	uint32_t flags;
	uint32_t mtu;
	bool uplink; /* to the adjacent bridge of a VEPA or private bridge */
	struct vlan_port vlan;
	struct storm_bucket storm[BR_STORM__MAX];
	struct portsec portsec;
	struct bridge_port_stats stats;
};

struct bridge {
	struct bridge_config cfg;
	struct fdb *fdb;
	struct bridge_port **ports; /* by number; NULL where free */
	uint16_t n_ports;
	uint16_t n_portsec;   /* ports with port security on: DHCP snooping runs while any */
	uint16_t *port_list;  /* numbers of existing ports, ascending */
	uint16_t *targets;    /* scratch: output ports of one frame */
	uint8_t *target_form; /* scratch: enum bridge_form of each target */
	struct mdb *mdb;
	uint8_t *mcast_mask; /* scratch: a byte a port, the ports snooping sends a frame to */
	bool injecting;	     /* bridge_inject(): the bridge's own frame, not snooped */
};

static inline void bridge_drop(struct bridge_port *p, enum bridge_drop why)
{
	p->stats.drops[why]++;
}

/* Return: port @port, or NULL if there is none */
static inline struct bridge_port *bridge_port(const struct bridge *br, uint16_t port)
{
	return port < br->cfg.max_ports ? br->ports[port] : NULL;
}

#endif /* KVNET_CORE_BRIDGE_PRIV_H */
