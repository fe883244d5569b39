/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_enum.c - name tables for the configuration enums */
#include <errno.h>
#include <string.h>

#include "conf/conf_enum.h"

static const char *const conf_forward_mode_names[CONF_FORWARD_LAST] = {
	[CONF_FORWARD_NONE] = NULL,	    [CONF_FORWARD_NAT] = "nat",
	[CONF_FORWARD_ROUTE] = "route",	    [CONF_FORWARD_OPEN] = "open",
	[CONF_FORWARD_BRIDGE] = "bridge",   [CONF_FORWARD_PRIVATE] = "private",
	[CONF_FORWARD_VEPA] = "vepa",	    [CONF_FORWARD_PASSTHROUGH] = "passthrough",
	[CONF_FORWARD_HOSTDEV] = "hostdev",
};

static const char *const conf_mac_table_names[CONF_MAC_TABLE_LAST] = {
	[CONF_MAC_TABLE_DEFAULT] = NULL,
	[CONF_MAC_TABLE_KERNEL] = "kernel",
	[CONF_MAC_TABLE_LIBVIRT] = "libvirt",
};

static const char *const conf_native_mode_names[CONF_NATIVE_LAST] = {
	[CONF_NATIVE_NONE] = NULL,
	[CONF_NATIVE_TAGGED] = "tagged",
	[CONF_NATIVE_UNTAGGED] = "untagged",
};

static const char *const conf_lease_unit_names[CONF_LEASE_UNIT_LAST] = {
	[CONF_LEASE_UNIT_NONE] = NULL,
	[CONF_LEASE_UNIT_SECONDS] = "seconds",
	[CONF_LEASE_UNIT_MINUTES] = "minutes",
	[CONF_LEASE_UNIT_HOURS] = "hours",
};

static const char *const conf_ip_family_names[CONF_FAMILY_LAST] = {
	[CONF_FAMILY_NONE] = NULL,
	[CONF_FAMILY_IPV4] = "ipv4",
	[CONF_FAMILY_IPV6] = "ipv6",
};

int conf_enum_from_string(const char *const *names, int n, const char *s)
{
	int i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return -EINVAL;
}

#define CONF_ENUM_IMPL(prefix, type, last)                                                         \
	const char *prefix##_to_string(type v)                                                     \
	{                                                                                          \
		if ((int)v < 0 || (int)v >= (last))                                                \
			return NULL;                                                               \
		return prefix##_names[v];                                                          \
	}                                                                                          \
	int prefix##_from_string(const char *s)                                                    \
	{                                                                                          \
		return conf_enum_from_string(prefix##_names, (last), s);                           \
	}

CONF_ENUM_IMPL(conf_forward_mode, enum conf_forward_mode, CONF_FORWARD_LAST)
CONF_ENUM_IMPL(conf_mac_table, enum conf_mac_table, CONF_MAC_TABLE_LAST)
CONF_ENUM_IMPL(conf_native_mode, enum conf_native_mode, CONF_NATIVE_LAST)
CONF_ENUM_IMPL(conf_lease_unit, enum conf_lease_unit, CONF_LEASE_UNIT_LAST)
CONF_ENUM_IMPL(conf_ip_family, enum conf_ip_family, CONF_FAMILY_LAST)
