/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_ovs_cmd.c - kvnet-ovs-vsctl's parser on every command line libvirt 9.0 was seen to run
 *
 * The lines are those of libvirt-research FINDINGS.md §2 (capture-out/ovs.log), written as
 * the shell would take them (single quotes keep the double quotes of external-ids values).
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

#include "ovs/ovs_cmd.h"

#define MAX_ARGS 64

/* @line split as sh splits it (blanks, '...' quoting only), "ovs-vsctl" first, into @argv */
static int split(const char *line, char *buf, char **argv)
{
	int argc = 0;
	const char *s = line;
	char *o = buf;

	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		assert_true(argc < MAX_ARGS);
		argv[argc++] = o;
		while (*s && *s != ' ') {
			if (*s == '\'') {
				for (s++; *s && *s != '\''; s++)
					*o++ = *s;
				assert_int_equal(*s, '\'');
				s++;
			} else {
				*o++ = *s++;
			}
		}
		*o++ = '\0';
	}
	argv[argc] = NULL;
	assert_true(argc > 0);
	assert_string_equal(argv[0], "ovs-vsctl");
	return argc;
}

static char errbuf[512];

/* parse @line, which must succeed */
static void parse_ok(const char *line, struct ovs_cmdline *c)
{
	char buf[4096], *argv[MAX_ARGS + 1];
	int argc = split(line, buf, argv);
	int ret = ovs_cmd_parse(argc - 1, argv + 1, c, errbuf, sizeof(errbuf));

	if (ret)
		fail_msg("'%s': %d %s", line, ret, errbuf);
}

/* parse @line, which must fail with @want and a message holding @needle */
static void parse_err(const char *line, int want, const char *needle)
{
	char buf[4096], *argv[MAX_ARGS + 1];
	int argc = split(line, buf, argv);
	struct ovs_cmdline c;
	int ret = ovs_cmd_parse(argc - 1, argv + 1, &c, errbuf, sizeof(errbuf));

	if (ret != want || !strstr(errbuf, needle))
		fail_msg("'%s': got %d '%s', expected %d with '%s'", line, ret, errbuf, want,
			 needle);
	assert_int_equal(c.n_ops, 0);
	assert_null(c.ops);
}

/* the one add-port of @line, checked for what every libvirt add-port has */
static const struct ovs_op *add_port(const char *line, struct ovs_cmdline *c, const char *port,
				     const char *mac, const char *vm_id)
{
	const struct ovs_op *op;

	parse_ok(line, c);
	assert_int_equal(c->timeout, 5);
	assert_int_equal(c->n_ops, 1);
	op = &c->ops[0];
	assert_int_equal(op->kind, OVS_OP_ADD_PORT);
	assert_true(op->may_exist);
	assert_string_equal(op->bridge, "kvlab0");
	assert_string_equal(op->port, port);
	assert_string_equal(op->mac, mac);
	assert_string_equal(op->vm_id, vm_id);
	return op;
}

static char *xml_of(const struct ovs_op *op, const char *network)
{
	char *x = NULL;

	assert_int_equal(ovs_iface_xml(op, network, &x), 0);
	assert_non_null(x);
	return x;
}

/* VIDs of bitmap @bits, "20 30" */
static const char *vids(const uint64_t *bits)
{
	static char s[256];
	size_t n = 0;

	s[0] = '\0';
	for (unsigned int v = 0; v <= CTL_VID_MAX + 1 && n < sizeof(s) - 8; v++)
		if (ovs_vid_test(bits, v))
			n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%u", n ? " " : "", v);
	return s;
}

#define WEB1                                                                                       \
	"ovs-vsctl --timeout=5 -- --may-exist add-port kvlab0 vnet1 tag=20 -- set Interface "      \
	"vnet1 'external-ids:attached-mac=\"52:54:00:fc:90:b2\"' -- set Interface vnet1 "          \
	"'external-ids:iface-id=\"6e7847db-001d-4238-b588-20d3256af9f0\"' -- set Interface vnet1 " \
	"'external-ids:vm-id=\"4eefc258-2283-45f8-957a-9c831bbb4c78\"' -- set Interface vnet1 "    \
	"external-ids:iface-status=active"

