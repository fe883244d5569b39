/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_network_ctl.c - networks, network ports and domain interfaces through the control
 * protocol, with stub back-ends and a state dir of the test's own
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/bridge.h"
#include "ctl/protocol.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/net_store.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "daemon/vmport/vm_port_record.h"
#include "services/libvirt.h"
#include "stub_libvirt.h"

static char state_dir[64];

/* Call @method with @params (taken); return the answer (caller decrefs) */
static json_t *call(const char *method, json_t *params)
{
	json_t *req = json_pack("{s:s,s:i,s:s,s:o}", "jsonrpc", "2.0", "id", 1, "method", method,
				"params", params);
	char *text = json_dumps(req, JSON_COMPACT), *line;
	json_t *ans;

	json_decref(req);
	assert_non_null(text);
	line = ctl_handle_line(text, strlen(text));
	free(text);
	assert_non_null(line);
	ans = json_loads(line, 0, NULL);
	free(line);
	assert_non_null(ans);
	return ans;
}

static json_t *ok(const char *method, json_t *params)
{
	json_t *ans = call(method, params), *res;
	json_t *e = json_object_get(ans, "error");

	if (e)
		fail_msg("%s: %s", method, json_string_value(json_object_get(e, "message")));
	res = json_incref(json_object_get(ans, "result"));
	json_decref(ans);
	return res;
}

static void err(const char *method, json_t *params, int code, const char *needle)
{
	json_t *ans = call(method, params), *e = json_object_get(ans, "error");
	const char *msg;

	if (!e)
		fail_msg("%s: succeeded, expected error %d '%s'", method, code, needle);
	msg = json_string_value(json_object_get(e, "message"));
	if (json_integer_value(json_object_get(e, "code")) != code || !strstr(msg, needle))
		fail_msg("%s: got %lld '%s', expected %d with '%s'", method,
			 (long long)json_integer_value(json_object_get(e, "code")), msg, code,
			 needle);
	json_decref(ans);
}

static json_t *net(const char *name)
{
	return json_pack("{s:s}", "network", name);
}

static json_t *xml(const char *doc)
{
	return json_pack("{s:s}", "xml", doc);
}

static bool stored(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/networks/%s", state_dir, rel);
	return !stat(path, &st);
}

static char *dumpxml(const char *name, bool inactive)
{
	json_t *r = ok("net.dumpxml",
		       json_pack("{s:s,s:b}", "network", name, "inactive", inactive));
	char *s = strdup(json_string_value(json_object_get(r, "xml")));

	json_decref(r);
	return s;
}

static json_t *info(const char *name)
{
	return ok("net.info", net(name));
}

static int setup(void **state)
{
	char errbuf[256];

	(void)state;
	snprintf(state_dir, sizeof(state_dir), "/tmp/kvnet-test-net.XXXXXX");
	if (!mkdtemp(state_dir) || net_store_open(state_dir, errbuf, sizeof(errbuf)) ||
	    vm_port_record_init(state_dir, errbuf, sizeof(errbuf)))
		return -1;
	return datapath_start();
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	datapath_stop();
	datapath_lock();
	network_shutdown();
	switch_del_all();
	datapath_unlock();
	net_store_close();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state_dir);
	return system(cmd) ? -1 : 0;
}

static const char isolated_xml[] = "<network>\n"
				   "  <name>iso</name>\n"
				   "  <bridge name='kvbr1'/>\n"
				   "  <mtu size='9000'/>\n"
				   "</network>\n";

/* define, start, list, autostart, redefine while running, destroy, undefine */
static void net_life_cycle(void **state)
{
	json_t *r;
	char *live, *next;

	(void)state;
	r = ok("net.define", xml(isolated_xml));
	assert_string_equal(json_string_value(json_object_get(r, "name")), "iso");
	assert_true(json_is_true(json_object_get(r, "new")));
	json_decref(r);
	assert_true(stored("iso.xml"));
	r = info("iso");
	assert_true(json_is_false(json_object_get(r, "active")));
	assert_true(json_is_true(json_object_get(r, "persistent")));
	assert_string_equal(json_string_value(json_object_get(r, "bridge")), "kvbr1");
	json_decref(r);

	json_decref(ok("net.start", net("iso")));
	assert_non_null(switch_find("kvbr1"));
	/* no <ip>, yet its bridge has its host netdev, with the network's MTU */
	assert_non_null(switch_find("kvbr1")->host);
	assert_string_equal(switch_find("kvbr1")->host->name, "kvbr1");
	assert_int_equal(bridge_port_mtu(switch_find("kvbr1")->br, switch_find("kvbr1")->host->no),
			 9000);
	err("port.del", json_pack("{s:s}", "name", "kvbr1"), CTL_ERR_STATE,
	    "port 'kvbr1' is network 'iso''s host port");
	err("net.start", net("iso"), CTL_ERR_STATE, "already active");
	err("bridge.del", json_pack("{s:s}", "name", "kvbr1"), CTL_ERR_STATE, "net-destroy");

	json_decref(ok("net.autostart", net("iso")));
	assert_true(stored("autostart/iso.xml"));
	json_decref(ok("net.autostart", json_pack("{s:s,s:b}", "network", "iso", "enable", 0)));
	assert_false(stored("autostart/iso.xml"));

	/* net-define on a running network changes its next start only */
	r = ok("net.define", xml("<network><name>iso</name><bridge name='kvbr1'/>"
				 "<mtu size='1400'/></network>"));
	assert_true(json_is_false(json_object_get(r, "new")));
	json_decref(r);
	live = dumpxml("iso", false);
	next = dumpxml("iso", true);
	assert_non_null(strstr(live, "<mtu size='9000'/>"));
	assert_non_null(strstr(next, "<mtu size='1400'/>"));
	free(live);
	free(next);

	json_decref(ok("net.destroy", net("iso")));
	assert_null(switch_find("kvbr1"));
	live = dumpxml("iso", false);
	assert_non_null(strstr(live, "<mtu size='1400'/>"));
	free(live);
	err("net.destroy", net("iso"), CTL_ERR_STATE, "not active");

	json_decref(ok("net.undefine", net("iso")));
	assert_false(stored("iso.xml"));
	err("net.info", net("iso"), CTL_ERR_NOT_FOUND, "network 'iso' does not exist");
}

