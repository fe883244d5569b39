// SPDX-License-Identifier: GPL-2.0-or-later
/* vm_portsec.c - a VM port's <filterref> applied as port security (see vm_portsec.h) */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/bridge.h"
#include "ctl/vocab.h"
#include "daemon/vmport/vm_portsec.h"

_Static_assert(CONF_FILTER_MAC == PORTSEC_MAC && CONF_FILTER_IP == PORTSEC_IP &&
		       CONF_FILTER_ARP == PORTSEC_ARP && CONF_FILTER_L2 == PORTSEC_L2,
	       "conf/'s filter checks are core's port security flags");
_Static_assert(CONF_FILTER_MAC_MAX + 1 <= PORTSEC_MAC_MAX, "the VM's MAC and its MAC parameters");

int vm_portsec_apply(struct kv_port *p, const struct conf_filterref *f, const char *mac, char *err,
		     size_t errlen)
{
	struct portsec_cfg c = { 0 };

	if (!f)
		return 0;
	c.flags = f->checks;
	/* libvirt's CTRL_IP_LEARNING, any by default (conf/ let only its three words in) */
	if (f->learning && portsec_learning_value(f->learning) > 0)
		c.learning = (uint8_t)portsec_learning_value(f->learning);
	if (ctl_mac_parse(mac, c.mac[c.n_mac++]))
		goto bad_mac;
	for (size_t i = 0; i < f->n_mac; i++)
		if (ctl_mac_parse(f->mac[i], c.mac[c.n_mac++]))
			goto bad_mac;
	for (size_t i = 0; i < f->n_ip; i++) {
		bool v4 = strchr(f->ip[i], ':') == NULL;

		if (v4 ? c.n_ip4 == PORTSEC_IP4_MAX : c.n_ip6 == PORTSEC_IP6_MAX) {
			snprintf(err, errlen,
				 "<filterref filter='%s'>: more than %d IPv%d addresses in IP "
				 "parameters; kvnet's switch keeps at most that many per port",
				 f->filter, v4 ? PORTSEC_IP4_MAX : PORTSEC_IP6_MAX, v4 ? 4 : 6);
			return -EINVAL;
		}
		if (inet_pton(v4 ? AF_INET : AF_INET6, f->ip[i],
			      v4 ? c.ip4[c.n_ip4++] : c.ip6[c.n_ip6++]) != 1) {
			snprintf(err, errlen, "<filterref>: IP '%s' is not an address", f->ip[i]);
			return -EINVAL;
		}
	}
	return bridge_port_set_portsec(p->sw->br, p->no, &c);
bad_mac:
	snprintf(err, errlen, "<filterref>: a MAC of the port is not valid");
	return -EINVAL;
}
