/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dnsmasq_leases.c - read dnsmasq's lease file
 *
 * One lease per line, fields separated by spaces: expiry (seconds since the epoch, 0 for
 * infinite), MAC (IPv4) or IAID (IPv6), address, hostname or "*", client id or "*". DHCPv6
 * leases follow a "duid SERVER-DUID" line; their MAC is read from the client's DUID when it
 * holds one.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/dnsmasq_leases.h"

/* copy field @f (up to a space or the end of line) into @buf; "*" is "" */
static const char *dnsmasq_field(const char *f, char *buf, size_t len)
{
	size_t n = strcspn(f, " \n");

	if (n == 1 && f[0] == '*')
		n = 0;
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), f);
	f += strcspn(f, " \n");
	while (*f == ' ')
		f++;
	return f;
}

/*
 * The MAC of a DHCPv6 client from its DUID @duid ("00:01:..." as dnsmasq writes it) when the
 * DUID is built from one: DUID-LLT (type 1) or DUID-LL (type 3) of an Ethernet (hardware
 * type 1) address, as dhclient and NetworkManager make them; @mac stays "" otherwise.
 */
static void dnsmasq_duid_mac(const char *duid, char mac[18])
{
	unsigned int b[14];
	size_t n = 0, skip;
	int used;

	while (n < 14 && sscanf(duid, "%2x%n", &b[n], &used) == 1 && used == 2) {
		n++;
		duid += used;
		if (*duid != ':')
			break;
		duid++;
	}
	if (*duid || n < 10 || b[0] || b[2] || b[3] != 1)
		return;
	if (b[1] == 1 && n == 14)
		skip = 8; /* type, hardware type, time */
	else if (b[1] == 3 && n == 10)
		skip = 4; /* type, hardware type */
	else
		return;
	snprintf(mac, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[skip], b[skip + 1], b[skip + 2],
		 b[skip + 3], b[skip + 4], b[skip + 5]);
}

static int dnsmasq_lease_line(const char *line, int ipv6, struct dnsmasq_lease *l)
{
	char expiry[24], id[64];
	char *end;

	memset(l, 0, sizeof(*l));
	line = dnsmasq_field(line, expiry, sizeof(expiry));
	line = dnsmasq_field(line, id, sizeof(id));
	line = dnsmasq_field(line, l->address, sizeof(l->address));
	line = dnsmasq_field(line, l->hostname, sizeof(l->hostname));
	dnsmasq_field(line, l->client_id, sizeof(l->client_id));
	l->expiry = strtoll(expiry, &end, 10);
	if (!expiry[0] || *end || !l->address[0])
		return -1;
	l->ipv6 = ipv6;
	if (ipv6) {
		dnsmasq_duid_mac(l->client_id, l->mac);
		return 0;
	}
	if (strlen(id) != 17)
		return -1;
	memcpy(l->mac, id, sizeof(l->mac));
	return 0;
}

int dnsmasq_leases_parse(const char *text, struct dnsmasq_lease **out)
{
	struct dnsmasq_lease *arr = NULL, l;
	size_t n = 0, cap = 0;
	int ipv6 = 0;

	*out = NULL;
	for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		if (!strncmp(p, "duid ", 5)) {
			ipv6 = 1;
			continue;
		}
		if (dnsmasq_lease_line(p, ipv6, &l))
			continue;
		if (n == cap) {
			struct dnsmasq_lease *bigger = realloc(arr, (cap = cap ? 2 * cap : 8) *
									    sizeof(*arr));

			if (!bigger) {
				free(arr);
				return -ENOMEM;
			}
			arr = bigger;
		}
		arr[n++] = l;
	}
	*out = arr;
	return (int)n;
}
