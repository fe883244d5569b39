/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_update.c - libvirt's net-update as a pure function on a network definition */
/*
 * Theory of Operation
 *
 * network_update() never touches the definition it is given. It makes a working copy by
 * formatting and re-parsing it, reads the one element with the same element parsers the
 * whole-network parser uses (network_xml_priv.h), finds the entry a modify or delete acts
 * on, and edits the copy's arrays in place. The edited copy is then formatted and parsed
 * again: that parse is the result, so every check the parser makes on a whole network
 * (overlapping ranges, a second default portgroup, ...) applies to the result too, and a
 * failure anywhere leaves the caller with its old definition.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "conf/conf_enum.h"
#include "conf/conf_xml.h"
#include "conf/network_update.h"
#include "conf/network_xml.h"
#include "conf/network_xml_priv.h"

static const char *const network_update_cmd_names[NETWORK_UPDATE_CMD_LAST] = {
	[NETWORK_UPDATE_ADD_LAST] = "add-last",
	[NETWORK_UPDATE_ADD_FIRST] = "add-first",
	[NETWORK_UPDATE_MODIFY] = "modify",
	[NETWORK_UPDATE_DELETE] = "delete",
};

static const char *const network_update_section_names[NETWORK_SECTION_LAST] = {
	[NETWORK_SECTION_IP_DHCP_HOST] = "ip-dhcp-host",
	[NETWORK_SECTION_IP_DHCP_RANGE] = "ip-dhcp-range",
	[NETWORK_SECTION_FORWARD_INTERFACE] = "forward-interface",
	[NETWORK_SECTION_PORTGROUP] = "portgroup",
	[NETWORK_SECTION_DNS_HOST] = "dns-host",
	[NETWORK_SECTION_DNS_TXT] = "dns-txt",
	[NETWORK_SECTION_DNS_SRV] = "dns-srv",
};

/* the element each section takes */
static const char *const network_update_section_elem[NETWORK_SECTION_LAST] = {
	[NETWORK_SECTION_IP_DHCP_HOST] = "host",
	[NETWORK_SECTION_IP_DHCP_RANGE] = "range",
	[NETWORK_SECTION_FORWARD_INTERFACE] = "interface",
	[NETWORK_SECTION_PORTGROUP] = "portgroup",
	[NETWORK_SECTION_DNS_HOST] = "host",
	[NETWORK_SECTION_DNS_TXT] = "txt",
	[NETWORK_SECTION_DNS_SRV] = "srv",
};

const char *network_update_cmd_to_string(enum network_update_cmd v)
{
	if ((int)v < 0 || v >= NETWORK_UPDATE_CMD_LAST)
		return NULL;
	return network_update_cmd_names[v];
}

int network_update_cmd_from_string(const char *s)
{
	if (s && !strcmp(s, "add"))
		return NETWORK_UPDATE_ADD_LAST;
	return conf_enum_from_string(network_update_cmd_names, NETWORK_UPDATE_CMD_LAST, s);
}

const char *network_update_section_to_string(enum network_update_section v)
{
	if ((int)v < 0 || v >= NETWORK_SECTION_LAST)
		return NULL;
	return network_update_section_names[v];
}

int network_update_section_from_string(const char *s)
{
	return conf_enum_from_string(network_update_section_names, NETWORK_SECTION_LAST, s);
}

/* what the element's fill needs: the working copy and the request */
struct network_update_req {
	struct network_def *def;
	enum network_update_cmd cmd;
	enum network_update_section section;
	int parent_index;
};

static bool network_update_adding(const struct network_update_req *req)
{
	return req->cmd == NETWORK_UPDATE_ADD_LAST || req->cmd == NETWORK_UPDATE_ADD_FIRST;
}

/*
 * Put the entry @elem of @size into the array *@arr of *@n, first or last; the array owns
 * what @elem points to from then on. Return: 0 or -ENOMEM.
 */
