/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_enum.h - one name table per configuration enum, shared by XML, JSON and the CLI */
#ifndef KVNET_CONF_ENUM_H
#define KVNET_CONF_ENUM_H

/* <forward mode=...>; CONF_FORWARD_NONE is an isolated network (no <forward>) */
enum conf_forward_mode {
	CONF_FORWARD_NONE,
	CONF_FORWARD_NAT,
	CONF_FORWARD_ROUTE,
	CONF_FORWARD_OPEN,
	CONF_FORWARD_BRIDGE,
	CONF_FORWARD_PRIVATE,
	CONF_FORWARD_VEPA,
	CONF_FORWARD_PASSTHROUGH,
	CONF_FORWARD_HOSTDEV,
	CONF_FORWARD_LAST
};

/* <bridge macTableManager=...> */
enum conf_mac_table {
	CONF_MAC_TABLE_DEFAULT,
	CONF_MAC_TABLE_KERNEL,
	CONF_MAC_TABLE_LIBVIRT,
	CONF_MAC_TABLE_LAST
};

/* <tag nativeMode=...> */
enum conf_native_mode {
	CONF_NATIVE_NONE,
	CONF_NATIVE_TAGGED,
	CONF_NATIVE_UNTAGGED,
	CONF_NATIVE_LAST
};

/* <lease unit=...> */
enum conf_lease_unit {
	CONF_LEASE_UNIT_NONE,
	CONF_LEASE_UNIT_SECONDS,
	CONF_LEASE_UNIT_MINUTES,
	CONF_LEASE_UNIT_HOURS,
	CONF_LEASE_UNIT_LAST
};

/* <ip family=...>, <route family=...>; NONE means the attribute was absent */
enum conf_ip_family {
	CONF_FAMILY_NONE,
	CONF_FAMILY_IPV4,
	CONF_FAMILY_IPV6,
	CONF_FAMILY_LAST
};

/**
 * conf_enum_from_string() - look a name up in an enum's table
 * @names:	the table, indexed by value; NULL entries never match
 * @n:		number of entries
 * @s:		the name to find
 *
 * Return: the value, or -EINVAL if @s is NULL or names no entry
 */
int conf_enum_from_string(const char *const *names, int n, const char *s);

/**
 * conf_forward_mode_to_string() - name of a forward mode
 * @v:	the mode
 *
 * Return: a static string, or NULL for CONF_FORWARD_NONE or an out-of-range value
 */
const char *conf_forward_mode_to_string(enum conf_forward_mode v);
/** conf_forward_mode_from_string() - parse a forward mode; Return: value or -EINVAL */
int conf_forward_mode_from_string(const char *s);

/** conf_mac_table_to_string() - name of a macTableManager; Return: static string or NULL */
const char *conf_mac_table_to_string(enum conf_mac_table v);
/** conf_mac_table_from_string() - parse a macTableManager; Return: value or -EINVAL */
int conf_mac_table_from_string(const char *s);

/** conf_native_mode_to_string() - name of a nativeMode; Return: static string or NULL */
const char *conf_native_mode_to_string(enum conf_native_mode v);
/** conf_native_mode_from_string() - parse a nativeMode; Return: value or -EINVAL */
int conf_native_mode_from_string(const char *s);

/** conf_lease_unit_to_string() - name of a lease unit; Return: static string or NULL */
const char *conf_lease_unit_to_string(enum conf_lease_unit v);
/** conf_lease_unit_from_string() - parse a lease unit; Return: value or -EINVAL */
int conf_lease_unit_from_string(const char *s);

/** conf_ip_family_to_string() - name of an address family; Return: static string or NULL */
const char *conf_ip_family_to_string(enum conf_ip_family v);
/** conf_ip_family_from_string() - parse an address family; Return: value or -EINVAL */
int conf_ip_family_from_string(const char *s);

#endif /* KVNET_CONF_ENUM_H */
