/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_iface_xml.c - unit tests of iface_xml.h: each element, round trips, each error */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/iface_xml.h"
#include "conf_xml_test.h"

CONF_XML_TEST_HELPERS(struct iface_def, iface_xml_parse, iface_xml_format, iface_def_free)

static void test_network_minimal(void **state)
{
	struct iface_def *def;

	(void)state;
	def = parse_ok("<interface type='network'><source network='lan'/></interface>");
	assert_int_equal(def->type, IFACE_NETWORK);
	assert_string_equal(def->source, "lan");
	assert_null(def->portgroup);
	assert_string_equal(def->mac, "");
	assert_null(def->target_dev);
	assert_null(def->model);
	assert_false(def->vlan.present);
	assert_int_equal(def->isolated, CONF_TRI_ABSENT);
	assert_int_equal(def->mtu, 0);
	assert_null(def->bandwidth);
	assert_null(def->virtualport);
	iface_def_free(def);
	round_trip("<interface type='network'><source network='lan'/></interface>",
		   "<interface type='network'>\n  <source network='lan'/>\n</interface>\n");
}

static void test_network_every_element(void **state)
{
	static const char in[] =
		"<interface type='network' trustGuestRxFilters='yes'>\n"
		"  <mtu size='9000'/>\n"
		"  <port isolated='yes'/>\n"
		"  <vlan trunk='yes'><tag id='100' nativeMode='tagged'/><tag id='200'/></vlan>\n"
		"  <model type='virtio'/>\n"
		"  <target dev='vnet7'/>\n"
		"  <source network='lan' portgroup='web'/>\n"
		"  <mac address='52:54:00:0A:0B:0C'/>\n"
		"  <bandwidth><inbound average='500'/></bandwidth>\n"
		"  <virtualport type='openvswitch'><parameters profileid='p'/></virtualport>\n"
		"</interface>\n";
	struct iface_def *def = parse_ok(in);

	(void)state;
	assert_string_equal(def->source, "lan");
	assert_string_equal(def->portgroup, "web");
	assert_string_equal(def->mac, "52:54:00:0a:0b:0c");
	assert_string_equal(def->target_dev, "vnet7");
	assert_string_equal(def->model, "virtio");
	assert_int_equal(def->vlan.n_tags, 2);
	assert_int_equal(def->vlan.trunk, CONF_TRI_YES);
	assert_int_equal(def->vlan.tags[0].native_mode, CONF_NATIVE_TAGGED);
	assert_int_equal(def->isolated, CONF_TRI_YES);
	assert_int_equal(def->mtu, 9000);
	assert_non_null(def->bandwidth);
	assert_non_null(def->virtualport);
	assert_int_equal(def->trust_guest_rx, CONF_TRI_YES);
	iface_def_free(def);
	round_trip(in, "<interface type='network' trustGuestRxFilters='yes'>\n"
		       "  <mac address='52:54:00:0a:0b:0c'/>\n"
		       "  <source network='lan' portgroup='web'/>\n"
		       "  <virtualport type='openvswitch'>\n"
		       "    <parameters profileid='p'/>\n"
		       "  </virtualport>\n"
		       "  <target dev='vnet7'/>\n"
		       "  <model type='virtio'/>\n"
		       "  <bandwidth>\n    <inbound average='500'/>\n  </bandwidth>\n"
		       "  <vlan trunk='yes'>\n    <tag id='100' nativeMode='tagged'/>\n"
		       "    <tag id='200'/>\n  </vlan>\n"
		       "  <port isolated='yes'/>\n"
		       "  <mtu size='9000'/>\n"
		       "</interface>\n");
}

static void test_bridge_and_ignored(void **state)
{
	struct iface_def *def;

	(void)state;
	/* what QEMU alone uses is skipped, whatever it holds */
	def = parse_ok("<interface type='bridge'>\n"
		       "  <source bridge='br0'/>\n"
		       "  <driver name='vhost' queues='4'><host csum='off'/></driver>\n"
		       "  <address type='pci' domain='0x0000' bus='0x00' slot='0x03' "
		       "function='0x0'/>\n"
		       "  <alias name='net0'/><boot order='1'/><rom bar='off'/>\n"
		       "  <link state='up'/><tune><sndbuf>1600</sndbuf></tune>\n"
		       "  <coalesce><rx><frames max='7'/></rx></coalesce>\n"
		       "  <guest dev='eth0'/>\n"
		       "</interface>");
	assert_int_equal(def->type, IFACE_BRIDGE);
	assert_string_equal(def->source, "br0");
	iface_def_free(def);
	/* a portgroup means nothing on a bridge and is not kept */
	round_trip("<interface type='bridge'><source bridge='br0' portgroup='x'/>"
		   "<virtualport><parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>"
		   "</virtualport></interface>",
		   "<interface type='bridge'>\n  <source bridge='br0'/>\n"
		   "  <virtualport>\n"
		   "    <parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>\n"
		   "  </virtualport>\n</interface>\n");
	/* libvirt's test convention NET;PORT is just a name here */
	def = parse_ok("<interface type='network'><source network='net;port'/></interface>");
	assert_string_equal(def->source, "net;port");
	iface_def_free(def);
}