static int network_update_insert(void *arr, size_t *n, size_t size, bool first, const void *elem)
{
	char **a = arr;
	char *p = realloc(*a, (*n + 1) * size);

	if (!p)
		return -ENOMEM;
	if (first) {
		memmove(p + size, p, *n * size);
		memcpy(p, elem, size);
	} else {
		memcpy(p + *n * size, elem, size);
	}
	*a = p;
	(*n)++;
	return 0;
}

/* drop entry @i of @size from the array @arr of *@n; the caller has cleared it */
static void network_update_remove(void *arr, size_t *n, size_t size, size_t i)
{
	char *a = arr;

	memmove(a + i * size, a + (i + 1) * size, (*n - i - 1) * size);
	(*n)--;
}

static bool network_update_addr_eq(const struct conf_addr *x, const struct conf_addr *y)
{
	if (x->family != y->family)
		return false;
	if (x->family == AF_INET)
		return x->v4.s_addr == y->v4.s_addr;
	if (x->family == AF_INET6)
		return !memcmp(&x->v6, &y->v6, sizeof(x->v6));
	return true;
}

static const char *network_update_addr_str(const struct conf_addr *a, char *buf, size_t len)
{
	if (a->family == AF_UNSPEC)
		return "";
	return inet_ntop(a->family,
			 a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6, buf,
			 len);
}

static bool network_update_str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* the <ip> a DHCP section works on; NULL after reporting when there is none */
static struct network_ip *network_update_ip(struct conf_xml_ctx *ctx, const xmlNode *n,
					    const struct network_update_req *req)
{
	struct network_def *def = req->def;
	size_t i;

	if (req->parent_index >= 0) {
		if ((size_t)req->parent_index >= def->n_ips) {
			conf_xml_error(ctx, n,
				       "network '%s' has no <ip> at index %d (it has %zu <ip> "
				       "elements)",
				       def->name, req->parent_index, def->n_ips);
			return NULL;
		}
		return &def->ips[req->parent_index];
	}
	for (i = 0; i < def->n_ips; i++)
		if (def->ips[i].n_ranges || def->ips[i].n_hosts)
			return &def->ips[i];
	for (i = 0; i < def->n_ips; i++)
		if (def->ips[i].address.family == AF_INET)
			return &def->ips[i];
	for (i = 0; i < def->n_ips; i++)
		if (def->ips[i].address.family == AF_INET6)
			return &def->ips[i];
	conf_xml_error(ctx, n, "network '%s' has no <ip> element for DHCP", def->name);
	return NULL;
}

/* the text of an <ip> for messages: "192.168.122.1" */
static const char *network_update_ip_str(const struct network_ip *ip, char *buf, size_t len)
{
	return network_update_addr_str(&ip->address, buf, len);
}

/*
 * A modify or delete must name exactly one entry: report none or several of @what (in
 * @where, " in <ip ...>" or ""), with @hint saying how to name one. Return: 0 or -EINVAL.
 */
static int network_update_one(struct conf_xml_ctx *ctx, const xmlNode *n, size_t found,
			      const struct network_update_req *req, const char *what,
			      const char *where, const char *hint)
{
	if (!found)
		return conf_xml_error(ctx, n, "network '%s' has no such %s%s to %s", req->def->name,
				      what, where, network_update_cmd_to_string(req->cmd));
	if (found > 1)
		return conf_xml_error(ctx, n, "matches %zu %ss of network '%s'%s; %s", found, what,
				      req->def->name, where, hint);
	return 0;
}

/* whether host @h has every attribute the (partial) host @key gives */
static bool network_update_dhcp_host_matches(const struct conf_dhcp_host *h,
					     const struct conf_dhcp_host *key)
{
	if (key->mac && !network_update_str_eq(h->mac, key->mac))
		return false;
	if (key->id && !network_update_str_eq(h->id, key->id))
		return false;
	if (key->name && !network_update_str_eq(h->name, key->name))
		return false;
	if (key->ip.family != AF_UNSPEC && !network_update_addr_eq(&h->ip, &key->ip))
		return false;
	return true;
}

