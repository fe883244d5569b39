/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt_leases.c - a network's DHCP leases in libvirt's status file format */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "services/libvirt_leases.h"

/*
 * Set @key of @obj to string @val, unless @val is "" (dnsmasq has none) or not UTF-8 (which
 * JSON cannot hold, and dnsmasq's own names never are): then the lease goes without it.
 * Return: 0, or -1 when out of memory
 */
static int libvirt_lease_str(json_t *obj, const char *key, const char *val)
{
	json_t *s = val[0] ? json_string(val) : NULL;

	return s ? json_object_set_new(obj, key, s) : 0;
}

int libvirt_leases_json(const struct dnsmasq_lease *leases, size_t n, char **out)
{
	json_t *arr = json_array();
	char *text = NULL;
	int bad = !arr;

	for (size_t i = 0; i < n && !bad; i++) {
		const struct dnsmasq_lease *l = &leases[i];
		json_t *o;

		/* without a MAC or an address, libvirt would refuse the whole file */
		if (!l->mac[0] || !l->address[0])
			continue;
		o = json_object();
		bad = !o || libvirt_lease_str(o, "ip-address", l->address) ||
		      libvirt_lease_str(o, "mac-address", l->mac) ||
		      libvirt_lease_str(o, "hostname", l->hostname) ||
		      libvirt_lease_str(o, "client-id", l->client_id) ||
		      json_object_set_new(o, "expiry-time", json_integer(l->expiry));
		if (!bad && json_object_get(o, "ip-address") && json_object_get(o, "mac-address"))
			bad = json_array_append(arr, o);
		json_decref(o);
	}
	if (!bad)
		text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(arr);
	if (!text)
		return -ENOMEM;
	/* json_dumps() ends without one; an empty array is "[]" */
	*out = malloc(strlen(text) + 2);
	if (*out)
		strcat(strcpy(*out, text), "\n");
	free(text);
	return *out ? 0 : -ENOMEM;
}

bool libvirt_leases_local_uri(const char *uri)
{
	return uri && (!strcmp(uri, "network:///system") || !strcmp(uri, "qemu:///system"));
}
