/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_ctl.c - the control protocol: every bad request gets its error, and changes nothing */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/protocol.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"

/* Send @req; return the parsed answer (caller decrefs) */
static json_t *call(const char *req)
{
	char *line = ctl_handle_line(req, strlen(req));
	json_t *ans;

	assert_non_null(line);
	ans = json_loads(line, 0, NULL);
	assert_non_null(ans);
	assert_string_equal(json_string_value(json_object_get(ans, "jsonrpc")), "2.0");
	free(line);
	return ans;
}

/* Call method with params (a JSON object text) and expect success */
static json_t *ok(const char *method, const char *params)
{
	char req[1024];
	json_t *ans, *res;

	snprintf(req, sizeof(req), "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	ans = call(req);
	if (json_object_get(ans, "error"))
		fail_msg("%s %s: %s", method, params,
			 json_string_value(
				 json_object_get(json_object_get(ans, "error"), "message")));
	assert_int_equal(json_integer_value(json_object_get(ans, "id")), 7);
	res = json_incref(json_object_get(ans, "result"));
	json_decref(ans);
	return res;
}

/* Call and expect error @code whose message contains @needle */
static void err(const char *method, const char *params, int code, const char *needle)
{
	char req[1024];
	json_t *ans, *e;
	const char *msg;

	snprintf(req, sizeof(req),
		 "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"%s\",\"params\":%s}", method,
		 params);
	ans = call(req);
	e = json_object_get(ans, "error");
	if (!e)
		fail_msg("%s %s: succeeded, expected error %d", method, params, code);
	msg = json_string_value(json_object_get(e, "message"));
	if (json_integer_value(json_object_get(e, "code")) != code || !strstr(msg, needle))
		fail_msg("%s %s: got %lld '%s', expected %d with '%s'", method, params,
			 (long long)json_integer_value(json_object_get(e, "code")), msg, code,
			 needle);
	assert_null(json_object_get(ans, "result"));
	json_decref(ans);
}

static void raw_err(const char *line, int code, const char *needle)
{
	json_t *ans = call(line), *e = json_object_get(ans, "error");

	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(e, "code")), code);
	assert_non_null(strstr(json_string_value(json_object_get(e, "message")), needle));
	json_decref(ans);
}

/* everything a client can read back, as one string */
static char *snapshot(void)
{
	json_t *all = json_object();
	char *s;

	json_object_set_new(all, "b", ok("bridge.list", "{}"));
	json_object_set_new(all, "p", ok("port.list", "{}"));
	json_object_set_new(all, "v", ok("vlan.list", "{}"));
	json_object_set_new(all, "f", ok("fdb.list", "{\"bridge\":\"br0\"}"));
	s = json_dumps(all, JSON_SORT_KEYS);
	json_decref(all);
	return s;
}

static int setup(void **state)
{
	(void)state;
	if (datapath_start())
		return -1;
	json_decref(ok("bridge.add", "{\"name\":\"br0\"}"));
	json_decref(ok("port.add", "{\"bridge\":\"br0\",\"name\":\"tap0\"}"));
	json_decref(ok("port.add", "{\"bridge\":\"br0\",\"name\":\"veth1\",\"type\":\"dev\"}"));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	datapath_stop();
	switch_del_all();
	return 0;
}

static void ctl_malformed_requests(void **state)
{
	(void)state;
	raw_err("{\"jsonrpc\":\"2.0\",", CTL_ERR_PARSE, "not JSON");
	raw_err("[1,2]", CTL_ERR_INVALID_REQUEST, "object");
	raw_err("{\"id\":1,\"method\":\"bridge.list\"}", CTL_ERR_INVALID_REQUEST, "2.0");
	raw_err("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", CTL_ERR_INVALID_REQUEST, "method");
	raw_err("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"bridge.list\"}",
		CTL_ERR_INVALID_REQUEST, "id");
	raw_err("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"bridge.list\",\"params\":[1]}",
		CTL_ERR_PARAMS, "params must be an object");
	raw_err("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope.nope\"}", CTL_ERR_METHOD,
		"unknown method 'nope.nope'");
	raw_err("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"bridge.list\"}", CTL_ERR_PARSE,
		"duplicate");
}

