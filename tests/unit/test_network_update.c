/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_network_update.c - unit tests of network_update.h: each section, command and error */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_update.h"
#include "conf/network_xml.h"

/* a routed network with DHCP on IPv4 and IPv6, DNS records and portgroups */
static const char base_xml[] =
	"<network>\n"
	"  <name>lab</name>\n"
	"  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>\n"
	"  <forward dev='eth0' mode='route'/>\n"
	"  <bridge name='virbr5'/>\n"
	"  <dns>\n"
	"    <txt name='info' value='lab network'/>\n"
	"    <srv service='ldap' protocol='tcp' domain='lab.example' target='dir' port='389'/>\n"
	"    <srv service='ldap' protocol='udp' domain='lab.example' target='dir' port='389'/>\n"
	"    <host ip='192.168.50.2'>\n"
	"      <hostname>files</hostname>\n"
	"      <hostname>shared</hostname>\n"
	"    </host>\n"
	"    <host ip='192.168.50.3'>\n"
	"      <hostname>print</hostname>\n"
	"      <hostname>shared</hostname>\n"
	"    </host>\n"
	"  </dns>\n"
	"  <ip address='192.168.50.1' prefix='24'>\n"
	"    <dhcp>\n"
	"      <range start='192.168.50.100' end='192.168.50.199'/>\n"
	"      <host mac='52:54:00:aa:00:01' name='vm1' ip='192.168.50.11'/>\n"
	"    </dhcp>\n"
	"  </ip>\n"
	"  <ip family='ipv6' address='fd00:50::1' prefix='64'>\n"
	"  </ip>\n"
	"  <portgroup name='web' default='yes'>\n"
	"    <vlan>\n"
	"      <tag id='10'/>\n"
	"    </vlan>\n"
	"  </portgroup>\n"
	"  <portgroup name='db'>\n"
	"    <vlan>\n"
	"      <tag id='20'/>\n"
	"    </vlan>\n"
	"  </portgroup>\n"
	"</network>\n";

/* a bridged network whose forward pool has two interfaces */
static const char bridged_xml[] = "<network>\n"
				  "  <name>br</name>\n"
				  "  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9c</uuid>\n"
				  "  <forward mode='bridge'>\n"
				  "    <interface dev='eth0'/>\n"
				  "    <interface dev='eth1'/>\n"
				  "  </forward>\n"
				  "  <bridge name='br0'/>\n"
				  "</network>\n";

/* an isolated network without <dns> */
static const char isolated_xml[] = "<network>\n"
				   "  <name>iso</name>\n"
				   "  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9d</uuid>\n"
				   "  <bridge name='virbr6'/>\n"
				   "</network>\n";

static struct network_def *parse(const char *xml)
{
	struct network_def *def = NULL;
	char err[512];

	if (network_xml_parse(xml, strlen(xml), &def, err, sizeof(err)))
		fail_msg("base: %s", err);
	return def;
}

static char *format(const struct network_def *def)
{
	char *s = NULL;

	assert_int_equal(network_xml_format(def, 0, &s), 0);
	return s;
}

/* apply to @base_text; return the formatted result, which the caller frees */
static char *update_ok(const char *base_text, enum network_update_cmd cmd,
		       enum network_update_section sec, int index, const char *xml)
{
	struct network_def *def = parse(base_text), *out = NULL;
	char err[512], *before = format(def), *s;

	if (network_update(def, cmd, sec, index, xml, strlen(xml), &out, err, sizeof(err)))
		fail_msg("update %s %s '%s': %s", network_update_cmd_to_string(cmd),
			 network_update_section_to_string(sec), xml, err);
	/* the definition given is never changed */
	s = format(def);
	assert_string_equal(s, before);
	free(s);
	free(before);
	s = format(out);
	network_def_free(out);
	network_def_free(def);
	return s;
}

/* the update must fail with -EINVAL and a message holding @want */
static void update_err(const char *base_text, enum network_update_cmd cmd,
		       enum network_update_section sec, int index, const char *xml,
		       const char *want)
{
	struct network_def *def = parse(base_text), *out = (struct network_def *)1;
	char err[512], *before = format(def), *s;

	assert_int_equal(network_update(def, cmd, sec, index, xml, strlen(xml), &out, err,
					sizeof(err)),
			 -EINVAL);
	assert_null(out);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
	s = format(def);
	assert_string_equal(s, before);
	free(s);
	free(before);
	network_def_free(def);
}

