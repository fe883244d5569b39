/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_mirror.c - mirror.add, mirror.del, mirror.list: port mirroring (switch/switch_mirror.h) */

#include <errno.h>
#include <string.h>

#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_mirror.h"

/* the bridge of param "bridge" and the mirror name of param "name" */
static struct kv_switch *ctl_mirror_target(struct ctl_request *req, const char **name)
{
	const char *bridge;

	if (ctl_param_name_req(req, "bridge", &bridge) < 0 ||
	    ctl_param_name_req(req, "name", name) < 0)
		return NULL;
	return ctl_find_bridge(req, bridge);
}

/* param "src": a list of port names. Return: how many into @src, or -1 after ctl_fail() */
static int ctl_mirror_src(struct ctl_request *req, struct kv_port **src)
{
	json_t *list = json_object_get(req->params, "src"), *v;
	size_t i;

	if (!json_is_array(list) || !json_array_size(list) ||
	    json_array_size(list) > CTL_MIRROR_SRC_MAX)
		return ctl_fail(req, CTL_ERR_PARAMS, "src must be a list of 1 to %d port names",
				CTL_MIRROR_SRC_MAX);
	json_array_foreach(list, i, v)
	{
		const char *name = json_string_value(v);

		if (!name || !ctl_name_valid(name))
			return ctl_fail(req, CTL_ERR_PARAMS, "src item %zu is not a port name",
					i + 1);
		src[i] = ctl_find_port(req, name);
		if (!src[i])
			return -1;
	}
	return (int)i;
}

/* param "vlans": a list of VIDs, or absent. Return: how many into @vids, or -1 */
static int ctl_mirror_vlans(struct ctl_request *req, uint16_t *vids)
{
	json_t *list = json_object_get(req->params, "vlans"), *v;
	size_t i;

	if (!list)
		return 0;
	if (!json_is_array(list) || json_array_size(list) > CTL_MIRROR_VLANS_MAX)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"vlans must be a list of at most %d VIDs (" CTL_VID_RANGE ")",
				CTL_MIRROR_VLANS_MAX);
	json_array_foreach(list, i, v)
	{
		json_int_t vid = json_integer_value(v);

		if (!json_is_integer(v) || vid < CTL_VID_MIN || vid > CTL_VID_MAX)
			return ctl_fail(req, CTL_ERR_PARAMS,
					"vlans item %zu is not a VID (expected " CTL_VID_RANGE ")",
					i + 1);
		vids[i] = (uint16_t)vid;
		for (size_t k = 0; k < i; k++)
			if (vids[k] == vids[i])
				return ctl_fail(req, CTL_ERR_PARAMS, "vlan %u is given twice",
						vids[i]);
	}
	return (int)i;
}

static int ctl_mirror_add(struct ctl_request *req)
{
	struct kv_port *src[CTL_MIRROR_SRC_MAX], *dst;
	uint16_t vids[CTL_MIRROR_VLANS_MAX];
	struct switch_mirror *m;
	const char *name, *dst_name = NULL;
	struct kv_switch *sw;
	int n_src, n_vlans, ret;
	char err[200];

	sw = ctl_mirror_target(req, &name);
	if (!sw)
		return -1;
	n_src = ctl_mirror_src(req, src);
	if (n_src < 0)
		return -1;
	n_vlans = ctl_mirror_vlans(req, vids);
	if (n_vlans < 0)
		return -1;
	if (ctl_param_name(req, "dst", &dst_name) < 0)
		return -1;
	if (!dst_name)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"mirror %s: dst is required, the port the copies go out of "
				"(kvnet capture reads a port without a mirror)",
				name);
	dst = ctl_find_port(req, dst_name);
	if (!dst)
		return -1;
	ret = switch_mirror_add(sw, name, src, (unsigned int)n_src, dst, vids,
				(unsigned int)n_vlans, &m, err, sizeof(err));
	if (ret)
		return ctl_fail_errno(req, ret, err);
	return 0;
}

static int ctl_mirror_del(struct ctl_request *req)
{
	struct switch_mirror *m;
	struct kv_switch *sw;
	const char *name;

	sw = ctl_mirror_target(req, &name);
	if (!sw)
		return -1;
	m = switch_mirror_find(sw, name);
	if (!m)
		return ctl_fail(req, CTL_ERR_NOT_FOUND, "bridge %s has no mirror '%s'", sw->name,
				name);
	switch_mirror_del(m);
	return 0;
}

json_t *ctl_mirror_json(const struct switch_mirror *m)
{
	json_t *src = json_array(), *vlans = json_array();

	for (unsigned int i = 0; i < m->n_src; i++)
		json_array_append_new(src, json_string(m->src[i]->name));
	for (unsigned int i = 0; i < m->n_vlans; i++)
		json_array_append_new(vlans, json_integer(m->vlans[i]));
	return json_pack("{s:s,s:s,s:o,s:s,s:o,s:I,s:I,s:I}", "bridge", m->sw->name, "name",
			 m->name, "src", src, "dst", m->dst->name, "vlans", vlans, "tx_frames",
			 (json_int_t)m->tx_frames, "tx_bytes", (json_int_t)m->tx_bytes,
			 "tx_dropped", (json_int_t)m->tx_dropped);
}

static int ctl_mirror_list(struct ctl_request *req)
{
	const char *bridge = NULL;
	struct kv_switch *sw = NULL;
	json_t *list;

	if (ctl_param_name(req, "bridge", &bridge) < 0)
		return -1;
	if (bridge) {
		sw = ctl_find_bridge(req, bridge);
		if (!sw)
			return -1;
	}
	list = json_array();
	for (const struct switch_mirror *m = switch_mirrors; m; m = m->next)
		if (!sw || m->sw == sw)
			json_array_append_new(list, ctl_mirror_json(m));
	req->result = json_pack("{s:o}", "mirrors", list);
	return 0;
}

static const char *const add_params[] = { "bridge", "name", "src", "dst", "vlans", NULL };
static const char *const del_params[] = { "bridge", "name", NULL };
static const char *const list_params[] = { "bridge", NULL };

const struct ctl_method ctl_mirror_methods[] = {
	{ "mirror.add", add_params, ctl_mirror_add },
	{ "mirror.del", del_params, ctl_mirror_del },
	{ "mirror.list", list_params, ctl_mirror_list },
	{ NULL, NULL, NULL },
};