/* the warnings of net.info of network @name, joined by "|" */
static char *info_warnings(const char *name)
{
	json_t *r = info(name), *list = json_object_get(r, "warnings");
	char buf[2048] = "";
	size_t used = 0;

	assert_true(json_is_array(list));
	for (size_t i = 0; i < json_array_size(list); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "|" : "",
					 json_string_value(json_array_get(list, i)));
	json_decref(r);
	return strdup(buf);
}

/* net.info warns of VLANs that have no gateway: a portgroup on another VLAN, a trunk */
static void net_info_vlan_warnings(void **state)
{
	char *w;

	(void)state;
	json_decref(ok("net.define",
		       xml("<network><name>v</name><bridge name='kvv'/><vlan><tag id='10'/></vlan>"
			   "<ip address='10.9.0.1' prefix='24'/>"
			   "<portgroup name='web'><vlan><tag id='20'/></vlan></portgroup>"
			   "<portgroup name='lan'><vlan><tag id='10'/></vlan></portgroup>"
			   "<portgroup name='nat'><vlan trunk='yes'><tag id='20'/>"
			   "<tag id='10' nativeMode='untagged'/></vlan></portgroup>"
			   "<portgroup name='tr'><vlan trunk='yes'><tag id='10'/><tag id='20'/>"
			   "</vlan></portgroup><portgroup name='none'/></network>")));
	w = info_warnings("v");
	assert_string_equal(w, "portgroup 'web' (VLAN 20) has no gateway: the network's <ip>, "
			       "DHCP and DNS are on VLAN 10; its VMs reach only each other|"
			       "portgroup 'tr' (trunk of VLAN 10,20) has no gateway: the network's "
			       "<ip>, DHCP and DNS are on VLAN 10; its VMs reach only each other");
	free(w);
	/* a trunk without a native tag leaves the gateway on VLAN 1 */
	json_decref(ok("net.define",
		       xml("<network><name>t2</name><bridge name='kvt2'/><vlan trunk='yes'>"
			   "<tag id='10'/><tag id='20'/></vlan>"
			   "<ip address='10.8.0.1' prefix='24'/></network>")));
	w = info_warnings("t2");
	assert_non_null(strstr(w, "network <vlan> (trunk of VLAN 10,20) has no native VLAN"));
	assert_non_null(strstr(w, "nativeMode='untagged'"));
	free(w);
	/* no <ip>, no gateway to miss: a pure L2 network says nothing */
	json_decref(ok("net.define",
		       xml("<network><name>l2</name><bridge name='kvl2'/><vlan><tag id='10'/>"
			   "</vlan><portgroup name='web'><vlan><tag id='20'/></vlan></portgroup>"
			   "</network>")));
	w = info_warnings("l2");
	assert_string_equal(w, "");
	free(w);
	json_decref(ok("net.undefine", net("v")));
	json_decref(ok("net.undefine", net("t2")));
	json_decref(ok("net.undefine", net("l2")));
}

/* what libvirt fills in on define: a UUID, a free virbrN, a MAC */
static void net_define_fills_defaults(void **state)
{
	json_t *r;
	char *doc, uuid[64];

	(void)state;
	r = ok("net.define", xml("<network><name>a</name><forward mode='nat'/></network>"));
	snprintf(uuid, sizeof(uuid), "%s", json_string_value(json_object_get(r, "uuid")));
	json_decref(r);
	json_decref(ok("net.define", xml("<network><name>b</name></network>")));
	doc = dumpxml("a", true);
	assert_non_null(strstr(doc, "<bridge name='virbr0' stp='on' delay='0'/>"));
	assert_non_null(strstr(doc, "<mac address='52:54:00:"));
	assert_non_null(strstr(doc, uuid));
	free(doc);
	doc = dumpxml("b", true);
	assert_non_null(strstr(doc, "<bridge name='virbr1'"));
	free(doc);

	/* found by UUID too; a redefinition without <uuid> keeps it */
	r = info(uuid);
	assert_string_equal(json_string_value(json_object_get(r, "name")), "a");
	json_decref(r);
	r = ok("net.define", xml("<network><name>a</name><bridge name='virbr0'/></network>"));
	assert_string_equal(json_string_value(json_object_get(r, "uuid")), uuid);
	json_decref(r);

	/* net-create: transient, running, gone once destroyed */
	json_decref(ok("net.create", xml("<network><name>t</name><bridge name='kvt'/></network>")));
	r = info("t");
	assert_true(json_is_true(json_object_get(r, "active")));
	assert_true(json_is_false(json_object_get(r, "persistent")));
	json_decref(r);
	assert_false(stored("t.xml"));
	err("net.autostart", net("t"), CTL_ERR_STATE, "transient");
	json_decref(ok("net.destroy", net("t")));
	err("net.info", net("t"), CTL_ERR_NOT_FOUND, "does not exist");

	json_decref(ok("net.undefine", net("a")));
	json_decref(ok("net.undefine", net("b")));
}

