/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_network_xml.c - unit tests of network_xml.h: each supported element and each error */
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

#define HEAD "<network>\n  <name>n</name>\n  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>\n"
#define TAIL "</network>\n"

static struct network_def *parse_ok(const char *xml)
{
	struct network_def *def = NULL;
	char err[512];
	int ret = network_xml_parse(xml, strlen(xml), &def, err, sizeof(err));

	if (ret)
		fail_msg("unexpected error %d: %s", ret, err);
	assert_non_null(def);
	return def;
}

/* parse @in, format it, expect exactly @out */
static void round_trip(const char *in, const char *out)
{
	struct network_def *def = parse_ok(in);
	char *s = NULL;

	assert_int_equal(network_xml_format(def, 0, &s), 0);
	assert_string_equal(s, out);
	free(s);
	network_def_free(def);
}

/* @in is already canonical */
static void same(const char *in)
{
	round_trip(in, in);
}

/* parse must fail with -EINVAL and a message holding each of the NULL-ended substrings */
static void parse_err(const char *in, ...)
{
	struct network_def *def = (struct network_def *)1;
	char err[512];
	const char *want;
	va_list ap;

	assert_int_equal(network_xml_parse(in, strlen(in), &def, err, sizeof(err)), -EINVAL);
	assert_null(def);
	va_start(ap, in);
	while ((want = va_arg(ap, const char *)))
		if (!strstr(err, want))
			fail_msg("error '%s' lacks '%s'", err, want);
	va_end(ap);
}

static void test_name_uuid_title_description(void **state)
{
	(void)state;
	same("<network>\n  <name>n</name>\n  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>\n"
	     "  <title>A &amp; B</title>\n  <description>some &lt;text&gt;</description>\n"
	     "  <bridge stp='on' delay='0'/>\n" TAIL);
	/* UUID without dashes, upper case */
	round_trip("<network><name>n</name><uuid>81FF0D90C91E674264DA4A736EDB9A9B</uuid>"
		   "<bridge/></network>",
		   HEAD "  <bridge stp='on' delay='0'/>\n" TAIL);
}

static void test_uuid_generated(void **state)
{
	struct network_def *a = parse_ok("<network><name>x</name></network>");
	struct network_def *b = parse_ok("<network><name>x</name></network>");
	char *s = NULL;

	(void)state;
	assert_memory_not_equal(a->uuid, b->uuid, 16);
	assert_int_equal(a->uuid[6] >> 4, 4);
	assert_int_equal(network_xml_format(a, 0, &s), 0);
	assert_non_null(strstr(s, "<uuid>"));
	free(s);
	network_def_free(a);
	network_def_free(b);
}

static void test_metadata(void **state)
{
	(void)state;
	round_trip(
		HEAD
		"  <bridge name='b'/>\n  <metadata>\n    <a:x xmlns:a=\"urn:a\" k=\"v\">t</a:x>\n"
		"  </metadata>\n" TAIL,
		HEAD "  <metadata>\n    <a:x xmlns:a=\"urn:a\" k=\"v\">t</a:x>\n  </metadata>\n"
		     "  <bridge name='b' stp='on' delay='0'/>\n" TAIL);
}

/* an application's mark in <metadata>: found by its namespace, whatever the prefix */
static void test_metadata_find(void **state)
{
	struct network_def *d;
	char *v;

	(void)state;
	d = parse_ok("<network><name>m</name><metadata>"
		     "<a:x xmlns:a='urn:a' owner='it&apos;s &amp; mine'/>"
		     "<other xmlns='urn:b'/></metadata></network>");
	assert_int_equal(network_xml_metadata_find(d, "urn:a", "owner", &v), 1);
	assert_string_equal(v, "it's & mine");
	free(v);
	assert_int_equal(network_xml_metadata_find(d, "urn:a", "nope", &v), 1);
	assert_null(v);
	assert_int_equal(network_xml_metadata_find(d, "urn:b", NULL, NULL), 1);
	assert_int_equal(network_xml_metadata_find(d, "urn:c", "owner", &v), 0);
	assert_null(v);
	network_def_free(d);
	d = parse_ok("<network><name>m</name></network>");
	assert_int_equal(network_xml_metadata_find(d, "urn:a", NULL, NULL), 0);
	network_def_free(d);
}

