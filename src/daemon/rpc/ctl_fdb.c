/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_fdb.c - fdb.list, fdb.add, fdb.del, fdb.flush: `bridge fdb` on a kvnet switch */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_vxlan.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"

/*
 * The VID of an FDB request: the given one (0..4094: 0 is what a bridge
 * without filtering uses), else 0 without filtering, else @pvid.
 * Return: 0, or -1 after ctl_fail()
 */
static int ctl_fdb_vid(struct ctl_request *req, const struct kv_switch *sw, uint16_t pvid,
		       const char *whose, uint16_t *vid)
{
	uint64_t v;
	int r = ctl_param_uint(req, "vid", 0, VLAN_VID_MAX, &v);

	if (r < 0)
		return -1;
	if (r) {
		*vid = (uint16_t)v;
		return 0;
	}
	if (!bridge_vlan_filtering(sw->br)) {
		*vid = 0;
		return 0;
	}
	if (!pvid)
		return ctl_fail(req, CTL_ERR_PARAMS, "vid is required: %s has no pvid", whose);
	*vid = pvid;
	return 0;
}

static int ctl_fdb_cmp(const void *a, const void *b)
{
	const struct fdb_entry *x = a, *y = b;

	if (x->port != y->port)
		return x->port - y->port;
	if (x->vid != y->vid)
		return x->vid - y->vid;
	return memcmp(x->mac, y->mac, ETH_ALEN);
}

/* FDB slots a flush looks at while it holds the datapath lock */
#define CTL_FDB_FLUSH_SLICE 8192

static int ctl_fdb_list(struct ctl_request *req)
{
	const char *bridge, *port = NULL;
	struct fdb_entry *rows = NULL, e;
	size_t n = 0, cap = 0, cursor = 0;
	const struct kv_port *p = NULL;
	struct kv_switch *sw;
	uint64_t vid = 0, now = datapath_now(), offset = 0, limit = 0, ageing;
	int has_vid;
	json_t *list;

	if (ctl_param_name_req(req, "bridge", &bridge) < 0 ||
	    ctl_param_name(req, "port", &port) < 0)
		return -1;
	has_vid = ctl_param_uint(req, "vid", 0, VLAN_VID_MAX, &vid);
	/* a full table does not fit in one answer: the client asks for it in pages */
	if (has_vid < 0 || ctl_param_uint(req, "offset", 0, UINT32_MAX, &offset) < 0 ||
	    ctl_param_uint(req, "limit", 0, UINT32_MAX, &limit) < 0 ||
	    !(sw = ctl_find_bridge(req, bridge)))
		return -1;
	if (port && (!(p = ctl_find_port(req, port)) || p->sw != sw))
		return p ? ctl_fail(req, CTL_ERR_NOT_FOUND, "port '%s' is not on bridge '%s'", port,
				    bridge)
			 : -1;
	ageing = fdb_ageing(bridge_fdb_const(sw->br));
	while (fdb_next(bridge_fdb_const(sw->br), &cursor, &e)) {
		if ((p && e.port != p->no) || (has_vid && e.vid != vid))
			continue;
		/* expired: no longer forwarded to, only not yet swept (a slice a second) */
		if (!e.is_static && now >= e.seen && now - e.seen >= ageing)
			continue;
		if (n == cap) {
			struct fdb_entry *r = realloc(rows,
						      (cap = cap ? 2 * cap : 256) * sizeof(*r));

			if (!r) {
				free(rows);
				return ctl_fail(req, CTL_ERR_INTERNAL, "out of memory");
			}
			rows = r;
		}
		rows[n++] = e;
	}
	/*
	 * The rows are a copy: sorted without the lock, so that listing a full table page
	 * by page does not hold forwarding up. Only this thread changes ports, so
	 * sw->by_no and the names stay as they are meanwhile. A page is formatted with the
	 * lock again: a tunnel port's remotes are the datapath's.
	 */
	datapath_unlock();
	if (n)
		qsort(rows, n, sizeof(*rows), ctl_fdb_cmp);
	datapath_lock();
	list = json_array();
	for (size_t i = offset; i < n && (!limit || i < offset + limit); i++) {
		const struct kv_port *q = rows[i].port < sw->cfg.max_ports ? sw->by_no[rows[i].port]
									   : NULL;
		char mac[18];
		json_t *o = json_pack("{s:s,s:i,s:s?,s:b,s:f}", "mac",
				      ctl_mac_format(rows[i].mac, mac), "vid", rows[i].vid, "port",
				      q ? q->name : NULL, "static", rows[i].is_static, "age",
				      now > rows[i].seen ? (now - rows[i].seen) / 1e9 : 0.0);
		/* behind a tunnel: the remote endpoint the MAC was last seen from */
		json_t *remote = q && o ? ctl_vxlan_remote(q->be, rows[i].mac, rows[i].vid) : NULL;

		if (remote)
			json_object_set_new(o, "remote", remote);
		json_array_append_new(list, o);
	}
	free(rows);
	req->result = json_pack("{s:o,s:I}", "entries", list, "total", (json_int_t)n);
	return 0;
}

