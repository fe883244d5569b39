/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vocab.h - the control protocol's words and limits, one table per enum, and its MAC parser */
#ifndef KVNET_CTL_VOCAB_H
#define KVNET_CTL_VOCAB_H

/*
 * Theory of Operation
 *
 * kvnet checks what it sends, and kvnetd what it gets, against the tables and limits here:
 * neither side spells a word or a bound of the other's. Each enum the protocol names is one
 * list macro, CTL_<ENUM>_LIST(FIRST, NEXT, LAST), which applies FIRST to its first
 * (value, "word") pair, NEXT to each one between and LAST to the last one, in the order usage
 * and messages give them. vocab.c makes the enum's table from it; CTL_WORDS_BAR() and
 * CTL_WORDS_OR() make the strings usage and messages print ("a|b|c", "a, b or c").
 *
 * A value is the number of the enum of core/, conf/ or daemon/ the word stands for. core/ and
 * conf/ may not include ctl/, and daemon/ keeps its enums where it uses them, so the numbers
 * are written out here and tests/unit/test_vocab.c checks each against its enum when it is
 * compiled; it checks the limits against core's the same way.
 */

#include <stdbool.h>
#include <stdint.h>

#include "util/compiler.h"

/**
 * struct ctl_vocab - the words of one enum
 * @names:	the words, in the order usage and messages give them; NULL ends them
 * @values:	the value each word stands for. Two words may stand for one value (net-update's
 *		add and add-last): the first of them is the value's name.
 */
struct ctl_vocab {
	const char *const *names;
	const int *values;
};

/**
 * ctl_vocab_value() - the value word @name stands for
 * Return: the value (never negative), or -EINVAL if @name is NULL or no word of @v
 */
int ctl_vocab_value(const struct ctl_vocab *v, const char *name);

/**
 * ctl_vocab_name() - the word for @value: the first of @v's words that stands for it
 * Return: a static string, or NULL if no word stands for @value
 */
const char *ctl_vocab_name(const struct ctl_vocab *v, int value);

/* the words of a list as one string literal: "a|b|c" for usage, "a, b or c" for messages */
#define CTL_WORD_FIRST(value, word) word
#define CTL_WORD_BAR(value, word) "|" word
#define CTL_WORD_COMMA(value, word) ", " word
#define CTL_WORD_OR(value, word) " or " word
#define CTL_WORDS_BAR(list) list(CTL_WORD_FIRST, CTL_WORD_BAR, CTL_WORD_BAR)
#define CTL_WORDS_OR(list) list(CTL_WORD_FIRST, CTL_WORD_COMMA, CTL_WORD_OR)
#define CTL_WORDS_COMMA(list) list(CTL_WORD_FIRST, CTL_WORD_COMMA, CTL_WORD_COMMA)

/* a port's 802.1D state (port.set, port.list): core/bridge.h's enum bridge_port_state */
enum ctl_port_state {
	CTL_PORT_STATE_DISABLED = 0,
	CTL_PORT_STATE_LISTENING = 1,
	CTL_PORT_STATE_LEARNING = 2,
	CTL_PORT_STATE_FORWARDING = 3,
	CTL_PORT_STATE_BLOCKING = 4,
};
#define CTL_PORT_STATE_LIST(FIRST, NEXT, LAST)                                                     \
	FIRST(CTL_PORT_STATE_DISABLED, "disabled")                                                 \
	NEXT(CTL_PORT_STATE_BLOCKING, "blocking")                                                  \
	NEXT(CTL_PORT_STATE_LISTENING, "listening")                                                \
	NEXT(CTL_PORT_STATE_LEARNING, "learning")                                                  \
	LAST(CTL_PORT_STATE_FORWARDING, "forwarding")
extern const struct ctl_vocab ctl_port_states;

/*
 * port.add's "type": a tap kvnetd makes, an existing interface it attaches, or a VXLAN
 * tunnel (port/vxlan.h)
 */
enum ctl_port_type {
	CTL_PORT_TYPE_TAP,
	CTL_PORT_TYPE_DEV,
	CTL_PORT_TYPE_VXLAN,
};
#define CTL_PORT_TYPE_LIST(FIRST, NEXT, LAST)                                                      \
	FIRST(CTL_PORT_TYPE_TAP, "tap")                                                            \
	NEXT(CTL_PORT_TYPE_DEV, "dev")                                                             \
	LAST(CTL_PORT_TYPE_VXLAN, "vxlan")
extern const struct ctl_vocab ctl_port_types;

/*
 * How QEMU reaches a VM port ("backend" of domain.attach and net.port.create):
 * daemon/vmport/vm_port_backend.h's enum vm_backend
 */
