/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_xml.c - parse libvirt network XML into a network_def and format it back */
/*
 * Theory of Operation
 *
 * Parsing walks the tree libxml2 builds, one function per element, filling a plain
 * struct network_def. Every error is reported where it is found, as
 * "line N: <element>: attribute 'a': expected ..., got '...'", and -EINVAL is passed up
 * unchanged. What kvnet does not interpret but must keep (<bandwidth>, <virtualport>
 * parameters) becomes a struct conf_elem; <metadata> is kept as serialised text.
 *
 * Formatting writes libvirt's canonical form (virNetworkDefFormatBuf): two-space indent,
 * single-quoted attributes, a fixed child order, defaults made explicit where libvirt
 * makes them explicit (bridge stp/delay for nat, route, open and isolated networks,
 * forward mode nat, forward dev from the first pool interface).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "conf/conf_uuid.h"
#include "conf/network_xml.h"

#define NETWORK_XML_SUPPORTED_MODES                                                                \
	"nat, route, open, bridge, or no <forward> for an isolated network"

struct network_xml_ctx {
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static int network_xml_error(struct network_xml_ctx *ctx,
								   const xmlNode *node,
								   const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctx->err && ctx->errlen) {
		if (node)
			snprintf(ctx->err, ctx->errlen, "line %ld: <%s>: %s", xmlGetLineNo(node),
				 (const char *)node->name, msg);
		else
			snprintf(ctx->err, ctx->errlen, "%s", msg);
	}
	return -EINVAL;
}

static bool network_xml_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && !strcmp((const char *)n->name, name);
}

/* an attribute's value, malloc'ed; NULL when absent or out of memory (*oom set) */
static char *network_xml_prop(const xmlNode *n, const char *attr)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char *s;

	if (!v)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

static char *network_xml_text(const xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s;

	if (!v)
		return strdup("");
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

static void *network_xml_grow(void *arr, size_t *n, size_t size)
{
	void *p = realloc(arr, (*n + 1) * size);

	if (!p)
		return NULL;
	memset((char *)p + *n * size, 0, size);
	(*n)++;
	return p;
}

#define NETWORK_XML_PUSH(arr, n)                                                                   \
	({                                                                                         \
		void *_p = network_xml_grow((arr), &(n), sizeof(*(arr)));                          \
		if (_p)                                                                            \
			(arr) = _p;                                                                \
		_p ? &(arr)[(n)-1] : NULL;                                                         \
	})

static int network_xml_tristate(struct network_xml_ctx *ctx, const xmlNode *n, const char *attr,
				bool on_off, enum conf_tristate *out)
{
	char *v = network_xml_prop(n, attr);
	int ret = 0;

	*out = CONF_TRI_ABSENT;
	if (!v)
		return 0;
	if (!strcmp(v, "yes") || (on_off && !strcmp(v, "on")))
		*out = CONF_TRI_YES;
	else if (!strcmp(v, "no") || (on_off && !strcmp(v, "off")))
		*out = CONF_TRI_NO;
	else
		ret = network_xml_error(ctx, n, "attribute '%s': expected %s, got '%s'", attr,
					on_off ? "'on' or 'off'" : "'yes' or 'no'", v);
	free(v);
	return ret;
}

/* an unsigned number in [min, max]; *out untouched when absent and !required */
static int network_xml_ulong(struct network_xml_ctx *ctx, const xmlNode *n, const char *attr,
			     unsigned long min, unsigned long max, bool required,
			     unsigned long *out, bool *present)
{
	char *v = network_xml_prop(n, attr), *end;
	unsigned long x;
	int ret = 0;

	if (present)
		*present = v != NULL;
	if (!v) {
		if (required)
			return network_xml_error(ctx, n, "attribute '%s' is required", attr);
		return 0;
	}
	errno = 0;
	x = strtoul(v, &end, 10);
	if (!isdigit((unsigned char)v[0]) || *end || errno || x < min || x > max)
		ret = network_xml_error(
			ctx, n, "attribute '%s': expected a number from %lu to %lu, got '%s'", attr,
			min, max, v);
	else
		*out = x;
	free(v);
	return ret;
}

static int network_xml_addr(struct network_xml_ctx *ctx, const xmlNode *n, const char *attr,
			    bool required, struct conf_addr *out)
{
	char *v = network_xml_prop(n, attr);
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->family = AF_UNSPEC;
	if (!v) {
		if (required)
			return network_xml_error(ctx, n, "attribute '%s' is required", attr);
		return 0;
	}
	if (inet_pton(AF_INET, v, &out->v4) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, v, &out->v6) == 1)
		out->family = AF_INET6;
	else
		ret = network_xml_error(
			ctx, n, "attribute '%s': expected an IPv4 or IPv6 address, got '%s'", attr,
			v);
	free(v);
	return ret;
}

static int network_xml_family(struct network_xml_ctx *ctx, const xmlNode *n,
			      enum conf_ip_family *out)
{
	char *v = network_xml_prop(n, "family");
	int f;

	*out = CONF_FAMILY_NONE;
	if (!v)
		return 0;
	f = conf_ip_family_from_string(v);
	if (f < 0) {
		network_xml_error(ctx, n, "attribute 'family': expected 'ipv4' or 'ipv6', got '%s'",
				  v);
		free(v);
		return -EINVAL;
	}
	free(v);
	*out = f;
	return 0;
}

static int network_xml_check_family(struct network_xml_ctx *ctx, const xmlNode *n,
				    enum conf_ip_family fam, const struct conf_addr *a)
{
	if (fam == CONF_FAMILY_IPV4 && a->family != AF_INET)
		return network_xml_error(ctx, n,
					 "attribute 'address': expected an IPv4 address "
					 "for family 'ipv4'");
	if (fam == CONF_FAMILY_IPV6 && a->family != AF_INET6)
		return network_xml_error(ctx, n,
					 "attribute 'address': expected an IPv6 address "
					 "for family 'ipv6'");
	return 0;
}

/* a MAC address "xx:xx:xx:xx:xx:xx", lower-cased into *out */
static int network_xml_mac(struct network_xml_ctx *ctx, const xmlNode *n, const char *attr,
			   bool unicast, char **out)
{
	char *v = network_xml_prop(n, attr);
	unsigned int b[6];
	int len = 0;

	if (!v)
		return network_xml_error(ctx, n, "attribute '%s' is required", attr);
	if (sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &len) != 6 ||
	    (size_t)len != strlen(v) || len != 17 || strspn(v, "0123456789abcdefABCDEF:") != 17) {
		network_xml_error(ctx, n,
				  "attribute '%s': expected a MAC address xx:xx:xx:xx:xx:xx, "
				  "got '%s'",
				  attr, v);
		free(v);
		return -EINVAL;
	}
	if (unicast && (b[0] & 1)) {
		network_xml_error(ctx, n,
				  "attribute '%s': expected a unicast MAC address, got "
				  "multicast '%s'",
				  attr, v);
		free(v);
		return -EINVAL;
	}
	for (len = 0; v[len]; len++)
		v[len] = tolower((unsigned char)v[len]);
	*out = v;
	return 0;
}