/* portgroup web = tag 20 */
static void start_portgroup_tag(void **state)
{
	const struct ovs_op *op;
	struct ovs_membership m;
	struct ovs_cmdline c;
	char *x;

	(void)state;
	op = add_port(WEB1, &c, "vnet1", "52:54:00:fc:90:b2",
		      "4eefc258-2283-45f8-957a-9c831bbb4c78");
	assert_string_equal(op->iface_id, "6e7847db-001d-4238-b588-20d3256af9f0");
	assert_int_equal(op->vlan.mode, OVS_VLAN_ACCESS);
	assert_int_equal(op->vlan.tag, 20);
	assert_string_equal(vids(op->vlan.trunk), "");
	assert_false(c.version || c.help);
	x = xml_of(op, "lab");
	assert_string_equal(x,
			    "<interface type='network'>\n"
			    "  <source network='lab'/>\n"
			    "  <mac address='52:54:00:fc:90:b2'/>\n"
			    "  <target dev='vnet1'/>\n"
			    "  <virtualport type='openvswitch'>\n"
			    "    <parameters interfaceid='6e7847db-001d-4238-b588-20d3256af9f0'/>\n"
			    "  </virtualport>\n"
			    "  <bandwidth/>\n"
			    "  <vlan>\n"
			    "    <tag id='20'/>\n"
			    "  </vlan>\n"
			    "</interface>\n");
	free(x);
	assert_true(ovs_vlan_membership(&op->vlan, &m));
	assert_int_equal(m.pvid, 20);
	assert_string_equal(vids(m.member), "20");
	assert_string_equal(vids(m.untagged), "20");
	ovs_cmdline_free(&c);
	assert_null(c.ops);
}

/* no VLAN anywhere: no <vlan>, the network decides */
static void start_plain(void **state)
{
	const struct ovs_op *op;
	struct ovs_membership m;
	struct ovs_cmdline c;
	char *x;

	(void)state;
	op = add_port("ovs-vsctl --timeout=5 -- --may-exist add-port kvlab0 vnet2 -- set Interface "
		      "vnet2 'external-ids:attached-mac=\"52:54:00:00:00:12\"' -- set Interface "
		      "vnet2 'external-ids:iface-id=\"4cac2bf6-4806-4612-a34e-e23cdbd75370\"' -- "
		      "set Interface vnet2 "
		      "'external-ids:vm-id=\"3a9bb648-5d40-4981-8a3e-9abb4520e6e7\"' -- set "
		      "Interface vnet2 external-ids:iface-status=active",
		      &c, "vnet2", "52:54:00:00:00:12", "3a9bb648-5d40-4981-8a3e-9abb4520e6e7");
	assert_int_equal(op->vlan.mode, OVS_VLAN_NONE);
	assert_false(ovs_vlan_membership(&op->vlan, &m));
	x = xml_of(op, "lab");
	assert_null(strstr(x, "<vlan"));
	assert_non_null(strstr(x, "<source network='lab'/>"));
	free(x);
	/* a kvnet bridge of no network: type='bridge' */
	x = xml_of(op, NULL);
	assert_non_null(strstr(x, "<interface type='bridge'>\n  <source bridge='kvlab0'/>"));
	free(x);
	ovs_cmdline_free(&c);
}

/* the interface's own tag (42), and a network's default portgroup (77): tag=N all the same */
static void start_interface_tag(void **state)
{
	const struct ovs_op *op;
	struct ovs_cmdline c;

	(void)state;
	op = add_port(
		"ovs-vsctl --timeout=5 -- --may-exist add-port kvlab0 vnet3 tag=42 -- set "
		"Interface vnet3 'external-ids:attached-mac=\"52:54:00:a2:41:a7\"' -- set "
		"Interface vnet3 'external-ids:iface-id=\"451df24b-212c-4be3-968b-ad33515a530e\"'"
		" -- set Interface vnet3 "
		"'external-ids:vm-id=\"0db33e80-1a62-4b3f-8b2e-0c5124ee66a8\"' -- set "
		"Interface vnet3 external-ids:iface-status=active",
		&c, "vnet3", "52:54:00:a2:41:a7", "0db33e80-1a62-4b3f-8b2e-0c5124ee66a8");
	assert_int_equal(op->vlan.mode, OVS_VLAN_ACCESS);
	assert_int_equal(op->vlan.tag, 42);
	ovs_cmdline_free(&c);
}

/* portgroup <vlan trunk='yes'><tag id='20'/><tag id='30' nativeMode='untagged'/> */
static void start_trunk_native_untagged(void **state)
{
	const struct ovs_op *op;
	struct ovs_membership m;
	struct ovs_cmdline c;
	char *x;

	(void)state;
	op = add_port(
		"ovs-vsctl --timeout=5 -- --may-exist add-port kvlab0 vnet4 "
		"vlan_mode=native-untagged tag=30 trunk=20,30 -- set Interface vnet4 "
		"'external-ids:attached-mac=\"52:54:00:77:f3:de\"' -- set Interface vnet4 "
		"'external-ids:iface-id=\"6efe6b79-35ce-4630-b801-c6b5ad7eeab2\"' -- set "
		"Interface vnet4 'external-ids:vm-id=\"591f858b-b8c6-4c99-9476-aa57a2cb2d2b\"'"
		" -- set Interface vnet4 external-ids:iface-status=active",
		&c, "vnet4", "52:54:00:77:f3:de", "591f858b-b8c6-4c99-9476-aa57a2cb2d2b");
	assert_int_equal(op->vlan.mode, OVS_VLAN_NATIVE_UNTAGGED);
	assert_int_equal(op->vlan.tag, 30);
	assert_string_equal(vids(op->vlan.trunk), "20 30");
	x = xml_of(op, "lab");
	assert_non_null(strstr(x, "  <vlan trunk='yes'>\n"
				  "    <tag id='20'/>\n"
				  "    <tag id='30' nativeMode='untagged'/>\n"
				  "  </vlan>\n"));
	free(x);
	assert_true(ovs_vlan_membership(&op->vlan, &m));
	assert_int_equal(m.pvid, 30);
	assert_string_equal(vids(m.member), "20 30");
	assert_string_equal(vids(m.untagged), "30");
	ovs_cmdline_free(&c);
}

