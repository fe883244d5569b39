/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_def.c - freeing a network definition */
#include <stdlib.h>

#include "conf/network_def.h"

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

static void network_ip_clear(struct network_ip *ip)
{
	size_t i;

	free(ip->tftp_root);
	free(ip->ranges);
	for (i = 0; i < ip->n_hosts; i++) {
		free(ip->hosts[i].mac);
		free(ip->hosts[i].id);
		free(ip->hosts[i].name);
	}
	free(ip->hosts);
	free(ip->bootp_file);
}

static void network_dns_clear(struct network_dns *dns)
{
	size_t i, j;

	for (i = 0; i < dns->n_forwarders; i++)
		free(dns->forwarders[i].domain);
	free(dns->forwarders);
	for (i = 0; i < dns->n_hosts; i++) {
		for (j = 0; j < dns->hosts[i].n_hostnames; j++)
			free(dns->hosts[i].hostnames[j]);
		free(dns->hosts[i].hostnames);
	}
	free(dns->hosts);
	for (i = 0; i < dns->n_txts; i++) {
		free(dns->txts[i].name);
		free(dns->txts[i].value);
	}
	free(dns->txts);
	for (i = 0; i < dns->n_srvs; i++) {
		free(dns->srvs[i].service);
		free(dns->srvs[i].protocol);
		free(dns->srvs[i].domain);
		free(dns->srvs[i].target);
	}
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
	free(def->bridge.zone);
	free(def->mac);
	free(def->domain);
	network_dns_clear(&def->dns);
	free(def->vlan.tags);
	conf_elem_free(def->bandwidth);
	for (i = 0; i < def->n_ips; i++)
		network_ip_clear(&def->ips[i]);
	free(def->ips);
	free(def->routes);
	conf_elem_free(def->virtualport);
	for (i = 0; i < def->n_portgroups; i++) {
		free(def->portgroups[i].name);
		free(def->portgroups[i].vlan.tags);
		conf_elem_free(def->portgroups[i].bandwidth);
		conf_elem_free(def->portgroups[i].virtualport);
	}
	free(def->portgroups);
	for (i = 0; i < def->n_dnsmasq_options; i++)
		free(def->dnsmasq_options[i]);
	free(def->dnsmasq_options);
	free(def);
}
