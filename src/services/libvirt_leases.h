/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt_leases.h - a network's DHCP leases in libvirt's own status file format
 *
 * Theory of Operation
 * libvirt answers `virsh net-dhcp-leases NET` and `virsh domifaddr DOM --source lease` for
 * any of its networks, forward mode bridge included, from DIR/<bridge>.status (DIR is
 * /var/lib/libvirt/dnsmasq for libvirtd of network:///system): the JSON array its
 * leaseshelper keeps,
 *   [ { "ip-address": "10.20.0.11", "mac-address": "52:54:00:fc:90:b2", "hostname": "web1",
 *       "client-id": "01:52:54:00:fc:90:b2", "expiry-time": 1796598105 } ]
 * A missing or empty file is no leases. So for a network mirrored into libvirt
 * (services/libvirt.h), kvnetd writes that file from its dnsmasq's leases; this builds its
 * text. libvirt refuses the whole file when one lease lacks "mac-address" or "expiry-time",
 * so a lease without a MAC (DHCPv6: dnsmasq's lease file keeps only the DUID) is left out;
 * "hostname" and "client-id" are left out when dnsmasq has none, as leaseshelper does.
 */
#ifndef KVNET_SERVICES_LIBVIRT_LEASES_H
#define KVNET_SERVICES_LIBVIRT_LEASES_H

#include <stdbool.h>
#include <stddef.h>

#include "services/dnsmasq_leases.h"

/* where libvirtd of network:///system (or qemu:///system) reads the status files */
#define LIBVIRT_LEASES_DIR_DEFAULT "/var/lib/libvirt/dnsmasq"

/**
 * libvirt_leases_json() - the status file's text for @leases (an array of @n, as
 * dnsmasq_leases_parse() gives them): a JSON array, "[]" for none, ending in a newline;
 * "expiry-time" is dnsmasq's (0: an infinite lease)
 * @out:	set to the text (malloc()ed, the caller frees it)
 * Return: 0 or -ENOMEM
 */
int libvirt_leases_json(const struct dnsmasq_lease *leases, size_t n, char **out);

/**
 * libvirt_leases_local_uri() - is @uri a libvirtd of this host's system instance, which reads
 * LIBVIRT_LEASES_DIR_DEFAULT (network:///system, qemu:///system)
 */
bool libvirt_leases_local_uri(const char *uri);

#endif /* KVNET_SERVICES_LIBVIRT_LEASES_H */