enum ctl_vm_backend {
	CTL_VM_BACKEND_TAP = 0,
	CTL_VM_BACKEND_DEV = 1,
	CTL_VM_BACKEND_STREAM = 2,
	CTL_VM_BACKEND_DGRAM = 3,
	CTL_VM_BACKEND_VHOST_USER = 4,
};
#define CTL_VM_BACKEND_LIST(FIRST, NEXT, LAST)                                                     \
	FIRST(CTL_VM_BACKEND_TAP, "tap")                                                           \
	NEXT(CTL_VM_BACKEND_DEV, "dev")                                                            \
	NEXT(CTL_VM_BACKEND_STREAM, "stream")                                                      \
	NEXT(CTL_VM_BACKEND_DGRAM, "dgram")                                                        \
	LAST(CTL_VM_BACKEND_VHOST_USER, "vhost-user")
extern const struct ctl_vocab ctl_vm_backends;

/*
 * A bridge's "vlan_protocol" (bridge.add, bridge.set, bridge.list): the tag it filters on,
 * as the kernel bridge's vlan_protocol. The values are the TPIDs, core/eth.h's ETH_P_*.
 */
enum ctl_vlan_proto {
	CTL_VLAN_PROTO_8021Q = 0x8100,
	CTL_VLAN_PROTO_8021AD = 0x88a8,
};
#define CTL_VLAN_PROTO_LIST(FIRST, NEXT, LAST)                                                     \
	FIRST(CTL_VLAN_PROTO_8021Q, "802.1Q")                                                      \
	LAST(CTL_VLAN_PROTO_8021AD, "802.1ad")
extern const struct ctl_vocab ctl_vlan_protos;

/* stp.set's "force_version", and the version a port speaks: core/stp.h's STP_VERSION_* */
enum ctl_stp_version {
	CTL_STP_VERSION_STP = 0,
	CTL_STP_VERSION_RSTP = 2,
};
#define CTL_STP_VERSION_LIST(FIRST, NEXT, LAST)                                                    \
	FIRST(CTL_STP_VERSION_STP, "stp")                                                          \
	LAST(CTL_STP_VERSION_RSTP, "rstp")
extern const struct ctl_vocab ctl_stp_versions;

/*
 * A port's flags: port.add's "flags" and port.set's members, each a boolean, and port.list's
 * "flags". The values are core/bridge.h's BR_PORT_* bits.
 */
enum ctl_port_flag {
	CTL_PORT_LEARNING = 1 << 0,
	CTL_PORT_FLOOD = 1 << 1,
	CTL_PORT_MCAST_FLOOD = 1 << 2,
	CTL_PORT_BCAST_FLOOD = 1 << 3,
	CTL_PORT_HAIRPIN = 1 << 4,
	CTL_PORT_ISOLATED = 1 << 5,
	CTL_PORT_DOT1Q_TUNNEL = 1 << 6,
	CTL_PORT_BPDU_GUARD = 1 << 7,
	CTL_PORT_ACCESS_GUARD = 1 << 8,
	CTL_PORT_DHCP_GUARD = 1 << 9,
	CTL_PORT_RA_GUARD = 1 << 10,
};
#define CTL_PORT_FLAG_LIST(FIRST, NEXT, LAST)                                                      \
	FIRST(CTL_PORT_LEARNING, "learning")                                                       \
	NEXT(CTL_PORT_FLOOD, "flood")                                                              \
	NEXT(CTL_PORT_MCAST_FLOOD, "mcast_flood")                                                  \
	NEXT(CTL_PORT_BCAST_FLOOD, "bcast_flood")                                                  \
	NEXT(CTL_PORT_HAIRPIN, "hairpin")                                                          \
	NEXT(CTL_PORT_ISOLATED, "isolated")                                                        \
	NEXT(CTL_PORT_DOT1Q_TUNNEL, "dot1q_tunnel")                                                \
	NEXT(CTL_PORT_BPDU_GUARD, "bpdu_guard")                                                    \
	NEXT(CTL_PORT_ACCESS_GUARD, "access_guard")                                                \
	NEXT(CTL_PORT_DHCP_GUARD, "dhcp_guard")                                                    \
	LAST(CTL_PORT_RA_GUARD, "ra_guard")
extern const struct ctl_vocab ctl_port_flags;

/*
 * A VM's NIC model, libvirt's <model type>: domain.attach refuses any other, and
 * domain.interfaces says which, so `kvnet qemu-args` prints the QEMU device for it.
 */
enum ctl_nic_model {
	CTL_NIC_VIRTIO,
	CTL_NIC_E1000,
	CTL_NIC_E1000E,
	CTL_NIC_RTL8139,
};
#define CTL_NIC_MODEL_LIST(FIRST, NEXT, LAST)                                                      \
	FIRST(CTL_NIC_VIRTIO, "virtio")                                                            \
	NEXT(CTL_NIC_E1000, "e1000")                                                               \
	NEXT(CTL_NIC_E1000E, "e1000e")                                                             \
	LAST(CTL_NIC_RTL8139, "rtl8139")