/* interface <vlan trunk='yes'><tag id='20' nativeMode='tagged'/><tag id='30'/><tag id='40'/> */
static void start_trunk_native_tagged(void **state)
{
	const struct ovs_op *op;
	struct ovs_membership m;
	struct ovs_cmdline c;
	char *x;

	(void)state;
	op = add_port(
		"ovs-vsctl --timeout=5 -- --may-exist add-port kvlab0 vnet5 "
		"vlan_mode=native-tagged tag=20 trunk=20,30,40 -- set Interface vnet5 "
		"'external-ids:attached-mac=\"52:54:00:8f:58:0b\"' -- set Interface vnet5 "
		"'external-ids:iface-id=\"c4151546-6eba-4f32-bde8-5346c909f209\"' -- set "
		"Interface vnet5 'external-ids:vm-id=\"ed6d2cec-3933-4d6b-81f2-2e773d86cec9\"'"
		" -- set Interface vnet5 external-ids:iface-status=active",
		&c, "vnet5", "52:54:00:8f:58:0b", "ed6d2cec-3933-4d6b-81f2-2e773d86cec9");
	assert_int_equal(op->vlan.mode, OVS_VLAN_NATIVE_TAGGED);
	assert_int_equal(op->vlan.tag, 20);
	assert_string_equal(vids(op->vlan.trunk), "20 30 40");
	x = xml_of(op, "lab");
	assert_non_null(strstr(x, "  <vlan trunk='yes'>\n"
				  "    <tag id='20' nativeMode='tagged'/>\n"
				  "    <tag id='30'/>\n"
				  "    <tag id='40'/>\n"
				  "  </vlan>\n"));
	free(x);
	assert_true(ovs_vlan_membership(&op->vlan, &m));
	assert_int_equal(m.pvid, 20);
	assert_string_equal(vids(m.member), "20 30 40");
	assert_string_equal(vids(m.untagged), "");
	ovs_cmdline_free(&c);
}

/* interface <vlan trunk='yes'><tag id='50'/><tag id='60'/> */
static void start_trunk(void **state)
{
	const struct ovs_op *op;
	struct ovs_membership m;
	struct ovs_cmdline c;
	char *x;

	(void)state;
	op = add_port(
		"ovs-vsctl --timeout=5 -- --may-exist add-port kvlab0 vnet6 trunk=50,60 -- "
		"set Interface vnet6 'external-ids:attached-mac=\"52:54:00:15:60:da\"' -- "
		"set Interface vnet6 "
		"'external-ids:iface-id=\"ef270e7c-f3b9-487a-886a-ff5ceff2fffd\"' -- set "
		"Interface vnet6 'external-ids:vm-id=\"018b52bb-1544-4418-8a73-e10821982f4d\"'"
		" -- set Interface vnet6 external-ids:iface-status=active",
		&c, "vnet6", "52:54:00:15:60:da", "018b52bb-1544-4418-8a73-e10821982f4d");
	assert_int_equal(op->vlan.mode, OVS_VLAN_TRUNK);
	assert_int_equal(op->vlan.tag, 0);
	assert_string_equal(vids(op->vlan.trunk), "50 60");
	x = xml_of(op, "lab");
	assert_non_null(strstr(x, "  <vlan trunk='yes'>\n"
				  "    <tag id='50'/>\n"
				  "    <tag id='60'/>\n"
				  "  </vlan>\n"));
	assert_null(strstr(x, "nativeMode"));
	free(x);
	assert_true(ovs_vlan_membership(&op->vlan, &m));
	assert_int_equal(m.pvid, 0);
	assert_string_equal(vids(m.member), "50 60");
	assert_string_equal(vids(m.untagged), "");
	ovs_cmdline_free(&c);
}

