/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vocab.c - unit tests of ctl/vocab.c: the protocol's words, limits and MAC parser, and
 * that they agree with the enums and limits of core/, conf/ and daemon/ they mirror
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf/network_update.h"
#include "core/bridge.h"
#include "core/stp.h"
#include "core/storm.h"
#include "core/vlan.h"
#include "ctl/vocab.h"
#include "daemon/switch/switch.h"
#include "daemon/vmport/vm_port_backend.h"

/* the numbers ctl/ writes out are those of the enums they stand for */
#define MIRRORS(ours, theirs) _Static_assert((int)(ours) == (int)(theirs), #ours " is not " #theirs)
MIRRORS(CTL_PORT_STATE_DISABLED, BR_STATE_DISABLED);
MIRRORS(CTL_PORT_STATE_LISTENING, BR_STATE_LISTENING);
MIRRORS(CTL_PORT_STATE_LEARNING, BR_STATE_LEARNING);
MIRRORS(CTL_PORT_STATE_FORWARDING, BR_STATE_FORWARDING);
MIRRORS(CTL_PORT_STATE_BLOCKING, BR_STATE_BLOCKING);
MIRRORS(CTL_VM_BACKEND_TAP, VM_BACKEND_TAP);
MIRRORS(CTL_VM_BACKEND_DEV, VM_BACKEND_DEV);
MIRRORS(CTL_VM_BACKEND_STREAM, VM_BACKEND_STREAM);
MIRRORS(CTL_VM_BACKEND_DGRAM, VM_BACKEND_DGRAM);
MIRRORS(CTL_VLAN_PROTO_8021Q, ETH_P_8021Q);
MIRRORS(CTL_VLAN_PROTO_8021AD, ETH_P_8021AD);
MIRRORS(CTL_STP_VERSION_STP, STP_VERSION_STP);
MIRRORS(CTL_STP_VERSION_RSTP, STP_VERSION_RSTP);
MIRRORS(CTL_PORT_LEARNING, BR_PORT_LEARNING);
MIRRORS(CTL_PORT_FLOOD, BR_PORT_FLOOD);
MIRRORS(CTL_PORT_MCAST_FLOOD, BR_PORT_MCAST_FLOOD);
MIRRORS(CTL_PORT_BCAST_FLOOD, BR_PORT_BCAST_FLOOD);
MIRRORS(CTL_PORT_HAIRPIN, BR_PORT_HAIRPIN);
MIRRORS(CTL_PORT_ISOLATED, BR_PORT_ISOLATED);
MIRRORS(CTL_PORT_DOT1Q_TUNNEL, BR_PORT_DOT1Q_TUNNEL);
MIRRORS(CTL_PORT_BPDU_GUARD, BR_PORT_BPDU_GUARD);
MIRRORS(CTL_PORT_ACCESS_GUARD, BR_PORT_ACCESS_GUARD);
MIRRORS(CTL_PORT_DHCP_GUARD, BR_PORT_DHCP_GUARD);
MIRRORS(CTL_PORT_RA_GUARD, BR_PORT_RA_GUARD);
_Static_assert((CTL_PORT_RA_GUARD << 1) - 1 == BR_PORT_FLAGS_ALL, "a port flag without a word");
MIRRORS(CTL_STP_EDGE_OFF, STP_EDGE_OFF);
MIRRORS(CTL_STP_EDGE_ON, STP_EDGE_ON);
MIRRORS(CTL_STP_EDGE_AUTO, STP_EDGE_AUTO);
MIRRORS(CTL_NET_UPDATE_ADD_LAST, NETWORK_UPDATE_ADD_LAST);
MIRRORS(CTL_NET_UPDATE_ADD_FIRST, NETWORK_UPDATE_ADD_FIRST);
MIRRORS(CTL_NET_UPDATE_MODIFY, NETWORK_UPDATE_MODIFY);
MIRRORS(CTL_NET_UPDATE_DELETE, NETWORK_UPDATE_DELETE);
MIRRORS(CTL_NET_SECTION_IP_DHCP_HOST, NETWORK_SECTION_IP_DHCP_HOST);
MIRRORS(CTL_NET_SECTION_IP_DHCP_RANGE, NETWORK_SECTION_IP_DHCP_RANGE);
MIRRORS(CTL_NET_SECTION_FORWARD_INTERFACE, NETWORK_SECTION_FORWARD_INTERFACE);
MIRRORS(CTL_NET_SECTION_PORTGROUP, NETWORK_SECTION_PORTGROUP);
MIRRORS(CTL_NET_SECTION_DNS_HOST, NETWORK_SECTION_DNS_HOST);
MIRRORS(CTL_NET_SECTION_DNS_TXT, NETWORK_SECTION_DNS_TXT);
MIRRORS(CTL_NET_SECTION_DNS_SRV, NETWORK_SECTION_DNS_SRV);
_Static_assert(VM_BACKEND_COUNT == 5, "a back-end without a word in ctl_vm_backends");

