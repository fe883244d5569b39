/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_events.c - events.subscribe, and the notifications a subscribed connection receives
 *
 * A connection that called events.subscribe receives, after the answer, one JSON-RPC
 * notification per event of the categories it asked for: {"jsonrpc": "2.0", "method":
 * "event", "params": {"event": "port.added", "bridge": ..., "port": ...}}. The connection
 * side (ctl_conn.c) queues them, bounded, and counts what did not fit.
 */

#include <string.h>

#include "core/bridge.h"
#include "core/stp.h"
#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/switch/switch_event.h"

static const struct {
	const char *name;
	unsigned int cls;
} ctl_event_classes[] = {
	{ "bridge", SWITCH_EVENT_BRIDGE },   { "port", SWITCH_EVENT_PORT },
	{ "network", SWITCH_EVENT_NETWORK }, { "stp", SWITCH_EVENT_STP },
	{ "fdb", SWITCH_EVENT_FDB },
};

#define N_CLASSES (sizeof(ctl_event_classes) / sizeof(ctl_event_classes[0]))
/* without a filter: everything but the FDB, which changes with every new station */
#define CTL_EVENTS_DEFAULT                                                                         \
	(SWITCH_EVENT_BRIDGE | SWITCH_EVENT_PORT | SWITCH_EVENT_NETWORK | SWITCH_EVENT_STP)

/* the subscription the last request made, for ctl_conn.c to take */
static unsigned int ctl_events_pending;

unsigned int ctl_events_take(void)
{
	unsigned int m = ctl_events_pending;

	ctl_events_pending = 0;
	return m;
}

static int ctl_events_subscribe(struct ctl_request *req)
{
	json_t *filter = json_object_get(req->params, "filter"), *v, *names;
	unsigned int mask = 0;
	size_t i;

	if (filter && !json_is_array(filter))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"filter must be a list of bridge, port, network, stp, fdb");
	json_array_foreach(filter, i, v)
	{
		size_t k;

		for (k = 0; k < N_CLASSES; k++)
			if (json_is_string(v) &&
			    !strcmp(json_string_value(v), ctl_event_classes[k].name))
				break;
		if (k == N_CLASSES)
			return ctl_fail(req, CTL_ERR_PARAMS,
					"filter item %zu is not known (expected bridge, port, "
					"network, stp or fdb)",
					i + 1);
		mask |= ctl_event_classes[k].cls;
	}
	if (!mask)
		mask = CTL_EVENTS_DEFAULT;
	names = json_array();
	for (size_t k = 0; k < N_CLASSES; k++)
		if (mask & ctl_event_classes[k].cls)
			json_array_append_new(names, json_string(ctl_event_classes[k].name));
	req->result = json_pack("{s:o}", "subscribed", names);
	ctl_events_pending = mask;
	return 0;
}

static const char *ctl_event_name(enum switch_event_kind kind)
{
	switch (kind) {
	case SWITCH_EV_BRIDGE_ADDED:
		return "bridge.added";
	case SWITCH_EV_BRIDGE_REMOVED:
		return "bridge.removed";
	case SWITCH_EV_PORT_ADDED:
		return "port.added";
	case SWITCH_EV_PORT_REMOVED:
		return "port.removed";
	case SWITCH_EV_LINK_UP:
		return "port.up";
	case SWITCH_EV_LINK_DOWN:
		return "port.down";
	case SWITCH_EV_NET_DEFINED:
		return "network.defined";
	case SWITCH_EV_NET_UNDEFINED:
		return "network.undefined";
	case SWITCH_EV_NET_STARTED:
		return "network.started";
	case SWITCH_EV_NET_STOPPED:
		return "network.stopped";
	case SWITCH_EV_STP_STATE:
		return "stp.state";
	case SWITCH_EV_FDB_LEARNED:
		return "fdb.learned";
	case SWITCH_EV_FDB_MOVED:
		return "fdb.moved";
	case SWITCH_EV_FDB_AGED:
		return "fdb.aged";
	case SWITCH_EV_LOST:
		break;
	}
	return "events.lost";
}

char *ctl_event_line(const struct switch_event *e)
{
	json_t *params = json_pack("{s:s}", "event", ctl_event_name(e->kind)), *msg;
	char mac[CTL_MAC_STRLEN], *line;

	if (e->network[0])
		json_object_set_new(params, "network", json_string(e->network));
	if (e->bridge[0])
		json_object_set_new(params, "bridge", json_string(e->bridge));
	if (e->port[0])
		json_object_set_new(params, "port", json_string(e->port));
	switch (switch_event_class_of(e->kind)) {
	case SWITCH_EVENT_STP:
		json_object_set_new(params, "state", json_string(bridge_port_state_name(e->state)));
		json_object_set_new(params, "role", json_string(stp_role_name(e->role)));
		break;
	case SWITCH_EVENT_FDB:
		json_object_set_new(params, "mac", json_string(ctl_mac_format(e->mac, mac)));
		json_object_set_new(params, "vid", json_integer(e->vid));
		break;
	default:
		break;
	}
	if (e->kind == SWITCH_EV_LOST)
		json_object_set_new(params, "count", json_integer((json_int_t)e->count));
	msg = json_pack("{s:s,s:s,s:o}", "jsonrpc", "2.0", "method", "event", "params", params);
	line = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	return line;
}

static const char *const subscribe_params[] = { "filter", NULL };

const struct ctl_method ctl_events_methods[] = {
	{ "events.subscribe", subscribe_params, ctl_events_subscribe },
	{ NULL, NULL, NULL },
};
