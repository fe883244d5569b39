/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_netport_xml.c - unit tests of netport_xml.h: each element, round trips, each error */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/netport_xml.h"
#include "conf_xml_test.h"

#define UUID "0c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5"
#define OWNER                                                                                      \
	"  <owner>\n    <name>guest1</name>\n"                                                     \
	"    <uuid>11112222-3333-4444-8555-666677778888</uuid>\n  </owner>\n"
#define HEAD "<networkport>\n  <uuid>" UUID "</uuid>\n" OWNER
#define MAC "  <mac address='52:54:00:01:02:03'/>\n"
#define TAIL "</networkport>\n"

CONF_XML_TEST_HELPERS(struct netport_def, netport_xml_parse, netport_xml_format, netport_def_free)

static void test_minimal(void **state)
{
	struct netport_def *def;

	(void)state;
	same(HEAD MAC TAIL);
	def = parse_ok(HEAD MAC TAIL);
	assert_true(def->uuid_given);
	assert_string_equal(def->owner_name, "guest1");
	assert_int_equal(def->owner_uuid[0], 0x11);
	assert_string_equal(def->mac, "52:54:00:01:02:03");
	assert_null(def->group);
	assert_false(def->vlan.present);
	assert_int_equal(def->plug, NETPORT_PLUG_NONE);
	netport_def_free(def);
}

static void test_uuid_generated(void **state)
{
	static const char in[] = "<networkport>" OWNER MAC "</networkport>";
	struct netport_def *a = parse_ok(in), *b = parse_ok(in);
	char *s = NULL;

	(void)state;
	assert_false(a->uuid_given);
	assert_memory_not_equal(a->uuid, b->uuid, CONF_UUID_LEN);
	assert_int_equal(a->uuid[6] >> 4, 4); /* version 4 */
	assert_int_equal(netport_xml_format(a, &s), 0);
	assert_non_null(strstr(s, "<uuid>"));
	free(s);
	netport_def_free(a);
	netport_def_free(b);
}

static void test_canonical_order_and_case(void **state)
{
	(void)state;
	/* children in any order, a MAC in upper case, UUIDs without dashes */
	round_trip(
		"<networkport><plug type='network' bridge='kvbr0'/>"
		"<rxfilters trustGuest='no'/><port isolated='yes'/>"
		"<vlan><tag id='7'/></vlan><mac address='52:54:00:AB:CD:EF'/>"
		"<group>db</group><owner><uuid>11112222333344448555666677778888</uuid>"
		"<name>guest1</name></owner><uuid>0C1D2E3F4A5B4C6D8E9FA0B1C2D3E4F5</uuid>"
		"</networkport>",
		HEAD
		"  <group>db</group>\n  <mac address='52:54:00:ab:cd:ef'/>\n"
		"  <vlan>\n    <tag id='7'/>\n  </vlan>\n  <port isolated='yes'/>\n"
		"  <rxfilters trustGuest='no'/>\n  <plug type='network' bridge='kvbr0'/>\n" TAIL);
}

static void test_every_element(void **state)
{
	struct netport_def *def;
	static const char all[] = HEAD
		"  <group>web &amp; api</group>\n" MAC "  <virtualport type='openvswitch'>\n"
		"    <parameters interfaceid='a1b2c3d4-0000-4000-8000-000000000001' "
		"profileid='web'/>\n"
		"  </virtualport>\n"
		"  <bandwidth>\n    <inbound average='100' peak='200' floor='50' burst='16'/>\n"
		"    <outbound average='64'/>\n  </bandwidth>\n"
		"  <vlan trunk='yes'>\n    <tag id='1' nativeMode='untagged'/>\n"
		"    <tag id='4094'/>\n  </vlan>\n"
		"  <port isolated='no'/>\n  <rxfilters trustGuest='yes'/>\n"
		"  <plug type='bridge' bridge='br-lan' macTableManager='libvirt'/>\n" TAIL;

	(void)state;
	same(all);
	def = parse_ok(all);
	assert_string_equal(def->group, "web & api");
	assert_non_null(def->virtualport);
	assert_string_equal(def->virtualport->name, "virtualport");
	assert_non_null(def->bandwidth);
	assert_true(def->bandwidth->in.present);
	assert_int_equal(def->bandwidth->in.average, 100);
	assert_int_equal(def->bandwidth->in.peak, 200);
	assert_int_equal(def->bandwidth->in.floor, 50);
	assert_int_equal(def->bandwidth->in.burst, 16);
	assert_true(def->bandwidth->out.present);
	assert_int_equal(def->bandwidth->out.average, 64);
	assert_int_equal(def->bandwidth->out.peak, 0);
	assert_true(def->vlan.present);
	assert_int_equal(def->vlan.trunk, CONF_TRI_YES);
	assert_int_equal(def->vlan.n_tags, 2);
	assert_int_equal(def->vlan.tags[0].id, 1);
	assert_int_equal(def->vlan.tags[0].native_mode, CONF_NATIVE_UNTAGGED);
	assert_int_equal(def->vlan.tags[1].id, 4094);
	assert_int_equal(def->isolated, CONF_TRI_NO);
	assert_int_equal(def->trust_guest_rx, CONF_TRI_YES);
	assert_int_equal(def->plug, NETPORT_PLUG_BRIDGE);
	assert_string_equal(def->plug_bridge, "br-lan");
	assert_int_equal(def->plug_mac_table, CONF_MAC_TABLE_LIBVIRT);
	netport_def_free(def);
}