/* <virtualport type='openvswitch'><parameters profileid='gold'/>: port-profile and ifname too */
static void start_profile(void **state)
{
	const struct ovs_op *op;
	struct ovs_cmdline c;
	char *x;

	(void)state;
	op = add_port("ovs-vsctl --timeout=5 -- --may-exist add-port kvlab0 vnet11 tag=30 -- set "
		      "Interface vnet11 'external-ids:attached-mac=\"52:54:00:e3:66:fe\"' -- set "
		      "Interface vnet11 "
		      "'external-ids:iface-id=\"b7a09944-8d1c-4a43-9e0b-2f6c1f1f7a01\"' -- set "
		      "Interface vnet11 "
		      "'external-ids:vm-id=\"22ae6c28-5b1e-4c36-9f7d-3a0c1b2d4e5f\"' -- set "
		      "Interface vnet11 'external-ids:port-profile=\"gold\"' -- set Interface "
		      "vnet11 'external-ids:ifname=\"vnet11\"' -- set Interface vnet11 "
		      "external-ids:iface-status=active",
		      &c, "vnet11", "52:54:00:e3:66:fe", "22ae6c28-5b1e-4c36-9f7d-3a0c1b2d4e5f");
	assert_string_equal(op->profile, "gold");
	assert_int_equal(op->vlan.tag, 30);
	x = xml_of(op, "lab");
	assert_non_null(strstr(x,
			       "    <parameters interfaceid='b7a09944-8d1c-4a43-9e0b-2f6c1f1f7a01' "
			       "profileid='gold'/>\n"));
	free(x);
	ovs_cmdline_free(&c);
}

/* a domain with two NICs: one add-port each; <target dev='mytap5'/> as given */
static void start_target_dev(void **state)
{
	const struct ovs_op *op;
	struct ovs_cmdline c;

	(void)state;
	op = add_port("ovs-vsctl --timeout=5 -- --may-exist add-port kvlab0 mytap5 tag=30 -- set "
		      "Interface mytap5 'external-ids:attached-mac=\"52:54:00:bb:1b:f2\"' -- set "
		      "Interface mytap5 "
		      "'external-ids:iface-id=\"698a1e3b-50e9-47b2-a667-a4fd111a8209\"' -- set "
		      "Interface mytap5 "
		      "'external-ids:vm-id=\"47b74266-f336-4043-ad75-b05139f0fbe7\"' -- set "
		      "Interface mytap5 external-ids:iface-status=active",
		      &c, "mytap5", "52:54:00:bb:1b:f2", "47b74266-f336-4043-ad75-b05139f0fbe7");
	assert_int_equal(op->vlan.tag, 30);
	ovs_cmdline_free(&c);
}

/* stop, destroy, unplug, a failed start; and ovs-vsctl's del-port BRIDGE PORT */
static void stop_del_port(void **state)
{
	struct ovs_cmdline c;

	(void)state;
	parse_ok("ovs-vsctl --timeout=5 -- --if-exists del-port vnet1", &c);
	assert_int_equal(c.timeout, 5);
	assert_int_equal(c.n_ops, 1);
	assert_int_equal(c.ops[0].kind, OVS_OP_DEL_PORT);
	assert_true(c.ops[0].if_exists);
	assert_false(c.ops[0].may_exist);
	assert_string_equal(c.ops[0].port, "vnet1");
	assert_string_equal(c.ops[0].bridge, "");
	ovs_cmdline_free(&c);

	parse_ok("ovs-vsctl --timeout=5 -- --if-exists del-port mytap5", &c);
	assert_string_equal(c.ops[0].port, "mytap5");
	ovs_cmdline_free(&c);

	parse_ok("ovs-vsctl del-port kvlab0 vnet1", &c);
	assert_int_equal(c.timeout, 0);
	assert_false(c.ops[0].if_exists);
	assert_string_equal(c.ops[0].bridge, "kvlab0");
	assert_string_equal(c.ops[0].port, "vnet1");
	ovs_cmdline_free(&c);

	/* after a failed start libvirt names no port: an error libvirt ignores */
	parse_err("ovs-vsctl --timeout=5 -- --if-exists del-port", -EINVAL,
		  "del-port names no port (expected del-port [BRIDGE] PORT");
	parse_err("ovs-vsctl del-port a b c", -EINVAL, "del-port takes [BRIDGE] PORT");
	parse_err("ovs-vsctl del-port '(null)'", -EINVAL, "port '(null)' is not a valid name");
	parse_err("ovs-vsctl --may-exist del-port vnet1", -EINVAL,
		  "del-port: option '--may-exist' does not go with it");
}