/* and the limits are the core's */
_Static_assert(CTL_VID_MIN == VLAN_VID_MIN && CTL_VID_MAX == VLAN_VID_MAX, "vid");
_Static_assert(CTL_MTU_MIN == BRIDGE_MTU_MIN && CTL_MTU_MAX == BRIDGE_MTU_MAX, "mtu");
_Static_assert(CTL_STP_PRIORITY_STEP == STP_PRIORITY_STEP, "stp priority");
_Static_assert(CTL_STP_PRIORITY_MAX == 15 * STP_PRIORITY_STEP, "stp priority");
_Static_assert(CTL_STP_PORT_PRIORITY_STEP == STP_PORT_PRIORITY_STEP, "port priority");
_Static_assert(CTL_STP_PORT_PRIORITY_MAX == 15 * STP_PORT_PRIORITY_STEP, "port priority");
_Static_assert(CTL_STP_FORWARD_DELAY_MIN == STP_FWD_DELAY_MIN, "forward delay");
_Static_assert(CTL_STP_FORWARD_DELAY_MAX == STP_FWD_DELAY_MAX, "forward delay");
_Static_assert(CTL_STP_HELLO_MIN == STP_HELLO_MIN && CTL_STP_HELLO_MAX == STP_HELLO_MAX, "hello");
_Static_assert(CTL_STP_MAX_AGE_MIN == STP_MAX_AGE_MIN && CTL_STP_MAX_AGE_MAX == STP_MAX_AGE_MAX,
	       "max age");
_Static_assert(CTL_STP_PATH_COST_MAX == STP_PATH_COST_MAX, "path cost");
_Static_assert(CTL_NETNS_NAME_MAX == NETNS_NAME_MAX, "netns name");
_Static_assert(CTL_STORM_RATE_MAX == STORM_RATE_MAX, "storm rate");
/* the learning limits, as kvnetd has always written them */
_Static_assert(CTL_MAX_LEARNED_MAX == 1 << 20 && CTL_LEARN_LIMIT_MAX == 1 << 20, "fdb");

/* every word of @v names its value, and the value's name is the first word for it */
static void check_round_trip(const struct ctl_vocab *v)
{
	size_t i, j;

	for (i = 0; v->names[i]; i++) {
		int value = ctl_vocab_value(v, v->names[i]);

		assert_int_equal(value, v->values[i]);
		assert_true(value >= 0);
		for (j = 0; strcmp(v->names[j], v->names[i]); j++)
			;
		assert_int_equal(j, i); /* no word twice */
		for (j = 0; v->values[j] != value; j++)
			;
		assert_string_equal(ctl_vocab_name(v, value), v->names[j]);
	}
}

