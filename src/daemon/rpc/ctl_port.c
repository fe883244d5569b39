/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_port.c - port.add, port.del, port.set, port.list */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_portsec.h"
#include "daemon/rpc/ctl_vxlan.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_backend.h"
#include "daemon/switch/switch_guard.h"
#include "port/port.h"
#include "util/log.h"

/* port_flags[i]: the name of a flag and its BR_PORT_* bit, from ctl/'s table */
#define PORT_FLAG_ENTRY(value, word) { word, value },
static const struct {
	const char *name;
	uint32_t flag;
} port_flags[] = { CTL_PORT_FLAG_LIST(PORT_FLAG_ENTRY, PORT_FLAG_ENTRY, PORT_FLAG_ENTRY) };

#define N_PORT_FLAGS (sizeof(port_flags) / sizeof(port_flags[0]))

/* Read the flag members of @obj into set/clear masks. Return: 0, or -1 after ctl_fail() */
static int ctl_port_param_flags(struct ctl_request *req, json_t *obj, uint32_t *set,
				uint32_t *clear)
{
	json_t *saved = req->params;
	int err = 0;

	*set = *clear = 0;
	req->params = obj;
	for (size_t i = 0; i < N_PORT_FLAGS && !err; i++) {
		bool on;
		int r = ctl_param_bool(req, port_flags[i].name, &on);

		if (r < 0)
			err = -1;
		else if (r)
			*(on ? set : clear) |= port_flags[i].flag;
	}
	req->params = saved;
	return err;
}

static int ctl_port_add(struct ctl_request *req)
{
	const char *bridge, *name, *type = "tap", *netns = NULL;
	uint32_t set = 0, clear = 0;
	struct kv_switch *sw;
	struct kv_port *p;
	struct port *be;
	uint64_t mtu = 0;
	json_t *flags;
	char err[256];
	bool tap, vxlan;
	int ret;

	if (ctl_param_name_req(req, "bridge", &bridge) < 0 ||
	    ctl_param_name_req(req, "name", &name) < 0 ||
	    ctl_param_string(req, "type", &type) < 0 || ctl_param_netns(req, "netns", &netns) < 0 ||
	    ctl_param_uint(req, "mtu", BRIDGE_MTU_MIN, BRIDGE_MTU_MAX, &mtu) < 0)
		return -1;
	flags = json_object_get(req->params, "flags");
	if (flags && !json_is_object(flags))
		return ctl_fail(req, CTL_ERR_PARAMS, "flags must be an object of booleans");
	if (flags && ctl_port_param_flags(req, flags, &set, &clear))
		return -1;
	if (ctl_vocab_value(&ctl_port_types, type) < 0)
		return ctl_fail(req, CTL_ERR_PARAMS, "type '%.32s' is not known (expected %s)",
				type, CTL_WORDS_OR(CTL_PORT_TYPE_LIST));
	tap = ctl_vocab_value(&ctl_port_types, type) == CTL_PORT_TYPE_TAP;
	vxlan = ctl_vocab_value(&ctl_port_types, type) == CTL_PORT_TYPE_VXLAN;
	if (netns && !tap)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"netns is for tap ports; an attached interface or a tunnel stays "
				"where it is");
	if (!vxlan && ctl_vxlan_refuse(req, type))
		return -1;
	sw = ctl_find_bridge(req, bridge);
	if (!sw)
		return -1;
	p = switch_port_find(name);
	if (p)
		return ctl_fail(req, CTL_ERR_EXISTS, "port '%s' already exists (on bridge '%s')",
				name, p->sw->name);

	if (vxlan) {
		/* a socket needs no privilege: a user's kvnetd has VXLAN ports too */
		if (ctl_vxlan_open(req, name, &be))
			return -1;
	} else {
		/* only this thread changes switches, so @sw stays valid while unlocked */
		datapath_unlock();
		ret = switch_backend_open(name, tap, netns, (unsigned int)mtu, NULL, &be, err,
					  sizeof(err));
		datapath_lock();
		/* a stored port whose interface is not there at start: kept, down (ctl_store.c) */
		if (ret == -ENODEV && !tap && ctl_store_restoring()) {
			log_warn("port %s: %s; kept on bridge %s, link down (the interface is "
				 "attached again when kvnetd next starts with it there)",
				 name, err, sw->name);
			ret = switch_backend_absent(name, &be);
		}
		if (ret)
			return ctl_fail_errno(req, ret, err);
	}
	ret = switch_port_add(sw, name, be,
			      vxlan ? KV_PORT_TUNNEL
			      : tap ? KV_PORT_TAP
				    : KV_PORT_DEV,
			      netns, &p, err, sizeof(err));
	if (ret) {
		be->ops->destroy(be);
		return ctl_fail_errno(req, ret, err);
	}
	if (mtu)
		bridge_port_set_mtu(sw->br, p->no, (uint32_t)mtu);
	ctl_vxlan_join(p);
	bridge_port_set_flags(sw->br, p->no, set, clear);
	req->result = json_pack("{s:s,s:i}", "name", p->name, "port_no", p->no);
	return 0;
}