static void test_err_not_xml(void **state)
{
	(void)state;
	parse_err("<interface type='network'>", "not well-formed XML", NULL);
	parse_err("<domain><devices/></domain>", "expected the root element <interface>", NULL);
}

static void test_err_type(void **state)
{
	static const char *const refused[] = { "direct", "hostdev", "user",  "ethernet",
					       "server", "client",  "mcast", "udp",
					       "vdpa",	 "null",    "vds",   "mystery" };
	char xml[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char want[64];

		snprintf(xml, sizeof(xml), "<interface type='%s'><source network='n'/></interface>",
			 refused[i]);
		snprintf(want, sizeof(want), "interface type '%s'", refused[i]);
		parse_err(xml, "<interface>", want, "not supported by kvnet", "type='network'",
			  "type='bridge'", NULL);
	}
	parse_err("<interface type='vhostuser'><source type='unix' path='/tmp/s' "
		  "mode='server'/></interface>",
		  "'vhostuser'", "names a socket", "--backend vhost-user", "type='network'", NULL);
	parse_err("<interface><source network='n'/></interface>", "attribute 'type' is required",
		  NULL);
}

static void test_err_source(void **state)
{
	(void)state;
	parse_err("<interface type='network'><mac address='52:54:00:00:00:01'/></interface>",
		  "<interface>", "expected a <source network=", NULL);
	parse_err("<interface type='bridge'/>", "expected a <source bridge=", NULL);
	parse_err("<interface type='network'><source bridge='br0'/></interface>", "<source>",
		  "attribute 'network' is required", NULL);
	parse_err("<interface type='bridge'><source network='n'/></interface>", "<source>",
		  "attribute 'bridge' is required", NULL);
}

static void test_err_values(void **state)
{
#define NET "<interface type='network'><source network='n'/>"
	(void)state;
	parse_err(NET "<mac address='52:54:00:00:00'/></interface>", "<mac>",
		  "expected a MAC address", NULL);
	parse_err(NET "<mac address='33:33:00:00:00:01'/></interface>", "<mac>",
		  "expected a unicast MAC address", NULL);
	parse_err(NET "<vlan><tag id='0'/></vlan></interface>", "<tag>", "from 1 to 4094",
		  "got '0'", NULL);
	parse_err(NET "<vlan><tag id='4095'/></vlan></interface>", "<tag>", "got '4095'", NULL);
	parse_err(NET "<vlan trunk='no'><tag id='1'/><tag id='2'/></vlan></interface>", "<vlan>",
		  "'no' but 2 tags", NULL);
	parse_err(NET "<vlan><tag id='1'/></vlan><vlan><tag id='2'/></vlan></interface>",
		  "at most one <vlan>", NULL);
	parse_err(NET "<mtu size='big'/></interface>", "<mtu>", "attribute 'size'", NULL);
	parse_err(NET "<mtu/></interface>", "<mtu>", "attribute 'size' is required", NULL);
	parse_err(NET "<port isolated='sure'/></interface>", "<port>", "'yes' or 'no'", NULL);
	parse_err(NET "<target/></interface>", "<target>", "attribute 'dev' is required", NULL);
	parse_err(NET "<model/></interface>", "<model>", "attribute 'type' is required", NULL);
	parse_err("<interface type='network' trustGuestRxFilters='perhaps'>"
		  "<source network='n'/></interface>",
		  "attribute 'trustGuestRxFilters'", NULL);
	/* <bandwidth>: floor only on type='network' (libvirt's rule), classID only on a port */
	parse_err("<interface type='bridge'><source bridge='b'/><bandwidth>"
		  "<inbound average='10' floor='5'/></bandwidth></interface>",
		  "<inbound>", "attribute 'floor' is only for an <interface type='network'>", NULL);
	parse_err(NET "<bandwidth classID='3'><inbound average='10'/></bandwidth></interface>",
		  "<bandwidth>", "attribute 'classID' is only for a <networkport>", NULL);
	parse_err(NET "<bandwidth><outbound/></bandwidth></interface>", "<outbound>",
		  "attribute 'average' is required", NULL);
#undef NET
}

/* a floor parses on type='network' (refused when the port is made: kvnet reserves nothing) */
static void test_bandwidth_floor(void **state)
{
	struct iface_def *def;

	(void)state;
	def = parse_ok("<interface type='network'><source network='n'/><bandwidth>"
		       "<inbound floor='5'/><outbound average='1250' peak='2500' burst='64'/>"
		       "</bandwidth></interface>");
	assert_true(def->bandwidth->in.present);
	assert_int_equal(def->bandwidth->in.average, 0);
	assert_int_equal(def->bandwidth->in.floor, 5);
	assert_int_equal(def->bandwidth->out.average, 1250);
	assert_int_equal(def->bandwidth->out.peak, 2500);
	assert_int_equal(def->bandwidth->out.burst, 64);
	iface_def_free(def);
}

