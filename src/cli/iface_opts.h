/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iface_opts.h - a libvirt <interface> made from command-line options (kvnet port-create) */
#ifndef KVNET_CLI_IFACE_OPTS_H
#define KVNET_CLI_IFACE_OPTS_H

#include <stddef.h>

/**
 * struct iface_opts - what the options say of the interface; NULL for an option not given
 * @network:	<source network>: type='network' (exactly one of @network and @bridge)
 * @bridge:	<source bridge>: type='bridge'
 * @portgroup:	<source portgroup> (network only)
 * @mac:	<mac address>, aa:bb:cc:dd:ee:ff
 * @target:	<target dev>
 * @vlan:	the VLAN list, as --vlan takes it (see iface_opts_xml())
 */
struct iface_opts {
	const char *network;
	const char *bridge;
	const char *portgroup;
	const char *mac;
	const char *target;
	const char *vlan;
};

/**
 * iface_opts_xml() - the <interface> element @o describes, as `virsh attach-device` takes it
 * @o:		the options
 * @out:	on success the document (free())
 * @err:	on -EINVAL what is wrong, naming the option and what was expected
 *
 * The VLAN list is "[trunk:]VID[,VID...]", each VID a number (CTL_VID_RANGE) or a range
 * N-M; one single VID of it may end in ":native-untagged" or ":native-tagged". One VID is
 * an access port (<vlan><tag id/></vlan>); more than one, a native mode or "trunk:" make a
 * trunk (<vlan trunk='yes'>), the native VID's <tag> with nativeMode='untagged' or
 * 'tagged', as libvirt writes them.
 *
 * Return: 0, -EINVAL (bad options) or -ENOMEM
 */
int iface_opts_xml(const struct iface_opts *o, char **out, char *err, size_t errlen);

#endif /* KVNET_CLI_IFACE_OPTS_H */