static int network_xml_uuid(struct network_xml_ctx *ctx, const xmlNode *n, unsigned char *uuid)
{
	char *v = network_xml_text(n);
	int ret = 0;

	if (!v)
		return -ENOMEM;
	if (conf_uuid_parse(v, uuid))
		ret = network_xml_error(ctx, n,
					"expected a UUID like "
					"'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', got '%s'",
					v);
	free(v);
	return ret;
}

static int network_xml_elem(const xmlNode *n, struct conf_elem *e)
{
	const xmlAttr *a;
	const xmlNode *c;

	e->name = strdup((const char *)n->name);
	if (!e->name)
		return -ENOMEM;
	for (a = n->properties; a; a = a->next) {
		char **names = realloc(e->attr_names, (e->n_attrs + 1) * sizeof(char *));
		char **values;

		if (!names)
			return -ENOMEM;
		e->attr_names = names;
		values = realloc(e->attr_values, (e->n_attrs + 1) * sizeof(char *));
		if (!values)
			return -ENOMEM;
		e->attr_values = values;
		e->attr_names[e->n_attrs] = strdup((const char *)a->name);
		e->attr_values[e->n_attrs] = network_xml_prop(n, (const char *)a->name);
		e->n_attrs++;
		if (!e->attr_names[e->n_attrs - 1] || !e->attr_values[e->n_attrs - 1])
			return -ENOMEM;
	}
	for (c = n->children; c; c = c->next) {
		struct conf_elem *child;
		int ret;

		if (c->type == XML_TEXT_NODE && !xmlIsBlankNode(c) && !e->text) {
			e->text = network_xml_text(n);
			if (!e->text)
				return -ENOMEM;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		child = NETWORK_XML_PUSH(e->children, e->n_children);
		if (!child)
			return -ENOMEM;
		ret = network_xml_elem(c, child);
		if (ret)
			return ret;
	}
	return 0;
}

static int network_xml_keep(const xmlNode *n, struct conf_elem **out)
{
	struct conf_elem *e = calloc(1, sizeof(*e));
	int ret;

	if (!e)
		return -ENOMEM;
	ret = network_xml_elem(n, e);
	if (ret) {
		conf_elem_free(e);
		return ret;
	}
	conf_elem_free(*out);
	*out = e;
	return 0;
}

static int network_xml_virtualport(struct network_xml_ctx *ctx, const xmlNode *n, bool top,
				   struct conf_elem **out)
{
	char *type = network_xml_prop(n, "type");
	int ret;

	if (type && strcmp(type, "openvswitch")) {
		ret = network_xml_error(ctx, n,
					"attribute 'type': virtual port type '%s' is not supported "
					"by kvnet; supported: 'openvswitch' (its VLANs and "
					"parameters are kept), or no <virtualport>",
					type);
		free(type);
		return ret;
	}
	if (top && !type) {
		return network_xml_error(ctx, n,
					 "attribute 'type' is required: expected "
					 "'openvswitch'");
	}
	free(type);
	return network_xml_keep(n, out);
}

static int network_xml_vlan(struct network_xml_ctx *ctx, const xmlNode *n, struct conf_vlan *vlan)
{
	const xmlNode *c;
	int ret;

	if (vlan->present)
		return network_xml_error(ctx, n, "expected at most one <vlan>");
	vlan->present = true;
	ret = network_xml_tristate(ctx, n, "trunk", false, &vlan->trunk);
	if (ret)
		return ret;
	for (c = n->children; c; c = c->next) {
		struct conf_vlan_tag *tag;
		unsigned long id = 0;
		char *mode;

		if (!network_xml_is(c, "tag"))
			continue;
		tag = NETWORK_XML_PUSH(vlan->tags, vlan->n_tags);
		if (!tag)
			return -ENOMEM;
		ret = network_xml_ulong(ctx, c, "id", 1, 4094, true, &id, NULL);
		if (ret)
			return ret;
		tag->id = id;
		mode = network_xml_prop(c, "nativeMode");
		if (mode) {
			int m = conf_native_mode_from_string(mode);

			if (m < 0) {
				network_xml_error(ctx, c,
						  "attribute 'nativeMode': expected 'tagged' or "
						  "'untagged', got '%s'",
						  mode);
				free(mode);
				return -EINVAL;
			}
			free(mode);
			tag->native_mode = m;
		}
	}
	if (!vlan->n_tags)
		return network_xml_error(ctx, n, "expected at least one <tag id='1..4094'/>");
	if (vlan->n_tags > 1 && vlan->trunk == CONF_TRI_NO)
		return network_xml_error(ctx, n, "attribute 'trunk': 'no' but %zu tags given",
					 vlan->n_tags);
	return 0;
}

static int network_xml_forward(struct network_xml_ctx *ctx, const xmlNode *n,
			       struct network_forward *fwd)
{
	char *mode = network_xml_prop(n, "mode");
	const xmlNode *c;
	size_t i, j;
	int ret;

	if (fwd->mode != CONF_FORWARD_NONE) {
		free(mode);
		return network_xml_error(ctx, n, "expected at most one <forward>");
	}
	if (!mode) {
		fwd->mode = CONF_FORWARD_NAT;
	} else {
		int m = conf_forward_mode_from_string(mode);

		if (m < 0) {
			ret = network_xml_error(ctx, n,
						"attribute 'mode': unknown forward mode '%s'; "
						"expected " NETWORK_XML_SUPPORTED_MODES,
						mode);
			free(mode);
			return ret;
		}
		if (m != CONF_FORWARD_NAT && m != CONF_FORWARD_ROUTE && m != CONF_FORWARD_OPEN &&
		    m != CONF_FORWARD_BRIDGE) {
			ret = network_xml_error(
				ctx, n,
				"attribute 'mode': forward mode '%s' is not "
				"supported by kvnet; supported: " NETWORK_XML_SUPPORTED_MODES,
				mode);
			free(mode);
			return ret;
		}
		fwd->mode = m;
		free(mode);
	}
	fwd->dev = network_xml_prop(n, "dev");
	if (fwd->dev && fwd->mode == CONF_FORWARD_OPEN)
		return network_xml_error(ctx, n,
					 "attribute 'dev': not allowed with forward "
					 "mode 'open'");

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (network_xml_is(c, "interface")) {
			char *dev = network_xml_prop(c, "dev"), **slot;

			if (!dev)
				return network_xml_error(ctx, c, "attribute 'dev' is required");
			slot = NETWORK_XML_PUSH(fwd->ifaces, fwd->n_ifaces);
			if (!slot) {
				free(dev);
				return -ENOMEM;
			}
			*slot = dev;
		} else if (network_xml_is(c, "nat")) {
			const xmlNode *g;

			if (fwd->mode != CONF_FORWARD_NAT)
				return network_xml_error(ctx, c,
							 "only allowed with forward "
							 "mode 'nat'");
			fwd->has_nat = true;
			ret = network_xml_tristate(ctx, c, "ipv6", false, &fwd->nat_ipv6);
			if (ret)
				return ret;
			for (g = c->children; g; g = g->next) {
				if (network_xml_is(g, "address")) {
					ret = network_xml_addr(ctx, g, "start", true,
							       &fwd->nat_addr_start);
					if (!ret)
						ret = network_xml_addr(ctx, g, "end", false,
								       &fwd->nat_addr_end);
					if (ret)
						return ret;
					if (fwd->nat_addr_start.family != AF_INET)
						return network_xml_error(
							ctx, g,
							"attribute 'start': expected an "
							"IPv4 address");
				} else if (network_xml_is(g, "port")) {
					unsigned long s = 0, e = 0;

					ret = network_xml_ulong(ctx, g, "start", 1, 65535, true, &s,
								NULL);
					if (!ret)
						ret = network_xml_ulong(ctx, g, "end", 1, 65535,
									false, &e, NULL);
					if (ret)
						return ret;
					if (e && e < s)
						return network_xml_error(
							ctx, g,
							"attribute 'end': expected a port "
							"not below start %lu, got %lu",
							s, e);
					fwd->nat_port_start = s;
					fwd->nat_port_end = e;
				}
			}
		} else if (network_xml_is(c, "pf") || network_xml_is(c, "address") ||
			   network_xml_is(c, "driver")) {
			return network_xml_error(ctx, c,
						 "device pools are not supported by kvnet; "
						 "supported: <interface dev='...'/>");
		}
	}
	for (i = 0; i < fwd->n_ifaces; i++)
		for (j = i + 1; j < fwd->n_ifaces; j++)
			if (!strcmp(fwd->ifaces[i], fwd->ifaces[j]))
				return network_xml_error(ctx, n,
							 "interface '%s' can only be listed once",
							 fwd->ifaces[i]);
	if (fwd->dev && fwd->n_ifaces && strcmp(fwd->dev, fwd->ifaces[0]))
		return network_xml_error(ctx, n,
					 "attribute 'dev': '%s' differs from the first "
					 "<interface dev='%s'/>",
					 fwd->dev, fwd->ifaces[0]);
	if (fwd->dev && !fwd->n_ifaces) {
		char **slot = NETWORK_XML_PUSH(fwd->ifaces, fwd->n_ifaces);

		if (!slot)
			return -ENOMEM;
		*slot = strdup(fwd->dev);
		if (!*slot)
			return -ENOMEM;
	}
	if ((fwd->mode == CONF_FORWARD_NAT || fwd->mode == CONF_FORWARD_ROUTE) && fwd->n_ifaces > 1)
		return network_xml_error(ctx, n,
					 "expected at most one <interface> with forward mode '%s'",
					 conf_forward_mode_to_string(fwd->mode));
	return 0;
}