static void ctl_notification_gets_no_answer(void **state)
{
	const char *req =
		"{\"jsonrpc\":\"2.0\",\"method\":\"bridge.add\",\"params\":{\"name\":\"n1\"}}";

	(void)state;
	assert_null(ctl_handle_line(req, strlen(req)));
	assert_non_null(switch_find("n1"));
	json_decref(ok("bridge.del", "{\"name\":\"n1\"}"));
}

static void ctl_bad_params_change_nothing(void **state)
{
	char *before, *after;

	(void)state;
	before = snapshot();
	err("bridge.add", "{\"name\":\"br0\"}", CTL_ERR_EXISTS, "bridge 'br0' already exists");
	err("bridge.add", "{\"name\":\"a/b\"}", CTL_ERR_PARAMS, "not a valid name");
	err("bridge.add", "{\"name\":\"abcdefghijklmnop\"}", CTL_ERR_PARAMS, "not a valid name");
	err("bridge.add", "{}", CTL_ERR_PARAMS, "name is required");
	err("bridge.add", "{\"name\":\"b2\",\"ageing_time\":-1}", CTL_ERR_PARAMS, "out of range");
	err("bridge.add", "{\"name\":\"b2\",\"ageing_time\":\"x\"}", CTL_ERR_PARAMS, "seconds");
	err("bridge.add", "{\"name\":\"b2\",\"max_learned\":0}", CTL_ERR_PARAMS, "out of range");
	err("bridge.add", "{\"name\":\"b2\",\"vlan_filtering\":1}", CTL_ERR_PARAMS,
	    "true or false");
	err("bridge.add", "{\"name\":\"b2\",\"colour\":\"red\"}", CTL_ERR_PARAMS,
	    "unknown param 'colour' for bridge.add");
	err("bridge.del", "{\"name\":\"nope\"}", CTL_ERR_NOT_FOUND, "bridge 'nope' does not exist");
	err("bridge.list", "{\"name\":\"nope\"}", CTL_ERR_NOT_FOUND, "does not exist");
	err("port.add", "{\"bridge\":\"nope\",\"name\":\"t1\"}", CTL_ERR_NOT_FOUND,
	    "bridge 'nope' does not exist");
	err("port.add", "{\"bridge\":\"br0\",\"name\":\"tap0\"}", CTL_ERR_EXISTS,
	    "port 'tap0' already exists");
	err("port.add", "{\"bridge\":\"br0\",\"name\":\"t1\",\"type\":\"vhost\"}", CTL_ERR_PARAMS,
	    "expected tap, dev or vxlan");
	err("port.add", "{\"bridge\":\"br0\",\"name\":\"t1\",\"netns\":\"nons\"}",
	    CTL_ERR_NOT_FOUND, "namespace 'nons'");
	err("port.add", "{\"bridge\":\"br0\",\"name\":\"missing0\",\"type\":\"dev\"}",
	    CTL_ERR_NOT_FOUND, "does not exist");
	err("port.add", "{\"bridge\":\"br0\",\"name\":\"busy0\"}", CTL_ERR_EXISTS, "busy");
	err("port.add", "{\"bridge\":\"br0\",\"name\":\"t1\",\"mtu\":20}", CTL_ERR_PARAMS,
	    "mtu 20 is out of range (expected 68..65535)");
	err("port.set", "{\"name\":\"nope\",\"hairpin\":true}", CTL_ERR_NOT_FOUND,
	    "port 'nope' does not exist");
	err("port.set", "{\"name\":\"tap0\",\"state\":\"sleeping\"}", CTL_ERR_PARAMS,
	    "expected disabled");
	err("port.set", "{\"name\":\"tap0\",\"hairpin\":true,\"mtu\":1}", CTL_ERR_PARAMS,
	    "out of range");
	err("vlan.add", "{\"port\":\"tap0\",\"vid\":0}", CTL_ERR_PARAMS,
	    "vid 0 is out of range (expected 1..4094)");
	err("vlan.add", "{\"port\":\"tap0\",\"vid\":4095}", CTL_ERR_PARAMS, "vid 4095");
	err("vlan.add", "{\"port\":\"tap0\",\"vid\":5000}", CTL_ERR_PARAMS, "vid 5000");
	err("vlan.add", "{\"port\":\"tap0\",\"vid\":\"10\"}", CTL_ERR_PARAMS, "integer");
	err("vlan.add", "{\"port\":\"tap0\"}", CTL_ERR_PARAMS, "vid is required");
	err("vlan.add", "{\"port\":\"tap0\",\"vid\":20,\"vid_end\":10}", CTL_ERR_PARAMS,
	    "reversed");
	err("vlan.add", "{\"port\":\"tap0\",\"vid\":10,\"vid_end\":12,\"pvid\":true}",
	    CTL_ERR_PARAMS, "single vid");
	err("vlan.add", "{\"port\":\"nope\",\"vid\":10}", CTL_ERR_NOT_FOUND, "port 'nope'");
	err("vlan.del", "{\"port\":\"tap0\",\"vid\":1,\"vid_end\":3}", CTL_ERR_NOT_FOUND,
	    "not a member of vlan 2");
	err("fdb.add", "{\"port\":\"tap0\",\"mac\":\"xx:yy\"}", CTL_ERR_PARAMS,
	    "'xx:yy' is not a MAC address");
	err("fdb.add", "{\"port\":\"tap0\",\"mac\":\"01:00:5e:00:00:01\"}", CTL_ERR_PARAMS,
	    "multicast");
	err("fdb.add", "{\"port\":\"tap0\",\"mac\":\"02:00:00:00:00:01\",\"vid\":5000}",
	    CTL_ERR_PARAMS, "out of range");
	err("fdb.add", "{\"port\":\"tap0\"}", CTL_ERR_PARAMS, "mac is required");
	err("fdb.del", "{\"bridge\":\"br0\",\"mac\":\"02:00:00:00:00:09\"}", CTL_ERR_NOT_FOUND,
	    "no entry for 02:00:00:00:00:09 vlan 1");
	err("fdb.list", "{\"bridge\":\"br0\",\"port\":\"nope\"}", CTL_ERR_NOT_FOUND, "port 'nope'");
	err("fdb.flush", "{\"bridge\":\"nope\"}", CTL_ERR_NOT_FOUND, "bridge 'nope'");
	err("stats.show", "{\"port\":\"nope\"}", CTL_ERR_NOT_FOUND, "port 'nope'");
	after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void ctl_bridge_port_vlan_fdb_round_trip(void **state)
{
	json_t *r, *ports, *vlans;

	(void)state;
	json_decref(ok("bridge.add",
		       "{\"name\":\"b3\",\"vlan_filtering\":false,\"ageing_time\":30.5}"));
	r = ok("bridge.list", "{\"name\":\"b3\"}");
	assert_false(json_is_true(json_object_get(json_array_get(json_object_get(r, "bridges"), 0),
						  "vlan_filtering")));
	assert_true(
		json_real_value(json_object_get(json_array_get(json_object_get(r, "bridges"), 0),
						"ageing_time")) == 30.5);
	json_decref(r);

	json_decref(ok("port.add", "{\"bridge\":\"b3\",\"name\":\"p3\",\"netns\":\"h1\"}"));
	json_decref(ok("port.set", "{\"name\":\"p3\",\"hairpin\":true,\"learn_limit\":5}"));
	r = ok("port.list", "{\"name\":\"p3\"}");
	ports = json_object_get(r, "ports");
	assert_int_equal(json_array_size(ports), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ports, 0), "netns")),
			    "h1");
	assert_true(json_is_true(
		json_object_get(json_object_get(json_array_get(ports, 0), "flags"), "hairpin")));
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(ports, 0), "learn_limit")),
			 5);
	json_decref(r);

	json_decref(ok("vlan.add", "{\"port\":\"p3\",\"vid\":10,\"vid_end\":12}"));
	json_decref(ok("vlan.add", "{\"port\":\"p3\",\"vid\":20,\"pvid\":true,\"untagged\":true}"));
	r = ok("vlan.list", "{\"port\":\"p3\"}");
	vlans = json_object_get(json_array_get(json_object_get(r, "ports"), 0), "vlans");
	assert_int_equal(json_array_size(vlans), 5); /* 1, 10, 11, 12, 20 */
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(json_object_get(r, "ports"), 0),
						 "pvid")),
			 20);
	json_decref(r);

	json_decref(ok("fdb.add", "{\"port\":\"p3\",\"mac\":\"52:54:00:aa:bb:cc\"}"));
	r = ok("fdb.list", "{\"bridge\":\"b3\"}");
	assert_int_equal(json_array_size(json_object_get(r, "entries")), 1);
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(json_object_get(r, "entries"), 0),
						 "vid")),
			 0);
	json_decref(r);
	err("fdb.add", "{\"port\":\"p3\",\"mac\":\"52:54:00:aa:bb:cc\"}", CTL_ERR_EXISTS,
	    "use replace");
	r = ok("fdb.flush", "{\"bridge\":\"b3\",\"static\":true}");
	assert_int_equal(json_integer_value(json_object_get(r, "flushed")), 1);
	json_decref(r);

	r = ok("stats.show", "{\"port\":\"p3\"}");
	assert_non_null(
		json_object_get(json_object_get(json_array_get(json_object_get(r, "ports"), 0),
						"drops"),
				"ingress-filter"));
	json_decref(r);
	json_decref(ok("port.del", "{\"name\":\"p3\"}"));
	json_decref(ok("bridge.del", "{\"name\":\"b3\"}"));
	assert_null(switch_find("b3"));
}