/* libvirt's own port document: the classID of its floor's tc class comes back */
static void test_bandwidth_class_id(void **state)
{
	(void)state;
	same(HEAD MAC "  <bandwidth classID='1729'>\n"
		      "    <inbound average='1000' peak='4000' floor='2000' burst='1024'/>\n"
		      "    <outbound average='128' peak='256' burst='32768'/>\n  </bandwidth>\n"
		      "  <plug type='network' bridge='virbr0'/>\n" TAIL);
}

static void test_plug_network_escaped(void **state)
{
	(void)state;
	same(HEAD MAC "  <plug type='network' bridge='a&apos;b' macTableManager='kernel'/>\n" TAIL);
	/* line ends and tabs in attributes and text come back as they were read */
	same(HEAD MAC "  <plug type='network' bridge='a&#10;b&#9;c&#13;'/>\n" TAIL);
	round_trip(HEAD "  <group>x&#13;\ny</group>\n" MAC TAIL,
		   HEAD "  <group>x&#13;\ny</group>\n" MAC TAIL);
	/* unknown elements are ignored, as libvirt's parser does */
	round_trip(HEAD MAC "  <connections>3</connections>\n" TAIL, HEAD MAC TAIL);
}

/* kvnet's extension: a <filterref> as in an <interface>, last, and refused as there */
static void test_filterref(void **state)
{
	(void)state;
	same(HEAD MAC "  <plug type='network' bridge='b'/>\n"
		      "  <filterref filter='clean-traffic'>\n"
		      "    <parameter name='IP' value='10.0.0.4'/>\n"
		      "  </filterref>\n" TAIL);
	round_trip(HEAD "  <filterref filter='no-mac-spoofing'/>\n" MAC TAIL,
		   HEAD MAC "  <filterref filter='no-mac-spoofing'/>\n" TAIL);
	parse_err(HEAD MAC "  <filterref filter='allow-ipv6'/>\n" TAIL,
		  "<filterref filter='allow-ipv6'> is not a filter kvnet applies", NULL);
}

static void test_err_not_xml(void **state)
{
	(void)state;
	parse_err("<networkport><uuid>", "not well-formed XML", NULL);
	parse_err("", "not well-formed XML", NULL);
	parse_err("<network><name>n</name></network>", "expected the root element <networkport>",
		  NULL);
}

static void test_err_required(void **state)
{
	(void)state;
	parse_err("<networkport>" MAC "</networkport>", "<networkport>", "<owner>", NULL);
	parse_err("<networkport>" OWNER "</networkport>", "<networkport>", "<mac", NULL);
	parse_err(
		"<networkport><owner><uuid>11112222-3333-4444-8555-666677778888</uuid></owner>" MAC
		"</networkport>",
		"<owner>", "<name>", NULL);
	parse_err("<networkport><owner><name>g</name></owner>" MAC "</networkport>", "<owner>",
		  "<uuid>", NULL);
	parse_err(HEAD "  <mac/>\n" TAIL, "<mac>", "attribute 'address' is required", NULL);
}

