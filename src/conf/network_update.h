/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_update.h - libvirt's net-update: one element added to, changed in or removed from a network */
#ifndef KVNET_NETWORK_UPDATE_H
#define KVNET_NETWORK_UPDATE_H

#include <stddef.h>

#include "conf/network_def.h"

/* what to do with the element; names as virsh spells them ("add" is add-last) */
enum network_update_cmd {
	NETWORK_UPDATE_ADD_LAST,
	NETWORK_UPDATE_ADD_FIRST,
	NETWORK_UPDATE_MODIFY,
	NETWORK_UPDATE_DELETE,
	NETWORK_UPDATE_CMD_LAST
};

/* where the element goes, and which element it is */
enum network_update_section {
	NETWORK_SECTION_IP_DHCP_HOST,	   /* <ip><dhcp><host> */
	NETWORK_SECTION_IP_DHCP_RANGE,	   /* <ip><dhcp><range> */
	NETWORK_SECTION_FORWARD_INTERFACE, /* <forward><interface dev> */
	NETWORK_SECTION_PORTGROUP,	   /* <portgroup> */
	NETWORK_SECTION_DNS_HOST,	   /* <dns><host> */
	NETWORK_SECTION_DNS_TXT,	   /* <dns><txt> */
	NETWORK_SECTION_DNS_SRV,	   /* <dns><srv> */
	NETWORK_SECTION_LAST
};

/** network_update_cmd_to_string() - virsh's name of a command; Return: static string or NULL */
const char *network_update_cmd_to_string(enum network_update_cmd v);
/** network_update_cmd_from_string() - parse a command ("add" too); Return: value or -EINVAL */
int network_update_cmd_from_string(const char *s);
/** network_update_section_to_string() - virsh's name of a section; Return: static or NULL */
const char *network_update_section_to_string(enum network_update_section v);
/** network_update_section_from_string() - parse a section name; Return: value or -EINVAL */
int network_update_section_from_string(const char *s);

/* the names, comma-separated, for usage messages */
#define NETWORK_UPDATE_CMD_NAMES "add, add-last, add-first, modify, delete"
#define NETWORK_UPDATE_SECTION_NAMES                                                               \
	"ip-dhcp-host, ip-dhcp-range, forward-interface, portgroup, dns-host, dns-txt, dns-srv"

/**
 * network_update() - apply one net-update to a copy of a definition
 * @def:		the definition; never changed
 * @cmd:		add-last, add-first, modify or delete
 * @section:		which kind of element @xml is
 * @parent_index:	for the DHCP sections, the index of the <ip> among all <ip>s; -1
 *			picks the first <ip> that has DHCP ranges or hosts, else the first
 *			IPv4 one, else the first IPv6 one. Ignored by the other sections.
 * @xml, @len:		the one element (<host>, <range>, <interface dev>, <portgroup>,
 *			<host> of <dns>, <txt>, <srv>); need not be NUL-terminated
 * @out:		on success, the new definition, owned by the caller (network_def_free())
 * @err:		on failure, a message naming the element and what was wrong; may be NULL
 * @errlen:		size of @err
 *
 * The entry a modify or delete acts on is found by: a DHCP host's mac, else its id, else
 * its name (modify), or every attribute the element gives (delete, which may give only
 * some); a range's start and end; an interface's dev; a portgroup's name; a DNS host's ip,
 * or for a delete without ip a hostname it shares; a TXT record's name; an SRV record's
 * every given attribute. A delete that matches more than one entry fails, as does an add
 * of an entry that is already there (same mac, id, name or ip for a DHCP host) and a
 * modify or delete of one that is not. Ranges, forward interfaces and SRV records cannot
 * be modified, as in libvirt. The result passes every check network_xml_parse() applies
 * to a whole network (ranges inside their subnet and not overlapping, one default
 * portgroup, ...).
 *
 * Return: 0; -EINVAL for a malformed element, a missing or duplicate entry, or a result
 * that is not a valid network; -ENOMEM
 */
int network_update(const struct network_def *def, enum network_update_cmd cmd,
		   enum network_update_section section, int parent_index, const char *xml,
		   size_t len, struct network_def **out, char *err, size_t errlen);

#endif /* KVNET_NETWORK_UPDATE_H */
