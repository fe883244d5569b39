/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_cli_qemu.c - unit tests of the CLI's QEMU arguments (qemu_args.c) and of the
 * <interface> port-create makes from its options (iface_opts.c)
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

#include "cli/iface_opts.h"
#include "cli/qemu_args.h"

#define SCRIPTS "/usr/libexec"

static void test_version_reconnect(void **state)
{
	(void)state;
	assert_int_equal(qemu_version_reconnect("QEMU emulator version 7.2.22 (Debian "
						"1:7.2+dfsg-7+deb12u18+b3)\nCopyright"),
			 QEMU_RECONNECT_NONE);
	assert_int_equal(qemu_version_reconnect("QEMU emulator version 8.0.0\n"),
			 QEMU_RECONNECT_SECONDS);
	assert_int_equal(qemu_version_reconnect("QEMU emulator version 9.1.3\n"),
			 QEMU_RECONNECT_SECONDS);
	assert_int_equal(qemu_version_reconnect("QEMU emulator version 9.2.0\n"),
			 QEMU_RECONNECT_MS);
	assert_int_equal(qemu_version_reconnect("QEMU emulator version 10.1.0\n"),
			 QEMU_RECONNECT_MS);
	assert_int_equal(qemu_version_reconnect(""), QEMU_RECONNECT_NONE);
	assert_int_equal(qemu_version_reconnect("version x.y"), QEMU_RECONNECT_NONE);
	assert_int_equal(qemu_version_reconnect(NULL), QEMU_RECONNECT_NONE);
}

/* format @json (an interface as kvnetd describes it) and check both values */
static void args_ok(const char *json, enum qemu_reconnect r, const char *netdev, const char *device)
{
	json_t *iface = json_loads(json, 0, NULL);
	struct qemu_args a;
	char err[256] = "";

	assert_non_null(iface);
	assert_int_equal(qemu_args_format(iface, r, SCRIPTS, &a, err, sizeof(err)), 0);
	assert_string_equal(a.netdev, netdev);
	assert_string_equal(a.device, device);
	qemu_args_free(&a);
	json_decref(iface);
}

/* format @json: it must fail with -EBADMSG and a message containing @msg */
static void args_bad(const char *json, const char *msg)
{
	json_t *iface = json_loads(json, 0, NULL);
	struct qemu_args a;
	char err[256] = "";

	assert_non_null(iface);
	assert_int_equal(qemu_args_format(iface, QEMU_RECONNECT_MS, SCRIPTS, &a, err, sizeof(err)),
			 -EBADMSG);
	assert_null(a.netdev);
	assert_null(a.device);
	if (!strstr(err, msg))
		fail_msg("message '%s' does not contain '%s'", err, msg);
	json_decref(iface);
}

#define DEV_VNET0 "virtio-net-pci,netdev=net-vnet0,mac=52:54:00:00:00:01"

static void test_args_tap_dev(void **state)
{
	(void)state;
	args_ok("{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"tap\"}",
		QEMU_RECONNECT_MS, "tap,id=net-vnet0,ifname=vnet0,script=no,downscript=no",
		DEV_VNET0);
	/* a kvnetd that predates the back-ends says nothing: its ports are taps */
	args_ok("{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\"}", QEMU_RECONNECT_NONE,
		"tap,id=net-vnet0,ifname=vnet0,script=no,downscript=no", DEV_VNET0);
	args_ok("{\"name\":\"vm1eth0\",\"mac\":\"52:54:00:00:00:02\",\"backend\":\"dev\"}",
		QEMU_RECONNECT_NONE,
		"tap,id=net-vm1eth0,ifname=vm1eth0,script=" SCRIPTS
		"/kvnet-ifup,downscript=" SCRIPTS "/kvnet-ifdown",
		"virtio-net-pci,netdev=net-vm1eth0,mac=52:54:00:00:00:02");
}