/* spanning tree through the protocol: ranges refused with a message, nothing half-set */
/* every bridge has its own netdev on the host, a port named like it: listed, never deleted */
static void ctl_bridge_host_netdev(void **state)
{
	json_t *res, *p;
	size_t i;
	bool seen = false;

	(void)state;
	assert_non_null(switch_find("br0")->host);
	res = ok("port.list", "{\"bridge\":\"br0\"}");
	json_array_foreach(json_object_get(res, "ports"), i, p)
		seen |= !strcmp(json_string_value(json_object_get(p, "name")), "br0");
	json_decref(res);
	assert_true(seen);
	err("port.del", "{\"name\":\"br0\"}", CTL_ERR_STATE,
	    "port 'br0' is bridge 'br0''s own netdev on the host");
	/* its name is a port's: a bridge named like another port is refused, and not left */
	err("bridge.add", "{\"name\":\"tap0\"}", CTL_ERR_EXISTS,
	    "cannot create bridge 'tap0': a port named 'tap0' already exists (on bridge 'br0')");
	assert_null(switch_find("tap0"));
	json_decref(ok("bridge.add", "{\"name\":\"br7\"}"));
	assert_string_equal(switch_find("br7")->host->name, "br7");
	assert_int_equal(switch_find("br7")->host->type, KV_PORT_HOST);
	json_decref(ok("bridge.del", "{\"name\":\"br7\"}"));
	assert_null(switch_port_find("br7"));
}

