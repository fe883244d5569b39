/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_vlan.c - vlan.add, vlan.del, vlan.list: `bridge vlan` on kvnet ports */

#include <string.h>

#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/switch/switch.h"

/* port, vid and optional vid_end. Return: 0, or -1 after ctl_fail() */
static int ctl_vlan_range(struct ctl_request *req, struct kv_port **p, uint16_t *vid, uint16_t *end)
{
	const char *name;
	int r;

	if (ctl_param_name_req(req, "port", &name) < 0)
		return -1;
	r = ctl_param_vid(req, "vid", vid);
	if (r == 0)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"vid is required (expected " CTL_VID_RANGE ")");
	if (r < 0)
		return -1;
	*end = *vid;
	if (ctl_param_vid(req, "vid_end", end) < 0)
		return -1;
	if (*end < *vid)
		return ctl_fail(req, CTL_ERR_PARAMS, "vlan range %u-%u is reversed", *vid, *end);
	*p = ctl_find_port(req, name);
	return *p ? 0 : -1;
}

static int ctl_vlan_add(struct ctl_request *req)
{
	bool pvid = false, untagged = false;
	struct kv_port *p;
	uint16_t vid, end;

	if (ctl_vlan_range(req, &p, &vid, &end) || ctl_param_bool(req, "pvid", &pvid) < 0 ||
	    ctl_param_bool(req, "untagged", &untagged) < 0)
		return -1;
	if (pvid && end != vid)
		return ctl_fail(req, CTL_ERR_PARAMS, "pvid needs a single vid, not a range");
	for (unsigned v = vid; v <= end; v++)
		bridge_vlan_add(p->sw->br, p->no, (uint16_t)v, pvid, untagged);
	return 0;
}

static int ctl_vlan_del(struct ctl_request *req)
{
	const struct vlan_port *vp;
	struct kv_port *p;
	uint16_t vid, end;

	if (ctl_vlan_range(req, &p, &vid, &end))
		return -1;
	vp = bridge_port_vlan(p->sw->br, p->no);
	for (unsigned v = vid; v <= end; v++)
		if (!vlan_is_member(vp, (uint16_t)v))
			return ctl_fail(req, CTL_ERR_NOT_FOUND,
					"port '%s' is not a member of vlan %u", p->name, v);
	for (unsigned v = vid; v <= end; v++)
		bridge_vlan_del(p->sw->br, p->no, (uint16_t)v);
	return 0;
}

json_t *ctl_vlan_json(const struct kv_port *p)
{
	const struct vlan_port *vp = bridge_port_vlan(p->sw->br, p->no);
	json_t *vlans = json_array();

	for (unsigned v = VLAN_VID_MIN; v <= VLAN_VID_MAX; v++)
		if (vlan_is_member(vp, (uint16_t)v))
			json_array_append_new(vlans, json_pack("{s:i,s:b}", "vid", v, "untagged",
							       vlan_is_untagged(vp, (uint16_t)v)));
	return json_pack("{s:s,s:s,s:o,s:o}", "port", p->name, "bridge", p->sw->name, "pvid",
			 vp->pvid ? json_integer(vp->pvid) : json_null(), "vlans", vlans);
}

static int ctl_vlan_list(struct ctl_request *req)
{
	return ctl_list_ports(req, "bridge", "port", ctl_vlan_json);
}

static const char *const add_params[] = { "port", "vid", "vid_end", "pvid", "untagged", NULL };
static const char *const del_params[] = { "port", "vid", "vid_end", NULL };
static const char *const list_params[] = { "bridge", "port", NULL };

const struct ctl_method ctl_vlan_methods[] = {
	{ "vlan.add", add_params, ctl_vlan_add },
	{ "vlan.del", del_params, ctl_vlan_del },
	{ "vlan.list", list_params, ctl_vlan_list },
	{ NULL, NULL, NULL },
};
