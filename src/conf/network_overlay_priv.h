/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_overlay_priv.h - <kvnet:vxlan> read, checked and written by network_xml.c (conf/ only) */
#ifndef KVNET_CONF_NETWORK_OVERLAY_PRIV_H
#define KVNET_CONF_NETWORK_OVERLAY_PRIV_H

#include <libxml/tree.h>

#include "conf/conf_xml.h"
#include "conf/network_overlay.h"

/**
 * network_vxlan_parse() - read <kvnet:vxlan> @n into a new definition
 * @ctx:	for the error message, naming the element and what was expected
 * @n:		the element
 * @out:	set to the new definition (network_vxlan_free()); must be NULL (a second
 *		<kvnet:vxlan> is refused)
 * Return: 0, -EINVAL, -ENOMEM
 */
int network_vxlan_parse(struct conf_xml_ctx *ctx, const xmlNode *n, struct network_vxlan **out);

/**
 * network_vxlan_check() - refuse an overlay where the network cannot carry one: forward
 * modes private and vepa (every frame goes to their one uplink), and a <mtu> larger than
 * underlayMtu leaves room for
 * @n:		the <kvnet:vxlan> element, for the message
 * Return: 0 or -EINVAL
 */
int network_vxlan_check(struct conf_xml_ctx *ctx, const xmlNode *n, const struct network_def *def);

/** network_vxlan_format() - append @vx at indent level 1, in kvnet's prefix "kvnet:" */
void network_vxlan_format(struct conf_xml_buf *b, const struct network_vxlan *vx);

#endif /* KVNET_CONF_NETWORK_OVERLAY_PRIV_H */