/* unplug and <bandwidth>: find queue|qos (nothing to find), policing off */
static void qos_find_and_policing_off(void **state)
{
	struct ovs_cmdline c;

	(void)state;
	parse_ok("ovs-vsctl --timeout=5 --no-heading --columns=_uuid find queue "
		 "'external-ids:vm-id=\"4eefc258-2283-45f8-957a-9c831bbb4c78\"' "
		 "'external-ids:ifname=\"vnet14\"'",
		 &c);
	assert_int_equal(c.n_ops, 1);
	assert_int_equal(c.ops[0].kind, OVS_OP_FIND);
	assert_string_equal(c.ops[0].table, "queue");
	ovs_cmdline_free(&c);
	parse_ok("ovs-vsctl --timeout=5 --no-heading --columns=_uuid find qos "
		 "'external-ids:vm-id=\"4eefc258-2283-45f8-957a-9c831bbb4c78\"' "
		 "'external-ids:ifname=\"vnet14\"'",
		 &c);
	assert_string_equal(c.ops[0].table, "qos");
	ovs_cmdline_free(&c);
	parse_ok("ovs-vsctl --no-headings find QoS", &c);
	assert_string_equal(c.ops[0].table, "qos");
	ovs_cmdline_free(&c);

	parse_ok("ovs-vsctl --timeout=5 set Interface vnet14 ingress_policing_rate=0 "
		 "ingress_policing_burst=0",
		 &c);
	assert_int_equal(c.n_ops, 1);
	assert_int_equal(c.ops[0].kind, OVS_OP_POLICING_OFF);
	assert_string_equal(c.ops[0].port, "vnet14");
	ovs_cmdline_free(&c);
	parse_ok("ovs-vsctl set interface vnet14 ingress_policing_rate=0", &c);
	assert_int_equal(c.ops[0].kind, OVS_OP_POLICING_OFF);
	ovs_cmdline_free(&c);

	parse_err("ovs-vsctl find Interface options:vhost-server-path=/x", -EINVAL,
		  "is not an ovs-vsctl command kvnet understands");
	parse_err("ovs-vsctl find queue garbage", -EINVAL, "'garbage' is not a condition");
	parse_err("ovs-vsctl --columns=_uuid del-port vnet1", -EINVAL,
		  "option '--columns=_uuid' does not go with it");
}

/* what would shape traffic: refused, so that no VM is believed shaped when it is not */
static void qos_refused(void **state)
{
	(void)state;
	parse_err("ovs-vsctl --timeout=5 set Interface vnet9 ingress_policing_rate=16000",
		  -EOPNOTSUPP, "kvnet-ovs-vsctl does not apply libvirt's QoS");
	parse_err("ovs-vsctl --timeout=5 set Interface vnet9 ingress_policing_rate=16000",
		  -EOPNOTSUPP, "ingress_policing_rate=16000");
	parse_err("ovs-vsctl --timeout=5 set port vnet9 qos=@qos1 "
		  "'external-ids:vm-id=\"fb6aaea5-53a3-4965-8a35-50fa78db48a0\"' "
		  "'external-ids:ifname=\"vnet9\"' -- --id=@qos1 create qos type=linux-htb "
		  "other_config:min-rate=8000000 queues:0=@queue0 "
		  "'external-ids:vm-id=\"fb6aaea5-53a3-4965-8a35-50fa78db48a0\"' "
		  "'external-ids:ifname=\"vnet9\"' -- --id=@queue0 create queue "
		  "other_config:min-rate=8000000 "
		  "'external-ids:vm-id=\"fb6aaea5-53a3-4965-8a35-50fa78db48a0\"' "
		  "'external-ids:ifname=\"vnet9\"'",
		  -EOPNOTSUPP,
		  "kvnet-ovs-vsctl does not apply libvirt's QoS: 'set port vnet9 qos=@qos1");
	parse_err("ovs-vsctl -- --id=@q create queue other_config:min-rate=1", -EOPNOTSUPP,
		  "does not apply libvirt's QoS");
	parse_err("ovs-vsctl set queue 2c7bd2a4-b2a9-4d53-8eb4-3a7b0a7d3c3a other_config:x=1",
		  -EOPNOTSUPP, "does not apply libvirt's QoS");
	parse_err("ovs-vsctl set Interface vnet9 ingress_policing_rate=-1", -EINVAL,
		  "'ingress_policing_rate=-1' is not a number");
}

/* update-device of a type='bridge' interface: a VLAN changed in place, not supported */
static void vlan_in_place_refused(void **state)
{
	(void)state;
	parse_err("ovs-vsctl --timeout=5 -- --if-exists clear Port vnet10 tag -- --if-exists "
		  "clear Port vnet10 trunk -- --if-exists clear Port vnet10 vlan_mode -- "
		  "--if-exists set Port vnet10 tag=21",
		  -EINVAL, "'clear Port vnet10 tag': a port's VLAN cannot be changed in place");
	parse_err("ovs-vsctl --if-exists set Port vnet10 vlan_mode=native-untagged tag=20 "
		  "trunk=20,30",
		  -EINVAL, "cannot be changed in place");
}