static void test_forward_modes(void **state)
{
	(void)state;
	round_trip(HEAD "  <forward/>\n" TAIL,
		   HEAD "  <forward mode='nat'/>\n  <bridge stp='on' delay='0'/>\n" TAIL);
	round_trip(HEAD "  <forward mode='route' dev='eth1'/>\n" TAIL,
		   HEAD "  <forward dev='eth1' mode='route'>\n    <interface dev='eth1'/>\n"
			"  </forward>\n  <bridge stp='on' delay='0'/>\n" TAIL);
	same(HEAD "  <forward mode='open'/>\n  <bridge name='v' stp='off' delay='3'/>\n" TAIL);
	round_trip(HEAD "  <forward mode='bridge'><interface dev='eth10'/></forward>\n" TAIL,
		   HEAD "  <forward dev='eth10' mode='bridge'>\n    <interface dev='eth10'/>\n"
			"  </forward>\n" TAIL);
	/* isolated: no <forward>, bridge defaults made explicit */
	same(HEAD "  <bridge name='virbr9' stp='on' delay='0'/>\n" TAIL);
}

static void test_forward_nat(void **state)
{
	(void)state;
	same(HEAD
	     "  <forward dev='eth1' mode='nat'>\n    <nat>\n"
	     "      <address start='10.0.0.1' end='10.0.0.4'/>\n"
	     "      <port start='1024' end='65535'/>\n    </nat>\n"
	     "    <interface dev='eth1'/>\n  </forward>\n  <bridge stp='on' delay='0'/>\n" TAIL);
	same(HEAD "  <forward mode='nat'>\n    <nat ipv6='yes'/>\n  </forward>\n"
		  "  <bridge stp='on' delay='0'/>\n" TAIL);
}

static void test_bridge_mac_domain_mtu(void **state)
{
	(void)state;
	round_trip(HEAD "  <mac address='52:54:00:AB:CD:EF'/><domain name='x.org' localOnly='yes'/>"
			"<mtu size='9000'/><bridge name='b' macTableManager='libvirt'/>\n" TAIL,
		   HEAD "  <bridge name='b' stp='on' delay='0' macTableManager='libvirt'/>\n"
			"  <mtu size='9000'/>\n  <mac address='52:54:00:ab:cd:ef'/>\n"
			"  <domain name='x.org' localOnly='yes'/>\n" TAIL);
	same(HEAD
	     "  <forward mode='bridge'/>\n  <bridge name='br0' macTableManager='kernel'/>\n" TAIL);
}

static void test_dns(void **state)
{
	(void)state;
	same(HEAD
	     "  <bridge stp='on' delay='0'/>\n  <dns forwardPlainNames='no'>\n"
	     "    <forwarder addr='8.8.8.8'/>\n    <forwarder domain='e.com' addr='1.2.3.4'/>\n"
	     "    <forwarder domain='w.e.com'/>\n    <txt name='t' value='a value'/>\n"
	     "    <srv service='s' protocol='tcp' domain='d' target='.' port='1' priority='2' "
	     "weight='3'/>\n    <srv service='m' protocol='udp'/>\n"
	     "    <host ip='192.168.1.2'>\n      <hostname>a</hostname>\n"
	     "      <hostname>b</hostname>\n    </host>\n    <host ip='fd00::1'>\n"
	     "      <hostname>c</hostname>\n    </host>\n  </dns>\n" TAIL);
	same(HEAD "  <bridge stp='on' delay='0'/>\n  <dns enable='no'/>\n" TAIL);
}