/* what no table takes: absent, empty, another case, blanks, a prefix, a longer word */
static void check_rejects(const struct ctl_vocab *v)
{
	static const char *const bad[] = { "",		 " ",	     "x",
					   "tap ",	 " tap",     "Tap",
					   "DEV",	 "forward",  "forwardingx",
					   "Forwarding", "add_last", "ip_dhcp_host",
					   "RSTP",	 "mstp",     "vhost" };
	size_t i;

	assert_int_equal(ctl_vocab_value(v, NULL), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ctl_vocab_value(v, bad[i]) != -EINVAL)
			fail_msg("'%s' was taken", bad[i]);
	assert_null(ctl_vocab_name(v, -1));
	assert_null(ctl_vocab_name(v, 99));
}

/* @v's words joined by @sep, and by @last before the last one */
static void join(const struct ctl_vocab *v, const char *sep, const char *last, char *buf,
		 size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; v->names[i]; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
				      !i		? ""
				      : v->names[i + 1] ? sep
							: last,
				      v->names[i]);
}

/* CTL_WORDS_*() spell the words of the table, in its order */
static void check_strings(const struct ctl_vocab *v, const char *bar, const char * or,
			  const char *comma)
{
	char buf[256];

	join(v, "|", "|", buf, sizeof(buf));
	assert_string_equal(bar, buf);
	join(v, ", ", " or ", buf, sizeof(buf));
	assert_string_equal(or, buf);
	join(v, ", ", ", ", buf, sizeof(buf));
	assert_string_equal(comma, buf);
}

#define CHECK_STRINGS(v, list)                                                                     \
	check_strings(v, CTL_WORDS_BAR(list), CTL_WORDS_OR(list), CTL_WORDS_COMMA(list))

static void test_port_states(void **state)
{
	(void)state;
	check_round_trip(&ctl_port_states);
	check_rejects(&ctl_port_states);
	CHECK_STRINGS(&ctl_port_states, CTL_PORT_STATE_LIST);
	assert_string_equal(CTL_WORDS_OR(CTL_PORT_STATE_LIST),
			    "disabled, blocking, listening, learning or forwarding");
	/* core names each state as the protocol does */
	for (size_t i = 0; ctl_port_states.names[i]; i++)
		assert_string_equal(bridge_port_state_name(
					    (enum bridge_port_state)ctl_port_states.values[i]),
				    ctl_port_states.names[i]);
	assert_int_equal(ctl_vocab_value(&ctl_port_states, "blocking"), BR_STATE_BLOCKING);
	assert_null(ctl_vocab_name(&ctl_port_states, 5));
}

static void test_port_types_and_backends(void **state)
{
	(void)state;
	check_round_trip(&ctl_port_types);
	check_rejects(&ctl_port_types);
	CHECK_STRINGS(&ctl_port_types, CTL_PORT_TYPE_LIST);
	assert_string_equal(CTL_WORDS_OR(CTL_PORT_TYPE_LIST), "tap, dev or vxlan");

	check_round_trip(&ctl_vm_backends);
	check_rejects(&ctl_vm_backends);
	CHECK_STRINGS(&ctl_vm_backends, CTL_VM_BACKEND_LIST);
	assert_string_equal(CTL_WORDS_BAR(CTL_VM_BACKEND_LIST), "tap|dev|stream|dgram|vhost-user");
	assert_int_equal(ctl_vocab_value(&ctl_vm_backends, "dgram"), VM_BACKEND_DGRAM);
	assert_string_equal(ctl_vocab_name(&ctl_vm_backends, VM_BACKEND_STREAM), "stream");
}