static int network_xml_bridge(struct network_xml_ctx *ctx, const xmlNode *n,
			      struct network_bridge *br)
{
	unsigned long delay = 0;
	bool has_delay;
	char *mtm;
	int ret;

	free(br->name);
	free(br->zone);
	br->name = network_xml_prop(n, "name");
	br->zone = network_xml_prop(n, "zone");
	ret = network_xml_tristate(ctx, n, "stp", true, &br->stp);
	if (ret)
		return ret;
	ret = network_xml_ulong(ctx, n, "delay", 0, 600, false, &delay, &has_delay);
	if (ret)
		return ret;
	br->delay = has_delay ? (long)delay : -1;
	mtm = network_xml_prop(n, "macTableManager");
	if (mtm) {
		int m = conf_mac_table_from_string(mtm);

		if (m < 0) {
			network_xml_error(ctx, n,
					  "attribute 'macTableManager': expected 'kernel' or "
					  "'libvirt', got '%s'",
					  mtm);
			free(mtm);
			return -EINVAL;
		}
		free(mtm);
		br->mac_table_manager = m;
	}
	return 0;
}

static int network_xml_dns(struct network_xml_ctx *ctx, const xmlNode *n, struct network_dns *dns)
{
	const xmlNode *c;
	int ret;

	dns->present = true;
	ret = network_xml_tristate(ctx, n, "enable", false, &dns->enable);
	if (!ret)
		ret = network_xml_tristate(ctx, n, "forwardPlainNames", false,
					   &dns->forward_plain_names);
	if (ret)
		return ret;
	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (dns->enable == CONF_TRI_NO)
			return network_xml_error(ctx, c,
						 "not allowed in a disabled <dns enable='no'>");
		if (network_xml_is(c, "forwarder")) {
			struct network_dns_forwarder *f = NETWORK_XML_PUSH(dns->forwarders,
									   dns->n_forwarders);

			if (!f)
				return -ENOMEM;
			f->domain = network_xml_prop(c, "domain");
			ret = network_xml_addr(ctx, c, "addr", false, &f->addr);
			if (ret)
				return ret;
			if (!f->domain && f->addr.family == AF_UNSPEC)
				return network_xml_error(ctx, c,
							 "expected attribute 'addr' or "
							 "'domain'");
		} else if (network_xml_is(c, "host")) {
			struct network_dns_host *h = NETWORK_XML_PUSH(dns->hosts, dns->n_hosts);
			const xmlNode *g;

			if (!h)
				return -ENOMEM;
			ret = network_xml_addr(ctx, c, "ip", true, &h->ip);
			if (ret)
				return ret;
			for (g = c->children; g; g = g->next) {
				char **slot;

				if (!network_xml_is(g, "hostname"))
					continue;
				slot = NETWORK_XML_PUSH(h->hostnames, h->n_hostnames);
				if (!slot)
					return -ENOMEM;
				*slot = network_xml_text(g);
				if (!*slot)
					return -ENOMEM;
				if (!**slot)
					return network_xml_error(ctx, g, "expected a host name");
			}
			if (!h->n_hostnames)
				return network_xml_error(ctx, c,
							 "expected at least one <hostname>");
		} else if (network_xml_is(c, "txt")) {
			struct network_dns_txt *t = NETWORK_XML_PUSH(dns->txts, dns->n_txts);

			if (!t)
				return -ENOMEM;
			t->name = network_xml_prop(c, "name");
			t->value = network_xml_prop(c, "value");
			if (!t->name)
				return network_xml_error(ctx, c, "attribute 'name' is required");
			if (!t->value)
				return network_xml_error(ctx, c, "attribute 'value' is required");
			if (strchr(t->name, ' '))
				return network_xml_error(ctx, c,
							 "attribute 'name': expected no spaces, "
							 "got '%s'",
							 t->name);
		} else if (network_xml_is(c, "srv")) {
			struct network_dns_srv *s = NETWORK_XML_PUSH(dns->srvs, dns->n_srvs);
			unsigned long v = 0;
			bool has;

			if (!s)
				return -ENOMEM;
			s->service = network_xml_prop(c, "service");
			s->protocol = network_xml_prop(c, "protocol");
			s->domain = network_xml_prop(c, "domain");
			s->target = network_xml_prop(c, "target");
			if (!s->service)
				return network_xml_error(ctx, c, "attribute 'service' is required");
			if (!s->protocol)
				return network_xml_error(ctx, c,
							 "attribute 'protocol' is required");
			ret = network_xml_ulong(ctx, c, "port", 0, 65535, false, &v, &has);
			if (ret)
				return ret;
			s->port = has ? (long)v : -1;
			ret = network_xml_ulong(ctx, c, "priority", 0, 65535, false, &v, &has);
			if (ret)
				return ret;
			s->priority = has ? (long)v : -1;
			ret = network_xml_ulong(ctx, c, "weight", 0, 65535, false, &v, &has);
			if (ret)
				return ret;
			s->weight = has ? (long)v : -1;
		}
	}
	return 0;
}