static void net_bad_requests_change_nothing(void **state)
{
	(void)state;
	json_decref(ok("net.define", xml("<network><name>x</name>"
					 "<uuid>11111111-2222-3333-4444-555555555555</uuid>"
					 "<bridge name='kvx'/></network>")));
	err("net.define", xml("<network><name>x</name>"), CTL_ERR_PARAMS, "line");
	err("net.define", xml("<network><name>x</name><vlan><tag id='5000'/></vlan></network>"),
	    CTL_ERR_PARAMS, "4094");
	err("net.define",
	    xml("<network><name>x</name><uuid>99999999-2222-3333-4444-555555555555</uuid>"
		"</network>"),
	    CTL_ERR_EXISTS, "already exists with uuid 11111111-2222-3333-4444-555555555555");
	err("net.define",
	    xml("<network><name>y</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
		"</network>"),
	    CTL_ERR_EXISTS, "is already network 'x'");
	err("net.define", xml("<network><name>y</name><bridge name='kvx'/></network>"),
	    CTL_ERR_EXISTS, "already used by network 'x'");
	err("net.define", xml("<network><name>a/b</name></network>"), CTL_ERR_PARAMS, "'/'");
	err("net.define",
	    xml("<network><name>z</name><bridge name='much-too-long-name'/>"
		"</network>"),
	    CTL_ERR_PARAMS, "not an interface name");
	err("net.start", net("nope"), CTL_ERR_NOT_FOUND, "network 'nope' does not exist");
	err("net.start", json_object(), CTL_ERR_PARAMS, "network is required");
	err("net.define", json_pack("{s:s,s:i}", "xml", "<network/>", "bogus", 1), CTL_ERR_PARAMS,
	    "bogus");
	err("net.create", xml("<network><name>x</name></network>"), CTL_ERR_EXISTS, "net-start");
	/* a bridge made by hand is not taken over */
	json_decref(ok("bridge.add", json_pack("{s:s}", "name", "kvhand")));
	json_decref(ok("net.define", xml("<network><name>h</name><bridge name='kvhand'/>"
					 "</network>")));
	err("net.start", net("h"), CTL_ERR_EXISTS, "kvnet bridge add");

	assert_true(stored("x.xml"));
	assert_false(stored("y.xml"));
	assert_false(stored("z.xml"));
	assert_null(switch_find("kvx"));
	json_decref(ok("net.undefine", net("x")));
	json_decref(ok("net.undefine", net("h")));
	json_decref(ok("bridge.del", json_pack("{s:s}", "name", "kvhand")));
}

static void write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/networks/%s", state_dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* what a restart finds: good files load, bad ones are skipped, crash leftovers go */
static void net_load_state_dir(void **state)
{
	char target[256];
	json_t *r;

	(void)state;
	write_file("good.xml", "<network><name>good</name><bridge name='kvgood'/></network>");
	write_file("auto.xml", "<network><name>auto</name><bridge name='kvauto'/></network>");
	write_file("garbage.xml", "<network><name>garbage");
	write_file("wrong.xml", "<network><name>other</name></network>");
	write_file(".good.xml.123-0", "<network><na");
	snprintf(target, sizeof(target), "%s/networks/autostart/auto.xml", state_dir);
	assert_int_equal(symlink("../auto.xml", target), 0);

	datapath_lock();
	network_load_all();
	datapath_unlock();

	r = ok("net.list", json_object());
	assert_int_equal(json_array_size(json_object_get(r, "networks")), 2);
	json_decref(r);
	r = info("auto");
	assert_true(json_is_true(json_object_get(r, "active")));
	assert_true(json_is_true(json_object_get(r, "autostart")));
	json_decref(r);
	r = info("good");
	assert_true(json_is_false(json_object_get(r, "active")));
	json_decref(r);
	assert_false(stored(".good.xml.123-0"));
	assert_true(stored("garbage.xml")); /* reported, left for the administrator */

	json_decref(ok("net.destroy", net("auto")));
	json_decref(ok("net.undefine", net("auto")));
	json_decref(ok("net.undefine", net("good")));
}

static const char vlan_net_xml[] = "<network><name>v</name><bridge name='kvv'/>"
				   "<vlan><tag id='10'/></vlan>"
				   "<portgroup name='pg20'><vlan><tag id='20'/></vlan></portgroup>"
				   "<portgroup name='plain'/>"
				   "</network>";

static int pvid_of(const char *port)
{
	json_t *r = ok("vlan.list", json_pack("{s:s}", "port", port));
	json_t *pv = json_object_get(json_array_get(json_object_get(r, "ports"), 0), "pvid");
	int v = json_is_integer(pv) ? (int)json_integer_value(pv) : 0;

	json_decref(r);
	return v;
}

static json_t *attach(const char *dom, const char *iface)
{
	return ok("domain.attach", json_pack("{s:s,s:s}", "domain", dom, "xml", iface));
}