static void test_stp_versions(void **state)
{
	(void)state;
	check_round_trip(&ctl_port_flags);
	check_rejects(&ctl_port_flags);
	CHECK_STRINGS(&ctl_port_flags, CTL_PORT_FLAG_LIST);
	check_round_trip(&ctl_nic_models);
	check_rejects(&ctl_nic_models);
	CHECK_STRINGS(&ctl_nic_models, CTL_NIC_MODEL_LIST);
	check_round_trip(&ctl_stp_edges);
	check_rejects(&ctl_stp_edges);
	CHECK_STRINGS(&ctl_stp_edges, CTL_STP_EDGE_LIST);
	assert_int_equal(ctl_vocab_value(&ctl_stp_edges, "auto"), STP_EDGE_AUTO);
	assert_int_equal(ctl_vocab_value(&ctl_stp_edges, "yes"), -EINVAL);
	check_round_trip(&ctl_stp_versions);
	check_rejects(&ctl_stp_versions);
	CHECK_STRINGS(&ctl_stp_versions, CTL_STP_VERSION_LIST);
	assert_int_equal(ctl_vocab_value(&ctl_stp_versions, "rstp"), STP_VERSION_RSTP);
	assert_int_equal(ctl_vocab_value(&ctl_stp_versions, "stp"), STP_VERSION_STP);
	assert_null(ctl_vocab_name(&ctl_stp_versions, 1));
}

static void test_net_update(void **state)
{
	size_t i;

	(void)state;
	check_round_trip(&ctl_net_update_cmds);
	check_rejects(&ctl_net_update_cmds);
	CHECK_STRINGS(&ctl_net_update_cmds, CTL_NET_UPDATE_CMD_LIST);
	/* the daemon's message has always listed them so */
	assert_string_equal(CTL_WORDS_COMMA(CTL_NET_UPDATE_CMD_LIST), NETWORK_UPDATE_CMD_NAMES);
	assert_int_equal(ctl_vocab_value(&ctl_net_update_cmds, "add"), NETWORK_UPDATE_ADD_LAST);
	assert_string_equal(ctl_vocab_name(&ctl_net_update_cmds, NETWORK_UPDATE_ADD_LAST), "add");
	/* conf/ reads each word as the same command */
	for (i = 0; ctl_net_update_cmds.names[i]; i++)
		assert_int_equal(network_update_cmd_from_string(ctl_net_update_cmds.names[i]),
				 ctl_net_update_cmds.values[i]);

	check_round_trip(&ctl_net_update_sections);
	check_rejects(&ctl_net_update_sections);
	CHECK_STRINGS(&ctl_net_update_sections, CTL_NET_UPDATE_SECTION_LIST);
	assert_string_equal(CTL_WORDS_COMMA(CTL_NET_UPDATE_SECTION_LIST),
			    NETWORK_UPDATE_SECTION_NAMES);
	for (i = 0; ctl_net_update_sections.names[i]; i++)
		assert_int_equal(network_update_section_from_string(
					 ctl_net_update_sections.names[i]),
				 ctl_net_update_sections.values[i]);
	/* and every section conf/ knows has a word */
	assert_int_equal(i, NETWORK_SECTION_LAST);
}

static void test_limits_spelt(void **state)
{
	(void)state;
	/* usage and help spell the limits with STRINGIFY() */
	assert_string_equal(STRINGIFY(CTL_VID_MAX), "4094");
	assert_string_equal(STRINGIFY(CTL_AGEING_MAX), "1000000");
	assert_string_equal(STRINGIFY(CTL_MAX_LEARNED_MAX), "1048576");
	assert_string_equal(STRINGIFY(CTL_LEARN_LIMIT_MAX), "1048576");
	assert_string_equal(STRINGIFY(CTL_MTU_MIN) ".." STRINGIFY(CTL_MTU_MAX), "68..65535");
}

