/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_xml_priv.h - network_xml.c's element parsers and helpers, shared with network_update.c
 * and network_xml_check.c (conf/ only) */
#ifndef KVNET_NETWORK_XML_PRIV_H
#define KVNET_NETWORK_XML_PRIV_H

#include <stdbool.h>

#include <libxml/tree.h>

#include "conf/conf_xml.h"
#include "conf/network_def.h"

/*
 * Each parser reads one element into the caller's zeroed struct, which the caller clears
 * on failure too (what was read so far stays in it). An error is reported through @ctx
 * naming the element, and the parser returns -EINVAL, or -ENOMEM.
 *
 * @partial is true for the element given to a net-update delete, which may name the
 * entry with only some of its attributes.
 */

/* attribute @attr of @n as an IPv4 or IPv6 address (AF_UNSPEC when absent and not @required) */
int network_xml_addr(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, bool required,
		     struct conf_addr *out);

/* <range start end> inside its parent @ip's subnet, with its <lease> */
int network_xml_dhcp_range(struct conf_xml_ctx *ctx, const xmlNode *c, const struct network_ip *ip,
			   struct conf_dhcp_range *r);

/* <host mac id name ip> of <dhcp> in @ip; an address must be inside @ip's subnet */
int network_xml_dhcp_host(struct conf_xml_ctx *ctx, const xmlNode *c, const struct network_ip *ip,
			  bool partial, struct conf_dhcp_host *h);

/* <portgroup name default trustGuestRxFilters> with <vlan>, <bandwidth>, <virtualport> */
int network_xml_portgroup(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_portgroup *pg);

/* <dns>'s <host ip> with its <hostname>s */
int network_xml_dns_host(struct conf_xml_ctx *ctx, const xmlNode *c, bool partial,
			 struct network_dns_host *h);

/* <dns>'s <txt name value> */
int network_xml_dns_txt(struct conf_xml_ctx *ctx, const xmlNode *c, bool partial,
			struct network_dns_txt *t);

/* <dns>'s <srv service protocol domain target port priority weight> */
int network_xml_dns_srv(struct conf_xml_ctx *ctx, const xmlNode *c, bool partial,
			struct network_dns_srv *s);

/* is @a inside @ip's subnet (its address and prefix) */
bool network_xml_in_subnet(const struct network_ip *ip, const struct conf_addr *a);

/* the first child element of @root named @name, or NULL */
const xmlNode *network_xml_first(const xmlNode *root, const char *name);

/*
 * network_xml_check.c: what @def's elements must agree on, once all of @root is parsed.
 * Return: 0, or -EINVAL naming the element
 */
int network_xml_check(struct conf_xml_ctx *ctx, const xmlNode *root, const struct network_def *def);

#endif /* KVNET_NETWORK_XML_PRIV_H */
