/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_network_overlay.c - <kvnet:vxlan> in network XML: parsed, refused, formatted back */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_overlay.h"
#include "conf/network_xml.h"

#define NS "urn:kvnet:libvirt-network:1"
#define OPEN "<network xmlns:kvnet='" NS "'><name>n</name>"
#define CLOSE "</network>"

static struct network_def *parse_ok(const char *xml)
{
	struct network_def *def = NULL;
	char err[512];

	if (network_xml_parse(xml, strlen(xml), &def, err, sizeof(err)))
		fail_msg("unexpected error: %s", err);
	return def;
}

/* parse must fail with -EINVAL and a message holding @want */
static void parse_err(const char *xml, const char *want)
{
	struct network_def *def = NULL;
	char err[512] = "";

	assert_int_equal(network_xml_parse(xml, strlen(xml), &def, err, sizeof(err)), -EINVAL);
	assert_null(def);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_parse_fields(void **state)
{
	struct network_def *d;
	const struct network_vxlan *vx;

	(void)state;
	d = parse_ok(OPEN "<kvnet:vxlan vni='100' local='10.0.0.1' dstport='8472' ttl='9' "
			  "tos='4' underlayMtu='9000' name='ov0'>"
			  "<kvnet:remote address='10.0.0.2'/><kvnet:remote address='10.0.0.3'/>"
			  "<kvnet:map vlan='10' vni='1010'/></kvnet:vxlan>" CLOSE);
	vx = d->vxlan;
	assert_non_null(vx);
	assert_true(vx->has_vni);
	assert_int_equal(vx->vni, 100);
	assert_int_equal(vx->local.family, AF_INET);
	assert_int_equal(vx->dstport, 8472);
	assert_int_equal(vx->ttl, 9);
	assert_int_equal(vx->tos, 4);
	assert_int_equal(vx->underlay_mtu, 9000);
	assert_int_equal(vx->n_remotes, 2);
	assert_int_equal(vx->n_map, 1);
	assert_int_equal(vx->map[0].vlan, 10);
	assert_int_equal(vx->map[0].vni, 1010);
	assert_string_equal(vx->name, "ov0");
	assert_int_equal(network_vxlan_overhead(vx), 50);
	network_def_free(d);

	/* any prefix: the namespace is what counts; IPv6 underlay, group, defaults */
	d = parse_ok("<network xmlns:x='" NS "'><name>n</name><x:vxlan vni='0' local='fd00::1'>"
		     "<x:group address='ff05::100' dev='eth0'/></x:vxlan>" CLOSE);
	vx = d->vxlan;
	assert_int_equal(vx->group.family, AF_INET6);
	assert_string_equal(vx->group_dev, "eth0");
	assert_int_equal(vx->dstport, 0);
	assert_int_equal(vx->tos, -1);
	assert_int_equal(network_vxlan_overhead(vx), 70);
	network_def_free(d);
}

/* parse, format: kvnet's canonical form; and that form is a fixed point */
static void test_round_trip(void **state)
{
	static const char *const in[] = {
		OPEN "<kvnet:vxlan local='10.0.0.1' vni='7'><kvnet:remote address='10.0.0.2'/>"
		     "</kvnet:vxlan>" CLOSE,
		"<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0' "
		"xmlns:k='" NS "'><name>n</name><forward mode='nat'/><k:vxlan local='fd00::1' "
		"tos='0' ttl='3' dstport='4790' underlayMtu='1500'><k:map vlan='20' vni='1020'/>"
		"<k:map vlan='10' vni='1010'/><k:remote address='fd00::2'/></k:vxlan>"
		"<dnsmasq:options><dnsmasq:option value='a=b'/></dnsmasq:options>" CLOSE,
		OPEN "<kvnet:vxlan name='vxa' vni='5' local='192.0.2.1'><kvnet:group "
		     "address='239.1.1.1' dev='veth0'/></kvnet:vxlan>" CLOSE,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct network_def *d = parse_ok(in[i]), *e;
		char *s = NULL, *t = NULL;

		assert_int_equal(network_xml_format(d, 0, &s), 0);
		assert_non_null(strstr(s, "xmlns:kvnet='" NS "'"));
		assert_non_null(strstr(s, "  <kvnet:vxlan"));
		e = parse_ok(s);
		assert_int_equal(network_xml_format(e, 0, &t), 0);
		assert_string_equal(s, t);
		if (i == 1)
			assert_non_null(strstr(
				s, "  <kvnet:vxlan local='fd00::1' dstport='4790' ttl='3' tos='0' "
				   "underlayMtu='1500'>\n    <kvnet:remote address='fd00::2'/>\n"
				   "    <kvnet:map vlan='20' vni='1020'/>\n"
				   "    <kvnet:map vlan='10' vni='1010'/>\n  </kvnet:vxlan>\n"));
		if (i == 2)
			assert_non_null(
				strstr(s, "<kvnet:group address='239.1.1.1' dev='veth0'/>"));
		free(s);
		free(t);
		network_def_free(d);
		network_def_free(e);
	}
}

static void test_no_overlay_no_namespace(void **state)
{
	struct network_def *d = parse_ok("<network><name>n</name></network>");
	char *s = NULL;

	(void)state;
	assert_null(d->vxlan);
	assert_int_equal(network_xml_format(d, 0, &s), 0);
	assert_null(strstr(s, "kvnet"));
	free(s);
	network_def_free(d);
}

static void test_errors(void **state)
{
	(void)state;
	parse_err(OPEN
		  "<kvnet:vxlan vni='1'><kvnet:remote address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "attribute 'local' is required");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'/>" CLOSE,
		  "expected at least one <kvnet:remote");
	parse_err(OPEN "<kvnet:vxlan local='10.0.0.1'><kvnet:remote address='10.0.0.2'/>"
		       "</kvnet:vxlan>" CLOSE,
		  "attribute 'vni' is required");
	parse_err(OPEN "<kvnet:vxlan vni='16777216' local='10.0.0.1'><kvnet:remote "
		       "address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "vni");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote address='fd00::2'/>"
		       "</kvnet:vxlan>" CLOSE,
		  "<kvnet:remote>: attribute 'address': expected an IPv4 address, as local");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote address='10.0.0.2'/>"
		       "<kvnet:remote address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "listed twice");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote address='10.0.0.1'/>"
		       "</kvnet:vxlan>" CLOSE,
		  "the local address is no remote");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote address='239.0.0.1'/>"
		       "</kvnet:vxlan>" CLOSE,
		  "<kvnet:group");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:group address='10.0.0.9'/>"
		       "</kvnet:vxlan>" CLOSE,
		  "expected a multicast group");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:group address='239.1.1.1'/>"
		       "<kvnet:remote address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "not both");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote address='10.0.0.2'/>"
		       "<kvnet:map vlan='10' vni='1'/></kvnet:vxlan>" CLOSE,
		  "expected another VNI for untagged frames");
	parse_err(
		OPEN
		"<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote address='10.0.0.2'/>"
		"<kvnet:map vlan='10' vni='5'/><kvnet:map vlan='11' vni='5'/></kvnet:vxlan>" CLOSE,
		"one VNI per VLAN");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote address='10.0.0.2'/>"
		       "<kvnet:map vlan='4095' vni='5'/></kvnet:vxlan>" CLOSE,
		  "vlan");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remot address='10.0.0.2'/>"
		       "</kvnet:vxlan>" CLOSE,
		  "unknown element");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><remote address='10.0.0.2'/>"
		       "</kvnet:vxlan>" CLOSE,
		  "namespace");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1' name='a/b'><kvnet:remote "
		       "address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "attribute 'name'");
	parse_err(OPEN "<kvnet:overlay/>" CLOSE, "expected <kvnet:vxlan>");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote address='10.0.0.2'/>"
		       "</kvnet:vxlan><kvnet:vxlan vni='2' local='10.0.0.1'><kvnet:remote "
		       "address='10.0.0.3'/></kvnet:vxlan>" CLOSE,
		  "at most one <kvnet:vxlan>");
	parse_err(OPEN "<kvnet:vxlan vni='1' local='10.0.0.1' underlayMtu='100'><kvnet:remote "
		       "address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "expected at least 118");
}