/* @a occurs in @s, before @b */
static void assert_before(const char *s, const char *a, const char *b)
{
	const char *pa = strstr(s, a), *pb = strstr(s, b);

	if (!pa || !pb || pa >= pb)
		fail_msg("expected '%s' before '%s' in:\n%s", a, b, s);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(network_update_cmd_from_string("add"), NETWORK_UPDATE_ADD_LAST);
	assert_int_equal(network_update_cmd_from_string("add-last"), NETWORK_UPDATE_ADD_LAST);
	assert_int_equal(network_update_cmd_from_string("add-first"), NETWORK_UPDATE_ADD_FIRST);
	assert_int_equal(network_update_cmd_from_string("modify"), NETWORK_UPDATE_MODIFY);
	assert_int_equal(network_update_cmd_from_string("delete"), NETWORK_UPDATE_DELETE);
	assert_int_equal(network_update_cmd_from_string("remove"), -EINVAL);
	assert_int_equal(network_update_cmd_from_string(NULL), -EINVAL);
	assert_string_equal(network_update_cmd_to_string(NETWORK_UPDATE_ADD_FIRST), "add-first");
	assert_null(network_update_cmd_to_string(NETWORK_UPDATE_CMD_LAST));
	assert_int_equal(network_update_section_from_string("ip-dhcp-host"),
			 NETWORK_SECTION_IP_DHCP_HOST);
	assert_int_equal(network_update_section_from_string("dns-srv"), NETWORK_SECTION_DNS_SRV);
	assert_int_equal(network_update_section_from_string("forward-interface"),
			 NETWORK_SECTION_FORWARD_INTERFACE);
	assert_int_equal(network_update_section_from_string("ip_dhcp_host"), -EINVAL);
	assert_string_equal(network_update_section_to_string(NETWORK_SECTION_PORTGROUP),
			    "portgroup");
	assert_null(network_update_section_to_string(NETWORK_SECTION_LAST));
}

static void test_dhcp_host(void **state)
{
	const char *h2 = "<host mac='52:54:00:00:00:02' name='vm2' ip='192.168.50.12'/>";
	char *s;

	(void)state;
	s = update_ok(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, -1, h2);
	assert_before(s, "name='vm1'",
		      "<host mac='52:54:00:00:00:02' name='vm2' "
		      "ip='192.168.50.12'/>");
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_ADD_FIRST, NETWORK_SECTION_IP_DHCP_HOST, 0, h2);
	assert_before(s, "name='vm2'", "name='vm1'");
	free(s);
	/* upper-case MACs match the stored lower-case ones */
	s = update_ok(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_IP_DHCP_HOST, -1,
		      "<host mac='52:54:00:AA:00:01' name='vm1' ip='192.168.50.21'/>");
	assert_non_null(strstr(s, "ip='192.168.50.21'"));
	assert_null(strstr(s, "192.168.50.11"));
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_IP_DHCP_HOST, -1,
		      "<host mac='52:54:00:AA:00:01'/>");
	assert_null(strstr(s, "vm1"));
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_IP_DHCP_HOST, -1,
		      "<host ip='192.168.50.11'/>");
	assert_null(strstr(s, "vm1"));
	free(s);
	/* an IPv6 host, by parent index */
	s = update_ok(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, 1,
		      "<host id='0:3:0:1:52:54:0:0:0:9' name='v6' ip='fd00:50::9'/>");
	assert_non_null(strstr(s, "<ip family='ipv6' address='fd00:50::1' prefix='64'>\n"
				  "    <dhcp>\n"
				  "      <host id='0:3:0:1:52:54:0:0:0:9' name='v6' "
				  "ip='fd00:50::9'/>\n"));
	free(s);

	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, -1,
		   "<host mac='52:54:00:aa:00:01' name='other' ip='192.168.50.13'/>",
		   "already has a DHCP host with this mac");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, -1,
		   "<host mac='52:54:00:00:00:03' name='vm3' ip='192.168.50.11'/>",
		   "already has a DHCP host with this ip");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, -1,
		   "<host mac='52:54:00:00:00:03'/>", "attribute 'ip' is required");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, -1,
		   "<host mac='52:54:00:00:00:03' ip='10.0.0.3'/>", "outside the subnet");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, -1,
		   "<host mac='52:54:00:00:00:0g' ip='192.168.50.3'/>", "<host>: attribute 'mac'");
	update_err(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_IP_DHCP_HOST, -1, h2,
		   "has no DHCP host with this mac in <ip address='192.168.50.1'> to modify");
	update_err(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_IP_DHCP_HOST, -1,
		   "<host mac='52:54:00:aa:00:01' ip='192.168.50.12'/>", "has no such DHCP host");
	update_err(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_IP_DHCP_HOST, -1, "<host/>",
		   "expected attribute 'mac', 'id', 'name' or 'ip'");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, 2, h2,
		   "network 'lab' has no <ip> at index 2 (it has 2 <ip> elements)");
}