/* the interface's <model> is the NIC QEMU emulates; one kvnet does not know is refused */
static void test_args_models(void **state)
{
	static const char *const m[][2] = {
		{ "virtio", "virtio-net-pci" },
		{ "e1000", "e1000" },
		{ "e1000e", "e1000e" },
		{ "rtl8139", "rtl8139" },
	};
	char json[256], dev[128];

	(void)state;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(json, sizeof(json),
			 "{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"tap\","
			 "\"model\":\"%s\"}",
			 m[i][0]);
		snprintf(dev, sizeof(dev), "%s,netdev=net-vnet0,mac=52:54:00:00:00:01", m[i][1]);
		args_ok(json, QEMU_RECONNECT_NONE,
			"tap,id=net-vnet0,ifname=vnet0,script=no,downscript=no", dev);
	}
	args_bad("{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\",\"model\":\"ne2k_pci\"}",
		 "\"model\" 'ne2k_pci' is not a NIC kvnet knows (expected virtio, e1000, e1000e or "
		 "rtl8139)");
	args_bad("{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\",\"model\":7}",
		 "\"model\" is missing or not a string");
}

#define STREAM_LISTEN                                                                              \
	"{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"stream\","                \
	"\"socket\":\"/run/kvnet/ports/vnet0.sock\",\"listen\":true}"
#define STREAM_NETDEV                                                                              \
	"stream,id=net-vnet0,server=off,addr.type=unix,addr.path=/run/kvnet/ports/vnet0.sock"

static void test_args_stream(void **state)
{
	(void)state;
	args_ok(STREAM_LISTEN, QEMU_RECONNECT_NONE, STREAM_NETDEV, DEV_VNET0);
	args_ok(STREAM_LISTEN, QEMU_RECONNECT_SECONDS, STREAM_NETDEV ",reconnect=1", DEV_VNET0);
	args_ok(STREAM_LISTEN, QEMU_RECONNECT_MS, STREAM_NETDEV ",reconnect-ms=1000", DEV_VNET0);
	/* QEMU listens: a server does not reconnect, kvnet does */
	args_ok("{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"stream\","
		"\"socket\":\"/tmp/vm1.sock\",\"listen\":false}",
		QEMU_RECONNECT_MS,
		"stream,id=net-vnet0,server=on,addr.type=unix,addr.path=/tmp/vm1.sock", DEV_VNET0);
	args_bad("{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"stream\","
		 "\"socket\":\"/tmp/s\"}",
		 "\"listen\"");
	args_bad("{\"name\":\"vnet0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"stream\","
		 "\"listen\":true}",
		 "\"socket\" is missing");
}

static void test_args_dgram(void **state)
{
	(void)state;
	args_ok("{\"name\":\"vnet1\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"dgram\","
		"\"socket\":\"/run/kvnet/ports/vnet1.sock\","
		"\"peer_socket\":\"/run/kvnet/ports/vnet1.qemu.sock\"}",
		QEMU_RECONNECT_MS,
		"dgram,id=net-vnet1,local.type=unix,local.path=/run/kvnet/ports/vnet1.qemu.sock,"
		"remote.type=unix,remote.path=/run/kvnet/ports/vnet1.sock",
		"virtio-net-pci,netdev=net-vnet1,mac=52:54:00:00:00:01");
	args_bad("{\"name\":\"vnet1\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"dgram\","
		 "\"socket\":\"/run/kvnet/ports/vnet1.sock\"}",
		 "\"peer_socket\" is missing");
}

/* vhost-user: a chardev kvnet listens on, which QEMU reconnects to, and the netdev on it */
static void test_args_vhost_user(void **state)
{
	json_t *iface = json_loads("{\"name\":\"vu0\",\"mac\":\"52:54:00:00:00:01\","
				   "\"backend\":\"vhost-user\","
				   "\"socket\":\"/run/kvnet/ports/vu0.vhost.sock\"}",
				   0, NULL);
	struct qemu_args a;
	char err[256] = "";

	(void)state;
	assert_int_equal(qemu_args_format(iface, QEMU_RECONNECT_NONE, SCRIPTS, &a, err,
					  sizeof(err)),
			 0);
	assert_string_equal(a.chardev,
			    "socket,id=chr-vu0,path=/run/kvnet/ports/vu0.vhost.sock,reconnect=1");
	assert_string_equal(a.netdev, "vhost-user,id=net-vu0,chardev=chr-vu0");
	assert_string_equal(a.device, "virtio-net-pci,netdev=net-vu0,mac=52:54:00:00:00:01");
	qemu_args_free(&a);
	assert_int_equal(qemu_args_format(iface, QEMU_RECONNECT_MS, SCRIPTS, &a, err, sizeof(err)),
			 0);
	assert_string_equal(a.chardev, "socket,id=chr-vu0,path=/run/kvnet/ports/vu0.vhost.sock,"
				       "reconnect-ms=1000");
	qemu_args_free(&a);
	json_decref(iface);
	/* kvnet connects (--connect): QEMU listens without waiting, kvnet reconnects */
	iface = json_loads(
		"{\"name\":\"vu0\",\"mac\":\"52:54:00:00:00:01\","
		"\"backend\":\"vhost-user\",\"socket\":\"/tmp/vm.sock\",\"listen\":false}",
		0, NULL);
	assert_int_equal(qemu_args_format(iface, QEMU_RECONNECT_MS, SCRIPTS, &a, err, sizeof(err)),
			 0);
	assert_string_equal(a.chardev, "socket,id=chr-vu0,path=/tmp/vm.sock,server=on,wait=off");
	qemu_args_free(&a);
	json_decref(iface);
}