/* what libvirt never sends to kvnet */
static void garbage_refused(void **state)
{
	(void)state;
	parse_err("ovs-vsctl list-br", -EINVAL,
		  "'list-br' is not an ovs-vsctl command kvnet understands; it takes what "
		  "libvirt sends for <virtualport type='openvswitch'/>: add-port, del-port, find "
		  "queue|qos and set Interface IF ingress_policing_rate=0");
	parse_err("ovs-vsctl --timeout=5 get Interface vnet1 external_ids:PortData", -EINVAL,
		  "'get Interface vnet1 external_ids:PortData' is not an ovs-vsctl command");
	parse_err("ovs-vsctl --timeout=5 set Interface vnet1 external_ids:PortData=xyz", -EINVAL,
		  "there is no add-port vnet1 here");
	parse_err("ovs-vsctl --timeout=5 iface-to-br vnet1", -EINVAL, "'iface-to-br vnet1'");
	parse_err("ovs-vsctl add-br kvlab0", -EINVAL, "'add-br kvlab0' is not");
	parse_err("ovs-vsctl --db=unix:/run/openvswitch/db.sock show", -EINVAL,
		  "option '--db=unix:/run/openvswitch/db.sock' is not one kvnet's ovs-vsctl knows");
	parse_err("ovs-vsctl", -EINVAL, "no command given");
	parse_err("ovs-vsctl --timeout=5 --", -EINVAL, "no command given");
	parse_err("ovs-vsctl set Bridge kvlab0 stp_enable=true", -EINVAL,
		  "'set Bridge kvlab0 stp_enable=true' is not");
	parse_err("ovs-vsctl set Interface vnet1 mtu_request=9000", -EINVAL,
		  "'mtu_request=9000' is not something kvnet's ovs-vsctl sets");
	parse_err("ovs-vsctl set Interface vnet1", -EINVAL, "at least one COLUMN=VALUE");
	parse_err("ovs-vsctl ''", -EINVAL, "'' is not an ovs-vsctl command");
	/* what a terminal must not get from a message */
	parse_err("ovs-vsctl 'a\x1b[2Jb'", -EINVAL, "'a?[2Jb' is not");
}

/* the global options and the separators */
static void options(void **state)
{
	struct ovs_cmdline c;

	(void)state;
	parse_ok("ovs-vsctl --version", &c);
	assert_true(c.version);
	assert_int_equal(c.n_ops, 0);
	ovs_cmdline_free(&c);
	parse_ok("ovs-vsctl -V", &c);
	assert_true(c.version);
	ovs_cmdline_free(&c);
	/* with commands: they are checked, and none is run */
	parse_ok("ovs-vsctl --version -- --may-exist add-port kvlab0 vnet1", &c);
	assert_true(c.version);
	assert_int_equal(c.n_ops, 0);
	assert_null(c.ops);
	ovs_cmdline_free(&c);
	parse_err("ovs-vsctl --version -- list-br", -EINVAL, "'list-br' is not");
	parse_ok("ovs-vsctl --help", &c);
	assert_true(c.help);
	ovs_cmdline_free(&c);
	parse_ok("ovs-vsctl --timeout 7 find qos", &c);
	assert_int_equal(c.timeout, 7);
	ovs_cmdline_free(&c);
	parse_ok("ovs-vsctl -t 3 -- -- find qos --", &c);
	assert_int_equal(c.timeout, 3);
	assert_int_equal(c.n_ops, 1);
	ovs_cmdline_free(&c);
	parse_ok("ovs-vsctl -t9 find qos -- find queue", &c);
	assert_int_equal(c.timeout, 9);
	assert_int_equal(c.n_ops, 2);
	ovs_cmdline_free(&c);
	parse_ok("ovs-vsctl --timeout=0 find qos", &c);
	assert_int_equal(c.timeout, 0);
	ovs_cmdline_free(&c);

	parse_err("ovs-vsctl --timeout=five find qos", -EINVAL,
		  "--timeout 'five' is not a number of seconds (expected 0..86400");
	parse_err("ovs-vsctl --timeout=86401 find qos", -EINVAL, "expected 0..86400");
	parse_err("ovs-vsctl --timeout", -EINVAL, "--timeout '' is not a number");
	parse_err("ovs-vsctl find qos -- --timeout=5 find queue", -EINVAL,
		  "option '--timeout=5' goes before the first command");
	parse_err("ovs-vsctl --timeout=5 -- --may-exist", -EINVAL,
		  "option '--may-exist' has no command after it");
	parse_err("ovs-vsctl --may-exist -- del-port vnet1", -EINVAL,
		  "option '--may-exist' has no command after it");
}

#define MAC_ID "'external-ids:attached-mac=\"52:54:00:00:00:01\"'"
#define VM_ID "'external-ids:vm-id=\"4eefc258-2283-45f8-957a-9c831bbb4c78\"'"
#define TAIL " -- set Interface vnet1 " MAC_ID " -- set Interface vnet1 " VM_ID
#define ADD "ovs-vsctl -- --may-exist add-port kvlab0 vnet1 "