/* one end of an S-channel's patch goes: the other end goes with it */
static void ctl_port_patch_release(struct kv_port *p)
{
	struct kv_port *peer = p->patch;

	p->release = NULL;
	p->patch = NULL;
	if (!peer)
		return;
	peer->release = NULL;
	peer->patch = NULL;
	switch_port_del(peer);
}

/*
 * The two ends of a patch, a datagram socket pair (port/dgram.c), added to @sw as @name
 * and to @sb as @sname. Return: 0, or -1 after ctl_fail()
 */
static int ctl_port_patch(struct ctl_request *req, struct kv_switch *sw, const char *name,
			  struct kv_switch *sb, const char *sname, struct kv_port **pc,
			  struct kv_port **ps)
{
	struct port *bc = NULL, *bs = NULL;
	char err[256];
	int fds[2], ret;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, fds))
		return ctl_fail_errno(req, -errno, "cannot make a socket pair for the S-channel");
	ret = dgram_port_open(fds[0], name, &bc, err, sizeof(err));
	if (ret) {
		close(fds[0]);
		close(fds[1]);
		return ctl_fail_errno(req, ret, err);
	}
	ret = dgram_port_open(fds[1], sname, &bs, err, sizeof(err));
	if (ret) {
		close(fds[1]);
		bc->ops->destroy(bc);
		return ctl_fail_errno(req, ret, err);
	}
	ret = switch_port_add(sw, name, bc, KV_PORT_PATCH, NULL, pc, err, sizeof(err));
	if (ret) {
		bc->ops->destroy(bc);
		bs->ops->destroy(bs);
		return ctl_fail_errno(req, ret, err);
	}
	ret = switch_port_add(sb, sname, bs, KV_PORT_PATCH, NULL, ps, err, sizeof(err));
	if (ret) {
		bs->ops->destroy(bs);
		switch_port_del(*pc);
		return ctl_fail_errno(req, ret, err);
	}
	(*pc)->patch = *ps;
	(*ps)->patch = *pc;
	(*pc)->release = ctl_port_patch_release;
	(*ps)->release = ctl_port_patch_release;
	return 0;
}

/*
 * port.add_schannel: S-channel SVID of an uplink (802.1Qbg multichannel: S-channel ID =
 * S-VID) as a port of a bridge of its own. The uplink is a port of an S-VLAN bridge; a
 * patch joins that bridge, where its end is a dot1q-tunnel access port of SVID, to the
 * S-channel's bridge: frames leave the uplink inside S-tag SVID with the customer's tags
 * kept, and only S-tag SVID's come back.
 */
