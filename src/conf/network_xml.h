/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_xml.h - libvirt network XML to a network definition and back */
#ifndef KVNET_NETWORK_XML_H
#define KVNET_NETWORK_XML_H

#include <stddef.h>

#include "conf/network_def.h"

/* format the persistent configuration only (libvirt's VIR_NETWORK_XML_INACTIVE) */
#define NETWORK_XML_INACTIVE (1u << 0)

/* the dnsmasq pass-through namespace, as libvirt names it */
#define NETWORK_XML_DNSMASQ_NS "http://libvirt.org/schemas/network/dnsmasq/1.0"

/**
 * network_xml_parse() - parse and validate a <network> document held in memory
 * @buf:	the document (need not be NUL-terminated)
 * @len:	its length in bytes
 * @out:	on success, the new definition, owned by the caller (network_def_free())
 * @err:	on failure, a message naming the line, element and attribute and what was
 *		expected; may be NULL
 * @errlen:	size of @err
 *
 * A network that uses what kvnet cannot run (forward modes hostdev, passthrough, private,
 * vepa; 802.1Qbg/802.1Qbh virtual ports) is refused with a message that says so.
 * When <uuid> is absent a random one is generated.
 *
 * Return: 0, -EINVAL for a malformed, invalid or unsupported document, -ENOMEM
 */
int network_xml_parse(const char *buf, size_t len, struct network_def **out, char *err,
		      size_t errlen);

/* the largest network file read: well above the 1 MiB a control request can carry, so a file
 * kvnetd wrote itself always reads back */
#define NETWORK_XML_FILE_MAX (16u << 20)

/**
 * network_xml_parse_file() - network_xml_parse() on the contents of a file
 * @path:	the file, at most NETWORK_XML_FILE_MAX bytes
 * @out:	as for network_xml_parse()
 * @err:	as for network_xml_parse()
 * @errlen:	as for network_xml_parse()
 *
 * Return: 0, a negative errno from reading the file (-EFBIG when it is too large), or as
 * network_xml_parse()
 */
int network_xml_parse_file(const char *path, struct network_def **out, char *err, size_t errlen);

/**
 * network_xml_format() - format a definition canonically, as `virsh net-dumpxml` prints it
 * @def:	the definition
 * @flags:	NETWORK_XML_INACTIVE or 0 (kvnet keeps no live state in the XML yet, so both
 *		give the same text)
 * @out:	on success, a NUL-terminated string ending in a newline, owned by the caller
 *		(free())
 *
 * Return: 0 or -ENOMEM
 */
int network_xml_format(const struct network_def *def, unsigned int flags, char **out);

/**
 * network_xml_metadata_find() - look in @def's <metadata> for an element of namespace @ns_uri
 * (the way an application marks a network as its own)
 * @def:	the definition
 * @ns_uri:	the namespace URI
 * @attr:	an attribute of that element to read, or NULL
 * @value:	set to @attr's value (malloc()ed, the caller frees it) or NULL when the element
 *		has no such attribute; may be NULL
 *
 * Return: 1 when there is such an element, 0 when there is none, -ENOMEM
 */
int network_xml_metadata_find(const struct network_def *def, const char *ns_uri, const char *attr,
			      char **value);

#endif /* KVNET_NETWORK_XML_H */