static void test_ip_dhcp(void **state)
{
	(void)state;
	same(HEAD "  <bridge stp='on' delay='0'/>\n"
		  "  <ip address='192.168.122.1' netmask='255.255.255.0' localPtr='yes'>\n"
		  "    <tftp root='/srv/tftp'/>\n    <dhcp>\n"
		  "      <range start='192.168.122.2' end='192.168.122.99'>\n"
		  "        <lease expiry='2' unit='hours'/>\n      </range>\n"
		  "      <range start='192.168.122.100' end='192.168.122.200'/>\n"
		  "      <host mac='00:16:3e:77:e2:ed' name='a' ip='192.168.122.10'>\n"
		  "        <lease expiry='0'/>\n      </host>\n"
		  "      <bootp file='pxe.img' server='10.0.0.1'/>\n    </dhcp>\n  </ip>\n"
		  "  <ip family='ipv6' address='2001:db8::1' prefix='64'>\n    <dhcp>\n"
		  "      <range start='2001:db8::10' end='2001:db8::ff'/>\n"
		  "      <host id='0:3:0:1:0:16:3e:11:22:33' name='p' ip='2001:db8::20'/>\n"
		  "    </dhcp>\n  </ip>\n" TAIL);
	/* a self-closing <ip/> is written open and closed */
	round_trip(HEAD "  <ip address='10.1.1.1' prefix='8'/>\n" TAIL,
		   HEAD "  <bridge stp='on' delay='0'/>\n  <ip address='10.1.1.1' prefix='8'>\n"
			"  </ip>\n" TAIL);
}

/* defaults libvirt makes explicit, and what it leaves out */
static void test_canonical_defaults(void **state)
{
	(void)state;
	round_trip(HEAD "  <dns><srv service='s' protocol='udp' port='0' weight='0'/></dns>\n"
			"  <ip address='10.0.0.1' prefix='24'><dhcp>"
			"<range start='10.0.0.2' end='10.0.0.9'><lease expiry='30'/></range>"
			"</dhcp></ip>\n  <ip family='ipv6' address='fd00::1' prefix='64'><dhcp>"
			"<bootp file='x'/></dhcp></ip>\n" TAIL,
		   HEAD
		   "  <bridge stp='on' delay='0'/>\n  <dns>\n"
		   "    <srv service='s' protocol='udp'/>\n  </dns>\n"
		   "  <ip address='10.0.0.1' prefix='24'>\n    <dhcp>\n"
		   "      <range start='10.0.0.2' end='10.0.0.9'>\n"
		   "        <lease expiry='30' unit='minutes'/>\n      </range>\n    </dhcp>\n"
		   "  </ip>\n  <ip family='ipv6' address='fd00::1' prefix='64'>\n  </ip>\n" TAIL);
	same(HEAD "  <forward mode='nat'>\n    <nat ipv6='no'/>\n  </forward>\n"
		  "  <bridge stp='on' delay='0'/>\n" TAIL);
	round_trip(HEAD "  <dns/>\n  <forward mode='bridge'/>\n  <bridge/>\n" TAIL,
		   HEAD "  <forward mode='bridge'/>\n" TAIL);
}