extern const struct ctl_vocab ctl_nic_models;

/* stp.port_set's "edge": core/stp.h's enum stp_edge */
enum ctl_stp_edge {
	CTL_STP_EDGE_OFF = 0,
	CTL_STP_EDGE_ON = 1,
	CTL_STP_EDGE_AUTO = 2,
};
#define CTL_STP_EDGE_LIST(FIRST, NEXT, LAST)                                                       \
	FIRST(CTL_STP_EDGE_ON, "on")                                                               \
	NEXT(CTL_STP_EDGE_OFF, "off")                                                              \
	LAST(CTL_STP_EDGE_AUTO, "auto")
extern const struct ctl_vocab ctl_stp_edges;

/*
 * net.update's "command", as virsh spells it ("add" is add-last):
 * conf/network_update.h's enum network_update_cmd
 */
enum ctl_net_update_cmd {
	CTL_NET_UPDATE_ADD_LAST = 0,
	CTL_NET_UPDATE_ADD_FIRST = 1,
	CTL_NET_UPDATE_MODIFY = 2,
	CTL_NET_UPDATE_DELETE = 3,
};
#define CTL_NET_UPDATE_CMD_LIST(FIRST, NEXT, LAST)                                                 \
	FIRST(CTL_NET_UPDATE_ADD_LAST, "add")                                                      \
	NEXT(CTL_NET_UPDATE_ADD_LAST, "add-last")                                                  \
	NEXT(CTL_NET_UPDATE_ADD_FIRST, "add-first")                                                \
	NEXT(CTL_NET_UPDATE_MODIFY, "modify")                                                      \
	LAST(CTL_NET_UPDATE_DELETE, "delete")
extern const struct ctl_vocab ctl_net_update_cmds;

/*
 * net.update's "section": which element, and where it goes;
 * conf/network_update.h's enum network_update_section
 */
enum ctl_net_update_section {
	CTL_NET_SECTION_IP_DHCP_HOST = 0,
	CTL_NET_SECTION_IP_DHCP_RANGE = 1,
	CTL_NET_SECTION_FORWARD_INTERFACE = 2,
	CTL_NET_SECTION_PORTGROUP = 3,
	CTL_NET_SECTION_DNS_HOST = 4,
	CTL_NET_SECTION_DNS_TXT = 5,
	CTL_NET_SECTION_DNS_SRV = 6,
};
#define CTL_NET_UPDATE_SECTION_LIST(FIRST, NEXT, LAST)                                             \
	FIRST(CTL_NET_SECTION_IP_DHCP_HOST, "ip-dhcp-host")                                        \
	NEXT(CTL_NET_SECTION_IP_DHCP_RANGE, "ip-dhcp-range")                                       \
	NEXT(CTL_NET_SECTION_FORWARD_INTERFACE, "forward-interface")                               \
	NEXT(CTL_NET_SECTION_PORTGROUP, "portgroup")                                               \
	NEXT(CTL_NET_SECTION_DNS_HOST, "dns-host")                                                 \
	NEXT(CTL_NET_SECTION_DNS_TXT, "dns-txt")                                                   \
	LAST(CTL_NET_SECTION_DNS_SRV, "dns-srv")
extern const struct ctl_vocab ctl_net_update_sections;

/*
 * The bounds of the protocol's numbers, inclusive. Each is a plain decimal literal, so that
 * STRINGIFY() spells it in usage and help text; test_vocab checks them against core's.
 */

/* an 802.1Q VID (a bridge's default_pvid may also be 0: none); "1..4094" */
#define CTL_VID_MIN 1
#define CTL_VID_MAX 4094
#define CTL_VID_RANGE STRINGIFY(CTL_VID_MIN) ".." STRINGIFY(CTL_VID_MAX)

/* a port's MTU */
#define CTL_MTU_MIN 68
#define CTL_MTU_MAX 65535

/* a bridge's ageing_time in seconds, from 0, and max_learned, its most learned addresses */
#define CTL_AGEING_MAX 1000000
#define CTL_MAX_LEARNED_MIN 1
#define CTL_MAX_LEARNED_MAX 1048576

/* a port's learn_limit, from 0 (no limit) */
#define CTL_LEARN_LIMIT_MAX 1048576

/* a port's storm control rates (storm_broadcast, ...), frames/s from 0 (no limit) */
#define CTL_STORM_RATE_MAX 100000000
/* port.set's mcast_max_groups: at most a whole MDB (core/mdb.h MDB_MAX_LIMIT) */
#define CTL_MCAST_MAX_GROUPS_MAX 65536