/* the interface's <vlan>, else its portgroup's, else the network's */
static void vm_port_vlan_precedence(void **state)
{
	json_t *r;
	char *doc, uuid[64];

	(void)state;
	json_decref(ok("net.create", xml(vlan_net_xml)));
	json_decref(attach("vm1", "<interface type='network'><source network='v' "
				  "portgroup='pg20'/><vlan><tag id='30'/></vlan>"
				  "<target dev='kvt30'/></interface>"));
	json_decref(attach("vm1", "<interface type='network'><source network='v' "
				  "portgroup='pg20'/><target dev='kvt20'/></interface>"));
	json_decref(attach("vm2", "<interface type='network'><source network='v' "
				  "portgroup='plain'/><target dev='kvt10a'/></interface>"));
	r = attach("vm2", "<interface type='network'><source network='v'/>"
			  "<mac address='52:54:00:00:00:01'/></interface>");
	assert_string_equal(json_string_value(json_object_get(r, "name")), "kvport0");
	assert_string_equal(json_string_value(json_object_get(r, "model")), "virtio");
	json_decref(r);
	r = attach("vm2", "<interface type='network'><source network='v'/>"
			  "<model type='e1000'/><target dev='kvte1000'/></interface>");
	assert_string_equal(json_string_value(json_object_get(r, "model")), "e1000");
	json_decref(ok("domain.detach",
		       json_pack("{s:s,s:O}", "domain", "vm2", "mac", json_object_get(r, "mac"))));
	json_decref(r);
	assert_null(switch_port_find("kvte1000"));
	assert_int_equal(pvid_of("kvt30"), 30);
	assert_int_equal(pvid_of("kvt20"), 20);
	assert_int_equal(pvid_of("kvt10a"), 10);
	assert_int_equal(pvid_of("kvport0"), 10);

	r = ok("domain.interfaces", json_pack("{s:s}", "domain", "vm1"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(r, "interfaces"), 0),
				    "portgroup")),
			    "pg20");
	assert_int_equal(strncmp(json_string_value(json_object_get(
					 json_array_get(json_object_get(r, "interfaces"), 0),
					 "mac")),
				 "52:54:00:", 9),
			 0);
	json_decref(r);

	err("domain.attach",
	    json_pack("{s:s,s:s}", "domain", "vm2", "xml",
		      "<interface type='network'><source network='v'/>"
		      "<mac address='52:54:00:00:00:01'/></interface>"),
	    CTL_ERR_EXISTS, "already has an interface with MAC 52:54:00:00:00:01");
	err("domain.attach",
	    json_pack("{s:s,s:s}", "domain", "vm2", "xml",
		      "<interface type='network'><source network='v' portgroup='nope'/>"
		      "</interface>"),
	    CTL_ERR_NOT_FOUND, "no portgroup 'nope'");
	err("domain.attach",
	    json_pack("{s:s,s:s}", "domain", "vm2", "xml",
		      "<interface type='network'><source network='none'/></interface>"),
	    CTL_ERR_NOT_FOUND, "network 'none' does not exist");
	err("domain.attach",
	    json_pack("{s:s,s:s,s:s}", "domain", "vm2", "backend", "vhost", "xml",
		      "<interface type='network'><source network='v'/></interface>"),
	    CTL_ERR_PARAMS, "expected tap, dev, stream, dgram or vhost-user");
	err("domain.attach",
	    json_pack("{s:s,s:s}", "domain", "vm2", "xml",
		      "<interface type='network'><source network='v'/><model type='ne2k_pci'/>"
		      "</interface>"),
	    CTL_ERR_PARAMS,
	    "<model type='ne2k_pci'> is not a NIC kvnet knows (expected virtio, e1000, e1000e "
	    "or rtl8139)");
	assert_null(switch_port_find("kvport1"));

	/* a network port of its own, through <networkport> XML */
	r = ok("net.port.create",
	       json_pack("{s:s,s:s,s:s}", "network", "v", "name", "kvnp", "xml",
			 "<networkport><owner><name>vm3</name>"
			 "<uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>"
			 "<group>pg20</group><mac address='52:54:00:7b:35:93'/></networkport>"));
	snprintf(uuid, sizeof(uuid), "%s", json_string_value(json_object_get(r, "uuid")));
	json_decref(r);
	assert_int_equal(pvid_of("kvnp"), 20);
	r = ok("net.port.dumpxml", json_pack("{s:s,s:s}", "network", "v", "port", uuid));
	doc = (char *)json_string_value(json_object_get(r, "xml"));
	assert_non_null(strstr(doc, "<plug type='network' bridge='kvv'/>"));
	assert_non_null(strstr(doc, "<tag id='20'/>"));
	json_decref(r);
	r = ok("net.port.list", net("v"));
	assert_int_equal(json_array_size(json_object_get(r, "ports")), 5);
	json_decref(r);
	json_decref(ok("net.port.delete", json_pack("{s:s,s:s}", "network", "v", "port", uuid)));
	assert_null(switch_port_find("kvnp"));

	json_decref(ok("domain.detach",
		       json_pack("{s:s,s:s}", "domain", "vm2", "mac", "52:54:00:00:00:01")));
	assert_null(switch_port_find("kvport0"));
	err("domain.detach", json_pack("{s:s,s:s}", "domain", "vm2", "mac", "52:54:00:00:00:01"),
	    CTL_ERR_NOT_FOUND, "no interface with MAC");

	/* a port removed by hand takes its VM port with it */
	json_decref(ok("port.del", json_pack("{s:s}", "name", "kvt10a")));
	r = ok("domain.interfaces", json_pack("{s:s}", "domain", "vm2"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 0);
	json_decref(r);

	/* destroying the network removes its ports */
	json_decref(ok("net.destroy", net("v")));
	assert_null(switch_port_find("kvt30"));
	r = ok("domain.interfaces", json_pack("{s:s}", "domain", "vm1"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 0);
	json_decref(r);
}

/* type='bridge': straight onto a switch, only the interface's own VLAN */
static void vm_port_bridge_type(void **state)
{
	json_t *r;

	(void)state;
	json_decref(ok("bridge.add", json_pack("{s:s}", "name", "kvb")));
	r = attach("vm4", "<interface type='bridge'><source bridge='kvb'/>"
			  "<vlan trunk='yes'><tag id='42'/><tag id='48'/></vlan>"
			  "<target dev='kvtb'/></interface>");
	assert_true(json_is_null(json_object_get(r, "network")));
	json_decref(r);
	assert_int_equal(pvid_of("kvtb"), 0);
	err("domain.attach",
	    json_pack("{s:s,s:s}", "domain", "vm4", "xml",
		      "<interface type='bridge'><source bridge='kvnone'/></interface>"),
	    CTL_ERR_NOT_FOUND, "bridge 'kvnone' does not exist");
	json_decref(ok("bridge.del", json_pack("{s:s}", "name", "kvb")));
	r = ok("domain.interfaces", json_pack("{s:s}", "domain", "vm4"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 0);
	json_decref(r);
}

/* the rate (bytes/s) of port @name's limit on what the switch takes from it (@rx) or sends */
static uint64_t limit_of(const char *name, bool rx)
{
	const struct kv_port *p = switch_port_find(name);
	const struct shaper *s;

	assert_non_null(p);
	s = rx ? &p->shape_rx : &p->shape_tx;
	return s->on ? s->avg.rate : 0;
}

/* <bandwidth>: the port's own, else its portgroup's (the named one, else the default), whole */
static void vm_port_bandwidth_precedence(void **state)
{
	static const char net_xml[] =
		"<network><name>bw</name><bridge name='kvbw'/>"
		"<portgroup name='slow' default='yes'><bandwidth>"
		"<inbound average='200' peak='400' burst='100'/><outbound average='100'/>"
		"</bandwidth></portgroup><portgroup name='free'/></network>";
	const struct kv_port *p;
	json_t *r, *sh;
	char *doc;

	(void)state;
	json_decref(ok("net.create", xml(net_xml)));
	json_decref(attach("vm1", "<interface type='network'><source network='bw' "
				  "portgroup='slow'/><target dev='kvbw1'/><bandwidth>"
				  "<outbound average='1250'/></bandwidth></interface>"));
	json_decref(attach("vm1", "<interface type='network'><source network='bw'/>"
				  "<target dev='kvbw2'/></interface>"));
	json_decref(attach("vm1", "<interface type='network'><source network='bw' "
				  "portgroup='free'/><target dev='kvbw3'/></interface>"));
	/* its own, as a whole: no inbound limit from the portgroup */
	assert_int_equal(limit_of("kvbw1", true), 1250000);
	assert_int_equal(limit_of("kvbw1", false), 0);
	/* the default portgroup's: inbound is what the switch sends the guest */
	assert_int_equal(limit_of("kvbw2", true), 100000);
	assert_int_equal(limit_of("kvbw2", false), 200000);
	p = switch_port_find("kvbw2");
	assert_int_equal(p->shape_tx.peak.rate, 400000);
	assert_int_equal(p->shape_tx.avg.size, 102400);
	assert_int_equal(p->shape_rx.avg.size, 102400); /* no burst: average KiB */
	assert_int_equal(limit_of("kvbw3", true), 0);
	assert_int_equal(limit_of("kvbw3", false), 0);

	r = ok("port.list", json_pack("{s:s}", "name", "kvbw2"));
	sh = json_object_get(json_array_get(json_object_get(r, "ports"), 0), "shaping");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(sh, "rx"), "rate")),
			 100000);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(sh, "tx"), "peak")),
			 400000);
	json_decref(r);
	r = ok("port.list", json_pack("{s:s}", "name", "kvbw3"));
	sh = json_object_get(json_array_get(json_object_get(r, "ports"), 0), "shaping");
	assert_true(json_is_null(json_object_get(sh, "rx")));
	assert_true(json_is_null(json_object_get(sh, "tx")));
	json_decref(r);

	/* a port's dump shows the <bandwidth> it runs with */
	r = ok("net.port.create",
	       json_pack("{s:s,s:s}", "network", "bw", "xml",
			 "<networkport><owner><name>vm2</name>"
			 "<uuid>3f7e0000-1111-4222-8333-444455556666</uuid></owner>"
			 "<group>slow</group><mac address='52:54:00:00:bb:01'/></networkport>"));
	json_decref(r);
	r = ok("net.port.list", net("bw"));
	doc = NULL;
	for (size_t i = 0; i < json_array_size(json_object_get(r, "ports")); i++) {
		json_t *port = json_array_get(json_object_get(r, "ports"), i);
		json_t *d;

		if (strcmp(json_string_value(json_object_get(port, "mac")), "52:54:00:00:bb:01"))
			continue;
		d = ok("net.port.dumpxml", json_pack("{s:s,s:O}", "network", "bw", "port",
						     json_object_get(port, "uuid")));
		doc = strdup(json_string_value(json_object_get(d, "xml")));
		json_decref(d);
	}
	json_decref(r);
	assert_non_null(doc);
	assert_non_null(strstr(doc, "  <bandwidth>\n"
				    "    <inbound average='200' peak='400' burst='100'/>\n"
				    "    <outbound average='100'/>\n"
				    "  </bandwidth>\n"));
	free(doc);

	/* a floor is refused, and nothing is made */
	err("domain.attach",
	    json_pack("{s:s,s:s}", "domain", "vm3", "xml",
		      "<interface type='network'><source network='bw'/><target dev='kvbw9'/>"
		      "<bandwidth><inbound average='10' floor='5'/></bandwidth></interface>"),
	    CTL_ERR_PARAMS, "<inbound floor='5'>: a guaranteed rate is not supported by kvnet");
	assert_null(switch_port_find("kvbw9"));
	json_decref(ok("net.destroy", net("bw")));
}