/* add-port's VLAN arguments, and the names */
static void add_port_vlan_errors(void **state)
{
	struct ovs_cmdline c;

	(void)state;
	parse_ok(ADD "trunks=[20,30]" TAIL, &c);
	assert_int_equal(c.ops[0].vlan.mode, OVS_VLAN_TRUNK);
	assert_string_equal(vids(c.ops[0].vlan.trunk), "20 30");
	ovs_cmdline_free(&c);
	parse_ok(ADD "vlan_mode=access tag=4094" TAIL, &c);
	assert_int_equal(c.ops[0].vlan.mode, OVS_VLAN_ACCESS);
	assert_int_equal(c.ops[0].vlan.tag, 4094);
	ovs_cmdline_free(&c);
	parse_ok(ADD "vlan_mode=trunk trunk=1" TAIL, &c);
	assert_int_equal(c.ops[0].vlan.mode, OVS_VLAN_TRUNK);
	ovs_cmdline_free(&c);
	/* the native VLAN is a member even when trunk= leaves it out, as in ovs-vsctl */
	parse_ok(ADD "vlan_mode=native-untagged tag=5 trunk=7" TAIL, &c);
	assert_string_equal(vids(c.ops[0].vlan.trunk), "5 7");
	ovs_cmdline_free(&c);
	/* without --may-exist too */
	parse_ok("ovs-vsctl add-port kvlab0 vnet1" TAIL, &c);
	assert_false(c.ops[0].may_exist);
	ovs_cmdline_free(&c);

	parse_err(ADD "tag=0" TAIL, -EINVAL,
		  "'tag=0' is not a VID (expected tag=N with N in 1..4094)");
	parse_err(ADD "tag=4095" TAIL, -EINVAL, "'tag=4095' is not a VID");
	parse_err(ADD "tag=+20" TAIL, -EINVAL, "'tag=+20' is not a VID");
	parse_err(ADD "tag=20 tag=30" TAIL, -EINVAL, "tag= is given twice");
	parse_err(ADD "trunk=20,20" TAIL, -EINVAL, "'trunk=20,20' names VLAN 20 twice");
	parse_err(ADD "trunk=" TAIL, -EINVAL, "'trunk=' names no VLAN");
	parse_err(ADD "trunk=20," TAIL, -EINVAL, "ends with a comma");
	parse_err(ADD "trunk=20,x" TAIL, -EINVAL, "'x' in 'trunk=20,x' is not a VID");
	parse_err(ADD "trunk=1 trunks=2" TAIL, -EINVAL, "trunk= is given twice");
	parse_err(ADD "vlan_mode=dot1q-tunnel tag=5" TAIL, -EINVAL,
		  "'vlan_mode=dot1q-tunnel' is not a VLAN mode");
	parse_err(ADD "tag=20 trunk=20,30" TAIL, -EINVAL,
		  "tag= with trunk= needs vlan_mode=native-tagged or native-untagged");
	parse_err(ADD "vlan_mode=native-untagged tag=30" TAIL, -EINVAL,
		  "vlan_mode=native-untagged needs tag=N (the native VLAN) and trunk=A,B,...");
	parse_err(ADD "vlan_mode=access trunk=3" TAIL, -EINVAL,
		  "vlan_mode=access needs tag=N and no trunk=");
	parse_err(ADD "vlan_mode=trunk tag=3" TAIL, -EINVAL, "vlan_mode=trunk needs trunk=");
	parse_err(ADD "other_config:x=1" TAIL, -EINVAL,
		  "'other_config:x=1' is not something libvirt sets on a port");
	parse_err(ADD "tag" TAIL, -EINVAL, "'tag' is not COLUMN=VALUE");
	parse_err("ovs-vsctl add-port kvlab0", -EINVAL, "add-port needs a bridge and a port");
	parse_err("ovs-vsctl add-port 'kv lab' vnet1" TAIL, -EINVAL,
		  "add-port: bridge 'kv lab' is not a valid name");
	parse_err("ovs-vsctl add-port kvlab0 averyveryverylongname" TAIL, -EINVAL,
		  "add-port: port 'averyveryverylongname' is not a valid name");
	parse_err("ovs-vsctl --if-exists add-port kvlab0 vnet1" TAIL, -EINVAL,
		  "add-port: option '--if-exists' does not go with it (expected --may-exist)");
}

