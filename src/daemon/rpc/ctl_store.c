/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_store.c - STATE_DIR/bridges/NAME.json: each bridge's configuration, replayed at start
 *
 * Theory of Operation
 * A bridge made with bridge.add is kept, with everything configured on it,
 * as the list of control requests that would make it again: bridge.add, its
 * STP settings, for each of its ports port.add (taps, attached
 * interfaces and VXLAN ports with their settings; its host netdev comes with bridge.add;
 * an S-channel's own end with port.add_schannel), port.set (flags,
 * MTU, learn limit, admin state), the vlan.del/vlan.add that give its exact
 * VLAN membership, stp.port_set, its static FDB entries (fdb.add) and its mirrors
 * (mirror.add, when every port of one is one the store makes again).
 * The list is built from the bridge as it is, not logged, so it never
 * grows with the number of changes.
 *
 * After every request that may change something and succeeded
 * (ctl_handle_line()), ctl_store_sync() builds the list of every stored
 * bridge under the datapath lock, compares it with what was last written,
 * and rewrites the files that differ (file_write_atomic(): temporary file,
 * fsync, rename, fsync of the dir) without the lock, before the answer
 * goes out: what the CLI acknowledged is on disk. A bridge gone is a file
 * removed.
 *
 * At start, before the networks (a bridge-mode network may run on a stored
 * bridge), ctl_store_restore() (ctl_store_replay.c) replays each file through the methods' own
 * checks (ctl_call()), so a hostile file can do no more than a client
 * could, and only to its own bridge: every request must name the file's
 * bridge or one of its ports. A file that is not a list of such requests
 * is logged with its name and skipped. An attached interface that is not
 * there is made a port all the same, down (switch_backend_absent()), with
 * its settings, as a port whose interface went away is. Any other port
 * that cannot be made again (a tap without CAP_NET_ADMIN) is logged and
 * kept in the file as it was, with the requests that configure it, to be
 * tried at the next start, until a port of its name is made or `port del`
 * forgets it.
 *
 * Not stored: a network's own bridge and what is on it (the network makes
 * it again from its XML: changes made with the CLI on it last until the
 * network stops), VM ports (their records are in the run dir), and the ports
 * a network puts on a bridge it joins.
 *
 * An S-channel (port.add_schannel) is a patch between its own bridge and
 * the S-VLAN bridge of its uplink: it is kept in its own bridge's file, and
 * the end on the S-VLAN bridge is made with it. As that needs the other
 * bridge and its uplink, each file's requests from its first
 * port.add_schannel on wait until every file has been replayed once.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/vocab.h"
#include "daemon/network/network.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_portsec.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/rpc/ctl_store_priv.h"
#include "daemon/rpc/ctl_vxlan.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_mirror.h"
#include "util/file.h"
#include "util/log.h"

struct ctl_store_state ctl_store_st = { .dir_fd = -1 };

bool ctl_store_restoring(void)
{
	return ctl_store_st.restoring;
}

