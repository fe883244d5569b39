/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_xml.c - parse libvirt network XML into a network_def */
/*
 * Theory of Operation
 *
 * Parsing walks the tree libxml2 builds, one function per element, filling a plain
 * struct network_def. Every error is reported where it is found, as
 * "line N: <element>: attribute 'a': expected ..., got '...'", and -EINVAL is passed up
 * unchanged. What kvnet does not interpret but must keep (<bandwidth>, <virtualport>
 * parameters) becomes a struct conf_elem; <metadata> is kept as serialised text. What the
 * <networkport> and <interface> parsers share with this one (errors, attributes, MACs,
 * UUIDs, <vlan>, <virtualport>, kept elements, the output buffer) is in conf_xml.c;
 * writing a definition back is network_xml_format.c's.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "conf/conf_bandwidth_priv.h"
#include "conf/conf_uuid.h"
#include "conf/conf_xml.h"
#include "conf/network_overlay_priv.h"
#include "conf/network_xml.h"
#include "conf/network_xml_priv.h"
#include "util/file.h"

#define NETWORK_XML_SUPPORTED_MODES                                                                \
	"nat, route, open, bridge, private, vepa, or no <forward> for an isolated network"

int network_xml_addr(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, bool required,
		     struct conf_addr *out)
{
	char *v = conf_xml_prop(n, attr);
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->family = AF_UNSPEC;
	if (!v) {
		if (required)
			return conf_xml_error(ctx, n, "attribute '%s' is required", attr);
		return 0;
	}
	if (inet_pton(AF_INET, v, &out->v4) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, v, &out->v6) == 1)
		out->family = AF_INET6;
	else
		ret = conf_xml_error(ctx, n,
				     "attribute '%s': expected an IPv4 or IPv6 address, got '%s'",
				     attr, v);
	free(v);
	return ret;
}

static int network_xml_family(struct conf_xml_ctx *ctx, const xmlNode *n, enum conf_ip_family *out)
{
	int f = CONF_FAMILY_NONE;
	int ret = conf_xml_enum(ctx, n, "family", conf_ip_family_from_string, "'ipv4' or 'ipv6'",
				&f);

	*out = f;
	return ret;
}

static int network_xml_check_family(struct conf_xml_ctx *ctx, const xmlNode *n,
				    enum conf_ip_family fam, const struct conf_addr *a)
{
	if (fam == CONF_FAMILY_IPV4 && a->family != AF_INET)
		return conf_xml_error(ctx, n,
				      "attribute 'address': expected an IPv4 address "
				      "for family 'ipv4'");
	if (fam == CONF_FAMILY_IPV6 && a->family != AF_INET6)
		return conf_xml_error(ctx, n,
				      "attribute 'address': expected an IPv6 address "
				      "for family 'ipv6'");
	return 0;
}

static int network_xml_forward(struct conf_xml_ctx *ctx, const xmlNode *n,
			       struct network_forward *fwd)
{
	char *mode = conf_xml_prop(n, "mode");
	const xmlNode *c;
	size_t i, j;
	int ret;

	if (fwd->mode != CONF_FORWARD_NONE) {
		free(mode);
		return conf_xml_error(ctx, n, "expected at most one <forward>");
	}
	if (!mode) {
		fwd->mode = CONF_FORWARD_NAT;
	} else {
		int m = conf_forward_mode_from_string(mode);

		if (m < 0) {
			ret = conf_xml_error(ctx, n,
					     "attribute 'mode': unknown forward mode '%s'; "
					     "expected " NETWORK_XML_SUPPORTED_MODES,
					     mode);
			free(mode);
			return ret;
		}
		if (m == CONF_FORWARD_PASSTHROUGH || m == CONF_FORWARD_HOSTDEV) {
			ret = conf_xml_error(
				ctx, n,
				"attribute 'mode': forward mode '%s' (a NIC or its virtual "
				"functions handed to the guests) is not supported by kvnet; "
				"supported: " NETWORK_XML_SUPPORTED_MODES,
				mode);
			free(mode);
			return ret;
		}
		fwd->mode = m;
		free(mode);
	}
	fwd->dev = conf_xml_prop(n, "dev");
	if (fwd->dev && fwd->mode == CONF_FORWARD_OPEN)
		return conf_xml_error(ctx, n,
				      "attribute 'dev': not allowed with forward "
				      "mode 'open'");

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (conf_xml_is(c, "interface")) {
			char *dev = conf_xml_prop(c, "dev"), **slot;

			if (!dev)
				return conf_xml_error(ctx, c, "attribute 'dev' is required");
			slot = CONF_XML_PUSH(fwd->ifaces, fwd->n_ifaces);
			if (!slot) {
				free(dev);
				return -ENOMEM;
			}
			*slot = dev;
		} else if (conf_xml_is(c, "nat")) {
			const xmlNode *g;

			if (fwd->mode != CONF_FORWARD_NAT)
				return conf_xml_error(ctx, c,
						      "only allowed with forward "
						      "mode 'nat'");
			fwd->has_nat = true;
			ret = conf_xml_tristate(ctx, c, "ipv6", false, &fwd->nat_ipv6);
			if (ret)
				return ret;
			for (g = c->children; g; g = g->next) {
				if (conf_xml_is(g, "address")) {
					ret = network_xml_addr(ctx, g, "start", true,
							       &fwd->nat_addr_start);
					if (!ret)
						ret = network_xml_addr(ctx, g, "end", false,
								       &fwd->nat_addr_end);
					if (ret)
						return ret;
					if (fwd->nat_addr_start.family != AF_INET)
						return conf_xml_error(
							ctx, g,
							"attribute 'start': expected an "
							"IPv4 address");
				} else if (conf_xml_is(g, "port")) {
					unsigned long s = 0, e = 0;

					ret = conf_xml_ulong(ctx, g, "start", 1, 65535, true, &s,
							     NULL);
					if (!ret)
						ret = conf_xml_ulong(ctx, g, "end", 1, 65535, false,
								     &e, NULL);
					if (ret)
						return ret;
					if (e && e < s)
						return conf_xml_error(
							ctx, g,
							"attribute 'end': expected a port "
							"not below start %lu, got %lu",
							s, e);
					fwd->nat_port_start = s;
					fwd->nat_port_end = e;
				}
			}
		} else if (conf_xml_is(c, "pf") || conf_xml_is(c, "address") ||
			   conf_xml_is(c, "driver")) {
			return conf_xml_error(ctx, c,
					      "device pools are not supported by kvnet; "
					      "supported: <interface dev='...'/>");
		}
	}
	for (i = 0; i < fwd->n_ifaces; i++)
		for (j = i + 1; j < fwd->n_ifaces; j++)
			if (!strcmp(fwd->ifaces[i], fwd->ifaces[j]))
				return conf_xml_error(ctx, n,
						      "interface '%s' can only be listed once",
						      fwd->ifaces[i]);
	if (fwd->dev && fwd->n_ifaces && strcmp(fwd->dev, fwd->ifaces[0]))
		return conf_xml_error(ctx, n,
				      "attribute 'dev': '%s' differs from the first "
				      "<interface dev='%s'/>",
				      fwd->dev, fwd->ifaces[0]);
	if (fwd->dev && !fwd->n_ifaces) {
		char **slot = CONF_XML_PUSH(fwd->ifaces, fwd->n_ifaces);

		if (!slot)
			return -ENOMEM;
		*slot = strdup(fwd->dev);
		if (!*slot)
			return -ENOMEM;
	}
	if ((fwd->mode == CONF_FORWARD_NAT || fwd->mode == CONF_FORWARD_ROUTE) && fwd->n_ifaces > 1)
		return conf_xml_error(ctx, n,
				      "expected at most one <interface> with forward mode '%s'",
				      conf_forward_mode_to_string(fwd->mode));
	return 0;
}

static int network_xml_bridge(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_bridge *br)
{
	unsigned long delay = 0;
	bool has_delay;
	int ret;

	/* libvirt puts the bridge in a firewalld zone; kvnet's own nftables rules are its firewall */
	if (xmlHasProp(n, (const xmlChar *)"zone"))
		return conf_xml_error(ctx, n,
				      "attribute 'zone' is not supported by kvnet: kvnet runs no "
				      "firewalld zone for the bridge; remove zone= (kvnet's own "
				      "nftables rules filter the network's traffic)");
	free(br->name);
	br->name = conf_xml_prop(n, "name");
	ret = conf_xml_tristate(ctx, n, "stp", true, &br->stp);
	if (ret)
		return ret;
	ret = conf_xml_ulong(ctx, n, "delay", 0, 600, false, &delay, &has_delay);
	if (ret)
		return ret;
	br->delay = has_delay ? (long)delay : -1;
	return conf_xml_mac_table(ctx, n, &br->mac_table_manager);
}

