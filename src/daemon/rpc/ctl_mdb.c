/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_mdb.c - mdb.list: the multicast groups IGMP/MLD snooping learned, `bridge mdb show` */

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/ctl_request.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"

/* the memberships of @sw into @list, from @offset, at most @limit (0: all); Return: how many */
static size_t ctl_mdb_bridge(const struct kv_switch *sw, json_t *list, uint64_t now, size_t *skip,
			     uint64_t *left)
{
	const struct mdb *m = bridge_mdb_const(sw->br);
	struct mdb_entry e;
	uint32_t cursor = 0;
	size_t n = 0;

	while (mdb_next(m, &cursor, now, &e)) {
		const struct kv_port *q = e.port < sw->cfg.max_ports ? sw->by_no[e.port] : NULL;
		char group[INET6_ADDRSTRLEN];

		n++;
		if (*skip) {
			(*skip)--;
			continue;
		}
		if (*left == 0)
			continue;
		(*left)--;
		inet_ntop(e.group.v6 ? AF_INET6 : AF_INET, e.group.addr, group, sizeof(group));
		json_array_append_new(list,
				      json_pack("{s:s,s:s?,s:i,s:s,s:f}", "bridge", sw->name,
						"port", q ? q->name : NULL, "vid", e.vid, "group",
						group, "timer", (e.expires - now) / 1e9));
	}
	return n;
}

static json_t *ctl_mdb_routers(const struct kv_switch *sw, uint64_t now)
{
	const struct mdb *m = bridge_mdb_const(sw->br);
	json_t *list = json_array();

	for (const struct kv_port *p = sw->ports; p; p = p->next) {
		uint64_t until = mdb_router_until(m, p->no);

		if (!mdb_is_router(m, p->no, now))
			continue;
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:s,s:o?}", "bridge", sw->name, "port", p->name,
					"mode", mdb_router_name(mdb_router(m, p->no)), "timer",
					mdb_router(m, p->no) == MDB_ROUTER_AUTO && until > now
						? json_real((until - now) / 1e9)
						: NULL));
	}
	return list;
}

static int ctl_mdb_list(struct ctl_request *req)
{
	const char *bridge = NULL;
	uint64_t offset = 0, limit = 0, now = datapath_now();
	json_t *list, *routers;
	size_t total = 0, skip;

	if (ctl_param_name(req, "bridge", &bridge) < 0 ||
	    ctl_param_uint(req, "offset", 0, UINT32_MAX, &offset) < 0 ||
	    ctl_param_uint(req, "limit", 0, UINT32_MAX, &limit) < 0 ||
	    (bridge && !ctl_find_bridge(req, bridge)))
		return -1;
	list = json_array();
	routers = json_array();
	skip = offset;
	if (!limit)
		limit = UINT64_MAX;
	for (struct kv_switch *sw = switches; sw; sw = sw->next) {
		if (bridge && strcmp(sw->name, bridge))
			continue;
		total += ctl_mdb_bridge(sw, list, now, &skip, &limit);
		json_t *r = ctl_mdb_routers(sw, now);

		json_array_extend(routers, r);
		json_decref(r);
	}
	req->result = json_pack("{s:o,s:o,s:I}", "entries", list, "routers", routers, "total",
				(json_int_t)total);
	return 0;
}

static const char *const list_params[] = { "bridge", "offset", "limit", NULL };

const struct ctl_method ctl_mdb_methods[] = {
	{ "mdb.list", list_params, ctl_mdb_list },
	{ NULL, NULL, NULL },
};