static int network_xml_lease(struct network_xml_ctx *ctx, const xmlNode *parent,
			     struct conf_lease *lease)
{
	const xmlNode *c;
	unsigned long x = 0;
	char *unit;
	int ret;

	for (c = parent->children; c; c = c->next)
		if (network_xml_is(c, "lease"))
			break;
	if (!c)
		return 0;
	ret = network_xml_ulong(ctx, c, "expiry", 0, 4294967295UL, true, &x, NULL);
	if (ret)
		return ret;
	lease->present = true;
	lease->expiry = x;
	unit = network_xml_prop(c, "unit");
	if (unit) {
		int u = conf_lease_unit_from_string(unit);

		if (u < 0) {
			network_xml_error(ctx, c,
					  "attribute 'unit': expected 'seconds', 'minutes' or "
					  "'hours', got '%s'",
					  unit);
			free(unit);
			return -EINVAL;
		}
		free(unit);
		lease->unit = u;
	}
	return 0;
}

/* the prefix length of an <ip>, from prefix=, netmask= or the classful default */
static int network_xml_ip_prefix(const struct network_ip *ip)
{
	const unsigned char *b;
	int bits = 0, i;

	if (ip->prefix >= 0)
		return ip->prefix;
	if (ip->netmask.family == AF_INET) {
		b = (const unsigned char *)&ip->netmask.v4;
		for (i = 0; i < 4; i++)
			bits += __builtin_popcount(b[i]);
		return bits;
	}
	if (ip->address.family == AF_INET6)
		return 64;
	b = (const unsigned char *)&ip->address.v4;
	if (b[0] < 128)
		return 8;
	if (b[0] < 192)
		return 16;
	return 24;
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

static bool network_xml_in_subnet(const struct network_ip *ip, const struct conf_addr *a)
{
	const unsigned char *x, *y;
	int prefix = network_xml_ip_prefix(ip), i;
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

static int network_xml_dhcp(struct network_xml_ctx *ctx, const xmlNode *n, struct network_ip *ip)
{
	char as[INET6_ADDRSTRLEN], bs[INET6_ADDRSTRLEN];
	const xmlNode *c;
	size_t i, j;
	int ret;

	ip->has_dhcp = true;
	for (c = n->children; c; c = c->next) {
		if (network_xml_is(c, "range")) {
			struct conf_dhcp_range *r = NETWORK_XML_PUSH(ip->ranges, ip->n_ranges);

			if (!r)
				return -ENOMEM;
			ret = network_xml_addr(ctx, c, "start", true, &r->start);
			if (!ret)
				ret = network_xml_addr(ctx, c, "end", true, &r->end);
			if (!ret)
				ret = network_xml_lease(ctx, c, &r->lease);
			if (ret)
				return ret;
			inet_ntop(r->start.family, &r->start.v6, as, sizeof(as));
			inet_ntop(r->end.family, &r->end.v6, bs, sizeof(bs));
			if (!network_xml_in_subnet(ip, &r->start) ||
			    !network_xml_in_subnet(ip, &r->end))
				return network_xml_error(ctx, c,
							 "range %s - %s is outside the subnet of "
							 "its <ip> (%d-bit prefix)",
							 as, bs, network_xml_ip_prefix(ip));
			if (network_xml_addr_cmp(&r->start, &r->end) > 0)
				return network_xml_error(ctx, c,
							 "attribute 'end': expected an address not "
							 "below start %s, got %s",
							 as, bs);
		} else if (network_xml_is(c, "host")) {
			struct conf_dhcp_host *h = NETWORK_XML_PUSH(ip->hosts, ip->n_hosts);
			char *mac;

			if (!h)
				return -ENOMEM;
			mac = network_xml_prop(c, "mac");
			if (mac) {
				free(mac);
				ret = network_xml_mac(ctx, c, "mac", false, &h->mac);
				if (ret)
					return ret;
			}
			h->id = network_xml_prop(c, "id");
			h->name = network_xml_prop(c, "name");
			ret = network_xml_addr(ctx, c, "ip", false, &h->ip);
			if (!ret)
				ret = network_xml_lease(ctx, c, &h->lease);
			if (ret)
				return ret;
			if (!h->mac && !h->id && !h->name)
				return network_xml_error(ctx, c,
							 "expected attribute 'mac', 'id' or "
							 "'name'");
			if (h->ip.family != AF_UNSPEC && !network_xml_in_subnet(ip, &h->ip))
				return network_xml_error(ctx, c,
							 "attribute 'ip': outside the subnet "
							 "of its <ip>");
		} else if (network_xml_is(c, "bootp")) {
			free(ip->bootp_file);
			ip->bootp_file = network_xml_prop(c, "file");
			if (!ip->bootp_file)
				return network_xml_error(ctx, c, "attribute 'file' is required");
			ret = network_xml_addr(ctx, c, "server", false, &ip->bootp_server);
			if (ret)
				return ret;
		}
	}
	for (i = 0; i < ip->n_ranges; i++)
		for (j = i + 1; j < ip->n_ranges; j++)
			if (network_xml_addr_cmp(&ip->ranges[i].start, &ip->ranges[j].end) <= 0 &&
			    network_xml_addr_cmp(&ip->ranges[j].start, &ip->ranges[i].end) <= 0)
				return network_xml_error(ctx, n, "DHCP ranges %zu and %zu overlap",
							 i + 1, j + 1);
	return 0;
}

static int network_xml_ip(struct network_xml_ctx *ctx, const xmlNode *n, struct network_ip *ip)
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
		ret = network_xml_ulong(ctx, n, "prefix", 0,
					ip->address.family == AF_INET ? 32 : 128, false, &prefix,
					&has_prefix);
	if (!ret)
		ret = network_xml_tristate(ctx, n, "localPtr", false, &ip->local_ptr);
	if (ret)
		return ret;
	/* as in libvirt, prefix='0' on an <ip> means no prefix */
	ip->prefix = has_prefix && prefix ? (int)prefix : -1;
	if (ip->netmask.family != AF_UNSPEC) {
		const unsigned char *b = (const unsigned char *)&ip->netmask.v4;
		uint32_t m = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];

		if (ip->netmask.family != AF_INET || ip->address.family != AF_INET)
			return network_xml_error(ctx, n,
						 "attribute 'netmask': expected an IPv4 "
						 "netmask on an IPv4 address");
		if (has_prefix)
			return network_xml_error(ctx, n,
						 "expected 'netmask' or 'prefix', not both");
		if (m & (~m >> 1))
			return network_xml_error(ctx, n,
						 "attribute 'netmask': expected contiguous one "
						 "bits");
	}
	for (c = n->children; c; c = c->next) {
		if (network_xml_is(c, "tftp")) {
			free(ip->tftp_root);
			ip->tftp_root = network_xml_prop(c, "root");
			if (!ip->tftp_root)
				return network_xml_error(ctx, c, "attribute 'root' is required");
		} else if (network_xml_is(c, "dhcp")) {
			ret = network_xml_dhcp(ctx, c, ip);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int network_xml_route(struct network_xml_ctx *ctx, const xmlNode *n,
			     struct network_route *rt)
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
		ret = network_xml_ulong(ctx, n, "prefix", 0,
					rt->address.family == AF_INET ? 32 : 128, false, &prefix,
					&has_prefix);
	if (!ret)
		ret = network_xml_addr(ctx, n, "gateway", true, &rt->gateway);
	if (!ret)
		ret = network_xml_ulong(ctx, n, "metric", 1, 4294967295UL, false, &metric,
					&has_metric);
	if (ret)
		return ret;
	rt->prefix = has_prefix ? (int)prefix : -1;
	rt->metric = has_metric ? (long)metric : -1;
	if (rt->gateway.family != rt->address.family)
		return network_xml_error(ctx, n,
					 "attribute 'gateway': expected the family of "
					 "'address'");
	return 0;
}

static int network_xml_portgroup(struct network_xml_ctx *ctx, const xmlNode *n,
				 struct network_portgroup *pg)
{
	enum conf_tristate def;
	const xmlNode *c;
	int ret;

	pg->name = network_xml_prop(n, "name");
	if (!pg->name)
		return network_xml_error(ctx, n, "attribute 'name' is required");
	ret = network_xml_tristate(ctx, n, "default", false, &def);
	if (!ret)
		ret = network_xml_tristate(ctx, n, "trustGuestRxFilters", false,
					   &pg->trust_guest_rx_filters);
	if (ret)
		return ret;
	pg->is_default = def == CONF_TRI_YES;
	for (c = n->children; c; c = c->next) {
		if (network_xml_is(c, "vlan"))
			ret = network_xml_vlan(ctx, c, &pg->vlan);
		else if (network_xml_is(c, "bandwidth"))
			ret = network_xml_keep(c, &pg->bandwidth);
		else if (network_xml_is(c, "virtualport"))
			ret = network_xml_virtualport(ctx, c, false, &pg->virtualport);
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

static int network_xml_dnsmasq(struct network_xml_ctx *ctx, const xmlNode *n,
			       struct network_def *def)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		char **slot;

		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "option"))
			continue;
		slot = NETWORK_XML_PUSH(def->dnsmasq_options, def->n_dnsmasq_options);
		if (!slot)
			return -ENOMEM;
		*slot = network_xml_prop(c, "value");
		if (!*slot)
			return network_xml_error(ctx, c, "attribute 'value' is required");
	}
	return 0;
}