static void ctl_stp_set_and_show(void **state)
{
	json_t *r;

	(void)state;
	r = ok("stp.show", "{\"bridge\":\"br0\"}");
	assert_true(json_is_false(json_object_get(r, "enabled")));
	assert_int_equal(json_integer_value(json_object_get(r, "priority")), 32768);
	json_decref(r);
	err("stp.set", "{\"bridge\":\"br0\",\"priority\":1000}", CTL_ERR_PARAMS, "4096");
	err("stp.set", "{\"bridge\":\"br0\",\"forward_delay\":2}", CTL_ERR_PARAMS, "forward_delay");
	err("stp.set", "{\"bridge\":\"br0\",\"enabled\":true,\"max_age\":40,\"forward_delay\":4}",
	    CTL_ERR_PARAMS, "max_age");
	err("stp.set", "{\"bridge\":\"br0\",\"force_version\":\"mstp\"}", CTL_ERR_PARAMS, "mstp");
	err("stp.set", "{\"bridge\":\"nope\",\"enabled\":true}", CTL_ERR_NOT_FOUND, "nope");
	/* a refused request changed nothing */
	r = ok("stp.show", "{\"bridge\":\"br0\"}");
	assert_true(json_is_false(json_object_get(r, "enabled")));
	assert_int_equal(json_integer_value(json_object_get(r, "bridge_forward_delay")), 15);
	json_decref(r);

	json_decref(ok("stp.set", "{\"bridge\":\"br0\",\"enabled\":true,\"priority\":4096}"));
	r = ok("stp.show", "{\"bridge\":\"br0\"}");
	assert_true(json_is_true(json_object_get(r, "enabled")));
	assert_non_null(json_object_get(r, "bridge_id"));
	assert_int_equal(strncmp(json_string_value(json_object_get(r, "bridge_id")), "1000.", 5),
			 0);
	json_decref(r);
	err("stp.port_set", "{\"port\":\"tap0\",\"priority\":17}", CTL_ERR_PARAMS, "16");
	json_decref(ok("stp.port_set", "{\"port\":\"tap0\",\"path_cost\":100,\"edge\":true}"));
	json_decref(ok("stp.set", "{\"bridge\":\"br0\",\"enabled\":false}"));
}

