/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dnsmasq_conf.h - a network's dnsmasq configuration, as libvirt writes it */
#ifndef KVNET_DNSMASQ_CONF_H
#define KVNET_DNSMASQ_CONF_H

#include "conf/network_def.h"

/**
 * struct dnsmasq_conf_opts - where the files dnsmasq reads and writes live
 * @files_dir:	directory of NAME.hostsfile and NAME.addnhosts (libvirt: /var/lib/libvirt/dnsmasq)
 * @pid_file:	pid-file= line, or NULL for none
 * @lease_file:	dhcp-leasefile= line, or NULL for none (dnsmasq's default)
 * @header:	written as "## @header" comment lines at the top, or NULL for none
 * @interface:	the interface dnsmasq serves (the network's host port); NULL means the
 *		network's <bridge name>
 */
struct dnsmasq_conf_opts {
	const char *files_dir;
	const char *pid_file;
	const char *lease_file;
	const char *header;
	const char *interface;
};

/**
 * struct dnsmasq_conf - what dnsmasq_conf_build() makes; strings owned, freed by
 * dnsmasq_conf_free()
 * @conf:	the configuration file's text
 * @hostsfile:	dhcp-hostsfile= content (DHCP static hosts), or NULL when there are none
 * @addnhosts:	addn-hosts= content (DNS <host> entries), "" when there are none
 * @needed:	the network needs dnsmasq at all (it has an IPv4/IPv6 <ip>, and DNS is not
 *		disabled or there is DHCP or RA to serve); false: do not start it
 */
struct dnsmasq_conf {
	char *conf;
	char *hostsfile;
	char *addnhosts;
	bool needed;
};

/**
 * dnsmasq_conf_build() - the dnsmasq configuration of network @def
 * Return: 0, -EINVAL (with a message in @err: something dnsmasq cannot be told), -ENOMEM
 */
int dnsmasq_conf_build(const struct network_def *def, const struct dnsmasq_conf_opts *o,
		       struct dnsmasq_conf *out, char *err, size_t errlen);

void dnsmasq_conf_free(struct dnsmasq_conf *c);

#endif /* KVNET_DNSMASQ_CONF_H */
