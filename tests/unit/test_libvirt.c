/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_libvirt.c - the libvirt mirror (services/libvirt.c) against a libvirtd in memory:
 * the XML kvnet gives libvirt, the life cycle, live portgroup changes, name clashes, and
 * libvirtd going away and coming back
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/network_xml.h"
#include "services/libvirt.h"
#include "stub_libvirt.h"

#define OWNER "/var/lib/kvnet's&test"
#define SECOND 1000000000ull

static uint64_t now_ns;

static struct network_def *def_of(const char *xml)
{
	struct network_def *d = NULL;
	char err[256];

	if (network_xml_parse(xml, strlen(xml), &d, err, sizeof(err)))
		fail_msg("%s", err);
	return d;
}

/* the mirror's next tick, LIBVIRT_RETRY_S later */
static void tick(void)
{
	now_ns += LIBVIRT_RETRY_S * SECOND;
	libvirt_tick(now_ns);
}

static enum libvirt_state state_of(const char *name, const char **reason)
{
	const char *r;
	enum libvirt_state s = libvirt_net_state(name, &r);

	if (reason)
		*reason = r;
	return s;
}

static bool contains(char *text, const char *needle)
{
	bool yes = text && strstr(text, needle);

	free(text);
	return yes;
}

static int setup(void **state)
{
	(void)state;
	stub_libvirt_reset();
	libvirt_set_api(&stub_libvirt_api);
	return libvirt_init("network:///system", true, OWNER);
}

static int teardown(void **state)
{
	(void)state;
	libvirt_fini();
	return 0;
}

static const char lab_xml[] = "<network>\n"
			      "  <name>lab&amp;co</name>\n"
			      "  <uuid>6e3b0d2a-5f0e-4a59-9c3f-1a2b3c4d5e6f</uuid>\n"
			      "  <forward mode='nat'/>\n"
			      "  <bridge name='kvlab0'/>\n"
			      "  <mac address='52:54:00:12:34:56'/>\n"
			      "  <vlan trunk='yes'>\n"
			      "    <tag id='10' nativeMode='untagged'/>\n"
			      "    <tag id='11'/>\n"
			      "  </vlan>\n"
			      "  <bandwidth>\n"
			      "    <inbound average='2500'/>\n"
			      "  </bandwidth>\n"
			      "  <ip address='192.168.90.1' prefix='24'/>\n"
			      "  <portgroup name='web' default='yes'>\n"
			      "    <vlan>\n"
			      "      <tag id='20'/>\n"
			      "    </vlan>\n"
			      "  </portgroup>\n"
			      "  <portgroup name='trunk:1'>\n"
			      "    <vlan trunk='yes'>\n"
			      "      <tag id='20' nativeMode='tagged'/>\n"
			      "      <tag id='30'/>\n"
			      "    </vlan>\n"
			      "    <bandwidth>\n"
			      "      <inbound average='1250' peak='2500' burst='64'/>\n"
			      "    </bandwidth>\n"
			      "  </portgroup>\n"
			      "  <portgroup name='slow'>\n"
			      "    <bandwidth>\n"
			      "      <outbound average='125'/>\n"
			      "    </bandwidth>\n"
			      "  </portgroup>\n"
			      "  <portgroup name='plain'/>\n"
			      "</network>\n";

static const char lab_mirror[] = "<network>\n"
				 "  <name>lab&amp;co</name>\n"
				 "  <uuid>6e3b0d2a-5f0e-4a59-9c3f-1a2b3c4d5e6f</uuid>\n"
				 "  <metadata>\n"
				 "    <kvnet:network xmlns:kvnet='urn:kvnet:libvirt-network:1' "
				 "state-dir='/var/lib/kvnet&apos;s&amp;test'/>\n"
				 "  </metadata>\n"
				 "  <forward mode='bridge'/>\n"
				 "  <bridge name='kvlab0'/>\n"
				 "  <virtualport type='openvswitch'/>\n"
				 "  <vlan trunk='yes'>\n"
				 "    <tag id='10' nativeMode='untagged'/>\n"
				 "    <tag id='11'/>\n"
				 "  </vlan>\n"
				 "  <portgroup name='web' default='yes'>\n"
				 "    <vlan>\n"
				 "      <tag id='20'/>\n"
				 "    </vlan>\n"
				 "  </portgroup>\n"
				 "  <portgroup name='trunk:1'>\n"
				 "    <vlan trunk='yes'>\n"
				 "      <tag id='20' nativeMode='tagged'/>\n"
				 "      <tag id='30'/>\n"
				 "    </vlan>\n"
				 "    <bandwidth>\n"
				 "      <inbound average='1250' peak='2500' burst='64'/>\n"
				 "    </bandwidth>\n"
				 "  </portgroup>\n"
				 "  <portgroup name='slow'>\n"
				 "    <bandwidth>\n"
				 "      <outbound average='125'/>\n"
				 "    </bandwidth>\n"
				 "  </portgroup>\n"
				 "  <portgroup name='plain'/>\n"
				 "</network>\n";