/* the nwfilters kvnet's switch applies are kept, with their parameters */
static void test_filterref(void **state)
{
	static const char in[] =
		"<interface type='network'><source network='n'/>"
		"<filterref filter='clean-traffic'><parameter name='IP' value='10.0.0.1'/>"
		"<parameter name='IP' value='2001:db8::5'/>"
		"<parameter name='MAC' value='52:54:00:AA:00:01'/>"
		"<parameter name='CTRL_IP_LEARNING' value='dhcp'/></filterref></interface>";
	struct iface_def *def = parse_ok(in);

	(void)state;
	assert_non_null(def->filter);
	assert_string_equal(def->filter->filter, "clean-traffic");
	assert_int_equal(def->filter->checks,
			 CONF_FILTER_MAC | CONF_FILTER_IP | CONF_FILTER_ARP | CONF_FILTER_L2);
	assert_int_equal(def->filter->n_ip, 2);
	assert_string_equal(def->filter->ip[1], "2001:db8::5");
	assert_int_equal(def->filter->n_mac, 1);
	assert_string_equal(def->filter->mac[0], "52:54:00:aa:00:01");
	iface_def_free(def);
	round_trip(in, "<interface type='network'>\n  <source network='n'/>\n"
		       "  <filterref filter='clean-traffic'>\n"
		       "    <parameter name='IP' value='10.0.0.1'/>\n"
		       "    <parameter name='IP' value='2001:db8::5'/>\n"
		       "    <parameter name='MAC' value='52:54:00:aa:00:01'/>\n"
		       "    <parameter name='CTRL_IP_LEARNING' value='dhcp'/>\n"
		       "  </filterref>\n</interface>\n");
	def = parse_ok("<interface type='bridge'><source bridge='b'/>"
		       "<filterref filter='no-arp-spoofing'/></interface>");
	assert_int_equal(def->filter->checks, CONF_FILTER_ARP);
	assert_int_equal(def->filter->n_ip, 0);
	iface_def_free(def);
}

static void test_err_filterref(void **state)
{
	(void)state;
	/* refused, never dropped: the VM would run unfiltered */
	parse_err("<interface type='network'><source network='n'/>"
		  "<filterref filter='no-ip-multicast'/></interface>",
		  "line 1: <filterref>", "<filterref filter='no-ip-multicast'>",
		  "not a filter kvnet applies", "clean-traffic, no-mac-spoofing", NULL);
	parse_err("<interface type='bridge'><source bridge='b'/><filterref/></interface>",
		  "<filterref filter=''>", "not a filter kvnet applies", NULL);
	parse_err("<interface type='bridge'><source bridge='b'/><filterref filter='allow-dhcp'>"
		  "<parameter name='DHCPSERVER' value='10.0.0.1'/></filterref></interface>",
		  "<parameter>", "DHCPSERVER is not applied by kvnet", "DHCP guard", NULL);
	parse_err("<interface type='bridge'><source bridge='b'/><filterref filter='clean-traffic'>"
		  "<parameter name='IP' value='10.0.0.300'/></filterref></interface>",
		  "IP '10.0.0.300' is not an IPv4 or IPv6 address", NULL);
	parse_err("<interface type='bridge'><source bridge='b'/><filterref filter='clean-traffic'>"
		  "<parameter name='CTRL_IP_LEARNING' value='all'/></filterref></interface>",
		  "CTRL_IP_LEARNING 'all' is not known", "expected 'any'", "'dhcp' or 'none'",
		  NULL);
	parse_err("<interface type='bridge'><source bridge='b'/><filterref filter='clean-traffic'/>"
		  "<filterref filter='clean-traffic'/></interface>",
		  "a second <filterref>", NULL);
}

static void test_err_virtualport(void **state)
{
	(void)state;
	parse_err("<interface type='network'><source network='n'/>"
		  "<virtualport type='802.1Qbg'><parameters managerid='11'/></virtualport>"
		  "</interface>",
		  "<virtualport>", "'802.1Qbg' is not supported by kvnet", "'openvswitch'", NULL);
	parse_err("<interface type='bridge'><source bridge='b'/>"
		  "<virtualport type='802.1Qbh'/></interface>",
		  "'802.1Qbh' is not supported by kvnet", NULL);
	parse_err("<interface type='bridge'><source bridge='b'/>"
		  "<virtualport type='midonet'/></interface>",
		  "'midonet' is not supported by kvnet", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_network_minimal),
		cmocka_unit_test(test_network_every_element),
		cmocka_unit_test(test_bridge_and_ignored),
		cmocka_unit_test(test_err_not_xml),
		cmocka_unit_test(test_err_type),
		cmocka_unit_test(test_err_source),
		cmocka_unit_test(test_err_values),
		cmocka_unit_test(test_filterref),
		cmocka_unit_test(test_err_filterref),
		cmocka_unit_test(test_err_virtualport),
		cmocka_unit_test(test_bandwidth_floor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