static void test_dhcp_range(void **state)
{
	char *s;

	(void)state;
	s = update_ok(base_xml, NETWORK_UPDATE_ADD_FIRST, NETWORK_SECTION_IP_DHCP_RANGE, -1,
		      "<range start='192.168.50.20' end='192.168.50.29'/>");
	assert_before(s, "start='192.168.50.20'", "start='192.168.50.100'");
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_IP_DHCP_RANGE, -1,
		      "<range start='192.168.50.100' end='192.168.50.199'/>");
	assert_null(strstr(s, "<range"));
	free(s);
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_RANGE, -1,
		   "<range start='192.168.50.150' end='192.168.50.250'/>", "overlap");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_RANGE, -1,
		   "<range start='192.168.50.100' end='192.168.50.199'/>",
		   "already has the DHCP range 192.168.50.100 - 192.168.50.199");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_RANGE, -1,
		   "<range start='10.0.0.10' end='10.0.0.20'/>", "outside the subnet");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_RANGE, 1,
		   "<range start='192.168.50.20' end='192.168.50.29'/>", "outside the subnet");
	update_err(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_IP_DHCP_RANGE, -1,
		   "<range start='192.168.50.100' end='192.168.50.199'/>", "cannot be modified");
	update_err(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_IP_DHCP_RANGE, -1,
		   "<range start='192.168.50.100' end='192.168.50.198'/>",
		   "has no DHCP range 192.168.50.100 - 192.168.50.198");
}

static void test_forward_interface(void **state)
{
	char *s;

	(void)state;
	s = update_ok(bridged_xml, NETWORK_UPDATE_ADD_FIRST, NETWORK_SECTION_FORWARD_INTERFACE, -1,
		      "<interface dev='eth2'/>");
	assert_non_null(strstr(s, "  <forward dev='eth2' mode='bridge'>\n"
				  "    <interface dev='eth2'/>\n"
				  "    <interface dev='eth0'/>\n"
				  "    <interface dev='eth1'/>\n"));
	free(s);
	s = update_ok(bridged_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_FORWARD_INTERFACE, -1,
		      "<interface dev='eth0'/>");
	assert_non_null(strstr(s, "  <forward dev='eth1' mode='bridge'>\n"
				  "    <interface dev='eth1'/>\n"
				  "  </forward>\n"));
	free(s);
	update_err(bridged_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_FORWARD_INTERFACE, -1,
		   "<interface dev='eth1'/>", "already has forward interface 'eth1'");
	update_err(bridged_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_FORWARD_INTERFACE, -1,
		   "<interface dev='eth7'/>", "has no forward interface 'eth7' to delete");
	update_err(bridged_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_FORWARD_INTERFACE, -1,
		   "<interface dev='eth1'/>", "cannot be modified");
	update_err(bridged_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_FORWARD_INTERFACE, -1,
		   "<interface/>", "attribute 'dev' is required");
	/* a routed network forwards through one interface */
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_FORWARD_INTERFACE, -1,
		   "<interface dev='eth1'/>", "at most one <interface> with forward mode 'route'");
}

static void test_portgroup(void **state)
{
	char *s;

	(void)state;
	s = update_ok(base_xml, NETWORK_UPDATE_ADD_FIRST, NETWORK_SECTION_PORTGROUP, -1,
		      "<portgroup name='mgmt'><vlan><tag id='30'/></vlan></portgroup>");
	assert_before(s, "<portgroup name='mgmt'>", "<portgroup name='web'");
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_PORTGROUP, -1,
		      "<portgroup name='db'><vlan><tag id='21'/></vlan></portgroup>");
	assert_non_null(strstr(s, "<tag id='21'/>"));
	assert_null(strstr(s, "<tag id='20'/>"));
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_PORTGROUP, -1,
		      "<portgroup name='web'/>");
	assert_null(strstr(s, "'web'"));
	free(s);
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_PORTGROUP, -1,
		   "<portgroup name='db'/>", "already has portgroup 'db'");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_PORTGROUP, -1,
		   "<portgroup name='dev' default='yes'/>", "already the default");
	update_err(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_PORTGROUP, -1,
		   "<portgroup name='dev'/>", "has no portgroup 'dev' to modify");
	update_err(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_PORTGROUP, -1,
		   "<portgroup name='dev'/>", "has no portgroup 'dev' to delete");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_PORTGROUP, -1,
		   "<portgroup name='x'><vlan><tag id='5000'/></vlan></portgroup>", "<tag>");
}

