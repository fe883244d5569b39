/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_stp.c - stp.set, stp.port_set, stp.show: a switch's spanning tree */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"

/* "8000.0242ac110002", as brctl and sysfs write a bridge identifier */
static json_t *ctl_stp_bridge_id(uint64_t id)
{
	char s[24];

	snprintf(s, sizeof(s), "%04x.%012" PRIx64, (unsigned)(id >> 48),
		 id & (uint64_t)0xffffffffffff);
	return json_string(s);
}

/* "8001", as brctl writes a port identifier */
static json_t *ctl_stp_port_id(uint16_t id)
{
	char s[8];

	snprintf(s, sizeof(s), "%04x", id);
	return json_string(s);
}

static const char *ctl_stp_version_name(uint8_t v)
{
	return ctl_vocab_name(&ctl_stp_versions, v);
}

/* Read one uint8 timer param into @out. Return: as ctl_param_uint() */
static int ctl_stp_param_u8(struct ctl_request *req, const char *key, uint64_t min, uint64_t max,
			    uint8_t *out)
{
	uint64_t v;
	int r = ctl_param_uint(req, key, min, max, &v);

	if (r > 0)
		*out = (uint8_t)v;
	return r;
}

static int ctl_stp_set(struct ctl_request *req)
{
	const char *name, *version = NULL;
	struct stp_config c;
	struct kv_switch *sw;
	bool enabled;
	int has_enabled, err;
	uint64_t prio;
	int has_prio;

	if (ctl_param_name_req(req, "bridge", &name) < 0)
		return -1;
	sw = ctl_find_bridge(req, name);
	if (!sw)
		return -1;
	c = sw->stp_cfg;
	has_enabled = ctl_param_bool(req, "enabled", &enabled);
	has_prio = ctl_param_uint(req, "priority", 0, CTL_STP_PRIORITY_MAX, &prio);
	if (has_enabled < 0 || has_prio < 0 ||
	    ctl_stp_param_u8(req, "forward_delay", STP_FWD_DELAY_MIN, STP_FWD_DELAY_MAX,
			     &c.forward_delay) < 0 ||
	    ctl_stp_param_u8(req, "hello_time", STP_HELLO_MIN, STP_HELLO_MAX, &c.hello_time) < 0 ||
	    ctl_stp_param_u8(req, "max_age", STP_MAX_AGE_MIN, STP_MAX_AGE_MAX, &c.max_age) < 0 ||
	    ctl_param_string(req, "force_version", &version) < 0)
		return -1;
	if (has_prio && prio % STP_PRIORITY_STEP)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"priority %" PRIu64 " is not a multiple of %d (expected 0..%d)",
				prio, CTL_STP_PRIORITY_STEP, CTL_STP_PRIORITY_MAX);
	if (has_prio)
		c.priority = (uint16_t)prio;
	if (version && ctl_vocab_value(&ctl_stp_versions, version) < 0)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"force_version '%.32s' is not known (expected %s)", version,
				CTL_WORDS_OR(CTL_STP_VERSION_LIST));
	if (version)
		c.force_version = (uint8_t)ctl_vocab_value(&ctl_stp_versions, version);
	if (stp_config_check(&c))
		return ctl_fail(
			req, CTL_ERR_PARAMS,
			"bridge '%s': forward_delay %u, max_age %u and hello_time %u do not "
			"fit 2 * (forward_delay - 1) >= max_age >= 2 * (hello_time + 1)",
			name, c.forward_delay, c.max_age, c.hello_time);
	err = switch_stp_set_config(sw, &c);
	if (err)
		return ctl_fail_errno(req, err, "the stp parameters were refused");
	if (has_enabled) {
		err = switch_stp_enable(sw, enabled);
		if (err)
			return ctl_fail_errno(req, err, "cannot turn stp on: out of memory");
	}
	return 0;
}

/*
 * Param "edge" of port @port: "on", "off" or "auto"; true and false, what it took before
 * auto edge could be chosen, still mean on and off. Return: as ctl_param_bool()
 */