static int network_xml_text_once(struct network_xml_ctx *ctx, const xmlNode *n, char **out)
{
	if (*out)
		return network_xml_error(ctx, n, "expected at most one <%s>",
					 (const char *)n->name);
	*out = network_xml_text(n);
	return *out ? 0 : -ENOMEM;
}

static int network_xml_child(struct network_xml_ctx *ctx, const xmlNode *c, struct network_def *def,
			     bool *has_uuid)
{
	int ret = 0;

	if (c->ns && c->ns->href && !strcmp((const char *)c->ns->href, NETWORK_XML_DNSMASQ_NS)) {
		if (!strcmp((const char *)c->name, "options"))
			return network_xml_dnsmasq(ctx, c, def);
		return 0;
	}
	if (c->ns)
		return 0;
	if (network_xml_is(c, "name")) {
		ret = network_xml_text_once(ctx, c, &def->name);
		if (!ret && (!def->name[0] || strchr(def->name, '/')))
			ret = network_xml_error(ctx, c,
						"expected a non-empty name without '/', "
						"got '%s'",
						def->name);
	} else if (network_xml_is(c, "uuid")) {
		ret = network_xml_uuid(ctx, c, def->uuid);
		*has_uuid = true;
	} else if (network_xml_is(c, "title")) {
		ret = network_xml_text_once(ctx, c, &def->title);
		if (!ret && strchr(def->title, '\n'))
			ret = network_xml_error(ctx, c, "expected a single line");
	} else if (network_xml_is(c, "description")) {
		ret = network_xml_text_once(ctx, c, &def->description);
	} else if (network_xml_is(c, "metadata")) {
		ret = network_xml_metadata(c, &def->metadata);
	} else if (network_xml_is(c, "forward")) {
		ret = network_xml_forward(ctx, c, &def->forward);
	} else if (network_xml_is(c, "bridge")) {
		ret = network_xml_bridge(ctx, c, &def->bridge);
	} else if (network_xml_is(c, "mtu")) {
		unsigned long mtu = 0;

		ret = network_xml_ulong(ctx, c, "size", 68, 65535, true, &mtu, NULL);
		def->mtu = mtu;
	} else if (network_xml_is(c, "mac")) {
		free(def->mac);
		def->mac = NULL;
		ret = network_xml_mac(ctx, c, "address", true, &def->mac);
	} else if (network_xml_is(c, "domain")) {
		free(def->domain);
		def->domain = network_xml_prop(c, "name");
		if (!def->domain)
			return network_xml_error(ctx, c, "attribute 'name' is required");
		ret = network_xml_tristate(ctx, c, "localOnly", false, &def->domain_local_only);
	} else if (network_xml_is(c, "dns")) {
		if (def->dns.present)
			return network_xml_error(ctx, c, "expected at most one <dns>");
		ret = network_xml_dns(ctx, c, &def->dns);
	} else if (network_xml_is(c, "vlan")) {
		ret = network_xml_vlan(ctx, c, &def->vlan);
	} else if (network_xml_is(c, "bandwidth")) {
		ret = network_xml_keep(c, &def->bandwidth);
	} else if (network_xml_is(c, "port")) {
		ret = network_xml_tristate(ctx, c, "isolated", false, &def->port_isolated);
	} else if (network_xml_is(c, "ip")) {
		struct network_ip *ip = NETWORK_XML_PUSH(def->ips, def->n_ips);

		ret = ip ? network_xml_ip(ctx, c, ip) : -ENOMEM;
	} else if (network_xml_is(c, "route")) {
		struct network_route *rt = NETWORK_XML_PUSH(def->routes, def->n_routes);

		ret = rt ? network_xml_route(ctx, c, rt) : -ENOMEM;
	} else if (network_xml_is(c, "virtualport")) {
		ret = network_xml_virtualport(ctx, c, true, &def->virtualport);
	} else if (network_xml_is(c, "portgroup")) {
		struct network_portgroup *pg = NETWORK_XML_PUSH(def->portgroups, def->n_portgroups);
		size_t i;

		ret = pg ? network_xml_portgroup(ctx, c, pg) : -ENOMEM;
		for (i = 0; !ret && i + 1 < def->n_portgroups; i++) {
			if (!strcmp(def->portgroups[i].name, pg->name))
				ret = network_xml_error(ctx, c,
							"attribute 'name': portgroup '%s' is "
							"defined twice",
							pg->name);
			else if (pg->is_default && def->portgroups[i].is_default)
				ret = network_xml_error(ctx, c,
							"attribute 'default': portgroup '%s' is "
							"already the default, '%s' cannot be too",
							def->portgroups[i].name, pg->name);
		}
	}
	return ret;
}