int network_xml_dns_host(struct conf_xml_ctx *ctx, const xmlNode *c, bool partial,
			 struct network_dns_host *h)
{
	const xmlNode *g;
	int ret;

	ret = network_xml_addr(ctx, c, "ip", !partial, &h->ip);
	if (ret)
		return ret;
	for (g = c->children; g; g = g->next) {
		char **slot;

		if (!conf_xml_is(g, "hostname"))
			continue;
		slot = CONF_XML_PUSH(h->hostnames, h->n_hostnames);
		if (!slot)
			return -ENOMEM;
		*slot = conf_xml_text(g);
		if (!*slot)
			return -ENOMEM;
		if (!**slot)
			return conf_xml_error(ctx, g, "expected a host name");
	}
	if (!partial && !h->n_hostnames)
		return conf_xml_error(ctx, c, "expected at least one <hostname>");
	if (partial && !h->n_hostnames && h->ip.family == AF_UNSPEC)
		return conf_xml_error(ctx, c, "expected attribute 'ip' or a <hostname>");
	return 0;
}

int network_xml_dns_txt(struct conf_xml_ctx *ctx, const xmlNode *c, bool partial,
			struct network_dns_txt *t)
{
	t->name = conf_xml_prop(c, "name");
	t->value = conf_xml_prop(c, "value");
	if (!t->name)
		return conf_xml_error(ctx, c, "attribute 'name' is required");
	if (!t->value && !partial)
		return conf_xml_error(ctx, c, "attribute 'value' is required");
	if (strchr(t->name, ' '))
		return conf_xml_error(ctx, c, "attribute 'name': expected no spaces, got '%s'",
				      t->name);
	return 0;
}