static void test_err_values(void **state)
{
	(void)state;
	parse_err(HEAD "  <mac address='52:54:00:01:02'/>\n" TAIL, "line 7", "<mac>",
		  "attribute 'address'", "expected a MAC address", "'52:54:00:01:02'", NULL);
	parse_err(HEAD "  <mac address='01:00:5e:00:00:01'/>\n" TAIL, "<mac>",
		  "expected a unicast MAC address", "multicast '01:00:5e:00:00:01'", NULL);
	parse_err("<networkport><uuid>not-a-uuid</uuid>" OWNER MAC "</networkport>", "<uuid>",
		  "expected a UUID", "'not-a-uuid'", NULL);
	parse_err(HEAD MAC "  <vlan><tag id='0'/></vlan>\n" TAIL, "<tag>", "attribute 'id'",
		  "from 1 to 4094", "got '0'", NULL);
	parse_err(HEAD MAC "  <vlan><tag id='4095'/></vlan>\n" TAIL, "<tag>", "got '4095'", NULL);
	parse_err(HEAD MAC "  <vlan/>\n" TAIL, "<vlan>", "at least one <tag", NULL);
	parse_err(HEAD MAC "  <vlan><tag id='5' nativeMode='sometimes'/></vlan>\n" TAIL, "<tag>",
		  "attribute 'nativeMode'", "'sometimes'", NULL);
	parse_err(HEAD MAC "  <port isolated='maybe'/>\n" TAIL, "<port>", "attribute 'isolated'",
		  "'yes' or 'no'", NULL);
	parse_err(HEAD MAC "  <rxfilters trustGuest='1'/>\n" TAIL, "<rxfilters>",
		  "attribute 'trustGuest'", NULL);
	parse_err(HEAD MAC "  <plug type='network'/>\n" TAIL, "<plug>", "attribute 'bridge'", NULL);
	parse_err(HEAD MAC "  <plug type='bridge' bridge='b' macTableManager='ovs'/>\n" TAIL,
		  "<plug>", "attribute 'macTableManager'", "'ovs'", NULL);
	parse_err(HEAD MAC "  <plug bridge='b'/>\n" TAIL, "<plug>", "attribute 'type' is required",
		  NULL);
}

static void test_err_unsupported(void **state)
{
	(void)state;
	parse_err(HEAD MAC "  <plug type='direct' dev='eth0' mode='vepa'/>\n" TAIL, "<plug>",
		  "plug type 'direct'", "not supported by kvnet", "type='network'", "type='bridge'",
		  NULL);
	parse_err(HEAD MAC "  <plug type='hostdev-pci' managed='yes'><address domain='0' bus='1' "
			   "slot='2' function='3'/></plug>\n" TAIL,
		  "<plug>", "plug type 'hostdev-pci'", "not supported by kvnet", "type='network'",
		  NULL);
	parse_err(HEAD MAC "  <plug type='tunnel' bridge='x'/>\n" TAIL, "<plug>",
		  "unknown plug type 'tunnel'", NULL);
	parse_err(HEAD MAC "  <virtualport type='802.1Qbg'><parameters managerid='1'/>"
			   "</virtualport>\n" TAIL,
		  "<virtualport>", "'802.1Qbg' is not supported by kvnet", "'openvswitch'", NULL);
	parse_err(HEAD MAC "  <virtualport type='802.1Qbh'/>\n" TAIL, "<virtualport>",
		  "'802.1Qbh' is not supported by kvnet", NULL);
	parse_err(HEAD MAC "  <virtualport/>\n" TAIL, "<virtualport>",
		  "attribute 'type' is required", NULL);
}

static void test_err_null_buffer(void **state)
{
	struct netport_def *def = NULL;

	(void)state;
	/* no message buffer: still an error, nothing written */
	assert_int_equal(netport_xml_parse("<x/>", 4, &def, NULL, 0), -EINVAL);
	assert_null(def);
	netport_def_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_uuid_generated),
		cmocka_unit_test(test_canonical_order_and_case),
		cmocka_unit_test(test_every_element),
		cmocka_unit_test(test_plug_network_escaped),
		cmocka_unit_test(test_bandwidth_class_id),
		cmocka_unit_test(test_err_not_xml),
		cmocka_unit_test(test_err_required),
		cmocka_unit_test(test_filterref),
		cmocka_unit_test(test_err_values),
		cmocka_unit_test(test_err_unsupported),
		cmocka_unit_test(test_err_null_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
