/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ovs_cmd.h - kvnet-ovs-vsctl's parser: the ovs-vsctl command lines libvirt runs, as operations
 *
 * Theory of Operation
 *
 * For an interface on a network or bridge with <virtualport type='openvswitch'/>, libvirt
 * runs `ovs-vsctl` by its bare name (virnetdevopenvswitch.c). What libvirt 9.0 sends is
 * small and fixed: add-port with the VLAN in ovs-vsctl's words and the guest's identity as
 * external-ids when a VM starts or an interface is plugged, del-port when it goes, and for
 * <bandwidth> the QoS commands. kvnet-ovs-vsctl takes exactly that and refuses the rest with
 * a message, so nothing libvirt believes done is silently not done.
 *
 * This parser is the pure half: an argv in, a list of operations out, no I/O. It keeps
 * ovs-vsctl's grammar: global options first, commands separated by "--", each with its own
 * options (--may-exist, --if-exists, --columns, --id) before its name; table names in any
 * case. The "set Interface IF external-ids:KEY=VALUE" commands that follow an add-port of
 * IF are folded into that add-port: they carry the guest's MAC (attached-mac) and its domain's
 * UUID (vm-id), without which no VM port can be made. libvirt's QoS (a non-zero
 * ingress_policing_rate, qos=, create qos|queue) is refused: kvnet enforces <bandwidth> on
 * the ports it makes from the XML (attach-interface, net-port-create), not yet from these.
 *
 * The VLAN arguments map onto libvirt's <vlan> as libvirt made them from it
 * (virNetDevOpenvswitchConstructVlans): tag=N alone is <vlan><tag id='N'/></vlan>; trunk=A,B
 * is <vlan trunk='yes'> with those tags; vlan_mode=native-tagged|native-untagged tag=N
 * trunk=A,B gives tag N that nativeMode. No VLAN argument gives no <vlan>: the port takes its
 * network's, as libvirt resolved it.
 */
#ifndef KVNET_OVS_OVS_CMD_H
#define KVNET_OVS_OVS_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/vocab.h"

/* --timeout's largest value, in seconds; 0 means no limit, as in ovs-vsctl */
#define OVS_TIMEOUT_MAX 86400
/* an interface name and its NUL */
#define OVS_NAME_SIZE 16
/* a UUID's text, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, and its NUL */
#define OVS_UUID_STRLEN 37
/* the longest external-ids value taken, without the NUL */
#define OVS_VALUE_MAX 255
/* the longest port-profile: libvirt's profileid, without the NUL */
#define OVS_PROFILE_MAX 39
/* words of a VID bitmap */
#define OVS_VID_WORDS ((CTL_VID_MAX + 64) / 64)

enum ovs_op_kind {
	OVS_OP_ADD_PORT,     /* add-port BR IF [VLAN], with set Interface IF external-ids:... */
	OVS_OP_DEL_PORT,     /* del-port [BR] IF */
	OVS_OP_FIND,	     /* find queue|qos ...: kvnet has none, so nothing is printed */
	OVS_OP_POLICING_OFF, /* set Interface IF ingress_policing_rate=0 ...: true already */
};

enum ovs_vlan_mode {
	OVS_VLAN_NONE,		  /* no VLAN argument: the network's VLAN */
	OVS_VLAN_ACCESS,	  /* tag=N */
	OVS_VLAN_TRUNK,		  /* trunk=A,B,... */
	OVS_VLAN_NATIVE_TAGGED,	  /* vlan_mode=native-tagged tag=N trunk=A,B,... */
	OVS_VLAN_NATIVE_UNTAGGED, /* vlan_mode=native-untagged tag=N trunk=A,B,... */
};

/**
 * struct ovs_vlan - an add-port's VLAN arguments, checked
 * @mode:	which form
 * @tag:	the VID of tag= (access, and the native VLAN of the native modes), else 0
 * @trunk:	bitmap of the trunk's VIDs (bit N for VID N); the native VLAN is among them
 */
struct ovs_vlan {
	enum ovs_vlan_mode mode;
	uint16_t tag;
	uint64_t trunk[OVS_VID_WORDS];
};

/**
 * struct ovs_op - one operation
 * @kind:	what to do
 * @may_exist:	add-port --may-exist: a port that is there already is not an error
 * @if_exists:	del-port --if-exists: no such port is not an error
 * @bridge:	add-port's bridge; del-port's if given, else ""
 * @port:	the port (the tap libvirt made); "" for find
 * @vlan:	add-port's VLAN
 * @mac:	add-port: external-ids:attached-mac, the guest's MAC, in lower case
 * @vm_id:	add-port: external-ids:vm-id, the domain's UUID, in lower case
 * @iface_id:	add-port: external-ids:iface-id, libvirt's interfaceid, in lower case, or ""
 * @profile:	add-port: external-ids:port-profile, or ""
 * @table:	find: "queue" or "qos"
 */