static int network_xml_root(struct network_xml_ctx *ctx, const xmlNode *root,
			    struct network_def *def)
{
	const xmlNode *c;
	enum conf_tristate ipv6;
	bool has_uuid = false;
	xmlNs **nsl;
	int ret;

	if (!root || root->type != XML_ELEMENT_NODE || strcmp((const char *)root->name, "network"))
		return network_xml_error(ctx, root, "expected the root element <network>");
	ret = network_xml_tristate(ctx, root, "ipv6", false, &ipv6);
	if (!ret)
		ret = network_xml_tristate(ctx, root, "trustGuestRxFilters", false,
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
		return network_xml_error(ctx, root, "expected a <name> element");
	def->uuid_given = has_uuid;
	if (!has_uuid) {
		ret = conf_uuid_generate(def->uuid);
		if (ret)
			return network_xml_error(ctx, root, "cannot generate a UUID: %s",
						 strerror(-ret));
	}
	return 0;
}

int network_xml_parse(const char *buf, size_t len, struct network_def **out, char *err,
		      size_t errlen)
{
	struct network_xml_ctx ctx = { .err = err, .errlen = errlen };
	struct network_def *def;
	xmlParserCtxtPtr pctx;
	xmlDocPtr doc;
	int ret;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (len > INT32_MAX)
		return network_xml_error(&ctx, NULL, "document too large");
	pctx = xmlNewParserCtxt();
	if (!pctx)
		return -ENOMEM;
	doc = xmlCtxtReadMemory(pctx, buf, (int)len, "network.xml", NULL,
				XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(pctx);

		if (e && e->message)
			ret = network_xml_error(&ctx, NULL, "line %d: not well-formed XML: %.*s",
						e->line, (int)strcspn(e->message, "\n"),
						e->message);
		else
			ret = network_xml_error(&ctx, NULL, "not well-formed XML");
		xmlFreeParserCtxt(pctx);
		return ret;
	}
	def = calloc(1, sizeof(*def));
	if (!def) {
		ret = -ENOMEM;
		goto out_doc;
	}
	ret = network_xml_root(&ctx, xmlDocGetRootElement(doc), def);
	if (ret) {
		network_def_free(def);
		goto out_doc;
	}
	*out = def;
out_doc:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pctx);
	return ret;
}

int network_xml_parse_file(const char *path, struct network_def **out, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *p = realloc(buf, cap ? cap * 2 : 4096);

			if (!p) {
				ret = -ENOMEM;
				goto out_close;
			}
			buf = p;
			cap = cap ? cap * 2 : 4096;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			if (err && errlen)
				snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			goto out_close;
		}
		if (!r)
			break;
		len += r;
	}
	ret = network_xml_parse(buf, len, out, err, errlen);
out_close:
	free(buf);
	close(fd);
	return ret;
}

/* ---- formatting ---- */

struct network_xml_buf {
	char *s;
	size_t len, cap;
	bool oom;
};

__attribute__((format(printf, 2, 3))) static void network_xml_add(struct network_xml_buf *b,
								  const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (!b->s || b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += n;
}

static void network_xml_indent(struct network_xml_buf *b, int level)
{
	network_xml_add(b, "%*s", level * 2, "");
}

/* @s with XML's special characters escaped, as libvirt's virBufferEscapeString does */
static void network_xml_esc(struct network_xml_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			network_xml_add(b, "&amp;");
			break;
		case '<':
			network_xml_add(b, "&lt;");
			break;
		case '>':
			network_xml_add(b, "&gt;");
			break;
		case '\'':
			network_xml_add(b, "&apos;");
			break;
		case '"':
			network_xml_add(b, "&quot;");
			break;
		default:
			network_xml_add(b, "%c", *s);
		}
	}
}

static void network_xml_attr(struct network_xml_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	network_xml_add(b, " %s='", name);
	network_xml_esc(b, value);
	network_xml_add(b, "'");
}

static void network_xml_attr_addr(struct network_xml_buf *b, const char *name,
				  const struct conf_addr *a)
{
	char s[INET6_ADDRSTRLEN];

	if (a->family == AF_UNSPEC)
		return;
	inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6, s,
		  sizeof(s));
	network_xml_add(b, " %s='%s'", name, s);
}

static void network_xml_attr_tri(struct network_xml_buf *b, const char *name, enum conf_tristate t)
{
	if (t != CONF_TRI_ABSENT)
		network_xml_add(b, " %s='%s'", name, t == CONF_TRI_YES ? "yes" : "no");
}

static void network_xml_format_elem(struct network_xml_buf *b, const struct conf_elem *e, int level)
{
	size_t i;

	network_xml_indent(b, level);
	network_xml_add(b, "<%s", e->name);
	for (i = 0; i < e->n_attrs; i++)
		network_xml_attr(b, e->attr_names[i], e->attr_values[i]);
	if (!e->n_children && !e->text) {
		network_xml_add(b, "/>\n");
		return;
	}
	network_xml_add(b, ">");
	if (!e->n_children) {
		network_xml_esc(b, e->text);
		network_xml_add(b, "</%s>\n", e->name);
		return;
	}
	network_xml_add(b, "\n");
	for (i = 0; i < e->n_children; i++)
		network_xml_format_elem(b, &e->children[i], level + 1);
	network_xml_indent(b, level);
	network_xml_add(b, "</%s>\n", e->name);
}