/* the entry of @ip a modify of @key replaces: same mac, else same id, else same name */
static struct conf_dhcp_host *network_update_dhcp_host_find(struct network_ip *ip,
							    const struct conf_dhcp_host *key)
{
	size_t i;

	for (i = 0; i < ip->n_hosts; i++) {
		const struct conf_dhcp_host *h = &ip->hosts[i];

		if (key->mac  ? network_update_str_eq(h->mac, key->mac)
		    : key->id ? network_update_str_eq(h->id, key->id)
			      : network_update_str_eq(h->name, key->name))
			return &ip->hosts[i];
	}
	return NULL;
}

static int network_update_dhcp_host(struct conf_xml_ctx *ctx, const xmlNode *n,
				    const struct network_update_req *req)
{
	bool partial = req->cmd == NETWORK_UPDATE_DELETE;
	struct conf_dhcp_host h = { 0 }, *old;
	struct network_ip *ip;
	char as[INET6_ADDRSTRLEN], where[INET6_ADDRSTRLEN + 32];
	size_t i, found = 0, at = 0;
	int ret;

	ip = network_update_ip(ctx, n, req);
	if (!ip)
		return -EINVAL;
	network_update_ip_str(ip, as, sizeof(as));
	ret = network_xml_dhcp_host(ctx, n, ip, partial, &h);
	if (ret)
		goto out_clear;
	if (!partial && h.ip.family == AF_UNSPEC) {
		ret = conf_xml_error(ctx, n, "attribute 'ip' is required to %s a DHCP host",
				     req->cmd == NETWORK_UPDATE_MODIFY ? "modify" : "add");
		goto out_clear;
	}
	switch (req->cmd) {
	case NETWORK_UPDATE_ADD_LAST:
	case NETWORK_UPDATE_ADD_FIRST:
		for (i = 0; i < ip->n_hosts; i++) {
			const struct conf_dhcp_host *o = &ip->hosts[i];
			const char *what = network_update_str_eq(o->mac, h.mac)	    ? "mac"
					   : network_update_str_eq(o->id, h.id)	    ? "id"
					   : network_update_str_eq(o->name, h.name) ? "name"
					   : network_update_addr_eq(&o->ip, &h.ip)  ? "ip"
										    : NULL;

			if (what) {
				ret = conf_xml_error(ctx, n,
						     "network '%s' already has a DHCP host with "
						     "this %s in <ip address='%s'>",
						     req->def->name, what, as);
				goto out_clear;
			}
		}
		ret = network_update_insert(&ip->hosts, &ip->n_hosts, sizeof(h),
					    req->cmd == NETWORK_UPDATE_ADD_FIRST, &h);
		if (ret)
			goto out_clear;
		ip->has_dhcp = true;
		return 0;
	case NETWORK_UPDATE_MODIFY:
		old = network_update_dhcp_host_find(ip, &h);
		if (!old) {
			ret = conf_xml_error(ctx, n,
					     "network '%s' has no DHCP host with this %s in <ip "
					     "address='%s'> to modify",
					     req->def->name,
					     h.mac  ? "mac"
					     : h.id ? "id"
						    : "name",
					     as);
			goto out_clear;
		}
		conf_dhcp_host_clear(old);
		*old = h;
		return 0;
	case NETWORK_UPDATE_DELETE:
		for (i = 0; i < ip->n_hosts; i++)
			if (network_update_dhcp_host_matches(&ip->hosts[i], &h)) {
				found++;
				at = i;
			}
		snprintf(where, sizeof(where), " in <ip address='%s'>", as);
		ret = network_update_one(ctx, n, found, req, "DHCP host", where,
					 "give more attributes");
		if (ret)
			goto out_clear;
		conf_dhcp_host_clear(&ip->hosts[at]);
		network_update_remove(ip->hosts, &ip->n_hosts, sizeof(h), at);
		ret = 0;
		break;
	case NETWORK_UPDATE_CMD_LAST:
		ret = -EINVAL;
		break;
	}
out_clear:
	conf_dhcp_host_clear(&h);
	return ret;
}