static int ctl_port_add_schannel(struct ctl_request *req)
{
	const char *bridge, *uplink, *name = NULL;
	char cname[SWITCH_NAME_MAX], sname[SWITCH_NAME_MAX];
	struct vlan_spec_tag tag = { .native_mode = VLAN_NATIVE_NONE };
	struct vlan_spec access = { .n_tags = 1, .tags = &tag };
	struct kv_port *up, *p, *pc, *ps;
	struct kv_switch *sw, *sb;
	uint16_t svid;
	int ret;

	if (ctl_param_name_req(req, "bridge", &bridge) < 0 ||
	    ctl_param_name_req(req, "uplink", &uplink) < 0 ||
	    ctl_param_name(req, "name", &name) < 0)
		return -1;
	ret = ctl_param_vid(req, "svid", &svid);
	if (ret < 0)
		return -1;
	if (!ret)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"svid is required (the S-channel's S-VID, 1..4094)");
	if (snprintf(cname, sizeof(cname), "%s", name ? name : uplink) >= (int)sizeof(cname) ||
	    (!name &&
	     snprintf(cname, sizeof(cname), "%s.%u", uplink, svid) >= (int)sizeof(cname)) ||
	    snprintf(sname, sizeof(sname), "%s-s", cname) >= (int)sizeof(sname) ||
	    !ctl_name_valid(sname))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"the S-channel's ports '%s' and '%s-s' need names of at most 15 "
				"characters; give it a shorter name (at most 13)",
				name ? name : "UPLINK.SVID", name ? name : "UPLINK.SVID");
	sw = ctl_find_bridge(req, bridge);
	if (!sw)
		return -1;
	up = switch_port_find(uplink);
	if (!up)
		return ctl_fail(req, CTL_ERR_NOT_FOUND,
				"uplink '%s' is not a port; attach it to an S-VLAN bridge first "
				"(kvnet bridge add SB vlan_protocol 802.1ad; kvnet port add SB "
				"dev:%s)",
				uplink, uplink);
	sb = up->sw;
	if (bridge_vlan_proto(sb->br) != ETH_P_8021AD)
		return ctl_fail(
			req, CTL_ERR_STATE,
			"uplink '%s' is a port of bridge '%s', which is not an S-VLAN bridge "
			"(expected one with vlan_protocol 802.1ad)",
			uplink, sb->name);
	if (sb == sw)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"an S-channel joins the uplink's bridge '%s' to another bridge, "
				"not to itself",
				sb->name);
	if (!bridge_vlan_filtering(sb->br))
		return ctl_fail(req, CTL_ERR_STATE,
				"bridge '%s' has vlan_filtering off: S-channels need it on",
				sb->name);
	for (const char *n = cname; n; n = n == cname ? sname : NULL) {
		p = switch_port_find(n);
		if (p)
			return ctl_fail(req, CTL_ERR_EXISTS,
					"port '%s' already exists (on bridge '%s')", n,
					p->sw->name);
	}
	if (ctl_port_patch(req, sw, cname, sb, sname, &pc, &ps))
		return -1;
	snprintf(pc->schannel_uplink, sizeof(pc->schannel_uplink), "%s", uplink);
	tag.id = svid;
	bridge_vlan_apply_spec(sb->br, ps->no, &access);
	bridge_port_set_flags(sb->br, ps->no, BR_PORT_DOT1Q_TUNNEL, 0);
	if (!vlan_is_member(bridge_port_vlan(sb->br, up->no), svid))
		bridge_vlan_add(sb->br, up->no, svid, false, false);
	log_info("port %s: S-channel %u of %s (bridge %s, through %s)", cname, svid, uplink,
		 sb->name, sname);
	req->result = json_pack("{s:s,s:i}", "name", pc->name, "port_no", pc->no);
	return 0;
}