static void network_xml_format_vlan(struct network_xml_buf *b, const struct conf_vlan *v, int level)
{
	size_t i;

	if (!v->present)
		return;
	network_xml_indent(b, level);
	network_xml_add(b, "<vlan%s>\n", v->trunk == CONF_TRI_YES ? " trunk='yes'" : "");
	for (i = 0; i < v->n_tags; i++) {
		network_xml_indent(b, level + 1);
		network_xml_add(b, "<tag id='%u'", v->tags[i].id);
		network_xml_attr(b, "nativeMode",
				 conf_native_mode_to_string(v->tags[i].native_mode));
		network_xml_add(b, "/>\n");
	}
	network_xml_indent(b, level);
	network_xml_add(b, "</vlan>\n");
}

static void network_xml_format_forward(struct network_xml_buf *b, const struct network_forward *f)
{
	bool nat = f->has_nat && (f->nat_addr_start.family != AF_UNSPEC || f->nat_port_start ||
				  f->nat_port_end || f->nat_ipv6 != CONF_TRI_ABSENT);
	size_t i;

	if (f->mode == CONF_FORWARD_NONE)
		return;
	network_xml_add(b, "  <forward");
	network_xml_attr(b, "dev", f->n_ifaces ? f->ifaces[0] : f->dev);
	network_xml_attr(b, "mode", conf_forward_mode_to_string(f->mode));
	if (!nat && !f->n_ifaces) {
		network_xml_add(b, "/>\n");
		return;
	}
	network_xml_add(b, ">\n");
	if (nat) {
		bool kids = f->nat_addr_start.family != AF_UNSPEC || f->nat_port_start ||
			    f->nat_port_end;

		network_xml_add(b, "    <nat");
		network_xml_attr_tri(b, "ipv6", f->nat_ipv6);
		network_xml_add(b, "%s\n", kids ? ">" : "/>");
		if (f->nat_addr_start.family != AF_UNSPEC) {
			network_xml_add(b, "      <address");
			network_xml_attr_addr(b, "start", &f->nat_addr_start);
			network_xml_attr_addr(b, "end", &f->nat_addr_end);
			network_xml_add(b, "/>\n");
		}
		if (f->nat_port_start || f->nat_port_end) {
			network_xml_add(b, "      <port start='%u'", f->nat_port_start);
			if (f->nat_port_end)
				network_xml_add(b, " end='%u'", f->nat_port_end);
			network_xml_add(b, "/>\n");
		}
		if (kids)
			network_xml_add(b, "    </nat>\n");
	}
	for (i = 0; i < f->n_ifaces; i++) {
		network_xml_add(b, "    <interface");
		network_xml_attr(b, "dev", f->ifaces[i]);
		network_xml_add(b, "/>\n");
	}
	network_xml_add(b, "  </forward>\n");
}

static void network_xml_format_bridge(struct network_xml_buf *b, const struct network_def *def)
{
	const struct network_bridge *br = &def->bridge;
	enum conf_forward_mode m = def->forward.mode;
	bool l3 = m == CONF_FORWARD_NONE || m == CONF_FORWARD_NAT || m == CONF_FORWARD_ROUTE ||
		  m == CONF_FORWARD_OPEN;

	if (!l3 && !br->name && br->mac_table_manager == CONF_MAC_TABLE_DEFAULT)
		return;
	network_xml_add(b, "  <bridge");
	network_xml_attr(b, "name", br->name);
	network_xml_attr(b, "zone", br->zone);
	if (l3)
		network_xml_add(b, " stp='%s' delay='%ld'", br->stp == CONF_TRI_NO ? "off" : "on",
				br->delay < 0 ? 0 : br->delay);
	network_xml_attr(b, "macTableManager", conf_mac_table_to_string(br->mac_table_manager));
	network_xml_add(b, "/>\n");
}

static void network_xml_format_dns(struct network_xml_buf *b, const struct network_dns *dns)
{
	bool kids = dns->n_forwarders || dns->n_txts || dns->n_srvs || dns->n_hosts;
	size_t i, j;

	if (!dns->present || (!kids && dns->enable == CONF_TRI_ABSENT &&
			      dns->forward_plain_names == CONF_TRI_ABSENT))
		return;
	network_xml_add(b, "  <dns");
	network_xml_attr_tri(b, "enable", dns->enable);
	network_xml_attr_tri(b, "forwardPlainNames", dns->forward_plain_names);
	if (!kids) {
		network_xml_add(b, "/>\n");
		return;
	}
	network_xml_add(b, ">\n");
	for (i = 0; i < dns->n_forwarders; i++) {
		network_xml_add(b, "    <forwarder");
		network_xml_attr(b, "domain", dns->forwarders[i].domain);
		network_xml_attr_addr(b, "addr", &dns->forwarders[i].addr);
		network_xml_add(b, "/>\n");
	}
	for (i = 0; i < dns->n_txts; i++) {
		network_xml_add(b, "    <txt");
		network_xml_attr(b, "name", dns->txts[i].name);
		network_xml_attr(b, "value", dns->txts[i].value);
		network_xml_add(b, "/>\n");
	}
	for (i = 0; i < dns->n_srvs; i++) {
		const struct network_dns_srv *s = &dns->srvs[i];

		network_xml_add(b, "    <srv");
		network_xml_attr(b, "service", s->service);
		network_xml_attr(b, "protocol", s->protocol);
		network_xml_attr(b, "domain", s->domain);
		network_xml_attr(b, "target", s->target);
		/* libvirt writes these only when non-zero */
		if (s->port > 0)
			network_xml_add(b, " port='%ld'", s->port);
		if (s->priority > 0)
			network_xml_add(b, " priority='%ld'", s->priority);
		if (s->weight > 0)
			network_xml_add(b, " weight='%ld'", s->weight);
		network_xml_add(b, "/>\n");
	}
	for (i = 0; i < dns->n_hosts; i++) {
		network_xml_add(b, "    <host");
		network_xml_attr_addr(b, "ip", &dns->hosts[i].ip);
		network_xml_add(b, ">\n");
		for (j = 0; j < dns->hosts[i].n_hostnames; j++) {
			network_xml_add(b, "      <hostname>");
			network_xml_esc(b, dns->hosts[i].hostnames[j]);
			network_xml_add(b, "</hostname>\n");
		}
		network_xml_add(b, "    </host>\n");
	}
	network_xml_add(b, "  </dns>\n");
}

/* closes the opening tag already written: "/>" or a <lease> child and the end tag */
static void network_xml_format_lease(struct network_xml_buf *b, const struct conf_lease *l,
				     const char *elem)
{
	if (!l->present) {
		network_xml_add(b, "/>\n");
		return;
	}
	network_xml_add(b, ">\n        <lease expiry='%lu'", l->expiry);
	/* a finite lease always carries its unit, minutes by default */
	if (l->expiry)
		network_xml_attr(b, "unit",
				 conf_lease_unit_to_string(l->unit == CONF_LEASE_UNIT_NONE
								   ? CONF_LEASE_UNIT_MINUTES
								   : l->unit));
	network_xml_add(b, "/>\n      </%s>\n", elem);
}