/* forward bridge onto kvnet's bridge, the VLANs, the portgroups; no <ip>, <mac>, NAT */
static void xml_for_libvirt(void **state)
{
	struct network_def *d = def_of(lab_xml), *back;
	char path[] = "/tmp/kvnet-test-libvirt.XXXXXX", cmd[256], err[256];
	char *xml;
	int fd;

	(void)state;
	assert_int_equal(libvirt_network_xml(d, "kvlab0", OWNER, &xml), 0);
	assert_string_equal(xml, lab_mirror);
	/* kvnet reads it back, and finds its mark */
	assert_int_equal(network_xml_parse(xml, strlen(xml), &back, err, sizeof(err)), 0);
	assert_int_equal(back->forward.mode, CONF_FORWARD_BRIDGE);
	assert_int_equal(back->n_portgroups, 4);
	assert_null(back->bandwidth); /* the host port's, kvnet's own */
	assert_int_equal(back->portgroups[2].bandwidth->out.average, 125);
	assert_int_equal(network_xml_metadata_find(back, LIBVIRT_KVNET_NS, NULL, NULL), 1);
	assert_int_equal(network_xml_metadata_find(back, "urn:other", NULL, NULL), 0);
	network_def_free(back);
	/* and so does libvirt's schema, where virt-xml-validate is installed */
	if (system("command -v virt-xml-validate >/dev/null 2>&1") == 0) {
		fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
		close(fd);
		snprintf(cmd, sizeof(cmd), "virt-xml-validate %s network >/dev/null 2>&1", path);
		assert_int_equal(system(cmd), 0);
		unlink(path);
	}
	free(xml);
	network_def_free(d);
}

/* kvnet's own <kvnet:vxlan> never reaches libvirtd: its schema has no such element */
static void overlay_not_mirrored(void **state)
{
	struct network_def *d = def_of(
		"<network xmlns:kvnet='urn:kvnet:libvirt-network:1'>"
		"<name>ov</name><bridge name='ovbr'/>"
		"<kvnet:vxlan vni='7' local='10.0.0.1'>"
		"<kvnet:remote address='10.0.0.2'/></kvnet:vxlan></network>");
	char *xml;

	(void)state;
	assert_non_null(d->vxlan);
	assert_int_equal(libvirt_network_xml(d, "ovbr", OWNER, &xml), 0);
	assert_null(strstr(xml, "vxlan"));
	assert_null(strstr(xml, "remote"));
	assert_non_null(strstr(xml, LIBVIRT_KVNET_NS));
	free(xml);
	network_def_free(d);
}

/* persistent: defined, started, redefined while running, stopped, undefined */
static void persistent_life_cycle(void **state)
{
	struct network_def *d = def_of(lab_xml), *next;
	const char *reason;
	char *want;

	(void)state;
	libvirt_connect();
	libvirt_net_set("lab&co", NULL, NULL, d);
	assert_string_equal(stub_libvirt_is("lab&co"), "inactive");
	assert_true(stub_libvirt_persistent("lab&co"));
	assert_int_equal(state_of("lab&co", &reason), LIBVIRT_MIRRORED);
	assert_string_equal(reason, "");

	libvirt_net_set("lab&co", d, "kvlab0", d);
	assert_string_equal(stub_libvirt_is("lab&co"), "active");
	assert_true(contains(stub_libvirt_xml("lab&co", false), "<tag id='30'/>"));

	/* net-define of a running network: its next start in libvirt too, not the live one */
	next = def_of("<network><name>lab&amp;co</name>"
		      "<uuid>6e3b0d2a-5f0e-4a59-9c3f-1a2b3c4d5e6f</uuid>"
		      "<bridge name='kvlab0'/><portgroup name='db'><vlan><tag id='40'/></vlan>"
		      "</portgroup></network>");
	libvirt_net_set("lab&co", d, "kvlab0", next);
	assert_true(contains(stub_libvirt_xml("lab&co", true), "<tag id='40'/>"));
	assert_false(contains(stub_libvirt_xml("lab&co", false), "<tag id='40'/>"));
	assert_int_equal(stub_libvirt_calls("virNetworkDestroy"), 0);

	/* destroyed: the next start's definition is the one */
	libvirt_net_set("lab&co", NULL, NULL, next);
	assert_string_equal(stub_libvirt_is("lab&co"), "inactive");
	assert_int_equal(libvirt_network_xml(next, "kvlab0", OWNER, &want), 0);
	assert_true(contains(stub_libvirt_xml("lab&co", true), "name='db'"));
	free(want);
	/* a sync with nothing to change changes nothing */
	libvirt_net_set("lab&co", NULL, NULL, next);
	assert_int_equal(stub_libvirt_calls("virNetworkDefineXML"), 2);

	libvirt_net_forget("lab&co");
	assert_string_equal(stub_libvirt_is("lab&co"), "none");
	network_def_free(d);
	network_def_free(next);
}

