/* SPDX-License-Identifier: GPL-2.0-or-later */
/* default_network.c - libvirt's "default" network, defined and autostarted at first start */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_xml.h"
#include "daemon/network/net_services.h"
#include "daemon/network/network.h"
#include "daemon/host/privilege.h"
#include "util/log.h"

/* libvirt's own default network: NAT, DHCP and DNS on 192.168.122.0/24 */
static const char default_xml[] = "<network>\n"
				  "  <name>default</name>\n"
				  "  <forward mode='nat'/>\n"
				  "  <bridge name='virbr0' stp='on' delay='0'/>\n"
				  "  <ip address='192.168.%d.1' netmask='255.255.255.0'>\n"
				  "    <dhcp>\n"
				  "      <range start='192.168.%d.2' end='192.168.%d.254'/>\n"
				  "    </dhcp>\n"
				  "  </ip>\n"
				  "</network>\n";

/*
 * As libvirt's packaging does, take 192.168.122.0/24 unless the host already uses it, then
 * the next free 192.168.N.0/24; and virbr0 unless an interface has that name (libvirt may
 * run beside kvnet), then the next free virbrN (network_define() picks it).
 */
static struct network_def *default_network_def(void)
{
	struct network_def *def = NULL;
	char xml[sizeof(default_xml) + 16], err[512];

	for (int third = 122; third < 255; third++) {
		snprintf(xml, sizeof(xml), default_xml, third, third, third);
		if (network_xml_parse(xml, strlen(xml), &def, err, sizeof(err))) {
			log_err("the default network does not parse: %s", err);
			return NULL;
		}
		if (!net_services_check_overlap(def, NULL, err, sizeof(err)))
			break;
		network_def_free(def);
		def = NULL;
	}
	if (def && !net_services_ifname_free(def->bridge.name)) {
		free(def->bridge.name);
		def->bridge.name = NULL;
	}
	return def;
}

void network_define_default(void)
{
	struct network_def *def;
	struct kv_network *n;
	char err[512];
	bool created;

	if (!kv_privileged()) {
		/* its host port and NAT could never start: a user defines networks of its own */
		log_info("first start without CAP_NET_ADMIN: no default network (it needs a host "
			 "port and NAT)");
		return;
	}
	def = default_network_def();
	if (!def) {
		log_err("no free 192.168.N.0/24 subnet for the default network; not defined");
		return;
	}
	/* kvnet's own: libvirt's own default, if libvirt has one, does not stop it */
	if (network_define_own(def, &n, &created, err, sizeof(err))) {
		log_err("cannot define the default network: %s", err);
		network_def_free(def);
		return;
	}
	if (network_set_autostart(n, true, err, sizeof(err)))
		log_err("default network: %s", err);
	log_info("first start: network default defined and marked autostart");
	if (network_start(n, err, sizeof(err)))
		log_err("network default: autostart failed: %s", err);
}
