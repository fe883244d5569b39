/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_bandwidth.c - libvirt's <bandwidth>: parse, check and format (see conf_bandwidth.h) */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_bandwidth_priv.h"

int conf_bandwidth_dup(const struct conf_bandwidth *from, struct conf_bandwidth **out)
{
	*out = NULL;
	if (!from)
		return 0;
	*out = malloc(sizeof(**out));
	if (!*out)
		return -ENOMEM;
	**out = *from;
	return 0;
}

void conf_bandwidth_free(struct conf_bandwidth *b)
{
	free(b);
}

static int conf_bandwidth_rate(struct conf_xml_ctx *ctx, const xmlNode *n, bool inbound,
			       unsigned int flags, struct conf_rate *r)
{
	bool has_avg = false, has_floor = false;
	int ret;

	if (r->present)
		return conf_xml_error(ctx, n, "expected at most one <%s> in a <bandwidth>",
				      (const char *)n->name);
	r->present = true;
	ret = conf_xml_ulong(ctx, n, "average", 1, CONF_BANDWIDTH_RATE_MAX, false, &r->average,
			     &has_avg);
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "peak", 1, CONF_BANDWIDTH_RATE_MAX, false, &r->peak,
				     NULL);
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "burst", 1, CONF_BANDWIDTH_BURST_MAX, false, &r->burst,
				     NULL);
	if (!ret)
		ret = conf_xml_ulong(ctx, n, "floor", 1, CONF_BANDWIDTH_RATE_MAX, false, &r->floor,
				     &has_floor);
	if (ret)
		return ret;
	if (has_floor && !inbound)
		return conf_xml_error(ctx, n,
				      "attribute 'floor' is only for <inbound> (a guaranteed "
				      "rate to the guest)");
	if (has_floor && !(flags & CONF_BW_FLOOR))
		return conf_xml_error(ctx, n,
				      "attribute 'floor' is only for an <interface type='network'> "
				      "or a <networkport>");
	if (!has_avg && !has_floor)
		return conf_xml_error(ctx, n,
				      "attribute 'average' is required: expected a rate in "
				      "kilobytes per second");
	if (!has_avg && (r->peak || r->burst))
		return conf_xml_error(ctx, n, "attributes 'peak' and 'burst' need 'average'");
	return 0;
}

int conf_bandwidth_parse(struct conf_xml_ctx *ctx, const xmlNode *n, unsigned int flags,
			 struct conf_bandwidth **out)
{
	struct conf_bandwidth *bw;
	const xmlNode *c;
	int ret = 0;

	if (*out)
		return conf_xml_error(ctx, n, "expected at most one <bandwidth>");
	bw = calloc(1, sizeof(*bw));
	if (!bw)
		return -ENOMEM;
	if (flags & CONF_BW_CLASS_ID)
		ret = conf_xml_ulong(ctx, n, "classID", 1, 4294967295UL, false, &bw->class_id,
				     NULL);
	else if (xmlHasProp(n, (const xmlChar *)"classID"))
		ret = conf_xml_error(ctx, n,
				     "attribute 'classID' is only for a <networkport>'s "
				     "<bandwidth>");
	for (c = n->children; !ret && c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (conf_xml_is(c, "inbound"))
			ret = conf_bandwidth_rate(ctx, c, true, flags, &bw->in);
		else if (conf_xml_is(c, "outbound"))
			ret = conf_bandwidth_rate(ctx, c, false, flags, &bw->out);
		else
			ret = conf_xml_error(ctx, c,
					     "unknown element in <bandwidth>: expected "
					     "<inbound> or <outbound>");
	}
	if (ret) {
		free(bw);
		return ret;
	}
	*out = bw;
	return 0;
}

static void conf_bandwidth_rate_xml(struct strbuf *sb, const char *name, const struct conf_rate *r,
				    unsigned int indent)
{
	if (!r->present)
		return;
	strbuf_appendf(sb, "%*s<%s", (int)indent, "", name);
	/* libvirt's order: average, peak, floor, burst */
	if (r->average)
		strbuf_appendf(sb, " average='%lu'", r->average);
	if (r->peak)
		strbuf_appendf(sb, " peak='%lu'", r->peak);
	if (r->floor)
		strbuf_appendf(sb, " floor='%lu'", r->floor);
	if (r->burst)
		strbuf_appendf(sb, " burst='%lu'", r->burst);
	strbuf_append(sb, "/>\n");
}

void conf_bandwidth_xml(struct strbuf *sb, const struct conf_bandwidth *bw, unsigned int indent)
{
	if (!bw)
		return;
	strbuf_appendf(sb, "%*s<bandwidth", (int)indent, "");
	if (bw->class_id)
		strbuf_appendf(sb, " classID='%lu'", bw->class_id);
	if (!bw->in.present && !bw->out.present) {
		strbuf_append(sb, "/>\n");
		return;
	}
	strbuf_append(sb, ">\n");
	conf_bandwidth_rate_xml(sb, "inbound", &bw->in, indent + 2);
	conf_bandwidth_rate_xml(sb, "outbound", &bw->out, indent + 2);
	strbuf_appendf(sb, "%*s</bandwidth>\n", (int)indent, "");
}

void conf_bandwidth_format(struct conf_xml_buf *b, const struct conf_bandwidth *bw, int level)
{
	conf_bandwidth_xml(&b->sb, bw, (unsigned int)level * 2);
}