static void test_args_commas_and_errors(void **state)
{
	(void)state;
	/* a comma in a value is doubled, or QEMU would take what follows as an option */
	args_ok("{\"name\":\"v0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"stream\","
		"\"socket\":\"/tmp/a,b.sock\",\"listen\":true}",
		QEMU_RECONNECT_NONE,
		"stream,id=net-v0,server=off,addr.type=unix,addr.path=/tmp/a,,b.sock",
		"virtio-net-pci,netdev=net-v0,mac=52:54:00:00:00:01");
	args_bad("{\"name\":\"v0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"vhost-user\"}",
		 "\"socket\" is missing");
	args_bad("{\"name\":\"v0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":\"packed\"}",
		 "backend 'packed' is not one QEMU can use");
	args_bad("{\"mac\":\"52:54:00:00:00:01\",\"backend\":\"tap\"}", "\"name\" is missing");
	args_bad("{\"name\":\"v0\",\"backend\":\"tap\"}", "\"mac\" is missing");
	args_bad("{\"name\":\"v0\",\"mac\":\"52:54:00:00:00:01\",\"backend\":7}",
		 "\"backend\" is missing or not a string");
}

static void test_shell_safe(void **state)
{
	(void)state;
	assert_true(qemu_args_shell_safe("stream,id=net-v0,addr.path=/run/kvnet/ports/v0.sock"));
	assert_true(qemu_args_shell_safe("a;b|c$d"));
	assert_false(qemu_args_shell_safe(""));
	assert_false(qemu_args_shell_safe("/tmp/my dir/s"));
	assert_false(qemu_args_shell_safe("/tmp/a\tb"));
	assert_false(qemu_args_shell_safe("/tmp/a\nb"));
	assert_false(qemu_args_shell_safe("/tmp/*.sock"));
	assert_false(qemu_args_shell_safe("/tmp/a?"));
	assert_false(qemu_args_shell_safe("/tmp/[ab]"));
}

static void xml_ok(const struct iface_opts *o, const char *want)
{
	char err[256] = "", *xml = NULL;

	assert_int_equal(iface_opts_xml(o, &xml, err, sizeof(err)), 0);
	assert_string_equal(xml, want);
	free(xml);
}

static void xml_bad(const struct iface_opts *o, const char *msg)
{
	char err[256] = "", *xml = (char *)"unset";

	assert_int_equal(iface_opts_xml(o, &xml, err, sizeof(err)), -EINVAL);
	assert_null(xml);
	if (!strstr(err, msg))
		fail_msg("message '%s' does not contain '%s'", err, msg);
}

static void test_xml_network(void **state)
{
	struct iface_opts o = { .network = "default" };

	(void)state;
	xml_ok(&o, "<interface type='network'>\n"
		   "  <source network='default'/>\n"
		   "  <model type='virtio'/>\n"
		   "</interface>\n");
	o.portgroup = "web";
	o.mac = "52:54:00:aa:bb:cc";
	o.target = "vm1eth0";
	o.vlan = "42";
	xml_ok(&o, "<interface type='network'>\n"
		   "  <mac address='52:54:00:aa:bb:cc'/>\n"
		   "  <source network='default' portgroup='web'/>\n"
		   "  <target dev='vm1eth0'/>\n"
		   "  <model type='virtio'/>\n"
		   "  <vlan>\n"
		   "    <tag id='42'/>\n"
		   "  </vlan>\n"
		   "</interface>\n");
}