static int ctl_stp_param_edge(struct ctl_request *req, const char *port, enum stp_edge *out)
{
	json_t *v = json_object_get(req->params, "edge");
	int e;

	if (!v || json_is_null(v))
		return 0;
	if (json_is_boolean(v)) {
		*out = json_is_true(v) ? STP_EDGE_ON : STP_EDGE_OFF;
		return 1;
	}
	if (!json_is_string(v))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"port '%s': edge must be a string (expected %s)", port,
				CTL_WORDS_OR(CTL_STP_EDGE_LIST));
	e = ctl_vocab_value(&ctl_stp_edges, json_string_value(v));
	if (e < 0)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"port '%s': edge '%.32s' is not known (expected %s)", port,
				json_string_value(v), CTL_WORDS_OR(CTL_STP_EDGE_LIST));
	*out = (enum stp_edge)e;
	return 1;
}

static int ctl_stp_port_set(struct ctl_request *req)
{
	const char *name;
	struct kv_port *p;
	uint64_t cost, prio;
	int has_cost, has_prio, has_edge;
	enum stp_edge edge = STP_EDGE_AUTO; /* set when has_edge */

	if (ctl_param_name_req(req, "port", &name) < 0)
		return -1;
	p = ctl_find_port(req, name);
	if (!p)
		return -1;
	has_cost = ctl_param_uint(req, "path_cost", 0, STP_PATH_COST_MAX, &cost);
	has_prio = ctl_param_uint(req, "priority", 0, CTL_STP_PORT_PRIORITY_MAX, &prio);
	has_edge = ctl_stp_param_edge(req, name, &edge);
	if (has_cost < 0 || has_prio < 0 || has_edge < 0)
		return -1;
	if (has_prio && prio % STP_PORT_PRIORITY_STEP)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"port '%s': priority %" PRIu64
				" is not a multiple of %d (expected 0..%d)",
				name, prio, CTL_STP_PORT_PRIORITY_STEP, CTL_STP_PORT_PRIORITY_MAX);
	/* all three are checked, so none can fail half-way */
	if (has_cost)
		switch_port_stp_set_cost(p, (uint32_t)cost);
	if (has_prio)
		switch_port_stp_set_priority(p, (unsigned)prio);
	if (has_edge)
		switch_port_stp_set_edge(p, edge);
	return 0;
}

static json_t *ctl_stp_port_json(const struct kv_port *p)
{
	struct stp_port_info pi;
	json_t *o;

	if (stp_port_info(p->sw->stp, p->no, &pi))
		return NULL;
	o = json_pack(
		"{s:s,s:i,s:o,s:i,s:I,s:b,s:s,s:s,s:s,s:o,s:o,s:o,s:I,s:s,s:b,s:b,s:b,s:b,s:s,s:b,"
		"s:i,s:i,s:i,s:i,s:i,s:i,s:{s:I,s:I,s:I,s:I},s:{s:I,s:I,s:I}}",
		"name", p->name, "port_no", p->no, "port_id", ctl_stp_port_id(pi.port_id),
		"priority", pi.priority, "path_cost", (json_int_t)pi.path_cost, "path_cost_auto",
		pi.path_cost_auto, "role", stp_role_name(pi.role), "state",
		bridge_port_state_name(pi.state), "link", pi.link_up ? "up" : "down",
		"designated_root", ctl_stp_bridge_id(pi.designated_root), "designated_bridge",
		ctl_stp_bridge_id(pi.designated_bridge), "designated_port",
		ctl_stp_port_id(pi.designated_port), "designated_cost",
		(json_int_t)pi.designated_cost, "edge",
		ctl_vocab_name(&ctl_stp_edges, (int)p->stp_edge), "admin_edge", pi.admin_edge,
		"auto_edge", pi.auto_edge, "oper_edge", pi.oper_edge, "point_to_point",
		pi.point_to_point, "version",
		ctl_vocab_name(&ctl_stp_versions,
			       pi.send_rstp ? CTL_STP_VERSION_RSTP : CTL_STP_VERSION_STP),
		"topology_change_ack", pi.topology_change_ack, "message_age_timer", pi.message_age,
		"forward_delay_timer", pi.fd_while, "hello_timer", pi.hello_when,
		"topology_change_timer", pi.tc_while, "rcvd_info_timer", pi.rcvd_info_while,
		"edge_delay_timer", pi.edge_delay_while, "rx", "config", (json_int_t)pi.rx_config,
		"rst", (json_int_t)pi.rx_rst, "tcn", (json_int_t)pi.rx_tcn, "bad",
		(json_int_t)pi.rx_bad, "tx", "config", (json_int_t)pi.tx_config, "rst",
		(json_int_t)pi.tx_rst, "tcn", (json_int_t)pi.tx_tcn);
	if (!o)
		return NULL;
	/* the guards (switch_guard.h): what holds a port out of the tree, and why */
	json_object_set_new(o, "bpdu_guard",
			    json_boolean(bridge_port_flags(p->sw->br, p->no) & BR_PORT_BPDU_GUARD));
	json_object_set_new(o, "bpdu_guard_tripped",
			    json_boolean(bridge_port_bpdu_tripped(p->sw->br, p->no)));
	json_object_set_new(o, "root_guard", json_boolean(pi.root_guard));
	json_object_set_new(o, "root_blocked", json_boolean(pi.root_blocked));
	return o;
}