/* "pvid P: 1u 10t ..." of switch port @name, straight from the core */
static void uplink_vlans(const char *name, char *buf, size_t len)
{
	const struct kv_port *p = switch_port_find(name);
	const struct vlan_port *v;
	size_t used;

	assert_non_null(p);
	v = bridge_port_vlan(p->sw->br, p->no);
	used = (size_t)snprintf(buf, len, "pvid %u:", v->pvid);
	for (unsigned vid = VLAN_VID_MIN; vid <= VLAN_VID_MAX && used < len; vid++)
		if (vlan_is_member(v, (uint16_t)vid))
			used += (size_t)snprintf(buf + used, len - used, " %u%c", vid,
						 vlan_is_untagged(v, (uint16_t)vid) ? 'u' : 't');
}

/* a bridge-mode network's uplinks: trunks of its ports' VLANs, one forwarding */
static void net_bridge_uplinks(void **state)
{
	char vl[128];
	json_t *r, *ups;

	(void)state;
	json_decref(
		ok("net.create",
		   xml("<network><name>up</name><forward mode='bridge'>"
		       "<interface dev='kvu1'/><interface dev='kvu2'/></forward>"
		       "<vlan trunk='yes'><tag id='5' nativeMode='untagged'/><tag id='6'/></vlan>"
		       "<portgroup name='pg10'><vlan><tag id='10'/></vlan></portgroup>"
		       "</network>")));
	/* the network's tags, the portgroup's, the host netdev's VLAN 1; 5 is the native VLAN */
	uplink_vlans("kvu1", vl, sizeof(vl));
	assert_string_equal(vl, "pvid 5: 1t 5u 6t 10t");
	uplink_vlans("kvu2", vl, sizeof(vl));
	assert_string_equal(vl, "pvid 5: 1t 5u 6t 10t");
	json_decref(attach("vm9", "<interface type='network'><source network='up'/>"
				  "<mac address='52:54:00:00:77:01'/><vlan><tag id='77'/></vlan>"
				  "<target dev='kvt77'/></interface>"));
	uplink_vlans("kvu1", vl, sizeof(vl));
	assert_string_equal(vl, "pvid 5: 1t 5u 6t 10t 77t");
	json_decref(ok("domain.detach",
		       json_pack("{s:s,s:s}", "domain", "vm9", "mac", "52:54:00:00:77:01")));
	uplink_vlans("kvu1", vl, sizeof(vl));
	assert_string_equal(vl, "pvid 5: 1t 5u 6t 10t");
	/* no carrier on the stubs: both down, the first kept as the active one, the other off */
	r = info("up");
	ups = json_object_get(r, "uplinks");
	assert_int_equal(json_array_size(ups), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ups, 0), "name")),
			    "kvu1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ups, 1), "name")),
			    "kvu2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ups, 1), "state")),
			    "down");
	json_decref(r);
	assert_int_equal(switch_port_find("kvu2")->admin_state, BR_STATE_DISABLED);
	assert_int_equal(switch_port_find("kvu1")->admin_state, BR_STATE_FORWARDING);
	json_decref(ok("net.destroy", net("up")));
	assert_null(switch_port_find("kvu1"));
	assert_null(switch_port_find("kvu2"));
}