static void test_mac_accepts(void **state)
{
	static const struct {
		const char *s;
		uint8_t mac[CTL_MAC_LEN];
		const char *formatted;
	} good[] = {
		{ "52:54:00:ab:cd:01", { 0x52, 0x54, 0x00, 0xab, 0xcd, 0x01 }, "52:54:00:ab:cd:01" },
		{ "52:54:00:AB:CD:01", { 0x52, 0x54, 0x00, 0xab, 0xcd, 0x01 }, "52:54:00:ab:cd:01" },
		{ "0a:1B:2c:3D:4e:5F", { 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f }, "0a:1b:2c:3d:4e:5f" },
		{ "ff:ff:ff:ff:ff:ff", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, "ff:ff:ff:ff:ff:ff" },
		{ "00:00:00:00:00:00", { 0 }, "00:00:00:00:00:00" },
		{ "01:80:c2:00:00:00", { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 }, "01:80:c2:00:00:00" },
	};
	uint8_t mac[CTL_MAC_LEN], back[CTL_MAC_LEN];
	char buf[CTL_MAC_STRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(mac, 0x77, sizeof(mac));
		assert_int_equal(ctl_mac_parse(good[i].s, mac), 0);
		assert_memory_equal(mac, good[i].mac, CTL_MAC_LEN);
		assert_ptr_equal(ctl_mac_format(mac, buf), buf);
		assert_string_equal(buf, good[i].formatted);
		assert_int_equal(ctl_mac_parse(buf, back), 0);
		assert_memory_equal(back, mac, CTL_MAC_LEN);
	}
}

static void test_mac_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"52-54-00-ab-cd-01", /* the protocol's MACs have colons only */
		"52:54:00-ab:cd:01",
		"5254.00ab.cd01",
		"525400abcd01",
		"52:54:00:ab:cd",
		"52:54:00:ab:cd:",
		"52:54:00:ab:cd:01:",
		"52:54:00:ab:cd:01:02",
		"52:54:00:ab:cd:0",
		"52:54:00:ab:cd:011",
		"5:54:00:ab:cd:01",
		"52:54:0:ab:cd:011",
		"52::54:00:ab:cd:01",
		"52:54:00:ab:cd:0g",
		"x2:54:00:ab:cd:01",
		" 52:54:00:ab:cd:01",
		"52:54:00:ab:cd:01 ",
		"52:54:00:ab:cd:01\n",
		"+2:54:00:ab:cd:01",
		"0x:54:00:ab:cd:01",
		"52;54;00;ab;cd;01",
		"xx:yy",
	};
	uint8_t mac[CTL_MAC_LEN], same[CTL_MAC_LEN];
	size_t i;

	(void)state;
	memset(mac, 0x77, sizeof(mac));
	memcpy(same, mac, sizeof(mac));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ctl_mac_parse(bad[i], mac) != -EINVAL)
			fail_msg("\"%s\" was taken for a MAC address", bad[i]);
		assert_memory_equal(mac, same, CTL_MAC_LEN);
	}
	assert_int_equal(ctl_mac_parse(NULL, mac), -EINVAL);
}

static void test_netns_names(void **state)
{
	char longest[CTL_NETNS_NAME_MAX + 2];

	(void)state;
	assert_true(ctl_netns_name_valid("ns1"));
	assert_true(ctl_netns_name_valid("a b.c-d_e"));
	assert_true(ctl_netns_name_valid("..."));
	memset(longest, 'n', CTL_NETNS_NAME_MAX);
	longest[CTL_NETNS_NAME_MAX] = '\0';
	assert_true(ctl_netns_name_valid(longest));
	longest[CTL_NETNS_NAME_MAX] = 'n';
	longest[CTL_NETNS_NAME_MAX + 1] = '\0';
	assert_false(ctl_netns_name_valid(longest));
	assert_false(ctl_netns_name_valid(NULL));
	assert_false(ctl_netns_name_valid(""));
	assert_false(ctl_netns_name_valid("."));
	assert_false(ctl_netns_name_valid(".."));
	assert_false(ctl_netns_name_valid("a/b"));
	assert_false(ctl_netns_name_valid("/"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_states),  cmocka_unit_test(test_port_types_and_backends),
		cmocka_unit_test(test_stp_versions), cmocka_unit_test(test_net_update),
		cmocka_unit_test(test_limits_spelt), cmocka_unit_test(test_mac_accepts),
		cmocka_unit_test(test_mac_rejects),  cmocka_unit_test(test_netns_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