/* the guest's identity: attached-mac and vm-id are needed, each well formed */
static void add_port_identity(void **state)
{
	struct ovs_cmdline c;

	(void)state;
	/* upper case is taken and written as kvnet writes it */
	parse_ok(ADD "-- set Interface vnet1 external-ids:attached-mac=52:54:00:AB:CD:EF -- set "
		     "Interface vnet1 external_ids:vm-id=4EEFC258-2283-45F8-957A-9C831BBB4C78",
		 &c);
	assert_string_equal(c.ops[0].mac, "52:54:00:ab:cd:ef");
	assert_string_equal(c.ops[0].vm_id, "4eefc258-2283-45f8-957a-9c831bbb4c78");
	assert_string_equal(c.ops[0].iface_id, "");
	ovs_cmdline_free(&c);
	/* several items in one set, a repeated identical value, an unknown label */
	parse_ok(ADD "-- set Interface vnet1 " MAC_ID " " VM_ID " " MAC_ID
		     " external-ids:something-new=1",
		 &c);
	assert_string_equal(c.ops[0].mac, "52:54:00:00:00:01");
	ovs_cmdline_free(&c);
	/* two NICs of one domain on one command line */
	parse_ok(ADD TAIL
		 " -- --may-exist add-port kvlab0 vnet2 tag=5 -- set Interface vnet2 "
		 "'external-ids:attached-mac=\"52:54:00:00:00:02\"' -- set Interface vnet2 " VM_ID,
		 &c);
	assert_int_equal(c.n_ops, 2);
	assert_string_equal(c.ops[1].port, "vnet2");
	assert_string_equal(c.ops[1].mac, "52:54:00:00:00:02");
	assert_string_equal(c.ops[0].mac, "52:54:00:00:00:01");
	ovs_cmdline_free(&c);

	parse_err(ADD "-- set Interface vnet1 " VM_ID, -EINVAL,
		  "add-port kvlab0 vnet1: no external-ids:attached-mac (the guest's MAC");
	parse_err(ADD "-- set Interface vnet1 " MAC_ID, -EINVAL,
		  "add-port kvlab0 vnet1: no external-ids:vm-id (the domain's UUID");
	parse_err(ADD, -EINVAL, "no external-ids:attached-mac");
	parse_err(ADD "-- set Interface vnet1 'external-ids:attached-mac=\"52:54:00:00:00\"'",
		  -EINVAL, "attached-mac '52:54:00:00:00' is not a MAC address");
	parse_err(ADD "-- set Interface vnet1 'external-ids:attached-mac=\"53:54:00:e3:66:fe\"'",
		  -EINVAL, "attached-mac '53:54:00:e3:66:fe' is a multicast address");
	parse_err(ADD "-- set Interface vnet1 'external-ids:vm-id=\"vm1\"'", -EINVAL,
		  "vm-id 'vm1' is not a UUID (expected the domain's UUID");
	parse_err(ADD "-- set Interface vnet1 'external-ids:iface-id=\"x\"'", -EINVAL,
		  "iface-id 'x' is not a UUID");
	parse_err(ADD "-- set Interface vnet1 'external-ids:attached-mac=\"52:54:00:00:00:01'",
		  -EINVAL, "is not a closed \"string\"");
	parse_err(ADD "-- set Interface vnet1 " MAC_ID
		      " 'external-ids:attached-mac=\"52:54:00:00:00:02\"'",
		  -EINVAL,
		  "external-ids:attached-mac is '52:54:00:00:00:01' and '52:54:00:00:00:02'");
	parse_err(ADD "-- set Interface vnet2 " MAC_ID, -EINVAL, "there is no add-port vnet2 here");
	parse_err("ovs-vsctl set Interface vnet1 " MAC_ID " -- add-port kvlab0 vnet1", -EINVAL,
		  "there is no add-port vnet1 here");
	parse_err(ADD "-- set Interface vnet1 'external-ids:port-profile=\"\"'", -EINVAL,
		  "port-profile '' is not a profileid (expected 1 to 39 printable ASCII");
	parse_err(ADD "-- set Interface vnet1 'external-ids:port-profile=\"a\x01\"'", -EINVAL,
		  "port-profile 'a?' is not a profileid");
	parse_err(ADD "-- set Interface vnet1 "
		      "external-ids:port-profile=0123456789012345678901234567890123456789",
		  -EINVAL, "is not a profileid");
	parse_err(ADD "-- set Interface vnet1 external-ids:=x", -EINVAL,
		  "is not external-ids:KEY=VALUE");
	parse_err(ADD "-- set Interface vnet1 'external-ids:a b=x'", -EINVAL, "'a b' is not a key");
}

/* a network's name goes into an attribute: escaped */
static void xml_escapes(void **state)
{
	struct ovs_cmdline c;
	char *x;

	(void)state;
	parse_ok(ADD "-- set Interface vnet1 " MAC_ID " " VM_ID
		     " 'external-ids:port-profile=\"a&<b>\\\"\"'",
		 &c);
	x = xml_of(&c.ops[0], "it's&<lab>\"");
	assert_non_null(strstr(x, "<source network='it&apos;s&amp;&lt;lab&gt;&quot;'/>"));
	assert_non_null(strstr(x, "<parameters profileid='a&amp;&lt;b&gt;&quot;'/>"));
	free(x);
	ovs_cmdline_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(start_portgroup_tag),
		cmocka_unit_test(start_plain),
		cmocka_unit_test(start_interface_tag),
		cmocka_unit_test(start_trunk_native_untagged),
		cmocka_unit_test(start_trunk_native_tagged),
		cmocka_unit_test(start_trunk),
		cmocka_unit_test(start_profile),
		cmocka_unit_test(start_target_dev),
		cmocka_unit_test(stop_del_port),
		cmocka_unit_test(qos_find_and_policing_off),
		cmocka_unit_test(qos_refused),
		cmocka_unit_test(vlan_in_place_refused),
		cmocka_unit_test(garbage_refused),
		cmocka_unit_test(options),
		cmocka_unit_test(add_port_vlan_errors),
		cmocka_unit_test(add_port_identity),
		cmocka_unit_test(xml_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