/* net-create: transient in libvirt too, gone once destroyed; a persistent one made transient */
static void transient(void **state)
{
	struct network_def *d = def_of(lab_xml);

	(void)state;
	libvirt_connect();
	libvirt_net_set("lab&co", d, "kvlab0", NULL);
	assert_string_equal(stub_libvirt_is("lab&co"), "active");
	assert_false(stub_libvirt_persistent("lab&co"));
	libvirt_net_forget("lab&co");
	assert_string_equal(stub_libvirt_is("lab&co"), "none");

	/* net-undefine of a running network: libvirt's loses its definition, keeps running */
	libvirt_net_set("lab&co", d, "kvlab0", d);
	assert_true(stub_libvirt_persistent("lab&co"));
	libvirt_net_set("lab&co", d, "kvlab0", NULL);
	assert_string_equal(stub_libvirt_is("lab&co"), "active");
	assert_false(stub_libvirt_persistent("lab&co"));
	libvirt_net_forget("lab&co");
	assert_int_equal(stub_libvirt_count(), 0);
	network_def_free(d);
}

/* net-update --live of portgroups: virNetworkUpdate, not a restart; a VLAN change restarts */
static void live_portgroups(void **state)
{
	static const char head[] = "<network><name>pg</name>"
				   "<uuid>11111111-2222-3333-4444-555555555555</uuid>"
				   "<bridge name='kvpg0'/>";
	struct network_def *a, *b, *c, *v;
	char xml[1024];

	(void)state;
	libvirt_connect();
	snprintf(xml, sizeof(xml),
		 "%s<portgroup name='web'><vlan><tag id='20'/></vlan></portgroup>"
		 "<portgroup name='db'><vlan><tag id='30'/></vlan></portgroup></network>",
		 head);
	a = def_of(xml);
	libvirt_net_set("pg", a, "kvpg0", a);
	/* web changes VLAN, db goes, app comes */
	snprintf(xml, sizeof(xml),
		 "%s<portgroup name='web'><vlan><tag id='21'/></vlan></portgroup>"
		 "<portgroup name='app' default='yes'/></network>",
		 head);
	b = def_of(xml);
	libvirt_net_set("pg", b, "kvpg0", a);
	assert_int_equal(stub_libvirt_calls("virNetworkUpdate"), 3);
	assert_int_equal(stub_libvirt_calls("virNetworkDestroy"), 0);
	assert_true(contains(stub_libvirt_xml("pg", false), "<tag id='21'/>"));
	assert_false(contains(stub_libvirt_xml("pg", false), "name='db'"));
	assert_true(contains(stub_libvirt_xml("pg", false), "name='app' default='yes'"));
	assert_true(contains(stub_libvirt_xml("pg", true), "name='db'"));

	/* the default moves to web: libvirt refuses two defaults on the way, so a restart */
	snprintf(xml, sizeof(xml),
		 "%s<portgroup name='web' default='yes'><vlan><tag id='21'/>"
		 "</vlan></portgroup><portgroup name='app'/></network>",
		 head);
	c = def_of(xml);
	libvirt_net_set("pg", c, "kvpg0", a);
	assert_true(contains(stub_libvirt_xml("pg", false), "name='web' default='yes'"));
	assert_int_equal(state_of("pg", NULL), LIBVIRT_MIRRORED);

	/* the network's own <vlan> cannot change live: a restart, the definition kept */
	snprintf(xml, sizeof(xml), "%s<vlan><tag id='5'/></vlan></network>", head);
	v = def_of(xml);
	libvirt_net_set("pg", v, "kvpg0", a);
	assert_true(stub_libvirt_calls("virNetworkDestroy") >= 1);
	assert_string_equal(stub_libvirt_is("pg"), "active");
	assert_true(contains(stub_libvirt_xml("pg", false), "<tag id='5'/>"));
	assert_true(contains(stub_libvirt_xml("pg", true), "name='db'"));
	assert_true(stub_libvirt_persistent("pg"));
	assert_int_equal(state_of("pg", NULL), LIBVIRT_MIRRORED);
	libvirt_net_forget("pg");
	network_def_free(a);
	network_def_free(b);
	network_def_free(c);
	network_def_free(v);
}