/* where the overlay cannot apply, the message says why and what to use */
static void test_refused_modes_and_mtu(void **state)
{
	(void)state;
	parse_err(OPEN "<forward mode='vepa' dev='eth0'/><kvnet:vxlan vni='1' local='10.0.0.1'>"
		       "<kvnet:remote address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "not supported with forward mode 'vepa'");
	parse_err(OPEN "<forward mode='private' dev='eth0'/><kvnet:vxlan vni='1' "
		       "local='10.0.0.1'><kvnet:remote address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "forward mode 'private'");
	parse_err(OPEN "<mtu size='1500'/><kvnet:vxlan vni='1' local='10.0.0.1' "
		       "underlayMtu='1500'><kvnet:remote address='10.0.0.2'/></kvnet:vxlan>" CLOSE,
		  "expected <mtu> of at most 1450");
	/* at the limit: fine; and bridge mode takes an overlay */
	network_def_free(parse_ok(OPEN "<mtu size='1450'/><kvnet:vxlan vni='1' local='10.0.0.1' "
				       "underlayMtu='1500'><kvnet:remote address='10.0.0.2'/>"
				       "</kvnet:vxlan>" CLOSE));
	network_def_free(parse_ok(OPEN "<forward mode='bridge'/><bridge name='br0'/>"
				       "<kvnet:vxlan vni='1' local='10.0.0.1'><kvnet:remote "
				       "address='10.0.0.2'/></kvnet:vxlan>" CLOSE));
}

static void test_port_name(void **state)
{
	struct network_vxlan vx = { 0 };
	char buf[16];

	(void)state;
	network_vxlan_port_name(&vx, "virbr0", buf, sizeof(buf));
	assert_string_equal(buf, "vx-virbr0");
	network_vxlan_port_name(&vx, "a-very-long-br0", buf, sizeof(buf));
	assert_string_equal(buf, "vx-a-very-long-");
	vx.name = (char *)"mine";
	network_vxlan_port_name(&vx, "virbr0", buf, sizeof(buf));
	assert_string_equal(buf, "mine");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_no_overlay_no_namespace),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_refused_modes_and_mtu),
		cmocka_unit_test(test_port_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