/* stp.show's member @key of port @port of br0, as text: a string as it is, else its JSON */
static char *port_stp(const char *port, const char *key)
{
	static char buf[64];
	json_t *r = ok("stp.show", "{\"bridge\":\"br0\"}"), *p, *v = NULL;
	size_t i;

	for (i = 0; (p = json_array_get(json_object_get(r, "ports"), i)); i++)
		if (!strcmp(json_string_value(json_object_get(p, "name")), port))
			v = json_object_get(p, key);
	assert_non_null(v);
	if (json_is_string(v))
		snprintf(buf, sizeof(buf), "%s", json_string_value(v));
	else
		snprintf(buf, sizeof(buf), "%s", json_is_true(v) ? "true" : "false");
	json_decref(r);
	return buf;
}

/* stp.port_set edge: on, off or auto, or true and false for on and off; stp.show says it */
static void ctl_stp_port_edge(void **state)
{
	static const char *const cases[][4] = {
		/* param, then stp.show's edge, admin_edge and auto_edge */
		{ "\"on\"", "on", "true", "true" },	 { "\"off\"", "off", "false", "false" },
		{ "\"auto\"", "auto", "false", "true" }, { "true", "on", "true", "true" },
		{ "false", "off", "false", "false" },
	};
	char params[128];
	size_t i;

	(void)state;
	json_decref(ok("stp.set", "{\"bridge\":\"br0\",\"enabled\":true}"));
	/* auto for a port never set (ctl_stp_set_and_show set tap0 on) */
	assert_string_equal(port_stp("veth1", "edge"), "auto");
	assert_string_equal(port_stp("veth1", "oper_edge"), "false");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(params, sizeof(params), "{\"port\":\"tap0\",\"edge\":%s}", cases[i][0]);
		json_decref(ok("stp.port_set", params));
		assert_string_equal(port_stp("tap0", "edge"), cases[i][1]);
		assert_string_equal(port_stp("tap0", "admin_edge"), cases[i][2]);
		assert_string_equal(port_stp("tap0", "auto_edge"), cases[i][3]);
	}
	/* on makes the port an edge port at once, off ends it */
	json_decref(ok("stp.port_set", "{\"port\":\"tap0\",\"edge\":\"on\"}"));
	assert_string_equal(port_stp("tap0", "oper_edge"), "true");
	json_decref(ok("stp.port_set", "{\"port\":\"tap0\",\"edge\":\"off\"}"));
	assert_string_equal(port_stp("tap0", "oper_edge"), "false");
	err("stp.port_set", "{\"port\":\"tap0\",\"edge\":\"maybe\"}", CTL_ERR_PARAMS,
	    "port 'tap0': edge 'maybe' is not known (expected on, off or auto)");
	err("stp.port_set", "{\"port\":\"tap0\",\"edge\":1}", CTL_ERR_PARAMS,
	    "expected on, off or auto");
	/* nor with a good value beside it: nothing changed */
	err("stp.port_set", "{\"port\":\"tap0\",\"priority\":16,\"edge\":\"yes\"}", CTL_ERR_PARAMS,
	    "'yes'");
	assert_string_equal(port_stp("tap0", "edge"), "off");
	json_decref(ok("stp.port_set", "{\"port\":\"tap0\",\"edge\":\"auto\"}"));
	json_decref(ok("stp.set", "{\"bridge\":\"br0\",\"enabled\":false}"));
}

/*
 * what the store keeps, as the methods list it: FDB ages and ifindexes left out (a restored
 * entry is new, a restored port a new interface)
 */
static char *store_dump(void)
{
	json_t *all = json_object(), *f = ok("fdb.list", "{\"bridge\":\"s1\"}"), *e;
	json_t *p = ok("port.list", "{}");
	size_t i;
	char *s;

	json_array_foreach(json_object_get(f, "entries"), i, e)
	{
		json_object_del(e, "age");
	}
	json_array_foreach(json_object_get(p, "ports"), i, e)
	{
		json_object_del(e, "ifindex");
	}
	json_object_set_new(all, "b", ok("bridge.list", "{}"));
	json_object_set_new(all, "p", p);
	json_object_set_new(all, "v", ok("vlan.list", "{}"));
	json_object_set_new(all, "f", f);
	json_object_set_new(all, "m", ok("mirror.list", "{}"));
	json_object_set_new(all, "s", ok("stp.show", "{\"bridge\":\"s1\"}"));
	json_object_del(json_object_get(all, "s"), "ports");
	json_object_del(json_object_get(all, "s"), "time_since_topology_change");
	s = json_dumps(all, JSON_SORT_KEYS);
	json_decref(all);
	return s;
}