static void test_route(void **state)
{
	(void)state;
	same(HEAD
	     "  <bridge stp='on' delay='0'/>\n"
	     "  <ip address='192.168.122.1' netmask='255.255.255.0'>\n  </ip>\n"
	     "  <ip family='ipv6' address='2001:db8::1' prefix='64'>\n  </ip>\n"
	     "  <route address='192.168.222.0' netmask='255.255.255.0' gateway='192.168.122.10'/>\n"
	     "  <route family='ipv6' address='2001:db8:c::' prefix='64' gateway='2001:db8::2' "
	     "metric='5'/>\n" TAIL);
	/* as libvirt: a gateway on none of the network's subnets is refused at define */
	parse_err(HEAD "  <route address='10.0.0.0' prefix='8' gateway='192.168.1.1'/>\n"
		       "  <ip address='192.168.122.1' prefix='24'/>\n" TAIL,
		  "line 4", "<route>", "'gateway'", "'192.168.1.1'",
		  "none of the network's subnets", NULL);
	parse_err(HEAD "  <ip address='192.168.122.1' prefix='24'/>\n"
		       "  <route family='ipv6' address='2001:db8:c::' prefix='64' "
		       "gateway='2001:db8::2'/>\n" TAIL,
		  "line 5", "'2001:db8::2'", "unreachable", NULL);
}

static void test_vlan_portgroup_virtualport(void **state)
{
	(void)state;
	same(HEAD "  <forward mode='bridge'/>\n  <vlan trunk='yes'>\n    <tag id='1'/>\n"
		  "    <tag id='4094' nativeMode='untagged'/>\n  </vlan>\n"
		  "  <virtualport type='openvswitch'>\n    <parameters interfaceid='x'/>\n"
		  "  </virtualport>\n  <portgroup name='a' default='yes'>\n    <vlan>\n"
		  "      <tag id='42'/>\n    </vlan>\n    <virtualport>\n"
		  "      <parameters profileid='p'/>\n    </virtualport>\n    <bandwidth>\n"
		  "      <inbound average='10'/>\n    </bandwidth>\n  </portgroup>\n"
		  "  <portgroup name='b'>\n  </portgroup>\n" TAIL);
}

static void test_bandwidth_port_dnsmasq(void **state)
{
	(void)state;
	struct network_def *def;

	same(HEAD
	     "  <forward mode='route'/>\n  <bridge name='br0' stp='on' delay='0'/>\n"
	     "  <bandwidth>\n"
	     "    <inbound average='1000' peak='2000' burst='1024'/>\n"
	     "    <outbound average='2000'/>\n  </bandwidth>\n  <port isolated='yes'/>\n" TAIL);
	def = parse_ok(HEAD "<bandwidth><outbound burst='7' average='1250' peak='4294967295'/>"
			    "</bandwidth>" TAIL);
	assert_non_null(def->bandwidth);
	assert_false(def->bandwidth->in.present);
	assert_true(def->bandwidth->out.present);
	assert_int_equal(def->bandwidth->out.average, 1250);
	assert_int_equal(def->bandwidth->out.peak, 4294967295UL);
	assert_int_equal(def->bandwidth->out.burst, 7);
	network_def_free(def);
	/* attributes come back in libvirt's order; an empty <bandwidth> stays as it came */
	round_trip(HEAD "<bandwidth><inbound burst='2' peak='3' average='1'/></bandwidth>" TAIL,
		   HEAD "  <bridge stp='on' delay='0'/>\n  <bandwidth>\n"
			"    <inbound average='1' peak='3' burst='2'/>\n  </bandwidth>\n" TAIL);
	round_trip(HEAD "<bandwidth/>" TAIL,
		   HEAD "  <bridge stp='on' delay='0'/>\n  <bandwidth/>\n" TAIL);
	/* a portgroup's is the VM ports' own limit: also in bridge mode */
	same(HEAD "  <forward mode='bridge'/>\n  <bridge name='br0'/>\n"
		  "  <portgroup name='slow'>\n    <bandwidth>\n"
		  "      <outbound average='1250'/>\n    </bandwidth>\n  </portgroup>\n" TAIL);
	round_trip("<network xmlns:dnsmasq=\"" NETWORK_XML_DNSMASQ_NS "\"><name>n</name>"
		   "<uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid><dnsmasq:options>"
		   "<dnsmasq:option value=\"a=b\"/></dnsmasq:options><bridge/></network>",
		   "<network xmlns:dnsmasq='" NETWORK_XML_DNSMASQ_NS "'>\n  <name>n</name>\n"
		   "  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>\n"
		   "  <bridge stp='on' delay='0'/>\n  <dnsmasq:options>\n"
		   "    <dnsmasq:option value='a=b'/>\n  </dnsmasq:options>\n" TAIL);
}

