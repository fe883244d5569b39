/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_def.c - freeing a network definition and its parts */
#include <netinet/in.h>
#include <stdlib.h>

#include "conf/network_def.h"
#include "conf/network_overlay.h"

static void conf_elem_clear(struct conf_elem *e)
{
	size_t i;

	free(e->name);
	for (i = 0; i < e->n_attrs; i++) {
		free(e->attr_names[i]);
		free(e->attr_values[i]);
	}
	free(e->attr_names);
	free(e->attr_values);
	free(e->text);
	for (i = 0; i < e->n_children; i++)
		conf_elem_clear(&e->children[i]);
	free(e->children);
}

void conf_elem_free(struct conf_elem *e)
{
	if (!e)
		return;
	conf_elem_clear(e);
	free(e);
}

void conf_dhcp_host_clear(struct conf_dhcp_host *h)
{
	free(h->mac);
	free(h->id);
	free(h->name);
}

void network_dns_host_clear(struct network_dns_host *h)
{
	size_t i;

	for (i = 0; i < h->n_hostnames; i++)
		free(h->hostnames[i]);
	free(h->hostnames);
}

void network_dns_txt_clear(struct network_dns_txt *t)
{
	free(t->name);
	free(t->value);
}

void network_dns_srv_clear(struct network_dns_srv *s)
{
	free(s->service);
	free(s->protocol);
	free(s->domain);
	free(s->target);
}

void network_portgroup_clear(struct network_portgroup *pg)
{
	free(pg->name);
	free(pg->vlan.tags);
	conf_bandwidth_free(pg->bandwidth);
	conf_elem_free(pg->virtualport);
}

static void network_ip_clear(struct network_ip *ip)
{
	size_t i;

	free(ip->tftp_root);
	free(ip->ranges);
	for (i = 0; i < ip->n_hosts; i++)
		conf_dhcp_host_clear(&ip->hosts[i]);
	free(ip->hosts);
	free(ip->bootp_file);
}

static void network_dns_clear(struct network_dns *dns)
{
	size_t i;

	for (i = 0; i < dns->n_forwarders; i++)
		free(dns->forwarders[i].domain);
	free(dns->forwarders);
	for (i = 0; i < dns->n_hosts; i++)
		network_dns_host_clear(&dns->hosts[i]);
	free(dns->hosts);
	for (i = 0; i < dns->n_txts; i++)
		network_dns_txt_clear(&dns->txts[i]);
	free(dns->txts);
	for (i = 0; i < dns->n_srvs; i++)
		network_dns_srv_clear(&dns->srvs[i]);
	free(dns->srvs);
}

void network_def_free(struct network_def *def)
{
	size_t i;

	if (!def)
		return;
	free(def->name);
	free(def->title);
	free(def->description);
	free(def->metadata);
	free(def->forward.dev);
	for (i = 0; i < def->forward.n_ifaces; i++)
		free(def->forward.ifaces[i]);
	free(def->forward.ifaces);
	free(def->bridge.name);
	free(def->mac);
	free(def->domain);
	network_dns_clear(&def->dns);
	free(def->vlan.tags);
	conf_bandwidth_free(def->bandwidth);
	for (i = 0; i < def->n_ips; i++)
		network_ip_clear(&def->ips[i]);
	free(def->ips);
	free(def->routes);
	conf_elem_free(def->virtualport);
	for (i = 0; i < def->n_portgroups; i++)
		network_portgroup_clear(&def->portgroups[i]);
	free(def->portgroups);
	for (i = 0; i < def->n_dnsmasq_options; i++)
		free(def->dnsmasq_options[i]);
	free(def->dnsmasq_options);
	network_vxlan_free(def->vxlan);
	free(def);
}

int network_ip_prefix(const struct network_ip *ip)
{
	const unsigned char *b;
	int bits = 0;

	if (ip->prefix >= 0)
		return ip->prefix;
	if (ip->netmask.family == AF_INET) {
		b = (const unsigned char *)&ip->netmask.v4;
		for (int i = 0; i < 4; i++)
			bits += __builtin_popcount(b[i]);
		return bits;
	}
	if (ip->address.family == AF_INET6)
		return 64;
	/* libvirt's classful default for an IPv4 address without netmask or prefix */
	b = (const unsigned char *)&ip->address.v4;
	return b[0] < 128 ? 8 : b[0] < 192 ? 16 : 24;
}