int ctl_store_open(const char *state_dir, char *err, size_t errlen)
{
	if ((size_t)snprintf(ctl_store_st.dir, sizeof(ctl_store_st.dir), "%s/bridges", state_dir) >=
	    sizeof(ctl_store_st.dir)) {
		snprintf(err, errlen, "state dir path '%.200s' is too long", state_dir);
		return -ENAMETOOLONG;
	}
	if (mkdir(ctl_store_st.dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", ctl_store_st.dir, strerror(errno));
		return -errno;
	}
	ctl_store_st.dir_fd = open(ctl_store_st.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctl_store_st.dir_fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", ctl_store_st.dir, strerror(errno));
		return -errno;
	}
	return 0;
}

void ctl_store_close(void)
{
	for (size_t i = 0; i < ctl_store_st.n; i++) {
		free(ctl_store_st.e[i].written);
		json_decref(ctl_store_st.e[i].absent);
	}
	free(ctl_store_st.e);
	ctl_store_st.e = NULL;
	ctl_store_st.n = ctl_store_st.cap = 0;
	if (ctl_store_st.dir_fd >= 0)
		close(ctl_store_st.dir_fd);
	ctl_store_st.dir_fd = -1;
}

struct store_entry *ctl_store_entry(const char *name, bool make)
{
	struct store_entry *e;

	for (size_t i = 0; i < ctl_store_st.n; i++)
		if (!strcmp(ctl_store_st.e[i].name, name))
			return &ctl_store_st.e[i];
	if (!make)
		return NULL;
	if (ctl_store_st.n == ctl_store_st.cap) {
		size_t cap = ctl_store_st.cap ? 2 * ctl_store_st.cap : 16;

		e = realloc(ctl_store_st.e, cap * sizeof(*e));
		if (!e)
			return NULL;
		ctl_store_st.e = e;
		ctl_store_st.cap = cap;
	}
	e = &ctl_store_st.e[ctl_store_st.n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	return e;
}

/* a bridge of the user's: not made by a network (one that joined it does not own it) */
static bool ctl_store_keeps(const struct kv_switch *sw)
{
	const struct kv_network *net = network_by_switch(sw);

	return !net || net->sw_joined;
}

/*
 * a port bridge.add, port.add or port.add_schannel makes: not a VM port, nor a network's,
 * nor the end of an S-channel's patch on the S-VLAN bridge (made with the S-channel)
 */
static bool ctl_store_keeps_port(const struct kv_port *p)
{
	return !p->vm && !p->net && p->type != KV_PORT_SOCKET &&
	       (p->type != KV_PORT_PATCH || p->schannel_uplink[0]);
}

static void ctl_store_add(json_t *reqs, const char *method, json_t *params)
{
	json_array_append_new(reqs, json_pack("{s:s,s:o}", "method", method, "params", params));
}

/* the vlan.del/vlan.add that turn a new port's membership (the default PVID) into @p's */
static void ctl_store_vlans(json_t *reqs, const struct kv_port *p)
{
	const struct vlan_port *vp = bridge_port_vlan(p->sw->br, p->no);
	uint16_t def = p->sw->cfg.default_pvid;

	if (def && !vlan_is_member(vp, def))
		ctl_store_add(reqs, "vlan.del",
			      json_pack("{s:s,s:i}", "port", p->name, "vid", def));
	for (unsigned v = VLAN_VID_MIN; v <= VLAN_VID_MAX; v++) {
		bool untagged = vlan_is_untagged(vp, (uint16_t)v);
		unsigned end = v;
		json_t *params;

		if (!vlan_is_member(vp, (uint16_t)v))
			continue;
		/* a range of members alike, which the PVID ends */
		while (v != vp->pvid && end < VLAN_VID_MAX && end + 1 != vp->pvid &&
		       vlan_is_member(vp, (uint16_t)(end + 1)) &&
		       vlan_is_untagged(vp, (uint16_t)(end + 1)) == untagged)
			end++;
		params = json_pack("{s:s,s:i,s:b}", "port", p->name, "vid", v, "untagged",
				   untagged);
		if (end != v)
			json_object_set_new(params, "vid_end", json_integer(end));
		if (v == vp->pvid)
			json_object_set_new(params, "pvid", json_true());
		ctl_store_add(reqs, "vlan.add", params);
		v = end;
	}
}

static void ctl_store_port(json_t *reqs, const struct kv_port *p)
{
	const struct bridge *br = p->sw->br;
	json_t *set;

	if (p->type == KV_PORT_TUNNEL)
		ctl_store_add(reqs, "port.add", ctl_vxlan_add_params(p));
	else if (p->type == KV_PORT_PATCH)
		ctl_store_add(reqs, "port.add_schannel",
			      json_pack("{s:s,s:s,s:i,s:s}", "bridge", p->sw->name, "uplink",
					p->schannel_uplink, "svid",
					bridge_port_vlan(p->patch->sw->br, p->patch->no)->pvid,
					"name", p->name));
	else if (p->type != KV_PORT_HOST)
		ctl_store_add(reqs, "port.add",
			      json_pack("{s:s,s:s,s:s,s:s?,s:I}", "bridge", p->sw->name, "name",
					p->name, "type", p->type == KV_PORT_TAP ? "tap" : "dev",
					"netns", p->netns[0] ? p->netns : NULL, "mtu",
					(json_int_t)bridge_port_mtu(br, p->no)));
	set = ctl_port_flags_json(p);
	json_object_set_new(set, "name", json_string(p->name));
	json_object_set_new(set, "mtu", json_integer(bridge_port_mtu(br, p->no)));
	json_object_set_new(set, "learn_limit",
			    json_integer(fdb_port_limit(bridge_fdb_const(br), p->no)));
	json_object_set_new(set, "state",
			    json_string(ctl_vocab_name(&ctl_port_states, (int)p->admin_state)));
	json_object_set_new(set, "mcast_router",
			    json_string(mdb_router_name(mdb_router(bridge_mdb_const(br), p->no))));
	json_object_set_new(set, "mcast_max_groups",
			    json_integer(mdb_max_groups(bridge_mdb_const(br), p->no)));
	json_object_update_new(set, ctl_portsec_json(p, false));
	ctl_store_add(reqs, "port.set", set);
	ctl_store_vlans(reqs, p);
	ctl_store_add(reqs, "stp.port_set",
		      json_pack("{s:s,s:I,s:i,s:s}", "port", p->name, "path_cost",
				(json_int_t)p->stp_path_cost, "priority", p->stp_priority, "edge",
				ctl_vocab_name(&ctl_stp_edges, (int)p->stp_edge)));
}

/* fdb.add for each static entry on a port the store makes again */
static void ctl_store_fdb(json_t *reqs, const struct kv_switch *sw)
{
	const struct fdb *fdb = bridge_fdb_const(sw->br);
	size_t cursor = 0;
	struct fdb_entry e;

	while (fdb_next(fdb, &cursor, &e)) {
		const struct kv_port *p = e.port < sw->cfg.max_ports ? sw->by_no[e.port] : NULL;
		char mac[CTL_MAC_STRLEN];

		json_t *params, *remote;

		if (!e.is_static || !p || !ctl_store_keeps_port(p))
			continue;
		params = json_pack("{s:s,s:s,s:i}", "port", p->name, "mac",
				   ctl_mac_format(e.mac, mac), "vid", e.vid);
		/* on a VXLAN port, the remote it names */
		remote = ctl_vxlan_pinned(p->be, e.mac, e.vid);
		if (params && remote)
			json_object_set_new(params, "remote", remote);
		else
			json_decref(remote);
		ctl_store_add(reqs, "fdb.add", params);
	}
}

/* mirror.add for each mirror of @sw whose ports are all ones the store makes again */
static void ctl_store_mirrors(json_t *reqs, const struct kv_switch *sw)
{
	for (const struct switch_mirror *m = switch_mirrors; m; m = m->next) {
		bool keep = m->sw == sw && ctl_store_keeps_port(m->dst);
		json_t *params;

		for (unsigned int i = 0; keep && i < m->n_src; i++)
			keep = ctl_store_keeps_port(m->src[i]);
		if (!keep)
			continue;
		/* mirror.list's object, without its counters */
		params = ctl_mirror_json(m);
		json_object_del(params, "tx_frames");
		json_object_del(params, "tx_bytes");
		json_object_del(params, "tx_dropped");
		ctl_store_add(reqs, "mirror.add", params);
	}
}

/* The document for @sw: {"bridge": NAME, "requests": [...]}, with @absent's groups after */
static char *ctl_store_doc(const struct kv_switch *sw, json_t *absent)
{
	const struct stp_config *c = &sw->stp_cfg;
	json_t *reqs = json_array(), *doc, *group, *add;
	size_t i;
	char *s;

	add = json_pack("{s:s,s:b,s:s,s:f,s:I,s:i}", "name", sw->name, "vlan_filtering",
			sw->cfg.vlan_filtering, "vlan_protocol",
			ctl_vocab_name(&ctl_vlan_protos, bridge_vlan_proto(sw->br)), "ageing_time",
			sw->cfg.ageing_ns / 1e9, "max_learned", (json_int_t)sw->cfg.fdb_max_learned,
			"default_pvid", sw->cfg.default_pvid);
	/* IGMP/MLD snooping and the bridge's querier */
	if (add) {
		json_object_set_new(add, "mcast_snooping",
				    json_boolean(bridge_mcast_snooping(sw->br)));
		json_object_set_new(add, "mcast_querier",
				    json_boolean(mdb_querier(bridge_mdb_const(sw->br))));
	}
	ctl_store_add(reqs, "bridge.add", add);
	for (const struct kv_port *p = sw->ports; p; p = p->next)
		if (ctl_store_keeps_port(p))
			ctl_store_port(reqs, p);
	ctl_store_fdb(reqs, sw);
	ctl_store_mirrors(reqs, sw);
	json_array_foreach(absent, i, group) json_array_extend(reqs, group);
	/* last: STP starts with every port in place */
	ctl_store_add(reqs, "stp.set",
		      json_pack("{s:s,s:b,s:i,s:i,s:i,s:i,s:s}", "bridge", sw->name, "enabled",
				sw->stp != NULL, "priority", c->priority, "forward_delay",
				c->forward_delay, "hello_time", c->hello_time, "max_age",
				c->max_age, "force_version",
				ctl_vocab_name(&ctl_stp_versions, c->force_version)));
	doc = json_pack("{s:i,s:s,s:o}", "version", 1, "bridge", sw->name, "requests", reqs);
	s = json_dumps(doc, JSON_INDENT(1));
	json_decref(doc);
	return s;
}

/* the port an absent group is for: its port.add's name */
const char *ctl_store_group_port(json_t *group)
{
	return json_string_value(
		json_object_get(json_object_get(json_array_get(group, 0), "params"), "name"));
}

/* drop the absent groups of ports that exist again, made by hand */
static void ctl_store_prune_absent(struct store_entry *e)
{
	size_t i = 0;

	while (e->absent && i < json_array_size(e->absent)) {
		if (switch_port_find(ctl_store_group_port(json_array_get(e->absent, i))))
			json_array_remove(e->absent, i);
		else
			i++;
	}
}

bool ctl_store_forget_absent(const char *port)
{
	for (size_t i = 0; i < ctl_store_st.n; i++) {
		json_t *absent = ctl_store_st.e[i].absent;

		for (size_t j = 0; absent && j < json_array_size(absent); j++) {
			if (strcmp(ctl_store_group_port(json_array_get(absent, j)), port))
				continue;
			json_array_remove(absent, j);
			/* written again at this request's sync */
			free(ctl_store_st.e[i].written);
			ctl_store_st.e[i].written = NULL;
			log_info("port %s: forgotten (it was kept in %s/%s%s)", port,
				 ctl_store_st.dir, ctl_store_st.e[i].name, STORE_SUFFIX);
			return true;
		}
	}
	return false;
}

/* one file to write (@doc) or remove (@doc NULL), found under the lock, done without it */
struct store_job {
	char name[SWITCH_NAME_MAX];
	char *doc;
	bool failed;
};

static int ctl_store_do(struct store_job *jobs, size_t n, char *err, size_t errlen)
{
	char file[SWITCH_NAME_MAX + sizeof(STORE_SUFFIX)];
	int ret = 0, r;

	for (size_t i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "%s%s", jobs[i].name, STORE_SUFFIX);
		if (jobs[i].doc) {
			r = file_write_atomic(ctl_store_st.dir_fd, ctl_store_st.dir, file,
					      jobs[i].doc, strlen(jobs[i].doc), err, errlen);
		} else {
			r = unlinkat(ctl_store_st.dir_fd, file, 0) && errno != ENOENT ? -errno : 0;
			if (!r && fsync(ctl_store_st.dir_fd))
				r = -errno;
			if (r)
				snprintf(err, errlen, "cannot remove %s/%s: %s", ctl_store_st.dir,
					 file, strerror(-r));
		}
		if (r && !ret)
			ret = r;
		if (r) {
			log_warn("%s", err);
			jobs[i].failed = true;
		}
	}
	return ret;
}

int ctl_store_sync(char *err, size_t errlen)
{
	struct store_job *jobs;
	size_t n_jobs = 0, n_sw = 0;
	int ret;

	if (ctl_store_st.dir_fd < 0)
		return 0;
	for (struct kv_switch *sw = switches; sw; sw = sw->next)
		n_sw++;
	jobs = calloc(n_sw + ctl_store_st.n + 1, sizeof(*jobs));
	if (!jobs) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < ctl_store_st.n; i++)
		ctl_store_st.e[i].seen = false;
	for (struct kv_switch *sw = switches; sw; sw = sw->next) {
		struct store_entry *e;
		char *doc;

		if (!ctl_store_keeps(sw))
			continue;
		e = ctl_store_entry(sw->name, true);
		if (!e)
			continue;
		e->seen = true;
		ctl_store_prune_absent(e);
		doc = ctl_store_doc(sw, e->absent);
		if (!doc || (e->written && !strcmp(doc, e->written))) {
			free(doc);
			continue;
		}
		free(e->written);
		e->written = strdup(doc);
		snprintf(jobs[n_jobs].name, sizeof(jobs[n_jobs].name), "%s", sw->name);
		jobs[n_jobs++].doc = doc;
	}
	/* bridges gone: their files go too */
	for (size_t i = 0; i < ctl_store_st.n;) {
		if (ctl_store_st.e[i].seen) {
			i++;
			continue;
		}
		snprintf(jobs[n_jobs++].name, sizeof(jobs[0].name), "%s", ctl_store_st.e[i].name);
		free(ctl_store_st.e[i].written);
		json_decref(ctl_store_st.e[i].absent);
		ctl_store_st.e[i] = ctl_store_st.e[--ctl_store_st.n];
	}
	/* slow (fsync): without the lock, as only this thread changes switches or the store */
	datapath_unlock();
	ret = ctl_store_do(jobs, n_jobs, err, errlen);
	datapath_lock();
	for (size_t i = 0; i < n_jobs; i++) {
		struct store_entry *e = jobs[i].failed ? ctl_store_entry(jobs[i].name, false)
						       : NULL;

		/* not on disk: written again at the next sync */
		if (e) {
			free(e->written);
			e->written = NULL;
		}
		free(jobs[i].doc);
	}
	free(jobs);
	return ret;
}