/* <bandwidth> as libvirt checks it, each refusal naming what was expected */
static void test_err_bandwidth(void **state)
{
	(void)state;
	parse_err(HEAD "<forward mode='bridge'/><bridge name='br0'/><bandwidth>"
		       "<inbound average='10'/></bandwidth>" TAIL,
		  "<bandwidth>: not supported with forward mode 'bridge'", "<portgroup>", NULL);
	parse_err(HEAD "<bandwidth><inbound peak='10'/></bandwidth>" TAIL, "line 4: <inbound>",
		  "attribute 'average' is required", "kilobytes per second", NULL);
	parse_err(HEAD "<bandwidth><outbound average='0'/></bandwidth>" TAIL,
		  "attribute 'average': expected a number from 1 to 4294967295, got '0'", NULL);
	parse_err(HEAD "<bandwidth><outbound average='1k'/></bandwidth>" TAIL,
		  "attribute 'average': expected a number", NULL);
	parse_err(HEAD "<bandwidth><outbound average='1' burst='4194304'/></bandwidth>" TAIL,
		  "attribute 'burst': expected a number from 1 to 4194303", NULL);
	parse_err(HEAD "<bandwidth><outbound average='1' peak='-1'/></bandwidth>" TAIL,
		  "attribute 'peak'", NULL);
	parse_err(HEAD "<bandwidth><inbound average='1'/><inbound average='2'/></bandwidth>" TAIL,
		  "expected at most one <inbound> in a <bandwidth>", NULL);
	parse_err(HEAD "<bandwidth><inbound average='1' floor='1'/></bandwidth>" TAIL,
		  "attribute 'floor' is only for an <interface type='network'> or a <networkport>",
		  NULL);
	parse_err(HEAD "<portgroup name='a'><bandwidth><outbound average='1' floor='1'/>"
		       "</bandwidth></portgroup>" TAIL,
		  "attribute 'floor' is only for <inbound>", NULL);
	parse_err(HEAD "<bandwidth><sideways average='1'/></bandwidth>" TAIL,
		  "<sideways>: unknown element in <bandwidth>: expected <inbound> or <outbound>",
		  NULL);
	parse_err(HEAD "<bandwidth/><bandwidth/>" TAIL, "expected at most one <bandwidth>", NULL);
	parse_err(HEAD "<portgroup name='a'><bandwidth/><bandwidth/></portgroup>" TAIL,
		  "expected at most one <bandwidth>", NULL);
}

static void test_parse_file(void **state)
{
	char path[] = "/tmp/test_network_xml.XXXXXX", err[256];
	struct network_def *def;
	int fd = mkstemp(path);
	FILE *fp;

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("<network><name>f</name></network>", fp);
	fclose(fp);
	assert_int_equal(network_xml_parse_file(path, &def, err, sizeof(err)), 0);
	assert_string_equal(def->name, "f");
	network_def_free(def);
	unlink(path);
	assert_int_equal(network_xml_parse_file(path, &def, err, sizeof(err)), -ENOENT);
}

static void test_err_not_xml(void **state)
{
	(void)state;
	parse_err("<network><name>n</name>", "line 1", "not well-formed XML", NULL);
	parse_err("", "not well-formed XML", NULL);
	parse_err("<net/>", "<net>", "expected the root element <network>", NULL);
	parse_err("<network/>", "<network>", "<name>", NULL);
}