struct ovs_op {
	enum ovs_op_kind kind;
	bool may_exist;
	bool if_exists;
	char bridge[OVS_NAME_SIZE];
	char port[OVS_NAME_SIZE];
	struct ovs_vlan vlan;
	char mac[CTL_MAC_STRLEN];
	char vm_id[OVS_UUID_STRLEN];
	char iface_id[OVS_UUID_STRLEN];
	char profile[OVS_PROFILE_MAX + 1];
	const char *table;
};

/**
 * struct ovs_cmdline - a command line, parsed
 * @timeout:	--timeout=N in seconds, 0 if not given (no limit)
 * @version:	--version or -V: print the version, run nothing
 * @help:	--help or -h: print the usage, run nothing
 * @ops:	the operations, in order (NULL when @n_ops is 0, as with @version or @help: the
 *		commands are checked, then dropped)
 * @n_ops:	how many
 */
struct ovs_cmdline {
	unsigned int timeout;
	bool version;
	bool help;
	struct ovs_op *ops;
	size_t n_ops;
};

/**
 * ovs_cmd_parse() - parse an ovs-vsctl command line
 * @argc:	number of arguments, the program's name not counted
 * @argv:	the arguments (argv + 1 of main()); not kept
 * @out:	filled on success; free it with ovs_cmdline_free(). Left empty on failure.
 * @err:	on failure, one sentence naming what was wrong and what was expected
 * @errlen:	size of @err
 *
 * Nothing is run: every check that needs no daemon is made here, so a command line that
 * parses can only fail on what kvnetd says.
 *
 * Return: 0; -EINVAL for a command line that is malformed or that kvnet does not understand
 * (a command libvirt does not send for kvnet, del-port with no port, add-port without
 * attached-mac or vm-id); -EOPNOTSUPP for traffic shaping, which kvnet does not do; -ENOMEM.
 */
int ovs_cmd_parse(int argc, char *const *argv, struct ovs_cmdline *out, char *err, size_t errlen);

/** ovs_cmdline_free() - free what ovs_cmd_parse() put in @c and empty it; @c may be empty */
void ovs_cmdline_free(struct ovs_cmdline *c);

/**
 * ovs_iface_xml() - the libvirt <interface> that makes add-port @op a kvnet VM port
 * @op:		an OVS_OP_ADD_PORT operation
 * @network:	the network @op's bridge belongs to, or NULL for a kvnet bridge of no network
 *		(then the interface is type='bridge' on @op->bridge)
 * @out:	gets the document, malloc()ed, which the caller frees
 *
 * <source>, <mac> (@op->mac), <target dev> (@op->port), <virtualport type='openvswitch'>
 * with libvirt's interfaceid and profileid when given, an empty <bandwidth/> (libvirt
 * resolved it, and refused QoS means none), and <vlan> from @op->vlan.
 *
 * Return: 0, or -ENOMEM
 */
int ovs_iface_xml(const struct ovs_op *op, const char *network, char **out);

/**
 * struct ovs_membership - a port's VLAN membership, as kvnet gives it to a libvirt <vlan>
 * @pvid:	the PVID, 0 for none
 * @member:	bitmap of the VIDs the port is a member of
 * @untagged:	bitmap of those it sends untagged
 */
struct ovs_membership {
	uint16_t pvid;
	uint64_t member[OVS_VID_WORDS];
	uint64_t untagged[OVS_VID_WORDS];
};

/**
 * ovs_vlan_membership() - the membership a port made from @v has (core/vlan.h's
 * vlan_apply_spec(): access N is PVID N untagged; a trunk tagged members and no PVID; the
 * native VLAN the PVID, untagged only with native-untagged)
 * @v:		an add-port's VLAN
 * @m:		gets the membership
 *
 * Return: true; false for OVS_VLAN_NONE, whose membership is the network's (@m is then zero)
 */
bool ovs_vlan_membership(const struct ovs_vlan *v, struct ovs_membership *m);

/** ovs_vid_set() - put VID @vid in bitmap @bits */
static inline void ovs_vid_set(uint64_t *bits, unsigned int vid)
{
	bits[vid / 64] |= 1ull << (vid % 64);
}

/** ovs_vid_test() - is VID @vid in bitmap @bits */
static inline bool ovs_vid_test(const uint64_t *bits, unsigned int vid)
{
	return bits[vid / 64] >> (vid % 64) & 1;
}

#endif /* KVNET_OVS_OVS_CMD_H */