static int ctl_stp_show(struct ctl_request *req)
{
	struct stp_bridge_info bi;
	const struct stp_config *c;
	struct kv_switch *sw;
	const char *name;
	json_t *res, *ports;

	if (ctl_param_name_req(req, "bridge", &name) < 0)
		return -1;
	sw = ctl_find_bridge(req, name);
	if (!sw)
		return -1;
	c = &sw->stp_cfg;
	res = json_pack("{s:s,s:b,s:i,s:i,s:i,s:i,s:s,s:i}", "bridge", sw->name, "enabled",
			sw->stp != NULL, "priority", c->priority, "bridge_max_age", c->max_age,
			"bridge_hello_time", c->hello_time, "bridge_forward_delay",
			c->forward_delay, "force_version", ctl_stp_version_name(c->force_version),
			"tx_hold_count", c->tx_hold_count);
	if (!sw->stp) {
		req->result = res;
		return 0;
	}
	stp_bridge_info(sw->stp, &bi);
	json_object_set_new(res, "bridge_id", ctl_stp_bridge_id(bi.bridge_id));
	json_object_set_new(res, "designated_root", ctl_stp_bridge_id(bi.designated_root));
	json_object_set_new(res, "root", json_boolean(bi.root_port < 0));
	json_object_set_new(res, "root_port",
			    bi.root_port >= 0 && sw->by_no[bi.root_port]
				    ? json_string(sw->by_no[bi.root_port]->name)
				    : json_null());
	json_object_set_new(res, "root_path_cost", json_integer(bi.root_path_cost));
	json_object_set_new(res, "max_age", json_integer(bi.max_age));
	json_object_set_new(res, "hello_time", json_integer(bi.hello_time));
	json_object_set_new(res, "forward_delay", json_integer(bi.forward_delay));
	json_object_set_new(res, "topology_change", json_boolean(bi.topology_change));
	json_object_set_new(res, "topology_change_count", json_integer((json_int_t)bi.tc_count));
	json_object_set_new(res, "time_since_topology_change",
			    bi.tc_count
				    ? json_integer((json_int_t)((datapath_now() - bi.tc_last_ns) /
								1000000000ull))
				    : json_null());
	json_object_set_new(res, "rx_bad", json_integer((json_int_t)bi.rx_bad));
	ports = json_array();
	for (const struct kv_port *p = sw->ports; p; p = p->next) {
		json_t *pj = ctl_stp_port_json(p);

		if (pj)
			json_array_append_new(ports, pj);
	}
	json_object_set_new(res, "ports", ports);
	req->result = res;
	return 0;
}

static const char *const set_params[] = { "bridge",	"enabled", "priority",	    "forward_delay",
					  "hello_time", "max_age", "force_version", NULL };
static const char *const port_set_params[] = { "port", "path_cost", "priority", "edge", NULL };
static const char *const show_params[] = { "bridge", NULL };

const struct ctl_method ctl_stp_methods[] = {
	{ "stp.set", set_params, ctl_stp_set },
	{ "stp.port_set", port_set_params, ctl_stp_port_set },
	{ "stp.show", show_params, ctl_stp_show },
	{ NULL, NULL, NULL },
};
