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
 * bridge), ctl_store_restore() replays each file through the methods' own
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

#include <dirent.h>
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
#include "daemon/rpc/ctl_vxlan.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_mirror.h"
#include "util/file.h"
#include "util/log.h"

#define STORE_SUFFIX ".json"
#define STORE_FILE_MAX (16u << 20)

/*
 * struct store_entry - a stored bridge
 * @name:	the bridge
 * @written:	the document last written (malloc'ed), or NULL if unknown (a restored file)
 * @absent:	the request groups (arrays) of ports that could not be made again, or NULL
 * @seen:	the bridge is there, in this sync
 */
struct store_entry {
	char name[SWITCH_NAME_MAX];
	char *written;
	json_t *absent;
	bool seen;
};

static struct {
	char dir[4096];
	int dir_fd;
	struct store_entry *e;
	size_t n, cap;
	bool restoring;
} store = { .dir_fd = -1 };

bool ctl_store_restoring(void)
{
	return store.restoring;
}

int ctl_store_open(const char *state_dir, char *err, size_t errlen)
{
	if ((size_t)snprintf(store.dir, sizeof(store.dir), "%s/bridges", state_dir) >=
	    sizeof(store.dir)) {
		snprintf(err, errlen, "state dir path '%.200s' is too long", state_dir);
		return -ENAMETOOLONG;
	}
	if (mkdir(store.dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", store.dir, strerror(errno));
		return -errno;
	}
	store.dir_fd = open(store.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (store.dir_fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", store.dir, strerror(errno));
		return -errno;
	}
	return 0;
}

void ctl_store_close(void)
{
	for (size_t i = 0; i < store.n; i++) {
		free(store.e[i].written);
		json_decref(store.e[i].absent);
	}
	free(store.e);
	store.e = NULL;
	store.n = store.cap = 0;
	if (store.dir_fd >= 0)
		close(store.dir_fd);
	store.dir_fd = -1;
}

static struct store_entry *ctl_store_entry(const char *name, bool make)
{
	struct store_entry *e;

	for (size_t i = 0; i < store.n; i++)
		if (!strcmp(store.e[i].name, name))
			return &store.e[i];
	if (!make)
		return NULL;
	if (store.n == store.cap) {
		size_t cap = store.cap ? 2 * store.cap : 16;

		e = realloc(store.e, cap * sizeof(*e));
		if (!e)
			return NULL;
		store.e = e;
		store.cap = cap;
	}
	e = &store.e[store.n++];
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
static const char *ctl_store_group_port(json_t *group)
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
	for (size_t i = 0; i < store.n; i++) {
		json_t *absent = store.e[i].absent;

		for (size_t j = 0; absent && j < json_array_size(absent); j++) {
			if (strcmp(ctl_store_group_port(json_array_get(absent, j)), port))
				continue;
			json_array_remove(absent, j);
			/* written again at this request's sync */
			free(store.e[i].written);
			store.e[i].written = NULL;
			log_info("port %s: forgotten (it was kept in %s/%s%s)", port, store.dir,
				 store.e[i].name, STORE_SUFFIX);
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
			r = file_write_atomic(store.dir_fd, store.dir, file, jobs[i].doc,
					      strlen(jobs[i].doc), err, errlen);
		} else {
			r = unlinkat(store.dir_fd, file, 0) && errno != ENOENT ? -errno : 0;
			if (!r && fsync(store.dir_fd))
				r = -errno;
			if (r)
				snprintf(err, errlen, "cannot remove %s/%s: %s", store.dir, file,
					 strerror(-r));
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

	if (store.dir_fd < 0)
		return 0;
	for (struct kv_switch *sw = switches; sw; sw = sw->next)
		n_sw++;
	jobs = calloc(n_sw + store.n + 1, sizeof(*jobs));
	if (!jobs) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < store.n; i++)
		store.e[i].seen = false;
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
	for (size_t i = 0; i < store.n;) {
		if (store.e[i].seen) {
			i++;
			continue;
		}
		snprintf(jobs[n_jobs++].name, sizeof(jobs[0].name), "%s", store.e[i].name);
		free(store.e[i].written);
		json_decref(store.e[i].absent);
		store.e[i] = store.e[--store.n];
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
static const char *ctl_store_target(const char *method, json_t *params, bool *is_bridge)
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

/*
 * Check the shape of a stored document for bridge @name: every request a method the store
 * writes, naming @name or a port on it (one of its port.add, or its host netdev's name).
 * Return: the requests, or NULL with why in @why
 */
static json_t *ctl_store_check(json_t *doc, const char *name, char *why, size_t len)
{
	json_t *reqs = json_object_get(doc, "requests"), *r;
	size_t i;

	if (!json_is_object(doc) || !json_is_array(reqs) ||
	    !json_is_string(json_object_get(doc, "bridge")) ||
	    strcmp(json_string_value(json_object_get(doc, "bridge")), name)) {
		snprintf(why, len, "expected {\"bridge\": \"%s\", \"requests\": [...]}", name);
		return NULL;
	}
	json_array_foreach(reqs, i, r)
	{
		const char *method = json_string_value(json_object_get(r, "method")), *target;
		json_t *params = json_object_get(r, "params");
		bool is_bridge = false;

		if (!method || !json_is_object(params)) {
			snprintf(why, len, "request %zu: expected {\"method\", \"params\": {...}}",
				 i + 1);
			return NULL;
		}
		target = ctl_store_target(method, params, &is_bridge);
		if (!target) {
			snprintf(why, len,
				 "request %zu: method '%.32s' is not one the store writes", i + 1,
				 method);
			return NULL;
		}
		if ((i == 0) != !strcmp(method, "bridge.add")) {
			snprintf(why, len, "request %zu: expected bridge.add first, and only there",
				 i + 1);
			return NULL;
		}
		if (is_bridge && strcmp(target, name)) {
			snprintf(why, len, "request %zu (%s) names bridge '%.32s', not '%s'", i + 1,
				 method, target, name);
			return NULL;
		}
	}
	return reqs;
}

/* the absent group of @port in @e, made if @make */
static json_t *ctl_store_absent_group(struct store_entry *e, const char *port, bool make)
{
	json_t *g;
	size_t i;

	json_array_foreach(e->absent, i, g) if (!strcmp(ctl_store_group_port(g), port)) return g;
	if (!make)
		return NULL;
	if (!e->absent)
		e->absent = json_array();
	g = json_array();
	json_array_append_new(e->absent, g);
	return g;
}

/* a port.add or port.add_schannel: the request that makes a port */
static bool ctl_store_makes_port(const char *method)
{
	return !strcmp(method, "port.add") || !strcmp(method, "port.add_schannel");
}

/*
 * Replay requests @from.. of @reqs, from @path, for bridge @name (made by the first). With
 * @defer, stop at a port.add_schannel. Return: where it stopped (json_array_size() when at
 * the end), or 0 when the bridge could not be made
 */
static size_t ctl_store_run(const char *path, const char *name, json_t *reqs, size_t from,
			    bool defer)
{
	size_t i;

	for (i = from; i < json_array_size(reqs); i++) {
		json_t *r = json_array_get(reqs, i);
		const char *method = json_string_value(json_object_get(r, "method"));
		json_t *params = json_object_get(r, "params");
		struct ctl_request req = { .params = params };
		bool is_bridge = false;
		const char *target = ctl_store_target(method, params, &is_bridge);
		struct store_entry *e = ctl_store_entry(name, false);
		const struct kv_port *p;
		json_t *group;

		if (defer && !strcmp(method, "port.add_schannel"))
			return i;
		if (ctl_store_makes_port(method))
			target = json_string_value(json_object_get(params, "name"));
		/* a request for a port that could not be made waits with it */
		group = e && target && (!is_bridge || ctl_store_makes_port(method))
				? ctl_store_absent_group(e, target, false)
				: NULL;
		if (group) {
			json_array_append(group, r);
			continue;
		}
		p = target && !is_bridge ? switch_port_find(target) : NULL;
		if (!is_bridge && (!p || strcmp(p->sw->name, name))) {
			log_warn("%s: request %zu (%s) names port '%.32s', not one of bridge %s; "
				 "skipped",
				 path, i + 1, method, target ? target : "", name);
			continue;
		}
		if (!ctl_call(method, &req)) {
			json_decref(req.result);
			continue;
		}
		if (i == 0) {
			log_warn("%s: %s; skipped", path, req.err_msg);
			return 0;
		}
		if (!ctl_store_makes_port(method) || !e) {
			log_warn("%s: request %zu (%s): %s; skipped", path, i + 1, method,
				 req.err_msg);
			continue;
		}
		log_warn("%s: port %s cannot be made again: %s; kept in the file for the next "
			 "start (`kvnet port del %s` forgets it)",
			 path, target, req.err_msg, target);
		json_array_append(ctl_store_absent_group(e, target, true), r);
	}
	return i;
}

/* the rest of a file, from its first S-channel, replayed once every file has been */
struct store_later {
	char path[sizeof(store.dir) + 64];
	char name[SWITCH_NAME_MAX];
	json_t *reqs;
	size_t from;
	struct store_later *next;
};

/* replay one file, leaving what waits for the others in @later; Return: true if its bridge
 * was made */
static bool ctl_store_replay(const char *path, const char *name, struct store_later **later)
{
	struct store_later *l;
	json_error_t jerr;
	char why[256];
	json_t *doc, *reqs;
	size_t len, stop;
	char *text;
	int ret;

	ret = file_read(path, STORE_FILE_MAX, &text, &len);
	if (ret) {
		log_warn("%s: cannot read it (%s); skipped", path, strerror(-ret));
		return false;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!doc) {
		log_warn("%s: not JSON (%s, line %d); skipped", path, jerr.text, jerr.line);
		return false;
	}
	reqs = ctl_store_check(doc, name, why, sizeof(why));
	if (!reqs) {
		log_warn("%s: %s; skipped", path, why);
		json_decref(doc);
		return false;
	}
	if (switch_find(name)) {
		log_warn("%s: bridge '%s' already exists; skipped", path, name);
		json_decref(doc);
		return false;
	}
	if (!ctl_store_entry(name, true)) {
		log_warn("%s: out of memory; skipped", path);
		json_decref(doc);
		return false;
	}
	stop = ctl_store_run(path, name, reqs, 0, true);
	if (!stop) {
		store.n--; /* the entry just made */
		json_decref(doc);
		return false;
	}
	l = stop < json_array_size(reqs) ? calloc(1, sizeof(*l)) : NULL;
	if (l) {
		snprintf(l->path, sizeof(l->path), "%s", path);
		snprintf(l->name, sizeof(l->name), "%s", name);
		l->reqs = json_incref(reqs);
		l->from = stop;
		l->next = *later;
		*later = l;
	} else if (stop < json_array_size(reqs)) {
		log_warn("%s: out of memory; its S-channels and what follows them skipped", path);
	}
	json_decref(doc);
	log_info("bridge %s made again from %s", name, path);
	return true;
}

/* what waited for every file: S-channels, and what follows them in their files */
static void ctl_store_replay_later(struct store_later *later)
{
	while (later) {
		struct store_later *l = later;

		later = l->next;
		if (switch_find(l->name))
			ctl_store_run(l->path, l->name, l->reqs, l->from, false);
		json_decref(l->reqs);
		free(l);
	}
}

void ctl_store_restore(void)
{
	char path[sizeof(store.dir) + 64], name[SWITCH_NAME_MAX];
	struct store_later *later = NULL;
	struct dirent *de;
	DIR *d;
	int fd;

	if (store.dir_fd < 0)
		return;
	fd = dup(store.dir_fd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		log_warn("cannot read %s: %s", store.dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), sl = strlen(STORE_SUFFIX);

		if (file_is_temp(de->d_name, STORE_SUFFIX)) {
			log_warn("%s/%s: removing a file left half-written by a crash", store.dir,
				 de->d_name);
			unlinkat(store.dir_fd, de->d_name, 0);
			continue;
		}
		if (de->d_name[0] == '.' || len <= sl ||
		    strcmp(de->d_name + len - sl, STORE_SUFFIX))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", store.dir, de->d_name) >=
		    (int)sizeof(path)) {
			log_warn("%s/%s: path too long; skipped", store.dir, de->d_name);
			continue;
		}
		if (len - sl >= sizeof(name)) {
			log_warn("%s: not a bridge name; skipped", path);
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(len - sl), de->d_name);
		if (!ctl_name_valid(name)) {
			log_warn("%s: '%s' is not a bridge name; skipped", path, name);
			continue;
		}
		store.restoring = true;
		ctl_store_replay(path, name, &later);
		store.restoring = false;
	}
	closedir(d);
	store.restoring = true;
	ctl_store_replay_later(later);
	store.restoring = false;
}
