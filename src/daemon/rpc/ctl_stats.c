/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_stats.c - stats.show: the core's counters per bridge and per port, every drop cause */

#include <string.h>

#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_vxlan.h"
#include "daemon/switch/switch.h"

static json_t *ctl_stats_bridge(const struct kv_switch *sw)
{
	const struct mdb *m = bridge_mdb_const(sw->br);
	const struct mdb_stats *ms = mdb_stats(m);
	struct fdb_stats st;
	json_t *o;

	fdb_get_stats(bridge_fdb_const(sw->br), &st);
	o = json_pack("{s:s,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}}", "name", sw->name, "fdb", "size",
		      (json_int_t)st.size, "static", (json_int_t)st.n_static, "learned_now",
		      (json_int_t)st.n_learned, "learned", (json_int_t)st.learned, "moved",
		      (json_int_t)st.moved, "evicted_bridge_limit",
		      (json_int_t)st.evicted_bridge_limit, "evicted_port_limit",
		      (json_int_t)st.evicted_port_limit, "aged", (json_int_t)st.aged);
	/* IGMP/MLD snooping: the table's size, and what was heard, refused and sent */
	if (o)
		json_object_set_new(o, "mdb",
				    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "size",
					      (json_int_t)mdb_max(m), "entries",
					      (json_int_t)mdb_count(m), "reports",
					      (json_int_t)ms->reports, "leaves",
					      (json_int_t)ms->leaves, "queries",
					      (json_int_t)ms->queries, "refused",
					      (json_int_t)ms->refused, "limited",
					      (json_int_t)ms->limited, "expired",
					      (json_int_t)ms->expired, "bad", (json_int_t)ms->bad,
					      "queries_sent", (json_int_t)ms->sent));
	return o;
}

static json_t *ctl_stats_port(const struct kv_port *p)
{
	const struct bridge_port_stats *st = bridge_port_stats(p->sw->br, p->no);
	json_t *drops = json_object(), *o, *vx = ctl_vxlan_drops(p->be);
	struct port_counters be = port_counters(p->be);

	for (int d = 0; d < BR_DROP__MAX; d++)
		json_object_set_new(drops, bridge_drop_name((enum bridge_drop)d),
				    json_integer((json_int_t)st->drops[d]));
	/* the datapath's and the back-end's: the peer's queue full, the port stuck, the
	 * kernel's queue to kvnetd full */
	json_object_set_new(drops, "tx-full", json_integer((json_int_t)be.tx_full));
	json_object_set_new(drops, "tx-blocked", json_integer((json_int_t)p->dp_tx_blocked));
	json_object_set_new(drops, "rx-overrun", json_integer((json_int_t)be.rx_overrun));
	o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "name", p->name,
		      "bridge", p->sw->name, "rx_frames", (json_int_t)st->rx_frames, "rx_bytes",
		      (json_int_t)st->rx_bytes, "tx_frames", (json_int_t)st->tx_frames, "tx_bytes",
		      (json_int_t)st->tx_bytes, "rx_control", (json_int_t)st->rx_control,
		      "fdb_evicted",
		      (json_int_t)fdb_port_evicted(bridge_fdb_const(p->sw->br), p->no),
		      "mcast_group_limit",
		      (json_int_t)mdb_port_limited(bridge_mdb_const(p->sw->br), p->no), "rx_errors",
		      (json_int_t)be.rx_errors, "tx_errors", (json_int_t)be.tx_errors, "drops",
		      drops);
	/* a back-end's own drop causes (a VXLAN port's), beside the core's */
	if (o && vx)
		json_object_set_new(o, "vxlan_drops", vx);
	else
		json_decref(vx);
	return o;
}

static int ctl_stats_show(struct ctl_request *req)
{
	const char *bridge = NULL, *port = NULL;
	json_t *bridges, *ports;

	if (ctl_param_name(req, "bridge", &bridge) < 0 || ctl_param_name(req, "port", &port) < 0 ||
	    (bridge && !ctl_find_bridge(req, bridge)) || (port && !ctl_find_port(req, port)))
		return -1;
	bridges = json_array();
	ports = json_array();
	for (struct kv_switch *sw = switches; sw; sw = sw->next) {
		if (bridge && strcmp(sw->name, bridge))
			continue;
		if (!port)
			json_array_append_new(bridges, ctl_stats_bridge(sw));
		for (struct kv_port *p = sw->ports; p; p = p->next)
			if (!port || !strcmp(p->name, port))
				json_array_append_new(ports, ctl_stats_port(p));
	}
	req->result = json_pack("{s:o,s:o}", "bridges", bridges, "ports", ports);
	return 0;
}

static const char *const show_params[] = { "bridge", "port", NULL };

const struct ctl_method ctl_stats_methods[] = {
	{ "stats.show", show_params, ctl_stats_show },
	{ NULL, NULL, NULL },
};