static json_t *update(const char *name, const char *cmd, const char *section, const char *elem,
		      int live, int config)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "network", name, "command", cmd, "section",
			 section, "xml", elem, "live", live, "config", config);
}

/* net-update: live and config apart; a portgroup's new VLAN reaches its ports at once */
static void net_update_live_and_config(void **state)
{
	char *doc;

	(void)state;
	json_decref(ok("net.define", xml(vlan_net_xml)));
	err("net.update", update("v", "add", "portgroup", "<portgroup name='pg5'/>", 1, 0),
	    CTL_ERR_STATE, "not active");
	json_decref(
		ok("net.update", update("v", "add", "portgroup", "<portgroup name='pg5'/>", 0, 0)));
	doc = dumpxml("v", true);
	assert_non_null(strstr(doc, "<portgroup name='pg5'"));
	free(doc);
	assert_true(stored("v.xml"));

	json_decref(ok("net.start", net("v")));
	json_decref(attach("vm5", "<interface type='network'><source network='v' "
				  "portgroup='pg20'/><target dev='kvu20'/></interface>"));
	json_decref(attach("vm5", "<interface type='network'><source network='v' "
				  "portgroup='pg20'/><vlan><tag id='33'/></vlan>"
				  "<target dev='kvu33'/></interface>"));
	assert_int_equal(pvid_of("kvu20"), 20);
	json_decref(
		ok("net.update",
		   update("v", "modify", "portgroup",
			  "<portgroup name='pg20'><vlan><tag id='21'/></vlan></portgroup>", 1, 0)));
	assert_int_equal(pvid_of("kvu20"), 21);
	assert_int_equal(pvid_of("kvu33"), 33); /* its own <vlan> wins over any portgroup */
	/* live only: the stored definition keeps VLAN 20 for the next start */
	doc = dumpxml("v", true);
	assert_non_null(strstr(doc, "<tag id='20'/>"));
	free(doc);
	/* the portgroup goes: its port falls back to the network's VLAN */
	json_decref(ok("net.update",
		       update("v", "delete", "portgroup", "<portgroup name='pg20'/>", 1, 1)));
	assert_int_equal(pvid_of("kvu20"), 10);
	doc = dumpxml("v", true);
	assert_null(strstr(doc, "pg20"));
	free(doc);

	err("net.update", update("v", "add", "portgroup", "<portgroup name='pg5'/>", 0, 1),
	    CTL_ERR_PARAMS, "pg5");
	err("net.update", update("v", "frobnicate", "portgroup", "<portgroup/>", 0, 0),
	    CTL_ERR_PARAMS, "expected add");
	err("net.update", update("v", "add", "bridge", "<bridge/>", 0, 0), CTL_ERR_PARAMS,
	    "expected ip-dhcp-host");
	err("net.update", update("v", "add", "forward-interface", "<interface dev='eth9'/>", 1, 0),
	    CTL_ERR_STATE, "--config");
	json_decref(ok("net.destroy", net("v")));
	json_decref(ok("net.undefine", net("v")));
}