int network_xml_dns_srv(struct conf_xml_ctx *ctx, const xmlNode *c, bool partial,
			struct network_dns_srv *s)
{
	unsigned long v = 0;
	bool has;
	int ret;

	s->service = conf_xml_prop(c, "service");
	s->protocol = conf_xml_prop(c, "protocol");
	s->domain = conf_xml_prop(c, "domain");
	s->target = conf_xml_prop(c, "target");
	if (!s->service && !partial)
		return conf_xml_error(ctx, c, "attribute 'service' is required");
	if (!s->protocol && !partial)
		return conf_xml_error(ctx, c, "attribute 'protocol' is required");
	/* dnsmasq's srv-host takes no other protocol */
	if (s->protocol && strcmp(s->protocol, "tcp") && strcmp(s->protocol, "udp"))
		return conf_xml_error(ctx, c,
				      "attribute 'protocol': expected 'tcp' or 'udp', got '%s'",
				      s->protocol);
	ret = conf_xml_ulong(ctx, c, "port", 0, 65535, false, &v, &has);
	if (ret)
		return ret;
	s->port = has ? (long)v : -1;
	ret = conf_xml_ulong(ctx, c, "priority", 0, 65535, false, &v, &has);
	if (ret)
		return ret;
	s->priority = has ? (long)v : -1;
	ret = conf_xml_ulong(ctx, c, "weight", 0, 65535, false, &v, &has);
	if (ret)
		return ret;
	s->weight = has ? (long)v : -1;
	return 0;
}