static int ctl_port_del(struct ctl_request *req)
{
	struct kv_port *p;
	const char *name;

	if (ctl_param_name_req(req, "name", &name) < 0)
		return -1;
	/* a stored port that could not be made again at start: forgotten */
	if (!switch_port_find(name) && ctl_store_forget_absent(name))
		return 0;
	p = ctl_find_port(req, name);
	if (!p)
		return -1;
	if (p->net)
		return ctl_fail(req, CTL_ERR_STATE,
				"port '%s' is network '%s''s %s; stop the network with net-destroy",
				name, p->net->def->name,
				p->type == KV_PORT_HOST ? "host port" : "uplink");
	if (p->type == KV_PORT_HOST)
		return ctl_fail(
			req, CTL_ERR_STATE,
			"port '%s' is bridge '%s''s own netdev on the host; it goes with the "
			"bridge (bridge del)",
			name, p->sw->name);
	switch_port_del(p);
	return 0;
}

static int ctl_port_state_parse(const char *s, enum bridge_port_state *st)
{
	int v = ctl_vocab_value(&ctl_port_states, s);

	if (v < 0)
		return -1;
	*st = (enum bridge_port_state)v;
	return 0;
}

/* port.set's and port.list's storm control members, by enum bridge_storm */
static const char *const storm_params[BR_STORM__MAX] = {
	[BR_STORM_BCAST] = "storm_broadcast",
	[BR_STORM_UNKNOWN] = "storm_unknown_unicast",
	[BR_STORM_MCAST] = "storm_multicast",
};

/*
 * The "mcast_router" param: off, auto or on (enum mdb_router), if given.
 * Return: 1 if given, 0 if not, -1 after ctl_fail()
 */
static int ctl_port_param_mrouter(struct ctl_request *req, enum mdb_router *mode)
{
	const char *word = NULL;

	if (ctl_param_string(req, "mcast_router", &word) < 0)
		return -1;
	if (!word)
		return 0;
	for (int m = 0; m < MDB_ROUTER__MAX; m++)
		if (!strcmp(word, mdb_router_name((enum mdb_router)m))) {
			*mode = (enum mdb_router)m;
			return 1;
		}
	return ctl_fail(req, CTL_ERR_PARAMS,
			"mcast_router '%.32s' is not known (expected off, auto or on)", word);
}

