/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dnsmasq_conf.h - a network's dnsmasq configuration, as libvirt writes it */
/*
 * The text is libvirt's, line for line (checked against libvirt's networkxml2confdata
 * corpus, with dnsmasq >= 2.67 capabilities, on Linux), except for the "##" header.
 *
 * When dnsmasq is needed (@needed below): for a network of forward mode none (isolated),
 * nat, route or open that has at least one <ip>, when DNS is not disabled, or an <ip> has
 * DHCP ranges or static hosts or a <tftp>, or there is an IPv6 <ip> whose router
 * advertisements dnsmasq sends. libvirt does not start dnsmasq for a network with
 * <dns enable='no'> and no DHCP or TFTP even when it has IPv6 addresses, which leaves its
 * guests without RA; kvnet does (the configuration then has port=0 and only the RA lines).
 *
 * Nothing the definition holds may add lines or options to dnsmasq's files: a string
 * with a control character (newline, carriage return, tab...) is refused everywhere; a '"'
 * (dnsmasq's quote) and a '#' that would start a comment are refused in every value but
 * the <dnsmasq:option> lines, which are dnsmasq syntax passed through; names, domains and
 * DHCP ids also may not hold white space, ',' or '/'. The network name is used only in the
 * file paths, where, as libvirt does, its XML special characters are escaped ('"' becomes
 * "&quot;"), so no quote reaches dnsmasq.
 */
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
 * @mtu:	the guests' MTU (DHCP option 26) when the network has no <mtu>, e.g. what its
 *		VXLAN overlay leaves room for; 0 for none
 */
struct dnsmasq_conf_opts {
	const char *files_dir;
	const char *pid_file;
	const char *lease_file;
	const char *header;
	const char *interface;
	unsigned int mtu;
};

/**
 * struct dnsmasq_conf - what dnsmasq_conf_build() makes; strings owned, freed by
 * dnsmasq_conf_free()
 * @conf:	the configuration file's text
 * @hostsfile:	dhcp-hostsfile= content (DHCP static hosts), or NULL when there are none;
 *		the conf names the file whenever an <ip> has DHCP, so then write it empty
 * @addnhosts:	addn-hosts= content (DNS <host> entries, "IP<tab>NAME..." lines), "" when
 *		there are none; the conf names the file unless DNS is disabled
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

/**
 * dnsmasq_conf_free() - free what dnsmasq_conf_build() made and zero @c
 * @c:	the result, or NULL; freeing a zeroed or already freed one is harmless
 */
void dnsmasq_conf_free(struct dnsmasq_conf *c);

/**
 * dnsmasq_conf_file_path() - the path of network @name's file that the configuration names
 * @files_dir:	as &dnsmasq_conf_opts.files_dir
 * @name:	the network's name
 * @suffix:	"hostsfile" or "addnhosts"
 *
 * The name's XML special characters are escaped as the configuration writes them, so the
 * daemon writes the files where dnsmasq looks for them.
 *
 * Return: the path (free()), or NULL when out of memory
 */
char *dnsmasq_conf_file_path(const char *files_dir, const char *name, const char *suffix);

#endif /* KVNET_DNSMASQ_CONF_H */