static int network_xml_dns(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_dns *dns)
{
	const xmlNode *c;
	int ret;

	dns->present = true;
	ret = conf_xml_tristate(ctx, n, "enable", false, &dns->enable);
	if (!ret)
		ret = conf_xml_tristate(ctx, n, "forwardPlainNames", false,
					&dns->forward_plain_names);
	if (ret)
		return ret;
	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (dns->enable == CONF_TRI_NO)
			return conf_xml_error(ctx, c,
					      "not allowed in a disabled <dns enable='no'>");
		if (conf_xml_is(c, "forwarder")) {
			struct network_dns_forwarder *f = CONF_XML_PUSH(dns->forwarders,
									dns->n_forwarders);

			if (!f)
				return -ENOMEM;
			f->domain = conf_xml_prop(c, "domain");
			ret = network_xml_addr(ctx, c, "addr", false, &f->addr);
			if (ret)
				return ret;
			if (!f->domain && f->addr.family == AF_UNSPEC)
				return conf_xml_error(ctx, c,
						      "expected attribute 'addr' or "
						      "'domain'");
		} else if (conf_xml_is(c, "host")) {
			struct network_dns_host *h = CONF_XML_PUSH(dns->hosts, dns->n_hosts);

			ret = h ? network_xml_dns_host(ctx, c, false, h) : -ENOMEM;
		} else if (conf_xml_is(c, "txt")) {
			struct network_dns_txt *t = CONF_XML_PUSH(dns->txts, dns->n_txts);

			ret = t ? network_xml_dns_txt(ctx, c, false, t) : -ENOMEM;
		} else if (conf_xml_is(c, "srv")) {
			struct network_dns_srv *sv = CONF_XML_PUSH(dns->srvs, dns->n_srvs);

			ret = sv ? network_xml_dns_srv(ctx, c, false, sv) : -ENOMEM;
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int network_xml_lease(struct conf_xml_ctx *ctx, const xmlNode *parent,
			     struct conf_lease *lease)
{
	const xmlNode *c;
	unsigned long x = 0;
	int unit = CONF_LEASE_UNIT_NONE;
	int ret;

	for (c = parent->children; c; c = c->next)
		if (conf_xml_is(c, "lease"))
			break;
	if (!c)
		return 0;
	ret = conf_xml_ulong(ctx, c, "expiry", 0, 4294967295UL, true, &x, NULL);
	if (ret)
		return ret;
	lease->present = true;
	lease->expiry = x;
	ret = conf_xml_enum(ctx, c, "unit", conf_lease_unit_from_string,
			    "'seconds', 'minutes' or 'hours'", &unit);
	if (ret)
		return ret;
	lease->unit = unit;
	return 0;
}

static size_t network_xml_addr_bytes(const struct conf_addr *a, const unsigned char **b)
{
	if (a->family == AF_INET) {
		*b = (const unsigned char *)&a->v4;
		return 4;
	}
	*b = (const unsigned char *)&a->v6;
	return 16;
}

static int network_xml_addr_cmp(const struct conf_addr *x, const struct conf_addr *y)
{
	const unsigned char *a, *b;
	size_t n = network_xml_addr_bytes(x, &a);

	network_xml_addr_bytes(y, &b);
	return memcmp(a, b, n);
}

bool network_xml_in_subnet(const struct network_ip *ip, const struct conf_addr *a)
{
	const unsigned char *x, *y;
	int prefix = network_ip_prefix(ip), i;
	size_t n;

	if (a->family != ip->address.family)
		return false;
	n = network_xml_addr_bytes(a, &x);
	network_xml_addr_bytes(&ip->address, &y);
	for (i = 0; i < (int)n * 8 && i < prefix; i++)
		if (((x[i / 8] ^ y[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

int network_xml_dhcp_range(struct conf_xml_ctx *ctx, const xmlNode *c, const struct network_ip *ip,
			   struct conf_dhcp_range *r)
{
	char as[INET6_ADDRSTRLEN], bs[INET6_ADDRSTRLEN];
	int ret;

	ret = network_xml_addr(ctx, c, "start", true, &r->start);
	if (!ret)
		ret = network_xml_addr(ctx, c, "end", true, &r->end);
	if (!ret)
		ret = network_xml_lease(ctx, c, &r->lease);
	if (ret)
		return ret;
	inet_ntop(r->start.family, &r->start.v6, as, sizeof(as));
	inet_ntop(r->end.family, &r->end.v6, bs, sizeof(bs));
	if (!network_xml_in_subnet(ip, &r->start) || !network_xml_in_subnet(ip, &r->end))
		return conf_xml_error(ctx, c,
				      "range %s - %s is outside the subnet of its <ip> (%d-bit "
				      "prefix)",
				      as, bs, network_ip_prefix(ip));
	if (network_xml_addr_cmp(&r->start, &r->end) > 0)
		return conf_xml_error(ctx, c,
				      "attribute 'end': expected an address not below start %s, "
				      "got %s",
				      as, bs);
	return 0;
}

int network_xml_dhcp_host(struct conf_xml_ctx *ctx, const xmlNode *c, const struct network_ip *ip,
			  bool partial, struct conf_dhcp_host *h)
{
	char *mac;
	int ret;

	mac = conf_xml_prop(c, "mac");
	if (mac) {
		free(mac);
		ret = conf_xml_mac(ctx, c, "mac", false, &h->mac);
		if (ret)
			return ret;
	}
	h->id = conf_xml_prop(c, "id");
	h->name = conf_xml_prop(c, "name");
	ret = network_xml_addr(ctx, c, "ip", false, &h->ip);
	if (!ret)
		ret = network_xml_lease(ctx, c, &h->lease);
	if (ret)
		return ret;
	if (partial && !h->mac && !h->id && !h->name && h->ip.family == AF_UNSPEC)
		return conf_xml_error(ctx, c, "expected attribute 'mac', 'id', 'name' or 'ip'");
	if (!partial && !h->mac && !h->id && !h->name)
		return conf_xml_error(ctx, c, "expected attribute 'mac', 'id' or 'name'");
	if (h->ip.family != AF_UNSPEC && !network_xml_in_subnet(ip, &h->ip))
		return conf_xml_error(ctx, c, "attribute 'ip': outside the subnet of its <ip>");
	return 0;
}

static int network_xml_dhcp(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_ip *ip)
{
	const xmlNode *c;
	size_t i, j;
	int ret = 0;

	ip->has_dhcp = true;
	for (c = n->children; c; c = c->next) {
		if (conf_xml_is(c, "range")) {
			struct conf_dhcp_range *r = CONF_XML_PUSH(ip->ranges, ip->n_ranges);

			ret = r ? network_xml_dhcp_range(ctx, c, ip, r) : -ENOMEM;
		} else if (conf_xml_is(c, "host")) {
			struct conf_dhcp_host *h = CONF_XML_PUSH(ip->hosts, ip->n_hosts);

			ret = h ? network_xml_dhcp_host(ctx, c, ip, false, h) : -ENOMEM;
		} else if (conf_xml_is(c, "bootp")) {
			free(ip->bootp_file);
			ip->bootp_file = conf_xml_prop(c, "file");
			if (!ip->bootp_file)
				return conf_xml_error(ctx, c, "attribute 'file' is required");
			ret = network_xml_addr(ctx, c, "server", false, &ip->bootp_server);
		}
		if (ret)
			return ret;
	}
	for (i = 0; i < ip->n_ranges; i++)
		for (j = i + 1; j < ip->n_ranges; j++)
			if (network_xml_addr_cmp(&ip->ranges[i].start, &ip->ranges[j].end) <= 0 &&
			    network_xml_addr_cmp(&ip->ranges[j].start, &ip->ranges[i].end) <= 0)
				return conf_xml_error(ctx, n, "DHCP ranges %zu and %zu overlap",
						      i + 1, j + 1);
	return 0;
}

static int network_xml_ip(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_ip *ip)
{
	unsigned long prefix = 0;
	const xmlNode *c;
	bool has_prefix;
	int ret;

	ret = network_xml_family(ctx, n, &ip->family);
	if (!ret)
		ret = network_xml_addr(ctx, n, "address", true, &ip->address);
	if (!ret)
		ret = network_xml_check_family(ctx, n, ip->family, &ip->address);
	if (!ret)
		ret = network_xml_addr(ctx, n, "netmask", false, &ip->netmask);
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "prefix", 0, ip->address.family == AF_INET ? 32 : 128,
				     false, &prefix, &has_prefix);
	if (!ret)
		ret = conf_xml_tristate(ctx, n, "localPtr", false, &ip->local_ptr);
	if (ret)
		return ret;
	/* as in libvirt, prefix='0' on an <ip> means no prefix */
	ip->prefix = has_prefix && prefix ? (int)prefix : -1;
	if (ip->netmask.family != AF_UNSPEC) {
		const unsigned char *b = (const unsigned char *)&ip->netmask.v4;
		uint32_t m = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];

		if (ip->netmask.family != AF_INET || ip->address.family != AF_INET)
			return conf_xml_error(ctx, n,
					      "attribute 'netmask': expected an IPv4 "
					      "netmask on an IPv4 address");
		if (has_prefix)
			return conf_xml_error(ctx, n, "expected 'netmask' or 'prefix', not both");
		if (m & (~m >> 1))
			return conf_xml_error(ctx, n,
					      "attribute 'netmask': expected contiguous one "
					      "bits");
	}
	for (c = n->children; c; c = c->next) {
		if (conf_xml_is(c, "tftp")) {
			free(ip->tftp_root);
			ip->tftp_root = conf_xml_prop(c, "root");
			if (!ip->tftp_root)
				return conf_xml_error(ctx, c, "attribute 'root' is required");
		} else if (conf_xml_is(c, "dhcp")) {
			ret = network_xml_dhcp(ctx, c, ip);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int network_xml_route(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_route *rt)
{
	unsigned long prefix = 0, metric = 0;
	bool has_prefix, has_metric;
	int ret;

	ret = network_xml_family(ctx, n, &rt->family);
	if (!ret)
		ret = network_xml_addr(ctx, n, "address", true, &rt->address);
	if (!ret)
		ret = network_xml_check_family(ctx, n, rt->family, &rt->address);
	if (!ret)
		ret = network_xml_addr(ctx, n, "netmask", false, &rt->netmask);
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "prefix", 0, rt->address.family == AF_INET ? 32 : 128,
				     false, &prefix, &has_prefix);
	if (!ret)
		ret = network_xml_addr(ctx, n, "gateway", true, &rt->gateway);
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "metric", 1, 4294967295UL, false, &metric,
				     &has_metric);
	if (ret)
		return ret;
	rt->prefix = has_prefix ? (int)prefix : -1;
	rt->metric = has_metric ? (long)metric : -1;
	if (rt->gateway.family != rt->address.family)
		return conf_xml_error(ctx, n,
				      "attribute 'gateway': expected the family of "
				      "'address'");
	return 0;
}

int network_xml_portgroup(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_portgroup *pg)
{
	enum conf_tristate def;
	const xmlNode *c;
	int ret;

	pg->name = conf_xml_prop(n, "name");
	if (!pg->name)
		return conf_xml_error(ctx, n, "attribute 'name' is required");
	ret = conf_xml_tristate(ctx, n, "default", false, &def);
	if (!ret)
		ret = conf_xml_tristate(ctx, n, "trustGuestRxFilters", false,
					&pg->trust_guest_rx_filters);
	if (ret)
		return ret;
	pg->is_default = def == CONF_TRI_YES;
	for (c = n->children; c; c = c->next) {
		if (conf_xml_is(c, "vlan"))
			ret = conf_xml_vlan(ctx, c, &pg->vlan);
		else if (conf_xml_is(c, "bandwidth"))
			ret = conf_bandwidth_parse(ctx, c, 0, &pg->bandwidth);
		else if (conf_xml_is(c, "virtualport"))
			ret = conf_xml_virtualport(ctx, c, false, &pg->virtualport);
		if (ret)
			return ret;
	}
	return 0;
}

static int network_xml_metadata(const xmlNode *n, char **out)
{
	xmlBufferPtr xb = xmlBufferCreate();
	const xmlNode *c;
	int ret = -ENOMEM;

	if (!xb)
		return -ENOMEM;
	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		xmlBufferAdd(xb, (const xmlChar *)"    ", 4);
		if (xmlNodeDump(xb, c->doc, (xmlNode *)c, 2, 1) < 0)
			goto out_free;
		xmlBufferAdd(xb, (const xmlChar *)"\n", 1);
	}
	free(*out);
	*out = strdup((const char *)xmlBufferContent(xb));
	if (*out)
		ret = 0;
out_free:
	xmlBufferFree(xb);
	return ret;
}

int network_xml_metadata_find(const struct network_def *def, const char *ns_uri, const char *attr,
			      char **value)
{
	static const char open_tag[] = "<metadata>", close_tag[] = "</metadata>";
	const xmlNode *c;
	xmlChar *v = NULL;
	size_t len;
	xmlDoc *doc;
	char *text;
	int ret = 0;

	if (value)
		*value = NULL;
	if (!def->metadata)
		return 0;
	/* each child was kept with the namespaces it declares, so it reads back on its own */
	len = strlen(open_tag) + strlen(def->metadata) + strlen(close_tag);
	text = malloc(len + 1);
	if (!text)
		return -ENOMEM;
	snprintf(text, len + 1, "%s%s%s", open_tag, def->metadata, close_tag);
	doc = xmlReadMemory(text, (int)len, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(text);
	if (!doc)
		return 0;
	c = xmlDocGetRootElement(doc);
	for (c = c ? c->children : NULL; c && !ret; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || !c->ns || !c->ns->href ||
		    strcmp((const char *)c->ns->href, ns_uri))
			continue;
		ret = 1;
		if (attr && value)
			v = xmlGetProp(c, (const xmlChar *)attr);
	}
	if (v) {
		*value = strdup((const char *)v);
		if (!*value)
			ret = -ENOMEM;
		xmlFree(v);
	}
	xmlFreeDoc(doc);
	return ret;
}

static int network_xml_dnsmasq(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_def *def)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		char **slot;

		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "option"))
			continue;
		slot = CONF_XML_PUSH(def->dnsmasq_options, def->n_dnsmasq_options);
		if (!slot)
			return -ENOMEM;
		*slot = conf_xml_prop(c, "value");
		if (!*slot)
			return conf_xml_error(ctx, c, "attribute 'value' is required");
	}
	return 0;
}

static int network_xml_text_once(struct conf_xml_ctx *ctx, const xmlNode *n, char **out)
{
	if (*out)
		return conf_xml_error(ctx, n, "expected at most one <%s>", (const char *)n->name);
	*out = conf_xml_text(n);
	return *out ? 0 : -ENOMEM;
}

static int network_xml_child(struct conf_xml_ctx *ctx, const xmlNode *c, struct network_def *def,
			     bool *has_uuid)
{
	int ret = 0;

	if (c->ns && c->ns->href && !strcmp((const char *)c->ns->href, NETWORK_XML_DNSMASQ_NS)) {
		if (!strcmp((const char *)c->name, "options"))
			return network_xml_dnsmasq(ctx, c, def);
		return 0;
	}
	if (c->ns && c->ns->href && !strcmp((const char *)c->ns->href, NETWORK_XML_KVNET_NS)) {
		if (!strcmp((const char *)c->name, "vxlan"))
			return network_vxlan_parse(ctx, c, &def->vxlan);
		return conf_xml_error(ctx, c,
				      "unknown element of kvnet's namespace; expected "
				      "<kvnet:vxlan>");
	}
	if (c->ns)
		return 0;
	if (conf_xml_is(c, "name")) {
		ret = network_xml_text_once(ctx, c, &def->name);
		if (!ret && (!def->name[0] || strchr(def->name, '/')))
			ret = conf_xml_error(ctx, c,
					     "expected a non-empty name without '/', "
					     "got '%s'",
					     def->name);
	} else if (conf_xml_is(c, "uuid")) {
		ret = conf_xml_uuid(ctx, c, def->uuid);
		*has_uuid = true;
	} else if (conf_xml_is(c, "title")) {
		ret = network_xml_text_once(ctx, c, &def->title);
		if (!ret && strchr(def->title, '\n'))
			ret = conf_xml_error(ctx, c, "expected a single line");
	} else if (conf_xml_is(c, "description")) {
		ret = network_xml_text_once(ctx, c, &def->description);
	} else if (conf_xml_is(c, "metadata")) {
		ret = network_xml_metadata(c, &def->metadata);
	} else if (conf_xml_is(c, "forward")) {
		ret = network_xml_forward(ctx, c, &def->forward);
	} else if (conf_xml_is(c, "bridge")) {
		ret = network_xml_bridge(ctx, c, &def->bridge);
	} else if (conf_xml_is(c, "mtu")) {
		unsigned long mtu = 0;

		ret = conf_xml_ulong(ctx, c, "size", 68, 65535, true, &mtu, NULL);
		def->mtu = mtu;
	} else if (conf_xml_is(c, "mac")) {
		free(def->mac);
		def->mac = NULL;
		ret = conf_xml_mac(ctx, c, "address", true, &def->mac);
	} else if (conf_xml_is(c, "domain")) {
		free(def->domain);
		def->domain = conf_xml_prop(c, "name");
		if (!def->domain)
			return conf_xml_error(ctx, c, "attribute 'name' is required");
		ret = conf_xml_tristate(ctx, c, "localOnly", false, &def->domain_local_only);
	} else if (conf_xml_is(c, "dns")) {
		if (def->dns.present)
			return conf_xml_error(ctx, c, "expected at most one <dns>");
		ret = network_xml_dns(ctx, c, &def->dns);
	} else if (conf_xml_is(c, "vlan")) {
		ret = conf_xml_vlan(ctx, c, &def->vlan);
	} else if (conf_xml_is(c, "bandwidth")) {
		ret = conf_bandwidth_parse(ctx, c, 0, &def->bandwidth);
	} else if (conf_xml_is(c, "port")) {
		ret = conf_xml_tristate(ctx, c, "isolated", false, &def->port_isolated);
	} else if (conf_xml_is(c, "ip")) {
		struct network_ip *ip = CONF_XML_PUSH(def->ips, def->n_ips);

		ret = ip ? network_xml_ip(ctx, c, ip) : -ENOMEM;
	} else if (conf_xml_is(c, "route")) {
		struct network_route *rt = CONF_XML_PUSH(def->routes, def->n_routes);

		ret = rt ? network_xml_route(ctx, c, rt) : -ENOMEM;
	} else if (conf_xml_is(c, "virtualport")) {
		ret = conf_xml_virtualport(ctx, c, true, &def->virtualport);
	} else if (conf_xml_is(c, "portgroup")) {
		struct network_portgroup *pg = CONF_XML_PUSH(def->portgroups, def->n_portgroups);
		size_t i;

		ret = pg ? network_xml_portgroup(ctx, c, pg) : -ENOMEM;
		for (i = 0; !ret && i + 1 < def->n_portgroups; i++) {
			if (!strcmp(def->portgroups[i].name, pg->name))
				ret = conf_xml_error(ctx, c,
						     "attribute 'name': portgroup '%s' is "
						     "defined twice",
						     pg->name);
			else if (pg->is_default && def->portgroups[i].is_default)
				ret = conf_xml_error(ctx, c,
						     "attribute 'default': portgroup '%s' is "
						     "already the default, '%s' cannot be too",
						     def->portgroups[i].name, pg->name);
		}
	}
	return ret;
}

/* the first child of @root named @name, or NULL */
const xmlNode *network_xml_first(const xmlNode *root, const char *name)
{
	for (const xmlNode *c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && conf_xml_is(c, name))
			return c;
	return NULL;
}

/* the first child of @root in kvnet's namespace (its <kvnet:vxlan>), or NULL */
static const xmlNode *network_xml_first_kvnet(const xmlNode *root)
{
	for (const xmlNode *c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
		    !strcmp((const char *)c->ns->href, NETWORK_XML_KVNET_NS))
			return c;
	return NULL;
}

static int network_xml_root(struct conf_xml_ctx *ctx, const xmlNode *root, void *opaque)
{
	struct network_def *def = opaque;
	const xmlNode *c;
	enum conf_tristate ipv6;
	bool has_uuid = false;
	xmlNs **nsl;
	int ret;

	if (!root || root->type != XML_ELEMENT_NODE || strcmp((const char *)root->name, "network"))
		return conf_xml_error(ctx, root, "expected the root element <network>");
	ret = conf_xml_tristate(ctx, root, "ipv6", false, &ipv6);
	if (!ret)
		ret = conf_xml_tristate(ctx, root, "trustGuestRxFilters", false,
					&def->trust_guest_rx_filters);
	if (ret)
		return ret;
	def->ipv6 = ipv6 == CONF_TRI_YES;
	nsl = xmlGetNsList(root->doc, root);
	if (nsl) {
		for (size_t i = 0; nsl[i]; i++)
			if (nsl[i]->href &&
			    !strcmp((const char *)nsl[i]->href, NETWORK_XML_DNSMASQ_NS))
				def->has_dnsmasq_ns = true;
		xmlFree(nsl);
	}
	for (c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		ret = network_xml_child(ctx, c, def, &has_uuid);
		if (ret)
			return ret;
	}
	if (!def->name)
		return conf_xml_error(ctx, root, "expected a <name> element");
	ret = network_xml_check(ctx, root, def);
	if (!ret)
		ret = network_vxlan_check(ctx, network_xml_first_kvnet(root), def);
	if (ret)
		return ret;
	def->uuid_given = has_uuid;
	if (!has_uuid) {
		ret = conf_uuid_generate(def->uuid);
		if (ret)
			return conf_xml_error(ctx, root, "cannot generate a UUID: %s",
					      strerror(-ret));
	}
	return 0;
}

int network_xml_parse(const char *buf, size_t len, struct network_def **out, char *err,
		      size_t errlen)
{
	struct conf_xml_ctx ctx = { .err = err, .errlen = errlen };
	struct network_def *def = calloc(1, sizeof(*def));
	int ret;

	*out = NULL;
	if (!def)
		return -ENOMEM;
	ret = conf_xml_parse(&ctx, buf, len, NULL, network_xml_root, def);
	if (ret) {
		network_def_free(def);
		return ret;
	}
	*out = def;
	return 0;
}

int network_xml_parse_file(const char *path, struct network_def **out, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int ret;

	*out = NULL;
	ret = file_read(path, NETWORK_XML_FILE_MAX, &buf, &len);
	if (ret == -EFBIG) {
		if (err && errlen)
			snprintf(err, errlen, "%s: larger than %u MiB", path,
				 NETWORK_XML_FILE_MAX >> 20);
		return ret;
	}
	if (ret) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = network_xml_parse(buf, len, out, err, errlen);
	free(buf);
	return ret;
}