/* private and vepa: kvnet's switch with one uplink, layer 2 only */
static void test_forward_private_vepa(void **state)
{
	(void)state;
	round_trip(HEAD "  <forward mode='vepa'>\n    <interface dev='eth1'/>\n  </forward>\n" TAIL,
		   HEAD "  <forward dev='eth1' mode='vepa'>\n    <interface dev='eth1'/>\n"
			"  </forward>\n" TAIL);
	same(HEAD "  <forward dev='eth1' mode='private'>\n    <interface dev='eth1'/>\n"
		  "  </forward>\n" TAIL);
	parse_err(
		HEAD
		"  <forward mode='vepa'><interface dev='a'/><interface dev='b'/></forward>\n" TAIL,
		"line 4", "<forward>", "a pool of 2 <interface> devices is not supported by kvnet",
		"mode 'vepa'", NULL);
	parse_err(HEAD "  <forward mode='private' dev='eth1'/>\n"
		       "  <ip address='10.0.0.1' prefix='24'/>\n" TAIL,
		  "line 5", "<ip>", "not allowed with forward mode 'private'", NULL);
	parse_err(
		HEAD
		"  <forward mode='vepa' dev='eth1'/>\n  <mac address='52:54:00:00:00:01'/>\n" TAIL,
		"<mac>", "forward mode 'vepa'", NULL);
	parse_err(HEAD "  <forward mode='vepa' dev='eth1'/>\n  <domain name='x'/>\n" TAIL,
		  "<domain>", NULL);
	parse_err(HEAD "  <forward mode='vepa' dev='eth1'/>\n  <dns enable='no'/>\n" TAIL, "<dns>",
		  NULL);
	parse_err(HEAD "  <forward mode='vepa' dev='eth1'/>\n  <bridge name='br9'/>\n" TAIL,
		  "<bridge>", "'name'", NULL);
	parse_err(HEAD "  <forward mode='vepa' dev='eth1'/>\n  <vlan><tag id='5'/></vlan>\n" TAIL,
		  "<vlan>", "not supported by kvnet", NULL);
	parse_err(HEAD "  <forward mode='private' dev='eth1'/>\n"
		       "  <portgroup name='p'><vlan><tag id='5'/></vlan></portgroup>\n" TAIL,
		  "<portgroup>", "<vlan>", NULL);
}

static void test_err_forward_mode(void **state)
{
	(void)state;
	parse_err(HEAD "  <forward mode='nonsense'/>\n" TAIL, "line 4", "<forward>", "'mode'",
		  "unknown forward mode 'nonsense'", "nat, route, open, bridge", NULL);
	parse_err(HEAD "  <forward mode='hostdev'/>\n" TAIL, "<forward>", "'hostdev'",
		  "not supported by kvnet", "supported: nat", NULL);
	parse_err(HEAD "  <forward mode='passthrough'/>\n" TAIL, "not supported by kvnet", NULL);
	parse_err(HEAD "  <forward mode='private'/>\n" TAIL, "line 4", "<forward>",
		  "forward mode 'private' needs an uplink", "<interface dev=", NULL);
	parse_err(HEAD "  <forward mode='vepa'/>\n" TAIL, "forward mode 'vepa' needs an uplink",
		  NULL);
	parse_err(HEAD "  <forward mode='open' dev='eth0'/>\n" TAIL, "'dev'", "mode 'open'", NULL);
	parse_err(HEAD "  <forward mode='bridge'><interface dev='a'/><interface dev='a'/>"
		       "</forward>\n" TAIL,
		  "interface 'a' can only be listed once", NULL);
	parse_err(HEAD "  <virtualport type='802.1Qbh'/>\n" TAIL, "<virtualport>", "'type'",
		  "'802.1Qbh' is not supported by kvnet", "'openvswitch'", NULL);
	parse_err(HEAD "  <virtualport type='802.1Qbg'/>\n" TAIL, "not supported by kvnet", NULL);
	parse_err(HEAD "  <bridge name='b' zone='trusted'/>\n" TAIL, "<bridge>", "'zone'",
		  "not supported by kvnet", "nftables", NULL);
}

