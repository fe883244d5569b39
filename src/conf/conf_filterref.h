/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_filterref.h - an interface's <filterref>: the libvirt nwfilters kvnet's switch applies
 *
 * libvirt's nwfilter driver turns a filter into ebtables/iptables rules on the
 * host; kvnet's switch instead applies the stock filters that keep a VM to its
 * own addresses, as port security (core/portsec.h): clean-traffic and its
 * building blocks no-mac-spoofing, no-ip-spoofing, no-arp-spoofing,
 * no-other-l2-traffic, and allow-dhcp (which only allows). Any other filter is
 * refused by name. Parameters: IP (any number, IPv4 or IPv6; none lets DHCP
 * snooping find the VM's IPv4 address and its duplicate address detection its
 * IPv6 ones), MAC (more MACs the VM may send from), CTRL_IP_LEARNING (any, the
 * default: both; dhcp: IPv4 from DHCP only; none: nothing learned).
 */
#ifndef KVNET_CONF_FILTERREF_H
#define KVNET_CONF_FILTERREF_H

#include <stddef.h>

#include "conf/conf_uuid.h"

/* the checks a filter asks for: core/portsec.h's PORTSEC_* bits, the same values */
#define CONF_FILTER_MAC (1u << 0)
#define CONF_FILTER_IP (1u << 1)
#define CONF_FILTER_ARP (1u << 2)
#define CONF_FILTER_L2 (1u << 3)

/* the most IP and MAC parameters (core/portsec.h's PORTSEC_IP4_MAX + PORTSEC_IP6_MAX, MAC_MAX) */
#define CONF_FILTER_IP_MAX 16
#define CONF_FILTER_MAC_MAX 7

/**
 * struct conf_filterref - a <filterref>; owned strings, freed by conf_filterref_free()
 * @filter:	the filter's name, one kvnet applies
 * @checks:	CONF_FILTER_* of that filter
 * @n_ip:	how many IP parameters
 * @ip:		their values, valid addresses as given
 * @n_mac:	how many MAC parameters
 * @mac:	their values, lower-case
 * @learning:	CTRL_IP_LEARNING as given, or NULL
 */
struct conf_filterref {
	char *filter;
	unsigned int checks;
	size_t n_ip;
	char *ip[CONF_FILTER_IP_MAX];
	size_t n_mac;
	char mac[CONF_FILTER_MAC_MAX][CONF_MAC_STRLEN];
	char *learning;
};

/** conf_filterref_free() - free @f and what it owns; NULL is fine */
void conf_filterref_free(struct conf_filterref *f);

#endif /* KVNET_CONF_FILTERREF_H */
