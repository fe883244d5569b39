/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt_xml_priv.h - services/libvirt*.c's own: the XML of the networks kvnet gives libvirt */
#ifndef KVNET_SERVICES_LIBVIRT_XML_PRIV_H
#define KVNET_SERVICES_LIBVIRT_XML_PRIV_H

#include <stdbool.h>

#include "conf/network_def.h"

/**
 * libvirt_xml_format() - libvirt_network_xml(), without the portgroups unless @portgroups
 * (to compare two networks apart from them: portgroups change live through virNetworkUpdate)
 * Return: 0 or -ENOMEM
 */
int libvirt_xml_format(const struct network_def *def, const char *bridge, const char *owner,
		       bool portgroups, char **out);

/**
 * libvirt_xml_portgroup() - portgroup @pg alone, as virNetworkUpdate takes it
 * @out:	set to the document (malloc()ed, the caller frees it)
 * Return: 0 or -ENOMEM
 */
int libvirt_xml_portgroup(const struct network_portgroup *pg, char **out);

#endif /* KVNET_SERVICES_LIBVIRT_XML_PRIV_H */