static int network_update_dhcp_range(struct conf_xml_ctx *ctx, const xmlNode *n,
				     const struct network_update_req *req)
{
	struct conf_dhcp_range r = { 0 };
	struct network_ip *ip;
	char as[INET6_ADDRSTRLEN], ss[INET6_ADDRSTRLEN], es[INET6_ADDRSTRLEN];
	size_t i;
	int ret;

	if (req->cmd == NETWORK_UPDATE_MODIFY)
		return conf_xml_error(ctx, n,
				      "a DHCP range cannot be modified, only added or deleted");
	ip = network_update_ip(ctx, n, req);
	if (!ip)
		return -EINVAL;
	network_update_ip_str(ip, as, sizeof(as));
	ret = network_xml_dhcp_range(ctx, n, ip, &r);
	if (ret)
		return ret;
	network_update_addr_str(&r.start, ss, sizeof(ss));
	network_update_addr_str(&r.end, es, sizeof(es));
	for (i = 0; i < ip->n_ranges; i++)
		if (network_update_addr_eq(&ip->ranges[i].start, &r.start) &&
		    network_update_addr_eq(&ip->ranges[i].end, &r.end))
			break;
	if (req->cmd == NETWORK_UPDATE_DELETE) {
		if (i == ip->n_ranges)
			return conf_xml_error(ctx, n,
					      "network '%s' has no DHCP range %s - %s in <ip "
					      "address='%s'> to delete",
					      req->def->name, ss, es, as);
		network_update_remove(ip->ranges, &ip->n_ranges, sizeof(r), i);
		return 0;
	}
	if (i < ip->n_ranges)
		return conf_xml_error(ctx, n,
				      "network '%s' already has the DHCP range %s - %s in <ip "
				      "address='%s'>",
				      req->def->name, ss, es, as);
	ret = network_update_insert(&ip->ranges, &ip->n_ranges, sizeof(r),
				    req->cmd == NETWORK_UPDATE_ADD_FIRST, &r);
	if (!ret)
		ip->has_dhcp = true;
	return ret;
}

/* <forward dev> is the first <interface dev>, or absent with none left */
static int network_update_forward_dev(struct network_forward *fwd)
{
	free(fwd->dev);
	fwd->dev = NULL;
	if (!fwd->n_ifaces)
		return 0;
	fwd->dev = strdup(fwd->ifaces[0]);
	return fwd->dev ? 0 : -ENOMEM;
}

static int network_update_forward_iface(struct conf_xml_ctx *ctx, const xmlNode *n,
					const struct network_update_req *req)
{
	struct network_forward *fwd = &req->def->forward;
	char *dev;
	size_t i;
	int ret;

	if (req->cmd == NETWORK_UPDATE_MODIFY)
		return conf_xml_error(ctx, n,
				      "a forward interface cannot be modified, only added or "
				      "deleted");
	if (fwd->mode == CONF_FORWARD_NONE)
		return conf_xml_error(ctx, n, "network '%s' has no <forward> element",
				      req->def->name);
	dev = conf_xml_prop(n, "dev");
	if (!dev)
		return conf_xml_error(ctx, n, "attribute 'dev' is required");
	for (i = 0; i < fwd->n_ifaces; i++)
		if (!strcmp(fwd->ifaces[i], dev))
			break;
	if (req->cmd == NETWORK_UPDATE_DELETE) {
		if (i == fwd->n_ifaces) {
			ret = conf_xml_error(ctx, n,
					     "network '%s' has no forward interface '%s' to delete",
					     req->def->name, dev);
			goto out_free;
		}
		free(fwd->ifaces[i]);
		network_update_remove(fwd->ifaces, &fwd->n_ifaces, sizeof(char *), i);
		ret = network_update_forward_dev(fwd);
		goto out_free;
	}
	if (i < fwd->n_ifaces) {
		ret = conf_xml_error(ctx, n, "network '%s' already has forward interface '%s'",
				     req->def->name, dev);
		goto out_free;
	}
	ret = network_update_insert(&fwd->ifaces, &fwd->n_ifaces, sizeof(char *),
				    req->cmd == NETWORK_UPDATE_ADD_FIRST, &dev);
	if (!ret)
		return network_update_forward_dev(fwd);
out_free:
	free(dev);
	return ret;
}

