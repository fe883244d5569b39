/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_bandwidth_priv.h - <bandwidth> read from and written to XML (internal to conf/) */
#ifndef KVNET_CONF_BANDWIDTH_PRIV_H
#define KVNET_CONF_BANDWIDTH_PRIV_H

#include <libxml/tree.h>

#include "conf/conf_bandwidth.h"
#include "conf/conf_xml.h"

/* what a <bandwidth> may have besides average, peak and burst, by where it is */
#define CONF_BW_FLOOR (1u << 0)	   /* <inbound floor>: a domain interface of type network, a port */
#define CONF_BW_CLASS_ID (1u << 1) /* <bandwidth classID>: a <networkport> */

/**
 * conf_bandwidth_parse() - read a <bandwidth> as libvirt does: at most one <inbound> and one
 * <outbound>, each with average (required, but for an inbound with a floor), peak and
 * burst (which need average), floor (inbound only, where @flags allow it)
 * @out:	replaced by the definition (a second <bandwidth> is an error)
 * Return: 0, -EINVAL with the message in @ctx, or -ENOMEM
 */
int conf_bandwidth_parse(struct conf_xml_ctx *ctx, const xmlNode *n, unsigned int flags,
			 struct conf_bandwidth **out);

/** conf_bandwidth_format() - append @bw at indent @level as libvirt formats it; none if NULL */
void conf_bandwidth_format(struct conf_xml_buf *b, const struct conf_bandwidth *bw, int level);

#endif /* KVNET_CONF_BANDWIDTH_PRIV_H */