static const char foreign_default[] = "<network><name>default</name>"
				      "<uuid>aaaaaaaa-0000-4000-8000-000000000001</uuid>"
				      "<forward mode='nat'/><bridge name='virbr0'/>"
				      "<ip address='192.168.122.1' prefix='24'/></network>";

/* a libvirt network kvnet did not make is refused for a new one, and never touched */
static void clashes(void **state)
{
	struct network_def *d, *other_uuid;
	const char *reason;
	char err[512], *before;

	(void)state;
	assert_int_equal(stub_libvirt_define(foreign_default, true), 0);
	assert_int_equal(
		stub_libvirt_define("<network><name>theirs</name>"
				    "<uuid>aaaaaaaa-0000-4000-8000-000000000002</uuid>"
				    "<metadata><k:network xmlns:k='urn:kvnet:libvirt-network:1' "
				    "state-dir='/var/lib/other'/></metadata>"
				    "<forward mode='bridge'/><bridge name='kvt0'/>"
				    "<virtualport type='openvswitch'/></network>",
				    false),
		0);
	before = stub_libvirt_xml("default", false);
	libvirt_connect();

	d = def_of("<network><name>default</name><bridge name='virbr1'/></network>");
	assert_int_equal(libvirt_net_check(d, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "libvirt already has a network 'default' that kvnet did not "
				    "make; kvnet does not take it over"));
	network_def_free(d);
	d = def_of("<network><name>theirs</name><bridge name='kvt1'/></network>");
	assert_int_equal(libvirt_net_check(d, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "another kvnetd made (state dir /var/lib/other)"));
	network_def_free(d);
	other_uuid = def_of("<network><name>mine</name>"
			    "<uuid>aaaaaaaa-0000-4000-8000-000000000001</uuid></network>");
	assert_int_equal(libvirt_net_check(other_uuid, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "libvirt's network 'default' already has uuid"));
	network_def_free(other_uuid);
	d = def_of("<network><name>fresh</name><bridge name='kvf0'/></network>");
	assert_int_equal(libvirt_net_check(d, err, sizeof(err)), 0);
	network_def_free(d);

	/* kvnet's own first-start default: kvnet has it, libvirt keeps its own */
	d = def_of("<network><name>default</name><forward mode='nat'/>"
		   "<bridge name='virbr1'/></network>");
	libvirt_net_set("default", d, "virbr1", d);
	assert_int_equal(state_of("default", &reason), LIBVIRT_NOT_MIRRORED);
	assert_string_equal(reason, "libvirt already has a network 'default' that kvnet did not "
				    "make");
	libvirt_net_set("default", NULL, NULL, d);
	libvirt_net_forget("default");
	tick();
	assert_true(contains(stub_libvirt_xml("default", false), "virbr0"));
	assert_string_equal(stub_libvirt_is("default"), "active");
	assert_string_equal(stub_libvirt_is("theirs"), "inactive");
	assert_true(contains(stub_libvirt_xml("default", false), before));
	assert_int_equal(stub_libvirt_calls("virNetworkDestroy"), 0);
	assert_int_equal(stub_libvirt_calls("virNetworkUndefine"), 0);
	assert_int_equal(stub_libvirt_calls("virNetworkDefineXML"), 0);
	free(before);
	network_def_free(d);
}