static void test_xml_bridge_and_escapes(void **state)
{
	struct iface_opts o = { .bridge = "kvbr0", .target = "t0" };

	(void)state;
	xml_ok(&o, "<interface type='bridge'>\n"
		   "  <source bridge='kvbr0'/>\n"
		   "  <target dev='t0'/>\n"
		   "  <model type='virtio'/>\n"
		   "</interface>\n");
	o.bridge = NULL;
	o.network = "a'b&c<d>\"";
	xml_ok(&o, "<interface type='network'>\n"
		   "  <source network='a&apos;b&amp;c&lt;d&gt;&quot;'/>\n"
		   "  <target dev='t0'/>\n"
		   "  <model type='virtio'/>\n"
		   "</interface>\n");
	o.bridge = "kvbr0";
	xml_bad(&o, "expected a network or a bridge");
	o.network = NULL;
	o.portgroup = "web";
	xml_bad(&o, "--portgroup is for a network, not for bridge 'kvbr0'");
	o.bridge = NULL;
	xml_bad(&o, "expected a network or a bridge");
}

/* the <vlan> element made from @spec, on network n */
static void vlan_ok(const char *spec, const char *vlan)
{
	struct iface_opts o = { .network = "n", .vlan = spec };
	char want[1024];

	snprintf(want, sizeof(want),
		 "<interface type='network'>\n"
		 "  <source network='n'/>\n"
		 "  <model type='virtio'/>\n"
		 "%s"
		 "</interface>\n",
		 vlan);
	xml_ok(&o, want);
}

static void vlan_bad(const char *spec, const char *msg)
{
	struct iface_opts o = { .network = "n", .vlan = spec };

	xml_bad(&o, msg);
}

static void test_xml_vlans(void **state)
{
	(void)state;
	vlan_ok("10,20",
		"  <vlan trunk='yes'>\n    <tag id='10'/>\n    <tag id='20'/>\n  </vlan>\n");
	/* tags in VID order, ranges expanded */
	vlan_ok("30,4-5", "  <vlan trunk='yes'>\n    <tag id='4'/>\n    <tag id='5'/>\n"
			  "    <tag id='30'/>\n  </vlan>\n");
	vlan_ok("trunk:42", "  <vlan trunk='yes'>\n    <tag id='42'/>\n  </vlan>\n");
	vlan_ok("10:native-untagged,20", "  <vlan trunk='yes'>\n"
					 "    <tag id='10' nativeMode='untagged'/>\n"
					 "    <tag id='20'/>\n  </vlan>\n");
	vlan_ok("20,4094:native-tagged", "  <vlan trunk='yes'>\n    <tag id='20'/>\n"
					 "    <tag id='4094' nativeMode='tagged'/>\n  </vlan>\n");
	/* a native VLAN alone is still a trunk: libvirt's nativeMode is a trunk's */
	vlan_ok("7:native-untagged",
		"  <vlan trunk='yes'>\n    <tag id='7' nativeMode='untagged'/>\n  </vlan>\n");
	vlan_bad("0", "'0' is not a VID");
	vlan_bad("4095", "'4095' is not a VID");
	vlan_bad("ten", "'ten' is not a VID");
	vlan_bad("10,,20", "'' is not a VID");
	vlan_bad("10,", "'' is not a VID");
	vlan_bad("trunk:", "'' is not a VID");
	vlan_bad("-5", "'-5' is not a VID");
	vlan_bad("10:untagged", "'10:untagged' is not a VID");
	vlan_bad("20-10", "range '20-10' is backwards");
	vlan_bad("10,10", "VID 10 is given twice");
	vlan_bad("5-10,7", "VID 7 is given twice");
	vlan_bad("10:native-untagged,20:native-tagged", "only one VID may be native");
	vlan_bad("10-12:native-untagged", "a native mode is for one VID, not a range");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_reconnect),
		cmocka_unit_test(test_args_tap_dev),
		cmocka_unit_test(test_args_models),
		cmocka_unit_test(test_args_stream),
		cmocka_unit_test(test_args_dgram),
		cmocka_unit_test(test_args_vhost_user),
		cmocka_unit_test(test_args_commas_and_errors),
		cmocka_unit_test(test_shell_safe),
		cmocka_unit_test(test_xml_network),
		cmocka_unit_test(test_xml_bridge_and_escapes),
		cmocka_unit_test(test_xml_vlans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