/* every bridge made again from the store, as it was; bridge.del removes its file */
static void ctl_store_round_trip(void **state)
{
	char dir[] = "/tmp/kvnet-test-store.XXXXXX", err[256], path[128], *before, *after;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ctl_store_open(dir, err, sizeof(err)), 0);
	json_decref(ok("bridge.add", "{\"name\":\"s1\",\"ageing_time\":42,\"max_learned\":99}"));
	json_decref(ok("port.add", "{\"bridge\":\"s1\",\"name\":\"ps1\"}"));
	json_decref(ok("port.set", "{\"name\":\"ps1\",\"isolated\":true,\"state\":\"blocking\","
				   "\"learn_limit\":3,\"mtu\":9000}"));
	json_decref(ok("vlan.del", "{\"port\":\"ps1\",\"vid\":1}"));
	json_decref(ok("vlan.add", "{\"port\":\"ps1\",\"vid\":100,\"vid_end\":102}"));
	json_decref(ok("vlan.add", "{\"port\":\"ps1\",\"vid\":101,\"untagged\":true}"));
	json_decref(ok("vlan.add", "{\"port\":\"ps1\",\"vid\":7,\"pvid\":true}"));
	json_decref(ok("vlan.add", "{\"port\":\"tap0\",\"vid\":1,\"untagged\":false}"));
	json_decref(ok("fdb.add", "{\"port\":\"ps1\",\"mac\":\"02:00:00:00:00:09\",\"vid\":7}"));
	json_decref(ok("stp.port_set", "{\"port\":\"ps1\",\"path_cost\":77,\"edge\":\"on\"}"));
	json_decref(ok("port.add", "{\"bridge\":\"s1\",\"name\":\"ps2\"}"));
	json_decref(ok("mirror.add", "{\"bridge\":\"s1\",\"name\":\"ms\",\"src\":[\"ps1\"],"
				     "\"dst\":\"ps2\",\"vlans\":[7]}"));
	json_decref(ok("stp.set", "{\"bridge\":\"s1\",\"priority\":8192,\"enabled\":true}"));
	before = store_dump();

	datapath_lock();
	switch_del_all();
	ctl_store_restore();
	datapath_unlock();
	after = store_dump();
	assert_string_equal(before, after);

	json_decref(ok("bridge.del", "{\"name\":\"s1\"}"));
	snprintf(path, sizeof(path), "%s/bridges/s1.json", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/bridges/br0.json", dir);
	assert_int_equal(access(path, F_OK), 0);
	ctl_store_close();
	snprintf(path, sizeof(path), "rm -r %s", dir);
	assert_int_equal(system(path), 0);
	free(before);
	free(after);
}

/* capture.start leaves a descriptor for its answer; its limits; a capture goes with its port */
static void ctl_capture_start_list(void **state)
{
	json_t *r;
	int fds[4];

	(void)state;
	err("capture.start", "{\"port\":\"nope\"}", CTL_ERR_NOT_FOUND,
	    "port 'nope' does not exist");
	err("capture.start", "{\"port\":\"tap0\",\"direction\":\"up\"}", CTL_ERR_PARAMS,
	    "direction 'up' is not known (expected both, in or out)");
	err("capture.start", "{\"port\":\"tap0\",\"snaplen\":13}", CTL_ERR_PARAMS, "snaplen 13");
	assert_int_equal(ctl_pass_fd_take(), -1);
	json_decref(ok("port.add", "{\"bridge\":\"br0\",\"name\":\"cap0\"}"));
	for (int i = 0; i < 4; i++) {
		r = ok("capture.start", "{\"port\":\"cap0\",\"direction\":\"in\",\"count\":5}");
		assert_string_equal(json_string_value(json_object_get(r, "direction")), "in");
		json_decref(r);
		fds[i] = ctl_pass_fd_take();
		assert_true(fds[i] >= 0);
	}
	err("capture.start", "{\"port\":\"cap0\"}", CTL_ERR_FULL,
	    "port cap0: already 4 captures running");
	assert_int_equal(ctl_pass_fd_take(), -1);
	r = ok("capture.list", "{}");
	assert_int_equal(json_array_size(json_object_get(r, "captures")), 4);
	json_decref(r);
	/* the port goes: so do its captures, and each reader reads the end of its file */
	json_decref(ok("port.del", "{\"name\":\"cap0\"}"));
	r = ok("capture.list", "{}");
	assert_int_equal(json_array_size(json_object_get(r, "captures")), 0);
	json_decref(r);
	for (int i = 0; i < 4; i++) {
		char b;

		assert_int_equal(read(fds[i], &b, 1), 0);
		close(fds[i]);
	}
}