bool ctl_store_reads_only(const char *method)
{
	static const char *const verbs[] = { ".list",	    ".show",	  ".info",
					     ".dumpxml",    ".ping",	  ".dhcp_leases",
					     ".interfaces", ".subscribe", NULL };
	size_t len = strlen(method);

	for (size_t i = 0; verbs[i]; i++) {
		size_t vl = strlen(verbs[i]);

		if (len > vl && !strcmp(method + len - vl, verbs[i]))
			return true;
	}
	return false;
}

/* the port or bridge a stored request names, and which of the two it is */
const char *ctl_store_target(const char *method, json_t *params, bool *is_bridge)
{
	static const struct {
		const char *method, *key;
		bool bridge;
	} keys[] = {
		{ "bridge.add", "name", true },	   { "stp.set", "bridge", true },
		{ "port.add", "bridge", true },	   { "port.set", "name", false },
		{ "vlan.add", "port", false },	   { "vlan.del", "port", false },
		{ "stp.port_set", "port", false }, { "fdb.add", "port", false },
		{ "mirror.add", "bridge", true },  { "port.add_schannel", "bridge", true },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].method, method))
			continue;
		*is_bridge = keys[i].bridge;
		return json_string_value(json_object_get(params, keys[i].key));
	}
	return NULL;
}

bool ctl_store_unkept(const char *method, json_t *params, char *why, size_t len)
{
	const struct kv_network *net;
	const struct kv_switch *sw;
	const struct kv_port *p;
	const char *name;
	bool is_bridge;

	name = ctl_store_target(method, params, &is_bridge);
	if (!name || !strcmp(method, "bridge.add"))
		return false;
	p = is_bridge ? NULL : switch_port_find(name);
	sw = is_bridge ? switch_find(name) : p ? p->sw : NULL;
	if (!sw)
		return false;
	if (p && p->vm) {
		snprintf(why, len,
			 "%s is a VM port: its record keeps what made it, not this change, which "
			 "lasts until kvnetd restarts (put lasting settings in the interface or "
			 "network XML)",
			 name);
		return true;
	}
	net = p && p->net ? p->net : ctl_store_keeps(sw) ? NULL : network_by_switch(sw);
	if (!net)
		return false;
	snprintf(why, len,
		 "%s is network %s's: this change lasts until the network stops (put lasting "
		 "settings in its XML)",
		 name, net->def->name);
	return true;
}