static int network_update_portgroup(struct conf_xml_ctx *ctx, const xmlNode *n,
				    const struct network_update_req *req)
{
	struct network_def *def = req->def;
	struct network_portgroup pg = { 0 };
	size_t i;
	int ret;

	ret = network_xml_portgroup(ctx, n, &pg);
	if (ret)
		goto out_clear;
	for (i = 0; i < def->n_portgroups; i++)
		if (!strcmp(def->portgroups[i].name, pg.name))
			break;
	if (network_update_adding(req)) {
		if (i < def->n_portgroups) {
			ret = conf_xml_error(ctx, n, "network '%s' already has portgroup '%s'",
					     def->name, pg.name);
			goto out_clear;
		}
		ret = network_update_insert(&def->portgroups, &def->n_portgroups, sizeof(pg),
					    req->cmd == NETWORK_UPDATE_ADD_FIRST, &pg);
		if (ret)
			goto out_clear;
		return 0;
	}
	if (i == def->n_portgroups) {
		ret = conf_xml_error(ctx, n, "network '%s' has no portgroup '%s' to %s", def->name,
				     pg.name, network_update_cmd_to_string(req->cmd));
		goto out_clear;
	}
	network_portgroup_clear(&def->portgroups[i]);
	if (req->cmd == NETWORK_UPDATE_MODIFY) {
		def->portgroups[i] = pg;
		return 0;
	}
	network_update_remove(def->portgroups, &def->n_portgroups, sizeof(pg), i);
out_clear:
	network_portgroup_clear(&pg);
	return ret;
}

/* whether DNS host @h is named by the (partial) @key: its ip, else a hostname in common */
static bool network_update_dns_host_matches(const struct network_dns_host *h,
					    const struct network_dns_host *key)
{
	size_t i, j;

	if (key->ip.family != AF_UNSPEC)
		return network_update_addr_eq(&h->ip, &key->ip);
	for (i = 0; i < key->n_hostnames; i++)
		for (j = 0; j < h->n_hostnames; j++)
			if (!strcmp(key->hostnames[i], h->hostnames[j]))
				return true;
	return false;
}

static int network_update_dns_host(struct conf_xml_ctx *ctx, const xmlNode *n,
				   const struct network_update_req *req)
{
	struct network_dns *dns = &req->def->dns;
	struct network_dns_host h = { 0 };
	char hs[INET6_ADDRSTRLEN];
	size_t i, found = 0, at = 0;
	int ret;

	ret = network_xml_dns_host(ctx, n, req->cmd == NETWORK_UPDATE_DELETE, &h);
	if (ret)
		goto out_clear;
	network_update_addr_str(&h.ip, hs, sizeof(hs));
	for (i = 0; i < dns->n_hosts; i++)
		if (network_update_dns_host_matches(&dns->hosts[i], &h)) {
			found++;
			at = i;
		}
	if (network_update_adding(req)) {
		if (found) {
			ret = conf_xml_error(ctx, n, "network '%s' already has a DNS host '%s'",
					     req->def->name, hs);
			goto out_clear;
		}
		ret = network_update_insert(&dns->hosts, &dns->n_hosts, sizeof(h),
					    req->cmd == NETWORK_UPDATE_ADD_FIRST, &h);
		if (ret)
			goto out_clear;
		dns->present = true;
		return 0;
	}
	ret = network_update_one(ctx, n, found, req, "DNS host", "", "give attribute 'ip'");
	if (ret)
		goto out_clear;
	network_dns_host_clear(&dns->hosts[at]);
	if (req->cmd == NETWORK_UPDATE_MODIFY) {
		dns->hosts[at] = h;
		return 0;
	}
	network_update_remove(dns->hosts, &dns->n_hosts, sizeof(h), at);
out_clear:
	network_dns_host_clear(&h);
	return ret;
}