static int ctl_fdb_add(struct ctl_request *req)
{
	bool replace = false;
	const char *port, *remote = NULL;
	struct kv_port *p;
	uint8_t mac[ETH_ALEN];
	uint16_t vid = 0;
	int r;

	if (ctl_param_name_req(req, "port", &port) < 0)
		return -1;
	if (ctl_param_mac_req(req, "mac", mac) < 0 ||
	    ctl_param_bool(req, "replace", &replace) < 0 ||
	    ctl_param_string(req, "remote", &remote) < 0 || !(p = ctl_find_port(req, port)))
		return -1;
	if (ctl_fdb_vid(req, p->sw, bridge_port_vlan(p->sw->br, p->no)->pvid, port, &vid) ||
	    (remote && ctl_vxlan_pin(req, p, mac, vid, remote, true)))
		return -1;
	r = fdb_add_static(bridge_fdb(p->sw->br), mac, vid, p->no, replace, datapath_now());
	if (r == -EINVAL)
		return ctl_fail(
			req, CTL_ERR_PARAMS,
			"mac %s is a multicast or zero address (expected a station's unicast "
			"address)",
			json_string_value(json_object_get(req->params, "mac")));
	if (r == -EEXIST)
		return ctl_fail(req, CTL_ERR_EXISTS,
				"a static entry for %s vlan %u exists (use replace to move it)",
				json_string_value(json_object_get(req->params, "mac")), vid);
	if (r == -ENOSPC)
		return ctl_fail(req, CTL_ERR_FULL,
				"bridge '%s' has no room for more static entries", p->sw->name);
	/* a replaced entry may have left a VXLAN port */
	ctl_vxlan_fdb_sync(p->sw);
	if (remote && ctl_vxlan_pin(req, p, mac, vid, remote, false)) {
		fdb_del(bridge_fdb(p->sw->br), mac, vid);
		return -1;
	}
	return 0;
}

static int ctl_fdb_del(struct ctl_request *req)
{
	const char *bridge;
	struct kv_switch *sw;
	uint8_t mac[ETH_ALEN];
	uint16_t vid = 0;

	if (ctl_param_name_req(req, "bridge", &bridge) < 0)
		return -1;
	if (ctl_param_mac_req(req, "mac", mac) < 0 || !(sw = ctl_find_bridge(req, bridge)))
		return -1;
	if (ctl_fdb_vid(req, sw, sw->cfg.default_pvid, bridge, &vid))
		return -1;
	if (fdb_del(bridge_fdb(sw->br), mac, vid))
		return ctl_fail(req, CTL_ERR_NOT_FOUND, "bridge '%s' has no entry for %s vlan %u",
				bridge, json_string_value(json_object_get(req->params, "mac")),
				vid);
	ctl_vxlan_fdb_sync(sw);
	return 0;
}

static int ctl_fdb_flush(struct ctl_request *req)
{
	const char *bridge, *port = NULL;
	uint16_t pno = FDB_FLUSH_ANY_PORT;
	bool with_static = false;
	struct kv_switch *sw;
	uint64_t vid = FDB_FLUSH_ANY_VID;
	size_t n = 0;

	if (ctl_param_name_req(req, "bridge", &bridge) < 0 ||
	    ctl_param_name(req, "port", &port) < 0 ||
	    ctl_param_uint(req, "vid", 0, VLAN_VID_MAX, &vid) < 0 ||
	    ctl_param_bool(req, "static", &with_static) < 0 || !(sw = ctl_find_bridge(req, bridge)))
		return -1;
	if (port) {
		struct kv_port *p = ctl_find_port(req, port);

		if (!p)
			return -1;
		if (p->sw != sw)
			return ctl_fail(req, CTL_ERR_NOT_FOUND, "port '%s' is not on bridge '%s'",
					port, bridge);
		pno = p->no;
	}
	/*
	 * In slices, the lock dropped between them, so forwarding goes on while a full
	 * table is flushed; only this thread changes switches and ports, so @sw and
	 * @pno stay valid meanwhile
	 */
	for (size_t cursor = 0, end = fdb_slots(bridge_fdb(sw->br)); cursor < end;) {
		n += fdb_flush_slice(bridge_fdb(sw->br), pno, (uint16_t)vid, with_static, &cursor,
				     CTL_FDB_FLUSH_SLICE);
		datapath_unlock();
		datapath_lock();
	}
	ctl_vxlan_fdb_sync(sw);
	req->result = json_pack("{s:I}", "flushed", (json_int_t)n);
	return 0;
}

static const char *const list_params[] = { "bridge", "port", "vid", "offset", "limit", NULL };
static const char *const add_params[] = { "port", "mac", "vid", "replace", "remote", NULL };
static const char *const del_params[] = { "bridge", "mac", "vid", NULL };
static const char *const flush_params[] = { "bridge", "port", "vid", "static", NULL };

const struct ctl_method ctl_fdb_methods[] = {
	{ "fdb.list", list_params, ctl_fdb_list },
	{ "fdb.add", add_params, ctl_fdb_add },
	{ "fdb.del", del_params, ctl_fdb_del },
	{ "fdb.flush", flush_params, ctl_fdb_flush },
	{ NULL, NULL, NULL },
};