static void network_xml_format_ip(struct network_xml_buf *b, const struct network_ip *ip)
{
	size_t i;

	network_xml_add(b, "  <ip");
	network_xml_attr(b, "family", conf_ip_family_to_string(ip->family));
	network_xml_attr_addr(b, "address", &ip->address);
	network_xml_attr_addr(b, "netmask", &ip->netmask);
	if (ip->prefix > 0)
		network_xml_add(b, " prefix='%d'", ip->prefix);
	network_xml_attr_tri(b, "localPtr", ip->local_ptr);
	network_xml_add(b, ">\n");
	if (ip->tftp_root) {
		network_xml_add(b, "    <tftp");
		network_xml_attr(b, "root", ip->tftp_root);
		network_xml_add(b, "/>\n");
	}
	/* as libvirt: <bootp> is written only inside a <dhcp> with ranges or hosts */
	if (ip->n_ranges || ip->n_hosts) {
		network_xml_add(b, "    <dhcp>\n");
		for (i = 0; i < ip->n_ranges; i++) {
			network_xml_add(b, "      <range");
			network_xml_attr_addr(b, "start", &ip->ranges[i].start);
			network_xml_attr_addr(b, "end", &ip->ranges[i].end);
			network_xml_format_lease(b, &ip->ranges[i].lease, "range");
		}
		for (i = 0; i < ip->n_hosts; i++) {
			const struct conf_dhcp_host *h = &ip->hosts[i];

			network_xml_add(b, "      <host");
			network_xml_attr(b, "mac", h->mac);
			network_xml_attr(b, "id", h->id);
			network_xml_attr(b, "name", h->name);
			network_xml_attr_addr(b, "ip", &h->ip);
			network_xml_format_lease(b, &h->lease, "host");
		}
		if (ip->bootp_file) {
			network_xml_add(b, "      <bootp");
			network_xml_attr(b, "file", ip->bootp_file);
			network_xml_attr_addr(b, "server", &ip->bootp_server);
			network_xml_add(b, "/>\n");
		}
		network_xml_add(b, "    </dhcp>\n");
	}
	network_xml_add(b, "  </ip>\n");
}

static void network_xml_format_route(struct network_xml_buf *b, const struct network_route *rt)
{
	network_xml_add(b, "  <route");
	network_xml_attr(b, "family", conf_ip_family_to_string(rt->family));
	network_xml_attr_addr(b, "address", &rt->address);
	network_xml_attr_addr(b, "netmask", &rt->netmask);
	if (rt->prefix >= 0)
		network_xml_add(b, " prefix='%d'", rt->prefix);
	network_xml_attr_addr(b, "gateway", &rt->gateway);
	if (rt->metric >= 0)
		network_xml_add(b, " metric='%ld'", rt->metric);
	network_xml_add(b, "/>\n");
}

static void network_xml_format_portgroup(struct network_xml_buf *b,
					 const struct network_portgroup *pg)
{
	network_xml_add(b, "  <portgroup");
	network_xml_attr(b, "name", pg->name);
	if (pg->is_default)
		network_xml_add(b, " default='yes'");
	network_xml_attr_tri(b, "trustGuestRxFilters", pg->trust_guest_rx_filters);
	network_xml_add(b, ">\n");
	network_xml_format_vlan(b, &pg->vlan, 2);
	if (pg->virtualport)
		network_xml_format_elem(b, pg->virtualport, 2);
	if (pg->bandwidth)
		network_xml_format_elem(b, pg->bandwidth, 2);
	network_xml_add(b, "  </portgroup>\n");
}

int network_xml_format(const struct network_def *def, unsigned int flags, char **out)
{
	struct network_xml_buf b = { 0 };
	char uuid[CONF_UUID_STRLEN];
	size_t i;

	(void)flags;
	*out = NULL;
	network_xml_add(&b, "<network");
	if (def->n_dnsmasq_options)
		network_xml_add(&b, " xmlns:dnsmasq='%s'", NETWORK_XML_DNSMASQ_NS);
	if (def->ipv6)
		network_xml_add(&b, " ipv6='yes'");
	network_xml_attr_tri(&b, "trustGuestRxFilters", def->trust_guest_rx_filters);
	network_xml_add(&b, ">\n  <name>");
	network_xml_esc(&b, def->name);
	network_xml_add(&b, "</name>\n");
	conf_uuid_format(def->uuid, uuid);
	network_xml_add(&b, "  <uuid>%s</uuid>\n", uuid);
	if (def->title) {
		network_xml_add(&b, "  <title>");
		network_xml_esc(&b, def->title);
		network_xml_add(&b, "</title>\n");
	}
	if (def->description) {
		network_xml_add(&b, "  <description>");
		network_xml_esc(&b, def->description);
		network_xml_add(&b, "</description>\n");
	}
	if (def->metadata)
		network_xml_add(&b, "  <metadata>\n%s  </metadata>\n", def->metadata);
	network_xml_format_forward(&b, &def->forward);
	network_xml_format_bridge(&b, def);
	if (def->mtu)
		network_xml_add(&b, "  <mtu size='%u'/>\n", def->mtu);
	if (def->mac)
		network_xml_add(&b, "  <mac address='%s'/>\n", def->mac);
	if (def->domain) {
		network_xml_add(&b, "  <domain");
		network_xml_attr(&b, "name", def->domain);
		network_xml_attr_tri(&b, "localOnly", def->domain_local_only);
		network_xml_add(&b, "/>\n");
	}
	network_xml_format_dns(&b, &def->dns);
	network_xml_format_vlan(&b, &def->vlan, 1);
	if (def->bandwidth)
		network_xml_format_elem(&b, def->bandwidth, 1);
	if (def->port_isolated != CONF_TRI_ABSENT)
		network_xml_add(&b, "  <port isolated='%s'/>\n",
				def->port_isolated == CONF_TRI_YES ? "yes" : "no");
	for (i = 0; i < def->n_ips; i++)
		network_xml_format_ip(&b, &def->ips[i]);
	for (i = 0; i < def->n_routes; i++)
		network_xml_format_route(&b, &def->routes[i]);
	if (def->virtualport)
		network_xml_format_elem(&b, def->virtualport, 1);
	for (i = 0; i < def->n_portgroups; i++)
		network_xml_format_portgroup(&b, &def->portgroups[i]);
	if (def->n_dnsmasq_options) {
		network_xml_add(&b, "  <dnsmasq:options>\n");
		for (i = 0; i < def->n_dnsmasq_options; i++) {
			network_xml_add(&b, "    <dnsmasq:option");
			network_xml_attr(&b, "value", def->dnsmasq_options[i]);
			network_xml_add(&b, "/>\n");
		}
		network_xml_add(&b, "  </dnsmasq:options>\n");
	}
	network_xml_add(&b, "</network>\n");
	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	*out = b.s;
	return 0;
}