static void ctl_mirror_errors(void **state)
{
	const json_t *m;
	json_t *r;

	(void)state;
	err("mirror.add", "{\"bridge\":\"br0\",\"name\":\"m\",\"src\":[\"tap0\"]}", CTL_ERR_PARAMS,
	    "dst is required");
	err("mirror.add", "{\"bridge\":\"br0\",\"name\":\"m\",\"src\":[],\"dst\":\"veth1\"}",
	    CTL_ERR_PARAMS, "src must be a list of 1 to 64 port names");
	err("mirror.add",
	    "{\"bridge\":\"br0\",\"name\":\"m\",\"src\":[\"tap0\"],\"dst\":\"veth1\","
	    "\"vlans\":[10,10]}",
	    CTL_ERR_PARAMS, "vlan 10 is given twice");
	err("mirror.add",
	    "{\"bridge\":\"br0\",\"name\":\"m\",\"src\":[\"tap0\",\"veth1\"],\"dst\":\"veth1\"}",
	    CTL_ERR_PARAMS, "port veth1 cannot be both a source and the output");
	json_decref(ok("mirror.add", "{\"bridge\":\"br0\",\"name\":\"m\",\"src\":[\"tap0\"],"
				     "\"dst\":\"veth1\",\"vlans\":[20,10]}"));
	err("mirror.add",
	    "{\"bridge\":\"br0\",\"name\":\"m\",\"src\":[\"tap0\"],\"dst\":\"veth1\"}",
	    CTL_ERR_EXISTS, "mirror m exists");
	r = ok("mirror.list", "{\"bridge\":\"br0\"}");
	m = json_array_get(json_object_get(r, "mirrors"), 0);
	assert_non_null(m);
	/* the VLANs sorted */
	assert_int_equal(json_integer_value(json_array_get(json_object_get(m, "vlans"), 0)), 10);
	assert_string_equal(json_string_value(json_object_get(m, "dst")), "veth1");
	json_decref(r);
	json_decref(ok("mirror.del", "{\"bridge\":\"br0\",\"name\":\"m\"}"));
	err("mirror.del", "{\"bridge\":\"br0\",\"name\":\"m\"}", CTL_ERR_NOT_FOUND,
	    "bridge br0 has no mirror 'm'");
}

static void ctl_events_subscribe_filter(void **state)
{
	json_t *r;

	(void)state;
	err("events.subscribe", "{\"filter\":\"port\"}", CTL_ERR_PARAMS, "must be a list");
	err("events.subscribe", "{\"filter\":[\"port\",\"links\"]}", CTL_ERR_PARAMS,
	    "filter item 2 is not known (expected bridge, port, network, stp or fdb)");
	r = ok("events.subscribe", "{}");
	assert_int_equal(json_array_size(json_object_get(r, "subscribed")), 4);
	json_decref(r);
	r = ok("events.subscribe", "{\"filter\":[\"fdb\"]}");
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "subscribed"), 0)),
			    "fdb");
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ctl_malformed_requests),
		cmocka_unit_test(ctl_notification_gets_no_answer),
		cmocka_unit_test(ctl_bad_params_change_nothing),
		cmocka_unit_test(ctl_bridge_port_vlan_fdb_round_trip),
		cmocka_unit_test(ctl_bridge_host_netdev),
		cmocka_unit_test(ctl_stp_set_and_show),
		cmocka_unit_test(ctl_stp_port_edge),
		cmocka_unit_test(ctl_events_subscribe_filter),
		cmocka_unit_test(ctl_capture_start_list),
		cmocka_unit_test(ctl_mirror_errors),
		/* last: it makes every bridge again */
		cmocka_unit_test(ctl_store_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
