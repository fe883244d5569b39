/* SPDX-License-Identifier: GPL-2.0-or-later */
/* datapath_tick.c - the datapath's second: links, interfaces that come back, and on the first
 * thread the switches' ageing, spanning trees and multicast queries (see datapath.c) */

#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "core/fdb.h"
#include "core/mdb.h"
#include "core/stp.h"
#include "daemon/switch/datapath_priv.h"
#include "daemon/switch/switch_backend.h"
#include "daemon/switch/switch_capture.h"
#include "util/log.h"

/*
 * @p's interface is up and has carrier; false when it is gone or another interface has
 * taken its name (the socket stays bound to the old one, so the port is dead for good);
 * true when that cannot be told (it is then left to errors). Carrier is asked of the driver
 * (ETHTOOL_GLINK): IFF_RUNNING follows the operational state, which the kernel updates a
 * moment later, so a tap just made without carrier is "running" for a while.
 */
bool dp_carrier(const struct kv_port *p)
{
	struct ethtool_value link = { .cmd = ETHTOOL_GLINK };
	struct ifreq ifr = { 0 };

	if ((int)if_nametoindex(p->name) != p->be->ifindex)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->name);
	if (ioctl(dp.ioctl_fd, SIOCGIFFLAGS, &ifr))
		return true;
	if (!(ifr.ifr_flags & IFF_UP))
		return false;
	ifr.ifr_data = (char *)&link;
	if (!ioctl(dp.ioctl_fd, SIOCETHTOOL, &ifr))
		return link.data;
	return ifr.ifr_flags & IFF_RUNNING;
}

/* @be takes over what @old counted, its queues' with it */
static void dp_keep_counters(struct port *be, const struct port *old)
{
	struct port_counters c = port_counters(old);

	be->rx_errors = c.rx_errors;
	be->tx_errors = c.tx_errors;
	be->tx_full = c.tx_full;
	be->rx_overrun = c.rx_overrun;
}

/*
 * A bridge's port on an interface that went away (or was missing at start) takes the next
 * interface of its name, as an Open vSwitch port does: a veth made again, a NIC whose driver
 * was reloaded. Its sockets are bound to the old ifindex, so the back-end is opened anew and
 * takes the old one's place in the epoll sets, slots and all: its paused or busy state and
 * its queues' threads stay as they were. On the control thread, under the lock, as every
 * thread may be sending on the port or reading one of its queues.
 */
static void dp_reattach(struct kv_port *p)
{
	static struct log_ratelimit rl = LOG_RATELIMIT_INIT;
	struct port *old = p->be, *be;
	unsigned int idx;
	char err[256];

	if (p->type != KV_PORT_DEV || p->link_up || p->vm || p->netns[0])
		return;
	idx = if_nametoindex(p->name);
	if (!idx || (int)idx == old->ifindex)
		return;
	if (switch_backend_open(p->name, false, NULL, 0, NULL, &be, err, sizeof(err))) {
		if (log_ratelimit_ok(&rl))
			log_warn("port %s: interface %s is there again, but: %s", p->name, p->name,
				 err);
		return;
	}
	if (datapath_port_swap(p, be)) {
		be->ops->destroy(be);
		return;
	}
	dp_keep_counters(be, old);
	old->ops->destroy(old);
	log_info("port %s: interface %s (ifindex %d) attached again", p->name, p->name,
		 be->ifindex);
}

void datapath_reattach(void)
{
	for (struct kv_switch *sw = switches; sw; sw = sw->next)
		for (struct kv_port *p = sw->ports; p; p = p->next)
			dp_reattach(p);
}

/*
 * An attached interface's link follows its carrier, as a Linux bridge port's does: without
 * carrier (its cable cut, the far end of a veth down, QEMU gone from its tap) the port is
 * down and the spanning tree hears of it; with carrier back, it comes back. An interface
 * that went away, or is another one under the same name, leaves it down until
 * datapath_reattach() finds one of its name.
 */
static void dp_check_link(struct kv_port *p)
{
	bool carrier;

	if (p->type != KV_PORT_DEV)
		return;
	carrier = dp_carrier(p);
	if (carrier != p->link_up)
		dp_set_link(p, carrier);
}

/* joins refused to a port by its mcast_max_groups this second: told once a burst */
static void dp_mcast_limit_log(struct kv_switch *sw, struct mdb *m)
{
	static struct log_ratelimit rl = LOG_RATELIMIT_INIT;

	for (struct kv_port *p = sw->ports; p; p = p->next) {
		uint64_t n = mdb_port_limited_news(m, p->no);

		if (n && log_ratelimit_ok(&rl))
			log_warn("port %s: %llu IGMP/MLD joins refused: it listens to %u groups, "
				 "its mcast_max_groups (counter mcast_group_limit)",
				 p->name, (unsigned long long)n, mdb_n_groups(m, p->no));
	}
}

/*
 * A switch's second, on the first thread: FDB ageing, STP, and IGMP/MLD snooping's (the
 * memberships that ran out go, and the bridge's querier sends its general queries (mdb.h) out
 * of every port but the host netdev's, as if the host sent them). The first rx buffer is free
 * between polls.
 */
static void dp_switch_tick(struct dp_thread *t, struct kv_switch *sw, uint64_t now)
{
	struct bridge_out *out = sw->out[t->index];
	struct mdb *m = bridge_mdb(sw->br);
	struct frame *f = &t->rx[0];

	dp_sw_lock(sw);
	/* a slice a tick, so that a big table never holds up forwarding */
	fdb_age_slice(bridge_fdb(sw->br), now, DP_AGE_SLOTS);
	mdb_age(m, now);
	dp_mcast_limit_log(sw, m);
	if (sw->stp)
		stp_tick(sw->stp, now);
	dp_sw_unlock(sw);
	if (!sw->host)
		return;
	for (int fam = 0; fam < MDB_FAMILY__MAX; fam++) {
		unsigned int k;

		dp_sw_lock(sw);
		if (!mdb_query_due(m, (enum mdb_family)fam, now)) {
			dp_sw_unlock(sw);
			continue;
		}
		frame_init(f, t->bufs, FRAME_BUF_SIZE);
		if (mdb_build_query(f, (enum mdb_family)fam, sw->mac)) {
			dp_sw_unlock(sw);
			continue;
		}
		bridge_inject(sw->br, sw->host->no, f, now, out);
		k = dp_plan(t, sw, out, now);
		dp_sw_unlock(sw);
		dp_transmit(t, k, now, -1); /* no port to pause: the bridge's own frame */
		dp_return_spares(out);
	}
}

/* the thread's second: its own ports' links and back-ends; the first thread's, the switches */
void dp_tick(struct dp_thread *t, uint64_t now)
{
	if (t->index == 0) {
		dp_copy_lock();
		switch_capture_tick();
		dp_copy_unlock();
	}
	for (struct kv_switch *sw = switches; sw; sw = sw->next) {
		if (t->index == 0)
			dp_switch_tick(t, sw, now);
		for (struct kv_port *p = sw->ports; p; p = p->next) {
			if (dp_owner(p) != t)
				continue;
			dp_check_link(p);
			if (p->be->ops->tick) {
				datapath_port_lock(p);
				p->be->ops->tick(p->be);
				datapath_port_unlock(p);
				dp_sync_peer(p);
			}
		}
	}
	t->next_tick = now + DP_TICK_NS;
}