/* libvirt's networkValidate() refusals for a bridge-mode network, each naming its element */
static void test_err_bridge_mode(void **state)
{
	(void)state;
	parse_err(HEAD
		  "  <forward mode='bridge' dev='eth0'/>\n  <ip address='10.0.0.1' "
		  "prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip>\n" TAIL,
		  "line 5", "<ip>", "forward mode 'bridge'", "libvirt refuses it too",
		  "'nat', 'route' or 'open'", NULL);
	parse_err(HEAD "  <forward mode='bridge'/>\n  <bridge name='br0'/>\n"
		       "  <mac address='52:54:00:00:00:01'/>\n" TAIL,
		  "line 6", "<mac>", "forward mode 'bridge'", NULL);
	parse_err(HEAD "  <forward mode='bridge'/>\n  <domain name='lan.example'/>\n" TAIL,
		  "line 5", "<domain>", "forward mode 'bridge'", NULL);
	parse_err(HEAD "  <forward mode='bridge'/>\n  <dns>\n    <host ip='10.0.0.2'>"
		       "<hostname>a</hostname></host>\n  </dns>\n" TAIL,
		  "line 5", "<dns>", "no DNS server", NULL);
	parse_err(HEAD
		  "  <forward mode='bridge'/>\n  <dns><forwarder addr='8.8.8.8'/></dns>\n" TAIL,
		  "<dns>", "forward mode 'bridge'", NULL);
	/* an empty or disabled <dns> asks for nothing */
	same(HEAD
	     "  <forward mode='bridge'/>\n  <bridge name='br0'/>\n  <dns enable='no'/>\n" TAIL);
}

static void test_err_uuid_mac(void **state)
{
	(void)state;
	parse_err("<network>\n<name>n</name>\n<uuid>81ff0d90-c91e-6742</uuid></network>", "line 3",
		  "<uuid>", "expected a UUID", "'81ff0d90-c91e-6742'", NULL);
	parse_err("<network><name>n</name><uuid>zz</uuid></network>", "expected a UUID", NULL);
	parse_err(HEAD "  <mac address='52:54:00:zz:00:01'/>\n" TAIL, "line 4", "<mac>",
		  "'address'", "expected a MAC address", "'52:54:00:zz:00:01'", NULL);
	parse_err(HEAD "  <mac address='01:00:5e:00:00:01'/>\n" TAIL, "expected a unicast", NULL);
	parse_err(HEAD "  <ip address='10.0.0.1' prefix='8'><dhcp><host mac='1:2:3:4:5:6' "
		       "ip='10.0.0.2'/></dhcp></ip>\n" TAIL,
		  "<host>", "'mac'", "expected a MAC address", NULL);
}

static void test_err_vid(void **state)
{
	(void)state;
	parse_err(HEAD "  <vlan>\n    <tag id='0'/>\n  </vlan>\n" TAIL, "line 5", "<tag>", "'id'",
		  "from 1 to 4094", "got '0'", NULL);
	parse_err(HEAD "  <vlan><tag id='4095'/></vlan>\n" TAIL, "from 1 to 4094", NULL);
	parse_err(HEAD "  <portgroup name='p'><vlan><tag id='x'/></vlan></portgroup>\n" TAIL,
		  "<tag>", "got 'x'", NULL);
	parse_err(HEAD "  <vlan/>\n" TAIL, "<vlan>", "at least one <tag", NULL);
	parse_err(HEAD "  <vlan><tag id='1' nativeMode='x'/></vlan>\n" TAIL, "'nativeMode'", NULL);
}