/* a bridge's STP priority, from 0 in steps; its times in seconds */
#define CTL_STP_PRIORITY_MAX 61440
#define CTL_STP_PRIORITY_STEP 4096
#define CTL_STP_FORWARD_DELAY_MIN 4
#define CTL_STP_FORWARD_DELAY_MAX 30
#define CTL_STP_HELLO_MIN 1
#define CTL_STP_HELLO_MAX 2
#define CTL_STP_MAX_AGE_MIN 6
#define CTL_STP_MAX_AGE_MAX 40

/* a port's STP path cost, from 0 (from the link's speed), and priority, from 0 in steps */
#define CTL_STP_PATH_COST_MAX 200000000
#define CTL_STP_PORT_PRIORITY_MAX 240
#define CTL_STP_PORT_PRIORITY_STEP 16

/* net.update's parent_index, from 0: which <ip> */
#define CTL_NET_UPDATE_PARENT_INDEX_MAX 1000

/*
 * Packet capture (capture.start) and mirrors (mirror.add): which way a port's frames go.
 * The values are bits: both is in | out.
 */
enum ctl_capture_dir {
	CTL_CAPTURE_IN = 1,
	CTL_CAPTURE_OUT = 2,
	CTL_CAPTURE_BOTH = 3,
};
#define CTL_CAPTURE_DIR_LIST(FIRST, NEXT, LAST)                                                    \
	FIRST(CTL_CAPTURE_BOTH, "both")                                                            \
	NEXT(CTL_CAPTURE_IN, "in")                                                                 \
	LAST(CTL_CAPTURE_OUT, "out")
extern const struct ctl_vocab ctl_capture_dirs;

/*
 * Captures at once on one port, and in the whole daemon; a capture's most frames (count, 0
 * for no limit) and its largest snaplen (a whole GSO frame, 65535 + 18 bytes)
 */
#define CTL_CAPTURE_PER_PORT 4
#define CTL_CAPTURE_MAX 16
#define CTL_CAPTURE_COUNT_MAX 1000000000
#define CTL_CAPTURE_SNAPLEN_MIN 14
#define CTL_CAPTURE_SNAPLEN_MAX 65553

/**
 * struct ctl_capture_rec - what precedes each captured frame on a capture's socket: one
 * SOCK_SEQPACKET message per frame, this header (host byte order) then the frame's first
 * bytes, as many as snaplen allows (docs/protocol.md, capture.start)
 * @ts_ns:	when the datapath saw it, CLOCK_REALTIME in nanoseconds
 * @orig_len:	the frame's whole length
 * @dropped:	copies dropped on this capture so far because its reader was slow
 * @dir:	CTL_CAPTURE_IN (the port received it) or CTL_CAPTURE_OUT (the port sent it)
 * @pad:	zero
 */
struct ctl_capture_rec {
	uint64_t ts_ns;
	uint32_t orig_len;
	uint32_t dropped;
	uint8_t dir;
	uint8_t pad[7];
};

/* mirrors on one bridge at once, and a mirror's most source ports and VLANs */
#define CTL_MIRROR_MAX 16
#define CTL_MIRROR_SRC_MAX 64
#define CTL_MIRROR_VLANS_MAX 64

/**
 * ctl_name_valid() - is @s a valid bridge or port name: 1..15 of [A-Za-z0-9_.-], neither "."
 * nor ".." (it is an interface name too)
 */
int ctl_name_valid(const char *s);

/* the longest network namespace name `ip netns` takes */
#define CTL_NETNS_NAME_MAX 255

/**
 * ctl_netns_name_valid() - is @s a network namespace name as `ip netns add` takes them:
 * 1..CTL_NETNS_NAME_MAX characters, no '/', neither "." nor ".."
 */
bool ctl_netns_name_valid(const char *s);

/* a MAC address's bytes, and its text "aa:bb:cc:dd:ee:ff" with the NUL */
#define CTL_MAC_LEN 6
#define CTL_MAC_STRLEN 18

/**
 * ctl_mac_parse() - a MAC address as the protocol spells it: six pairs of hex digits, either
 * case, joined by colons ("52:54:00:AB:cd:01"), and nothing else
 * @s:		the text; NULL is not a MAC address
 * @mac:	gets the six bytes; left alone on failure
 * Return: 0, or -EINVAL if @s is not one
 */
int ctl_mac_parse(const char *s, uint8_t mac[CTL_MAC_LEN]);

/**
 * ctl_mac_format() - @mac as the protocol writes it: lower case, colons
 * @buf:	CTL_MAC_STRLEN bytes
 * Return: @buf
 */
char *ctl_mac_format(const uint8_t mac[CTL_MAC_LEN], char buf[CTL_MAC_STRLEN]);

#endif /* KVNET_CTL_VOCAB_H */