static int ctl_port_set(struct ctl_request *req)
{
	const char *name, *state_s = NULL;
	enum bridge_port_state state = BR_STATE_FORWARDING;
	uint64_t mtu, limit, storm[BR_STORM__MAX], max_groups;
	uint32_t set, clear;
	int has_mtu, has_limit, has_root_guard, has_storm[BR_STORM__MAX], has_mrouter, has_portsec,
		has_max_groups;
	enum mdb_router mrouter = MDB_ROUTER_AUTO;
	struct portsec_cfg portsec;
	bool root_guard;
	struct kv_port *p;

	if (ctl_param_name_req(req, "name", &name) < 0)
		return -1;
	p = ctl_find_port(req, name);
	if (!p || ctl_port_param_flags(req, req->params, &set, &clear))
		return -1;
	has_mtu = ctl_param_uint(req, "mtu", BRIDGE_MTU_MIN, BRIDGE_MTU_MAX, &mtu);
	has_limit = ctl_param_uint(req, "learn_limit", 0, CTL_LEARN_LIMIT_MAX, &limit);
	if (has_mtu < 0 || has_limit < 0 || ctl_param_string(req, "state", &state_s) < 0)
		return -1;
	has_root_guard = ctl_param_bool(req, "root_guard", &root_guard);
	has_mrouter = ctl_port_param_mrouter(req, &mrouter);
	has_max_groups = ctl_param_uint(req, "mcast_max_groups", 0, MDB_MAX_LIMIT, &max_groups);
	if (has_root_guard < 0 || has_mrouter < 0 || has_max_groups < 0)
		return -1;
	for (int k = 0; k < BR_STORM__MAX; k++) {
		has_storm[k] = ctl_param_uint(req, storm_params[k], 0, CTL_STORM_RATE_MAX,
					      &storm[k]);
		if (has_storm[k] < 0)
			return -1;
	}
	has_portsec = ctl_portsec_param(req, p, &portsec);
	if (has_portsec < 0)
		return -1;
	if (state_s && ctl_port_state_parse(state_s, &state))
		return ctl_fail(req, CTL_ERR_PARAMS, "state '%.32s' is not known (expected %s)",
				state_s, CTL_WORDS_OR(CTL_PORT_STATE_LIST));
	if ((set & BR_PORT_HAIRPIN) && bridge_relay(p->sw->br) != BR_RELAY_VEB)
		return ctl_fail(
			req, CTL_ERR_PARAMS,
			"bridge '%s' relays as %s: a port's frames never come back by it "
			"from this bridge, only from the adjacent one (its reflective relay), "
			"so hairpin does not apply",
			p->sw->name, bridge_relay_name(bridge_relay(p->sw->br)));
	/* everything is checked: now change */
	bridge_port_set_flags(p->sw->br, p->no, set, clear);
	/* the admin's word: a VM port's VLANs applied again must not undo it */
	if ((set | clear) & BR_PORT_ACCESS_GUARD)
		p->access_guard_auto = false;
	if (has_mtu)
		bridge_port_set_mtu(p->sw->br, p->no, (uint32_t)mtu);
	if (has_limit)
		bridge_port_set_learn_limit(p->sw->br, p->no, (uint32_t)limit);
	if (state_s)
		switch_port_set_state(p, state);
	/* saying bpdu_guard at all is the admin's word that the port may come back */
	if ((set | clear) & BR_PORT_BPDU_GUARD)
		switch_port_bpdu_reset(p);
	if (has_root_guard)
		switch_port_set_root_guard(p, root_guard);
	for (int k = 0; k < BR_STORM__MAX; k++)
		if (has_storm[k])
			bridge_port_set_storm(p->sw->br, p->no, (enum bridge_storm)k,
					      (uint32_t)storm[k], datapath_now());
	if (has_mrouter)
		mdb_set_router(bridge_mdb(p->sw->br), p->no, mrouter);
	if (has_max_groups)
		mdb_set_max_groups(bridge_mdb(p->sw->br), p->no, (uint32_t)max_groups);
	if (has_portsec)
		bridge_port_set_portsec(p->sw->br, p->no, &portsec);
	return 0;
}

/* a rate limit in bytes: rate and peak per second, burst the average's bucket; null if none */
static json_t *ctl_port_shaper_json(const struct shaper *s)
{
	if (!s->on)
		return json_null();
	return json_pack("{s:I,s:I,s:I}", "rate", (json_int_t)s->avg.rate, "peak",
			 (json_int_t)s->peak.rate, "burst", (json_int_t)s->avg.size);
}

json_t *ctl_port_flags_json(const struct kv_port *p)
{
	uint32_t fl = bridge_port_flags(p->sw->br, p->no);
	json_t *flags = json_object();

	for (size_t i = 0; i < N_PORT_FLAGS; i++)
		json_object_set_new(flags, port_flags[i].name,
				    json_boolean(fl & port_flags[i].flag));
	return flags;
}

static json_t *ctl_port_json_base(const struct kv_port *p)
{
	const struct bridge *br = p->sw->br;
	json_t *flags = ctl_port_flags_json(p), *o, *vx = ctl_vxlan_json(p->be);

	o = json_pack("{s:s,s:s,s:i,s:s,s:s?,s:s?,s:i,s:s,s:s,s:i,s:I,s:I,s:o,s:{s:o,s:o}}", "name",
		      p->name, "bridge", p->sw->name, "port_no", p->no, "type", p->be->ops->kind,
		      "netns", p->netns[0] ? p->netns : NULL, "patch",
		      p->patch ? p->patch->name : NULL, "ifindex", p->be->ifindex, "link",
		      p->link_up ? "up" : "down", "state",
		      bridge_port_state_name(bridge_port_state(br, p->no)), "mtu",
		      bridge_port_mtu(br, p->no), "learn_limit",
		      (json_int_t)fdb_port_limit(bridge_fdb_const(br), p->no), "learned",
		      (json_int_t)fdb_port_learned(bridge_fdb_const(br), p->no), "flags", flags,
		      "shaping", "rx", ctl_port_shaper_json(&p->shape_rx), "tx",
		      ctl_port_shaper_json(&p->shape_tx));
	if (o && vx)
		json_object_set_new(o, "vxlan", vx);
	else
		json_decref(vx);
	return o;
}