static void test_err_dhcp_ranges(void **state)
{
	(void)state;
	parse_err(HEAD "  <ip address='10.0.0.1' netmask='255.255.255.0'>\n<dhcp>\n"
		       "<range start='10.0.0.50' end='10.0.0.10'/>\n</dhcp></ip>\n" TAIL,
		  "line 6", "<range>", "'end'", "not below start 10.0.0.50", NULL);
	parse_err(HEAD "  <ip address='10.0.0.1' netmask='255.255.255.0'><dhcp>"
		       "<range start='10.0.0.2' end='10.0.0.50'/>"
		       "<range start='10.0.0.40' end='10.0.0.60'/></dhcp></ip>\n" TAIL,
		  "<dhcp>", "ranges 1 and 2 overlap", NULL);
	parse_err(HEAD "  <ip address='10.0.0.1' netmask='255.255.255.0'><dhcp>"
		       "<range start='10.0.1.2' end='10.0.1.50'/></dhcp></ip>\n" TAIL,
		  "<range>", "outside the subnet", NULL);
	parse_err(HEAD "  <ip family='ipv6' address='fd00::1' prefix='64'><dhcp>"
		       "<range start='fd00:0:0:1::2' end='fd00:0:0:1::9'/></dhcp></ip>\n" TAIL,
		  "outside the subnet", NULL);
	parse_err(HEAD "  <ip address='10.0.0.1' netmask='255.0.255.0'/>\n" TAIL, "'netmask'",
		  "contiguous", NULL);
	parse_err(HEAD "  <ip address='10.0.0.256'/>\n" TAIL, "<ip>", "'address'",
		  "expected an IPv4 or IPv6 address", NULL);
	parse_err(HEAD "  <ip family='ipv6' address='10.0.0.1'/>\n" TAIL, "IPv6", NULL);
}

static void test_err_portgroup_default(void **state)
{
	(void)state;
	parse_err(HEAD "  <portgroup name='a' default='yes'/>\n  <portgroup name='b' "
		       "default='yes'/>\n" TAIL,
		  "line 5", "<portgroup>", "'default'", "'a' is already the default", NULL);
	parse_err(HEAD "  <portgroup name='a'/><portgroup name='a'/>\n" TAIL, "defined twice",
		  NULL);
	parse_err(HEAD "  <portgroup name='a' default='maybe'/>\n" TAIL, "'default'",
		  "'yes' or 'no'", "'maybe'", NULL);
}

static void test_err_misc(void **state)
{
	(void)state;
	parse_err(HEAD "  <dns enable='no'><txt name='a' value='b'/></dns>\n" TAIL, "<txt>",
		  "disabled", NULL);
	parse_err(HEAD "  <bridge stp='maybe'/>\n" TAIL, "<bridge>", "'stp'", "'on' or 'off'",
		  NULL);
	parse_err(HEAD "  <mtu size='9'/>\n" TAIL, "<mtu>", "'size'", NULL);
	parse_err("<network><name>a/b</name></network>", "<name>", "'/'", NULL);
	parse_err(HEAD
		  "  <forward mode='nat'><nat><port start='9' end='5'/></nat></forward>\n" TAIL,
		  "<port>", "'end'", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_uuid_title_description),
		cmocka_unit_test(test_uuid_generated),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_metadata_find),
		cmocka_unit_test(test_forward_modes),
		cmocka_unit_test(test_forward_nat),
		cmocka_unit_test(test_bridge_mac_domain_mtu),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_ip_dhcp),
		cmocka_unit_test(test_canonical_defaults),
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_vlan_portgroup_virtualport),
		cmocka_unit_test(test_bandwidth_port_dnsmasq),
		cmocka_unit_test(test_err_bandwidth),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_err_not_xml),
		cmocka_unit_test(test_forward_private_vepa),
		cmocka_unit_test(test_err_forward_mode),
		cmocka_unit_test(test_err_bridge_mode),
		cmocka_unit_test(test_err_uuid_mac),
		cmocka_unit_test(test_err_vid),
		cmocka_unit_test(test_err_dhcp_ranges),
		cmocka_unit_test(test_err_portgroup_default),
		cmocka_unit_test(test_err_misc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
