/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iface_xml.h - a domain's <interface> element (libvirt domain XML), as far as a switch cares */
#ifndef KVNET_IFACE_XML_H
#define KVNET_IFACE_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf_filterref.h"
#include "conf/conf_uuid.h"
#include "conf/network_def.h"

enum iface_type {
	IFACE_NETWORK, /* <interface type='network'><source network='...' [portgroup]/> */
	IFACE_BRIDGE,  /* <interface type='bridge'><source bridge='...'/> */
};

/**
 * struct iface_def - one <interface>; strings owned, freed by iface_def_free()
 * @type:	network or bridge
 * @source:	<source network> or <source bridge>
 * @portgroup:	<source portgroup>, or NULL
 * @mac:	<mac address>, lower-case, or "" when absent
 * @target_dev:	<target dev>, or NULL
 * @model:	<model type>, or NULL
 * @vlan:	<vlan>
 * @isolated:	<port isolated>
 * @mtu:	<mtu size>, 0 when absent
 * @bandwidth:	<bandwidth>, or NULL
 * @virtualport: <virtualport type='openvswitch'> (or with no type, left to the network), kept,
 *		or NULL
 * @trust_guest_rx: <interface trustGuestRxFilters>
 * @filter:	<filterref>, one kvnet applies (conf_filterref.h), or NULL
 */
struct iface_def {
	enum iface_type type;
	char *source;
	char *portgroup;
	char mac[CONF_MAC_STRLEN];
	char *target_dev;
	char *model;
	struct conf_vlan vlan;
	enum conf_tristate isolated;
	unsigned int mtu;
	struct conf_bandwidth *bandwidth;
	struct conf_elem *virtualport;
	enum conf_tristate trust_guest_rx;
	struct conf_filterref *filter;
};

/**
 * iface_xml_parse() - parse an <interface> element given as a document of its own (the file
 * `virsh attach-device` takes)
 * @buf, @len:	the document
 * @out:	on success the definition, owned by the caller
 * @err:	on failure a message naming line, element, attribute and what was expected
 *
 * Types other than network and bridge (direct, hostdev, vhostuser, user, ...) and
 * 802.1Qbg/802.1Qbh virtual ports are refused with a message saying what kvnet supports.
 * Return: 0, -EINVAL, -ENOMEM
 */
int iface_xml_parse(const char *buf, size_t len, struct iface_def **out, char *err, size_t errlen);

/**
 * iface_xml_format() - format the definition as an <interface> element of its own, with only
 * what kvnet keeps (in the order mac, source, virtualport, target, model, bandwidth, vlan,
 * port, mtu, filterref); parsing the result gives the same definition
 * Return: 0 or -ENOMEM; *@out is a NUL-terminated string ending in a newline (free())
 */
int iface_xml_format(const struct iface_def *def, char **out);

/** iface_def_free() - free a definition and everything it owns; NULL is fine */
void iface_def_free(struct iface_def *def);

#endif /* KVNET_IFACE_XML_H */
