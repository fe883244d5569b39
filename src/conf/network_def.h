/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_def.h - the plain definition of a network, as parsed from libvirt's network XML */
#ifndef KVNET_NETWORK_DEF_H
#define KVNET_NETWORK_DEF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf/conf_bandwidth.h"
#include "conf/conf_enum.h"

struct network_vxlan;

/* a yes/no attribute that may be absent */
enum conf_tristate {
	CONF_TRI_ABSENT,
	CONF_TRI_YES,
	CONF_TRI_NO,
};

/* an IPv4 or IPv6 address; family is AF_UNSPEC when absent */
struct conf_addr {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/*
 * An element kvnet keeps but does not interpret (<virtualport>): its name,
 * attributes in document order, text and children, formatted back as they came.
 */
struct conf_elem {
	char *name;
	char **attr_names;
	char **attr_values;
	size_t n_attrs;
	char *text;
	struct conf_elem *children;
	size_t n_children;
};

struct conf_vlan_tag {
	unsigned int id; /* 1..4094 */
	enum conf_native_mode native_mode;
};

/* <vlan>; present is false when the element was absent */
struct conf_vlan {
	bool present;
	enum conf_tristate trunk;
	struct conf_vlan_tag *tags;
	size_t n_tags;
};

/* <lease expiry unit>: present false when absent; expiry 0 is infinite */
struct conf_lease {
	bool present;
	unsigned long expiry;
	enum conf_lease_unit unit;
};

struct conf_dhcp_range {
	struct conf_addr start;
	struct conf_addr end;
	struct conf_lease lease;
};

struct conf_dhcp_host {
	char *mac; /* lower-case, or NULL */
	char *id;  /* DHCPv6 DUID, or NULL */
	char *name;
	struct conf_addr ip;
	struct conf_lease lease;
};

struct network_ip {
	enum conf_ip_family family;
	struct conf_addr address;
	struct conf_addr netmask;
	int prefix; /* -1 when absent */
	enum conf_tristate local_ptr;
	char *tftp_root;
	bool has_dhcp;
	struct conf_dhcp_range *ranges;
	size_t n_ranges;
	struct conf_dhcp_host *hosts;
	size_t n_hosts;
	char *bootp_file;
	struct conf_addr bootp_server;
};

struct network_route {
	enum conf_ip_family family;
	struct conf_addr address;
	struct conf_addr netmask;
	int prefix; /* -1 when absent */
	struct conf_addr gateway;
	long metric; /* -1 when absent */
};

struct network_dns_forwarder {
	char *domain;
	struct conf_addr addr;
};

struct network_dns_host {
	struct conf_addr ip;
	char **hostnames;
	size_t n_hostnames;
};

struct network_dns_txt {
	char *name;
	char *value;
};

struct network_dns_srv {
	char *service;
	char *protocol;
	char *domain;
	char *target;
	long port, priority, weight; /* -1 when absent */
};

struct network_dns {
	bool present;
	enum conf_tristate enable;
	enum conf_tristate forward_plain_names;
	struct network_dns_forwarder *forwarders;
	size_t n_forwarders;
	struct network_dns_host *hosts;
	size_t n_hosts;
	struct network_dns_txt *txts;
	size_t n_txts;
	struct network_dns_srv *srvs;
	size_t n_srvs;
};

struct network_portgroup {
	char *name;
	bool is_default;
	enum conf_tristate trust_guest_rx_filters;
	struct conf_vlan vlan;
	struct conf_bandwidth *bandwidth; /* or NULL */
	struct conf_elem *virtualport;	  /* kept, or NULL */
};

struct network_forward {
	enum conf_forward_mode mode; /* CONF_FORWARD_NONE: no <forward>, isolated */
	char *dev;
	char **ifaces; /* <interface dev>, in order */
	size_t n_ifaces;
	bool has_nat;
	struct conf_addr nat_addr_start, nat_addr_end;
	unsigned int nat_port_start, nat_port_end; /* 0 when absent */
	enum conf_tristate nat_ipv6;
};

struct network_bridge {
	char *name;
	enum conf_tristate stp;
	long delay; /* -1 when absent */
	enum conf_mac_table mac_table_manager;
};

/**
 * struct network_def - one network; every string is owned by the definition and freed by
 * network_def_free()
 */
struct network_def {
	char *name;
	unsigned char uuid[16];
	bool uuid_given; /* false when <uuid> was absent and @uuid was generated */
	char *title;
	char *description;
	char *metadata; /* the children of <metadata> serialised, one per line, or NULL */
	bool ipv6;
	enum conf_tristate trust_guest_rx_filters;
	struct network_forward forward;
	struct network_bridge bridge;
	unsigned int mtu; /* 0 when absent */
	char *mac;	  /* lower-case "xx:xx:xx:xx:xx:xx", or NULL */
	char *domain;
	enum conf_tristate domain_local_only;
	struct network_dns dns;
	struct conf_vlan vlan;
	struct conf_bandwidth *bandwidth; /* applied on the host port, or NULL */
	enum conf_tristate port_isolated;
	struct network_ip *ips;
	size_t n_ips;
	struct network_route *routes;
	size_t n_routes;
	struct conf_elem *virtualport; /* kept (openvswitch only), or NULL */
	struct network_portgroup *portgroups;
	size_t n_portgroups;
	bool has_dnsmasq_ns;
	char **dnsmasq_options; /* <dnsmasq:option value> */
	size_t n_dnsmasq_options;
	struct network_vxlan *vxlan; /* <kvnet:vxlan> (conf/network_overlay.h), or NULL */
};

/**
 * network_def_free() - free a definition and everything it owns
 * @def:	the definition, or NULL
 */
void network_def_free(struct network_def *def);

/**
 * network_ip_prefix() - the prefix length of an <ip>: its prefix=, else its netmask=, else 64
 * for IPv6 and libvirt's classful default for IPv4
 */
int network_ip_prefix(const struct network_ip *ip);

/**
 * conf_elem_free() - free a kept element's contents and the element itself
 * @e:	the element, or NULL
 */
void conf_elem_free(struct conf_elem *e);

/*
 * Free what one entry owns, not the entry itself (it sits in its array); the entry is
 * left dangling, to be overwritten or dropped from the array.
 */
void conf_dhcp_host_clear(struct conf_dhcp_host *h);
void network_dns_host_clear(struct network_dns_host *h);
void network_dns_txt_clear(struct network_dns_txt *t);
void network_dns_srv_clear(struct network_dns_srv *s);
void network_portgroup_clear(struct network_portgroup *pg);

#endif /* KVNET_NETWORK_DEF_H */