static void test_dns(void **state)
{
	char *s;

	(void)state;
	s = update_ok(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_HOST, -1,
		      "<host ip='192.168.50.4'><hostname>backup</hostname></host>");
	assert_before(s, "<hostname>print</hostname>", "<hostname>backup</hostname>");
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_DNS_HOST, -1,
		      "<host ip='192.168.50.2'><hostname>nas</hostname></host>");
	assert_non_null(strstr(s, "<host ip='192.168.50.2'>\n      <hostname>nas</hostname>\n"
				  "    </host>"));
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_DNS_HOST, -1,
		      "<host><hostname>print</hostname></host>");
	assert_null(strstr(s, "192.168.50.3"));
	free(s);
	update_err(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_DNS_HOST, -1,
		   "<host><hostname>shared</hostname></host>", "matches 2 DNS hosts");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_HOST, -1,
		   "<host ip='192.168.50.2'><hostname>x</hostname></host>",
		   "already has a DNS host '192.168.50.2'");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_HOST, -1,
		   "<host><hostname>x</hostname></host>", "attribute 'ip' is required");
	update_err(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_DNS_HOST, -1,
		   "<host ip='192.168.50.9'><hostname>x</hostname></host>",
		   "has no such DNS host to modify");

	s = update_ok(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_DNS_TXT, -1,
		      "<txt name='info' value='changed'/>");
	assert_non_null(strstr(s, "<txt name='info' value='changed'/>"));
	free(s);
	s = update_ok(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_DNS_TXT, -1,
		      "<txt name='info'/>");
	assert_null(strstr(s, "<txt"));
	free(s);
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_TXT, -1,
		   "<txt name='info' value='again'/>", "already has a DNS TXT record 'info'");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_TXT, -1,
		   "<txt name='new'/>", "attribute 'value' is required");
	update_err(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_DNS_TXT, -1,
		   "<txt name='nope'/>", "has no DNS TXT record 'nope' to delete");

	s = update_ok(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_DNS_SRV, -1,
		      "<srv protocol='udp'/>");
	assert_null(strstr(s, "protocol='udp'"));
	assert_non_null(strstr(s, "protocol='tcp'"));
	free(s);
	update_err(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_DNS_SRV, -1,
		   "<srv service='ldap'/>", "matches 2 DNS SRV records");
	update_err(base_xml, NETWORK_UPDATE_DELETE, NETWORK_SECTION_DNS_SRV, -1,
		   "<srv protocol='sctp'/>", "expected 'tcp' or 'udp', got 'sctp'");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_SRV, -1,
		   "<srv service='ldap' protocol='tcp' domain='lab.example' target='dir' "
		   "port='389'/>",
		   "already has this DNS SRV record");
	update_err(base_xml, NETWORK_UPDATE_MODIFY, NETWORK_SECTION_DNS_SRV, -1,
		   "<srv service='ldap' protocol='tcp'/>", "cannot be modified");

	/* a network without <dns> gets one */
	s = update_ok(isolated_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_TXT, -1,
		      "<txt name='a' value='b'/>");
	assert_non_null(strstr(s, "  <dns>\n    <txt name='a' value='b'/>\n  </dns>\n"));
	free(s);
	/* but not a bridge-mode one: libvirt refuses DNS records there, as kvnet does */
	update_err(bridged_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_TXT, -1,
		   "<txt name='a' value='b'/>", "<dns>: not supported with forward mode 'bridge'");
}

static void test_bad_element(void **state)
{
	(void)state;
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_TXT, -1,
		   "<srv service='a' protocol='tcp'/>", "<txt>");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_TXT, -1,
		   "<txt name='a' value='b'>", "");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_DNS_TXT, -1, "", "");
	update_err(base_xml, NETWORK_UPDATE_CMD_LAST, NETWORK_SECTION_DNS_TXT, -1,
		   "<txt name='a' value='b'/>", "unknown net-update command");
	update_err(base_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_LAST, -1,
		   "<txt name='a' value='b'/>", "unknown net-update section");
	/* DHCP on a network without <ip> */
	update_err(bridged_xml, NETWORK_UPDATE_ADD_LAST, NETWORK_SECTION_IP_DHCP_HOST, -1,
		   "<host mac='52:54:00:00:00:02' ip='192.168.50.12'/>",
		   "network 'br' has no <ip> element for DHCP");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),	    cmocka_unit_test(test_dhcp_host),
		cmocka_unit_test(test_dhcp_range),  cmocka_unit_test(test_forward_interface),
		cmocka_unit_test(test_portgroup),   cmocka_unit_test(test_dns),
		cmocka_unit_test(test_bad_element),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
