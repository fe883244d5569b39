/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netport_xml.h - libvirt's <networkport> XML: a VM's connection to a network */
#ifndef KVNET_NETPORT_XML_H
#define KVNET_NETPORT_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf_filterref.h"
#include "conf/conf_uuid.h"
#include "conf/network_def.h"

/* <plug type=...>; kvnet runs the switch, so only these two make sense */
enum netport_plug {
	NETPORT_PLUG_NONE,    /* no <plug> */
	NETPORT_PLUG_NETWORK, /* <plug type='network' bridge='virbr0'/> */
	NETPORT_PLUG_BRIDGE,  /* <plug type='bridge' bridge='br0' [macTableManager]/> */
};

/**
 * struct netport_def - one network port; strings owned, freed by netport_def_free()
 * @uuid:		the port's UUID (generated when absent; @uuid_given says which)
 * @owner_name:		<owner><name>, the domain
 * @owner_uuid:		<owner><uuid>
 * @group:		<group>, a portgroup name, or NULL
 * @mac:		<mac address>, lower-case
 * @bandwidth:		<bandwidth>, or NULL
 * @vlan:		<vlan>
 * @isolated:		<port isolated>
 * @trust_guest_rx:	<rxfilters trustGuest>
 * @virtualport:	<virtualport type='openvswitch'>, kept, or NULL
 * @plug:		<plug type>
 * @plug_bridge:	<plug bridge>, or NULL
 * @plug_mac_table:	<plug macTableManager>
 * @filter:		<filterref> (kvnet's, as in a domain <interface>), or NULL
 */
struct netport_def {
	unsigned char uuid[CONF_UUID_LEN];
	bool uuid_given;
	char *owner_name;
	unsigned char owner_uuid[CONF_UUID_LEN];
	char *group;
	char mac[CONF_MAC_STRLEN];
	struct conf_bandwidth *bandwidth;
	struct conf_vlan vlan;
	enum conf_tristate isolated;
	enum conf_tristate trust_guest_rx;
	struct conf_elem *virtualport;
	enum netport_plug plug;
	char *plug_bridge;
	enum conf_mac_table plug_mac_table;
	struct conf_filterref *filter;
};

/**
 * netport_xml_parse() - parse and validate a <networkport> document
 * @buf, @len:	the document
 * @out:	on success the new definition, owned by the caller
 * @err:	on failure a message naming line, element, attribute and what was expected
 *
 * <owner> (name and uuid) and <mac> are required, as in libvirt. Plug types direct and
 * hostdev-pci, and 802.1Qbg/802.1Qbh virtual ports, are refused: kvnet cannot run them.
 * Return: 0, -EINVAL, -ENOMEM
 */
int netport_xml_parse(const char *buf, size_t len, struct netport_def **out, char *err,
		      size_t errlen);

/**
 * netport_xml_format() - format canonically, as `virsh net-port-dumpxml` prints it
 * Return: 0 or -ENOMEM; *@out is a NUL-terminated string ending in a newline (free())
 */
int netport_xml_format(const struct netport_def *def, char **out);

/** netport_def_free() - free a definition and everything it owns; NULL is fine */
void netport_def_free(struct netport_def *def);

#endif /* KVNET_NETPORT_XML_H */