static int network_update_dns_txt(struct conf_xml_ctx *ctx, const xmlNode *n,
				  const struct network_update_req *req)
{
	struct network_dns *dns = &req->def->dns;
	struct network_dns_txt t = { 0 };
	size_t i;
	int ret;

	ret = network_xml_dns_txt(ctx, n, req->cmd == NETWORK_UPDATE_DELETE, &t);
	if (ret)
		goto out_clear;
	for (i = 0; i < dns->n_txts; i++)
		if (!strcmp(dns->txts[i].name, t.name))
			break;
	if (network_update_adding(req)) {
		if (i < dns->n_txts) {
			ret = conf_xml_error(ctx, n,
					     "network '%s' already has a DNS TXT record '%s'",
					     req->def->name, t.name);
			goto out_clear;
		}
		ret = network_update_insert(&dns->txts, &dns->n_txts, sizeof(t),
					    req->cmd == NETWORK_UPDATE_ADD_FIRST, &t);
		if (ret)
			goto out_clear;
		dns->present = true;
		return 0;
	}
	if (i == dns->n_txts) {
		ret = conf_xml_error(ctx, n, "network '%s' has no DNS TXT record '%s' to %s",
				     req->def->name, t.name,
				     network_update_cmd_to_string(req->cmd));
		goto out_clear;
	}
	network_dns_txt_clear(&dns->txts[i]);
	if (req->cmd == NETWORK_UPDATE_MODIFY) {
		dns->txts[i] = t;
		return 0;
	}
	network_update_remove(dns->txts, &dns->n_txts, sizeof(t), i);
out_clear:
	network_dns_txt_clear(&t);
	return ret;
}

/* whether SRV record @s has every attribute @key gives */
static bool network_update_dns_srv_matches(const struct network_dns_srv *s,
					   const struct network_dns_srv *key)
{
	return (!key->service || network_update_str_eq(s->service, key->service)) &&
	       (!key->protocol || network_update_str_eq(s->protocol, key->protocol)) &&
	       (!key->domain || network_update_str_eq(s->domain, key->domain)) &&
	       (!key->target || network_update_str_eq(s->target, key->target)) &&
	       (key->port < 0 || s->port == key->port) &&
	       (key->priority < 0 || s->priority == key->priority) &&
	       (key->weight < 0 || s->weight == key->weight);
}

static int network_update_dns_srv(struct conf_xml_ctx *ctx, const xmlNode *n,
				  const struct network_update_req *req)
{
	struct network_dns *dns = &req->def->dns;
	struct network_dns_srv s = { 0 };
	size_t i, found = 0, at = 0;
	int ret;

	if (req->cmd == NETWORK_UPDATE_MODIFY)
		return conf_xml_error(ctx, n,
				      "a DNS SRV record cannot be modified, only added or deleted");
	ret = network_xml_dns_srv(ctx, n, req->cmd == NETWORK_UPDATE_DELETE, &s);
	if (ret)
		goto out_clear;
	for (i = 0; i < dns->n_srvs; i++)
		if (network_update_dns_srv_matches(&dns->srvs[i], &s)) {
			found++;
			at = i;
		}
	if (network_update_adding(req)) {
		if (found) {
			ret = conf_xml_error(ctx, n, "network '%s' already has this DNS SRV record",
					     req->def->name);
			goto out_clear;
		}
		ret = network_update_insert(&dns->srvs, &dns->n_srvs, sizeof(s),
					    req->cmd == NETWORK_UPDATE_ADD_FIRST, &s);
		if (ret)
			goto out_clear;
		dns->present = true;
		return 0;
	}
	ret = network_update_one(ctx, n, found, req, "DNS SRV record", "", "give more attributes");
	if (ret)
		goto out_clear;
	network_dns_srv_clear(&dns->srvs[at]);
	network_update_remove(dns->srvs, &dns->n_srvs, sizeof(s), at);
out_clear:
	network_dns_srv_clear(&s);
	return ret;
}

