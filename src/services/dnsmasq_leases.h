/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dnsmasq_leases.h - read dnsmasq's lease file (dhcp-leasefile=) */
#ifndef KVNET_SERVICES_DNSMASQ_LEASES_H
#define KVNET_SERVICES_DNSMASQ_LEASES_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct dnsmasq_lease - one lease; strings are NUL-terminated, "" when dnsmasq wrote "*"
 * @expiry:	seconds since the epoch, 0 for an infinite lease
 * @ipv6:	a DHCPv6 lease (then @client_id is the client's DUID, and @mac the MAC in it
 *		for a DUID-LLT or DUID-LL, else "")
 */
struct dnsmasq_lease {
	int64_t expiry;
	int ipv6;
	char mac[18];
	char address[46];
	char hostname[256];
	char client_id[256];
};

/**
 * dnsmasq_leases_parse() - the leases in @text (a lease file's contents); lines that do not
 * parse are skipped (dnsmasq rewrites the file as it goes)
 * @out:	a new array (free()), or NULL when there are none
 * Return: the number of leases, or -ENOMEM
 */
int dnsmasq_leases_parse(const char *text, struct dnsmasq_lease **out);

#endif /* KVNET_SERVICES_DNSMASQ_LEASES_H */
