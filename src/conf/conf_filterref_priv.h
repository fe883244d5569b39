/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_filterref_priv.h - <filterref> read from and written to XML (internal to conf/) */
#ifndef KVNET_CONF_FILTERREF_PRIV_H
#define KVNET_CONF_FILTERREF_PRIV_H

#include <libxml/tree.h>

#include "conf/conf_filterref.h"
#include "conf/conf_xml.h"

/**
 * conf_filterref_parse() - read a <filterref filter='NAME'> and its <parameter>s
 * @out:	replaced by the definition (a second <filterref> is an error, as in libvirt)
 *
 * A filter kvnet does not apply, a parameter it does not know, an IP or MAC that is not
 * one, more than CONF_FILTER_IP_MAX IPs, and CTRL_IP_LEARNING other than 'dhcp' are
 * refused, with a message saying what kvnet applies instead.
 * Return: 0, -EINVAL with the message in @ctx, or -ENOMEM
 */
int conf_filterref_parse(struct conf_xml_ctx *ctx, const xmlNode *n, struct conf_filterref **out);

/** conf_filterref_format() - append @f at indent @level; nothing if NULL */
void conf_filterref_format(struct conf_xml_buf *b, const struct conf_filterref *f, int level);

#endif /* KVNET_CONF_FILTERREF_PRIV_H */