/* conf_xml_parse()'s fill: @opaque is the struct network_update_req */
static int network_update_fill(struct conf_xml_ctx *ctx, const xmlNode *n, void *opaque)
{
	const struct network_update_req *req = opaque;

	switch (req->section) {
	case NETWORK_SECTION_IP_DHCP_HOST:
		return network_update_dhcp_host(ctx, n, req);
	case NETWORK_SECTION_IP_DHCP_RANGE:
		return network_update_dhcp_range(ctx, n, req);
	case NETWORK_SECTION_FORWARD_INTERFACE:
		return network_update_forward_iface(ctx, n, req);
	case NETWORK_SECTION_PORTGROUP:
		return network_update_portgroup(ctx, n, req);
	case NETWORK_SECTION_DNS_HOST:
		return network_update_dns_host(ctx, n, req);
	case NETWORK_SECTION_DNS_TXT:
		return network_update_dns_txt(ctx, n, req);
	case NETWORK_SECTION_DNS_SRV:
		return network_update_dns_srv(ctx, n, req);
	case NETWORK_SECTION_LAST:
		break;
	}
	return -EINVAL;
}

/* a deep copy of @def through its own XML; Return: 0, -EINVAL (with a message), -ENOMEM */
static int network_update_copy(const struct network_def *def, struct network_def **out,
			       const char *what, char *err, size_t errlen)
{
	char msg[512], *s = NULL;
	int ret;

	*out = NULL;
	ret = network_xml_format(def, 0, &s);
	if (ret)
		return ret;
	ret = network_xml_parse(s, strlen(s), out, msg, sizeof(msg));
	free(s);
	if (ret == -EINVAL && err && errlen)
		snprintf(err, errlen, "network '%s' %s is not valid: %s", def->name, what, msg);
	return ret;
}

int network_update(const struct network_def *def, enum network_update_cmd cmd,
		   enum network_update_section section, int parent_index, const char *xml,
		   size_t len, struct network_def **out, char *err, size_t errlen)
{
	struct conf_xml_ctx ctx = { .err = err, .errlen = errlen };
	struct network_update_req req = {
		.cmd = cmd,
		.section = section,
		.parent_index = parent_index,
	};
	int ret;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if ((int)cmd < 0 || cmd >= NETWORK_UPDATE_CMD_LAST)
		return conf_xml_error(
			&ctx, NULL,
			"unknown net-update command %d; expected one of " NETWORK_UPDATE_CMD_NAMES,
			(int)cmd);
	if ((int)section < 0 || section >= NETWORK_SECTION_LAST)
		return conf_xml_error(&ctx, NULL,
				      "unknown net-update section %d; expected one "
				      "of " NETWORK_UPDATE_SECTION_NAMES,
				      (int)section);
	ret = network_update_copy(def, &req.def, "as it stands", err, errlen);
	if (ret)
		return ret;
	ret = conf_xml_parse(&ctx, xml, len, network_update_section_elem[section],
			     network_update_fill, &req);
	if (!ret)
		ret = network_update_copy(req.def, out, "after the update", err, errlen);
	network_def_free(req.def);
	return ret;
}