/* a member of @dom's first interface, as a string ("" if absent) */
static const char *iface_str(json_t *r, const char *key)
{
	json_t *v = json_object_get(json_array_get(json_object_get(r, "interfaces"), 0), key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* poll @dom's first interface until its link is @want, for up to 2 s; true if it got there */
static bool link_becomes(const char *dom, const char *want)
{
	for (int i = 0; i < 200; i++) {
		json_t *r = ok("domain.interfaces", json_pack("{s:s}", "domain", dom));
		bool there = !strcmp(iface_str(r, "link"), want);

		json_decref(r);
		if (there)
			return true;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
	return false;
}

static bool exists(const char *dir, const char *file)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return !lstat(path, &st);
}

/* stream and dgram ports: their sockets in RUN_DIR/ports, a record each, the peer's link */
static void vm_port_socket_backends(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char ports[128];
	json_t *r;
	int fd;

	(void)state;
	snprintf(ports, sizeof(ports), "%s/ports", state_dir);
	json_decref(ok("net.create", xml(isolated_xml)));
	r = ok("domain.attach",
	       json_pack("{s:s,s:s,s:s}", "domain", "qs", "backend", "stream", "xml",
			 "<interface type='network'><source network='iso'/>"
			 "<target dev='kvs1'/></interface>"));
	assert_string_equal(json_string_value(json_object_get(r, "backend")), "stream");
	assert_true(json_is_true(json_object_get(r, "listen")));
	assert_string_equal(json_string_value(json_object_get(r, "link")), "down");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s",
		 json_string_value(json_object_get(r, "socket")));
	json_decref(r);
	assert_non_null(strstr(sa.sun_path, "/ports/kvs1.sock"));
	assert_true(exists(ports, "kvs1.sock"));
	assert_true(exists(ports, "kvs1.json"));

	/* QEMU connects: the link comes up; it hangs up: down again */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_true(link_becomes("qs", "up"));
	close(fd);
	assert_true(link_becomes("qs", "down"));

	r = ok("domain.attach",
	       json_pack("{s:s,s:s,s:s}", "domain", "qd", "backend", "dgram", "xml",
			 "<interface type='network'><source network='iso'/>"
			 "<target dev='kvd1'/></interface>"));
	assert_string_equal(json_string_value(json_object_get(r, "backend")), "dgram");
	assert_non_null(strstr(json_string_value(json_object_get(r, "peer_socket")),
			       "/ports/kvd1.qemu.sock"));
	assert_null(json_object_get(r, "listen"));
	json_decref(r);
	assert_true(exists(ports, "kvd1.sock"));

	r = ok("domain.interfaces", json_pack("{s:s}", "domain", "qd"));
	assert_string_equal(iface_str(r, "backend"), "dgram");
	json_decref(r);
	r = ok("domain.interfaces", json_pack("{s:s}", "domain", "qs"));
	json_decref(ok("domain.detach",
		       json_pack("{s:s,s:s}", "domain", "qs", "mac", iface_str(r, "mac"))));
	json_decref(r);
	assert_false(exists(ports, "kvs1.sock"));
	assert_false(exists(ports, "kvs1.json"));
	json_decref(ok("net.destroy", net("iso")));
	assert_false(exists(ports, "kvd1.sock"));
	assert_false(exists(ports, "kvd1.json"));
}

/* back-end parameters that do not go together are refused, and nothing is made */
static void vm_port_backend_errors(void **state)
{
	static const char iface[] = "<interface type='network'><source network='iso'/>"
				    "<target dev='kvx1'/></interface>";
	static const char no_target[] = "<interface type='network'><source network='iso'/>"
					"</interface>";
	char long_path[200];

	(void)state;
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = 0;
	json_decref(ok("net.create", xml(isolated_xml)));
	err("domain.attach",
	    json_pack("{s:s,s:s,s:s,s:s}", "domain", "x", "backend", "stream", "netns", "ns1",
		      "xml", iface),
	    CTL_ERR_PARAMS, "netns is for a tap port, not a stream port");
	err("domain.attach",
	    json_pack("{s:s,s:s,s:s,s:s}", "domain", "x", "backend", "dgram", "connect", "/x",
		      "xml", iface),
	    CTL_ERR_PARAMS, "connect is for a stream or vhost-user port");
	err("domain.attach",
	    json_pack("{s:s,s:s,s:s,s:s}", "domain", "x", "backend", "stream", "connect", long_path,
		      "xml", iface),
	    CTL_ERR_PARAMS, "1 to 107 bytes");
	err("domain.attach",
	    json_pack("{s:s,s:s,s:s}", "domain", "x", "backend", "dev", "xml", no_target),
	    CTL_ERR_PARAMS, "needs <target dev='NAME'/>");
	err("domain.attach",
	    json_pack("{s:s,s:s,s:s}", "domain", "x", "backend", "tap", "xml",
		      "<interface type='network'><source network='iso'/>"
		      "<target dev='busy1'/></interface>"),
	    CTL_ERR_STATE, "cannot create tap 'busy1'");
	assert_null(switch_port_find("kvx1"));
	assert_null(switch_port_find("busy1"));
	json_decref(ok("net.destroy", net("iso")));
}

/* every change of a network reaches libvirt (a libvirtd in memory); a clash is refused */
static void net_mirrored_into_libvirt(void **state)
{
	char *live;
	json_t *r;

	(void)state;
	stub_libvirt_reset();
	libvirt_set_api(&stub_libvirt_api);
	assert_int_equal(libvirt_init("network:///system", true, state_dir), 0);
	libvirt_connect();
	assert_int_equal(stub_libvirt_define("<network><name>theirs</name><forward mode='bridge'/>"
					     "<bridge name='br-t'/></network>",
					     false),
			 0);

	json_decref(ok("net.define", xml("<network><name>m</name><bridge name='kvm0'/>"
					 "<portgroup name='web'><vlan><tag id='20'/></vlan>"
					 "</portgroup></network>")));
	assert_string_equal(stub_libvirt_is("m"), "inactive");
	r = info("m");
	assert_string_equal(json_string_value(
				    json_object_get(json_object_get(r, "libvirt"), "state")),
			    "mirrored");
	json_decref(r);
	json_decref(ok("net.start", net("m")));
	assert_string_equal(stub_libvirt_is("m"), "active");
	json_decref(ok("net.update",
		       json_pack("{s:s,s:s,s:s,s:s,s:b}", "network", "m", "command", "add",
				 "section", "portgroup", "xml",
				 "<portgroup name='db'><vlan><tag id='30'/></vlan></portgroup>",
				 "live", 1)));
	live = stub_libvirt_xml("m", false);
	assert_non_null(strstr(live, "name='db'"));
	free(live);
	json_decref(ok("net.destroy", net("m")));
	assert_string_equal(stub_libvirt_is("m"), "inactive");
	json_decref(ok("net.undefine", net("m")));
	assert_string_equal(stub_libvirt_is("m"), "none");

	err("net.define", xml("<network><name>theirs</name><bridge name='kvt0'/></network>"),
	    CTL_ERR_EXISTS, "libvirt already has a network 'theirs' that kvnet did not make");
	err("net.create", xml("<network><name>theirs</name><bridge name='kvt0'/></network>"),
	    CTL_ERR_EXISTS, "libvirt already has a network 'theirs' that kvnet did not make");
	assert_null(switch_find("kvt0"));
	json_decref(
		ok("net.create", xml("<network><name>t</name><bridge name='kvt1'/></network>")));
	assert_string_equal(stub_libvirt_is("t"), "active");
	assert_false(stub_libvirt_persistent("t"));
	json_decref(ok("net.destroy", net("t")));
	assert_string_equal(stub_libvirt_is("t"), "none");
	assert_string_equal(stub_libvirt_is("theirs"), "inactive");
	libvirt_fini();
}

/* domain.interfaces by port name: the one VM port of that name, whichever domain owns it */
static void vm_port_interfaces_by_port(void **state)
{
	int found;
	json_t *r;

	(void)state;
	json_decref(ok("net.create", xml(vlan_net_xml)));
	json_decref(ok("bridge.add", json_pack("{s:s}", "name", "kvb")));
	json_decref(ok("domain.attach",
		       json_pack("{s:s,s:s,s:s}", "domain", "4eefc258-2283-45f8-957a-9c831bbb4c78",
				 "backend", "dev", "xml",
				 "<interface type='network'><source network='v'/>"
				 "<mac address='52:54:00:fc:90:b2'/><vlan><tag id='20'/></vlan>"
				 "<target dev='vnet1'/></interface>")));
	json_decref(attach("vm5",
			   "<interface type='bridge'><source bridge='kvb'/>"
			   "<mac address='52:54:00:00:00:05'/><target dev='kvtb5'/></interface>"));
	json_decref(attach("vm5",
			   "<interface type='network'><source network='v'/>"
			   "<mac address='52:54:00:00:00:06'/><target dev='kvtn5'/></interface>"));
	json_decref(ok("port.add", json_pack("{s:s,s:s}", "bridge", "kvb", "name", "kvplain")));

	r = ok("domain.interfaces", json_pack("{s:s}", "port", "vnet1"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 1);
	assert_string_equal(iface_str(r, "domain"), "4eefc258-2283-45f8-957a-9c831bbb4c78");
	assert_string_equal(iface_str(r, "mac"), "52:54:00:fc:90:b2");
	assert_string_equal(iface_str(r, "bridge"), "kvv");
	assert_string_equal(iface_str(r, "backend"), "dev");
	json_decref(r);
	/* a domain named by its UUID owns its ports under that UUID, as libvirt knows it */
	r = ok("net.port.list", net("v"));
	found = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(r, "ports")); i++) {
		json_t *p = json_array_get(json_object_get(r, "ports"), i);

		if (strcmp(json_string_value(json_object_get(p, "name")), "vnet1"))
			continue;
		assert_string_equal(json_string_value(json_object_get(p, "domain_uuid")),
				    "4eefc258-2283-45f8-957a-9c831bbb4c78");
		found++;
	}
	assert_int_equal(found, 1);
	json_decref(r);
	r = ok("domain.interfaces", json_pack("{s:s}", "port", "kvtb5"));
	assert_string_equal(iface_str(r, "domain"), "vm5");
	assert_string_equal(iface_str(r, "type"), "bridge");
	json_decref(r);

	/* both: the port, if that domain owns it */
	r = ok("domain.interfaces", json_pack("{s:s,s:s}", "domain", "vm5", "port", "kvtn5"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 1);
	assert_string_equal(iface_str(r, "mac"), "52:54:00:00:00:06");
	json_decref(r);
	r = ok("domain.interfaces", json_pack("{s:s,s:s}", "domain", "vm5", "port", "vnet1"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 0);
	json_decref(r);

	/* a port that is no VM's, and no port at all: no interface, not an error */
	r = ok("domain.interfaces", json_pack("{s:s}", "port", "kvplain"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 0);
	json_decref(r);
	r = ok("domain.interfaces", json_pack("{s:s}", "port", "nosuch"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 0);
	json_decref(r);

	err("domain.interfaces", json_object(), CTL_ERR_PARAMS, "domain or port is required");
	err("domain.interfaces", json_pack("{s:s}", "port", "not a name"), CTL_ERR_PARAMS,
	    "port 'not a name' is not a valid name");
	err("domain.interfaces", json_pack("{s:i}", "port", 3), CTL_ERR_PARAMS, "port");
	err("domain.interfaces", json_pack("{s:s}", "domain", ""), CTL_ERR_PARAMS,
	    "domain name must be 1 to 255 characters");

	json_decref(ok("net.destroy", net("v")));
	json_decref(ok("bridge.del", json_pack("{s:s}", "name", "kvb")));
	r = ok("domain.interfaces", json_pack("{s:s}", "port", "kvtb5"));
	assert_int_equal(json_array_size(json_object_get(r, "interfaces")), 0);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(net_life_cycle),
		cmocka_unit_test(net_define_fills_defaults),
		cmocka_unit_test(net_info_vlan_warnings),
		cmocka_unit_test(net_bad_requests_change_nothing),
		cmocka_unit_test(net_load_state_dir),
		cmocka_unit_test(vm_port_vlan_precedence),
		cmocka_unit_test(vm_port_bridge_type),
		cmocka_unit_test(vm_port_bandwidth_precedence),
		cmocka_unit_test(vm_port_socket_backends),
		cmocka_unit_test(vm_port_backend_errors),
		cmocka_unit_test(vm_port_interfaces_by_port),
		cmocka_unit_test(net_update_live_and_config),
		cmocka_unit_test(net_mirrored_into_libvirt),
		cmocka_unit_test(net_bridge_uplinks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