/* libvirtd not there at start, then there; restarted; stopped while kvnet changes things */
static void reconnect_and_resync(void **state)
{
	struct network_def *a = def_of("<network><name>a</name><bridge name='kva0'/></network>");
	struct network_def *b = def_of("<network><name>b</name><bridge name='kvb0'/></network>");
	struct network_def *stale = def_of("<network><name>stale</name><bridge name='kvs0'/>"
					   "</network>");
	const char *reason;
	char *xml;

	(void)state;
	/* a network this kvnetd mirrored before, which it no longer has */
	assert_int_equal(libvirt_network_xml(stale, "kvs0", OWNER, &xml), 0);
	assert_int_equal(stub_libvirt_define(xml, true), 0);
	free(xml);
	assert_int_equal(stub_libvirt_define(foreign_default, false), 0);

	stub_libvirt_set_up(false);
	libvirt_connect();
	libvirt_net_set("a", a, "kva0", a);
	assert_int_equal(state_of("a", &reason), LIBVIRT_NOT_MIRRORED);
	assert_non_null(strstr(reason, "cannot connect to libvirtd at network:///system"));
	tick();
	assert_int_equal(state_of("a", NULL), LIBVIRT_NOT_MIRRORED);

	stub_libvirt_set_up(true);
	tick();
	assert_int_equal(state_of("a", NULL), LIBVIRT_MIRRORED);
	assert_string_equal(stub_libvirt_is("a"), "active");
	assert_string_equal(stub_libvirt_is("stale"), "none");
	assert_string_equal(stub_libvirt_is("default"), "inactive");

	/* restarted: the probe notices, the next tick reconnects */
	stub_libvirt_restart();
	tick();
	assert_int_equal(state_of("a", NULL), LIBVIRT_MIRRORED);
	libvirt_net_set("b", NULL, NULL, b);
	assert_string_equal(stub_libvirt_is("b"), "inactive");

	/* stopped while kvnet starts b and forgets a: all in step once it is back */
	stub_libvirt_set_up(false);
	libvirt_net_set("b", b, "kvb0", b);
	libvirt_net_forget("a");
	tick();
	assert_int_equal(state_of("b", &reason), LIBVIRT_NOT_MIRRORED);
	assert_string_equal(stub_libvirt_is("a"), "active");
	stub_libvirt_set_up(true);
	tick();
	assert_string_equal(stub_libvirt_is("a"), "none");
	assert_string_equal(stub_libvirt_is("b"), "active");
	assert_int_equal(state_of("b", NULL), LIBVIRT_MIRRORED);

	/* stopped behind kvnet's back (virsh net-destroy), then libvirtd restarted: kvnet starts
	 * it again on the reconnection */
	assert_int_equal(stub_libvirt_destroy("b"), 0);
	stub_libvirt_restart();
	tick();
	assert_string_equal(stub_libvirt_is("b"), "active");
	network_def_free(a);
	network_def_free(b);
	network_def_free(stale);
}

/* off; a bridge-mode network with no bridge name until it starts */
static void off_and_unmirrorable(void **state)
{
	struct network_def *d = def_of("<network><name>up</name><forward mode='bridge' "
				       "dev='eth0'/></network>");
	const char *reason;

	(void)state;
	libvirt_connect();
	libvirt_net_set("up", NULL, NULL, d);
	assert_int_equal(state_of("up", &reason), LIBVIRT_NOT_MIRRORED);
	assert_non_null(strstr(reason, "no <bridge name> until it starts"));
	assert_string_equal(stub_libvirt_is("up"), "none");
	libvirt_net_set("up", d, "virbr3", d);
	assert_int_equal(state_of("up", NULL), LIBVIRT_MIRRORED);
	assert_true(contains(stub_libvirt_xml("up", false), "<bridge name='virbr3'/>"));
	libvirt_net_set("up", NULL, NULL, d);
	assert_string_equal(stub_libvirt_is("up"), "none");

	libvirt_fini();
	assert_int_equal(libvirt_init("off", true, OWNER), 0);
	libvirt_connect();
	libvirt_net_set("up", d, "virbr3", d);
	assert_int_equal(state_of("up", &reason), LIBVIRT_OFF);
	assert_string_equal(libvirt_state_name(LIBVIRT_OFF), "off");
	assert_string_equal(stub_libvirt_is("up"), "none");
	network_def_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_for_libvirt),
		cmocka_unit_test(overlay_not_mirrored),
		cmocka_unit_test_setup_teardown(persistent_life_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(transient, setup, teardown),
		cmocka_unit_test_setup_teardown(live_portgroups, setup, teardown),
		cmocka_unit_test_setup_teardown(clashes, setup, teardown),
		cmocka_unit_test_setup_teardown(reconnect_and_resync, setup, teardown),
		cmocka_unit_test_setup_teardown(off_and_unmirrorable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