/* who reads @p: its thread, and each other queue's of a multiqueue tap */
static json_t *ctl_port_queues_json(const struct kv_port *p)
{
	struct datapath_queue q[DATAPATH_THREADS_MAX];
	unsigned int n = datapath_port_queues(p, q);
	json_t *a = json_array();

	for (unsigned int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:i,s:I}", "thread", q[i].thread, "rx_frames",
						   (json_int_t)q[i].rx_frames));
	return a;
}

/* port.list's object of @p: the base, then the guards and storm control */
static json_t *ctl_port_json(const struct kv_port *p)
{
	const struct bridge *br = p->sw->br;
	json_t *o = ctl_port_json_base(p);

	if (!o)
		return NULL;
	json_object_set_new(o, "thread", json_integer(p->dp_thread));
	json_object_set_new(o, "queues", ctl_port_queues_json(p));
	json_object_set_new(o, "root_guard", json_boolean(p->root_guard));
	json_object_set_new(o, "bpdu_guard_tripped",
			    json_boolean(bridge_port_bpdu_tripped(br, p->no)));
	json_object_set_new(o, "port_security", ctl_portsec_json(p, true));
	for (int k = 0; k < BR_STORM__MAX; k++)
		json_object_set_new(o, storm_params[k],
				    json_integer(
					    bridge_port_storm(br, p->no, (enum bridge_storm)k)));
	json_object_set_new(o, "mcast_router",
			    json_string(mdb_router_name(mdb_router(bridge_mdb_const(br), p->no))));
	/* as `bridge -d link` shows the kernel's: the limit, and the memberships held now */
	json_object_set_new(o, "mcast_max_groups",
			    json_integer(mdb_max_groups(bridge_mdb_const(br), p->no)));
	json_object_set_new(o, "mcast_n_groups",
			    json_integer(mdb_n_groups(bridge_mdb_const(br), p->no)));
	return o;
}

static int ctl_port_list(struct ctl_request *req)
{
	return ctl_list_ports(req, "bridge", "name", ctl_port_json);
}

static const char *const add_params[] = { "bridge", "name",  "type",	       "netns",
					  "mtu",    "flags", CTL_VXLAN_PARAMS, NULL };
static const char *const schannel_params[] = { "bridge", "uplink", "svid", "name", NULL };
static const char *const name_params[] = { "name", NULL };
static const char *const set_params[] = { "name",
					  "learning",
					  "flood",
					  "mcast_flood",
					  "bcast_flood",
					  "hairpin",
					  "isolated",
					  "dot1q_tunnel",
					  "bpdu_guard",
					  "access_guard",
					  "dhcp_guard",
					  "ra_guard",
					  "root_guard",
					  "storm_broadcast",
					  "storm_unknown_unicast",
					  "storm_multicast",
					  CTL_PORTSEC_PARAMS,
					  "mtu",
					  "learn_limit",
					  "state",
					  "mcast_router",
					  "mcast_max_groups",
					  NULL };
static const char *const list_params[] = { "bridge", "name", NULL };

const struct ctl_method ctl_port_methods[] = {
	{ "port.add", add_params, ctl_port_add },
	{ "port.add_schannel", schannel_params, ctl_port_add_schannel },
	{ "port.del", name_params, ctl_port_del },
	{ "port.set", set_params, ctl_port_set },
	{ "port.list", list_params, ctl_port_list },
	{ NULL, NULL, NULL },
};
