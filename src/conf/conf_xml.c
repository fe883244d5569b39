/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_xml.c - what every conf/ XML parser and formatter shares: errors, attributes, kept
 * elements, <vlan>, <virtualport>, and the output buffer */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "conf/conf_uuid.h"
#include "conf/conf_xml.h"

int conf_xml_error(struct conf_xml_ctx *ctx, const xmlNode *node, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctx->err && ctx->errlen) {
		/* an element of a namespace is named with the document's prefix: <kvnet:vxlan> */
		if (node && node->ns && node->ns->prefix)
			snprintf(ctx->err, ctx->errlen, "line %ld: <%s:%s>: %s", xmlGetLineNo(node),
				 (const char *)node->ns->prefix, (const char *)node->name, msg);
		else if (node)
			snprintf(ctx->err, ctx->errlen, "line %ld: <%s>: %s", xmlGetLineNo(node),
				 (const char *)node->name, msg);
		else
			snprintf(ctx->err, ctx->errlen, "%s", msg);
	}
	return -EINVAL;
}

bool conf_xml_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && !strcmp((const char *)n->name, name);
}

/* an attribute's value, malloc'ed; NULL when absent or out of memory (*oom set) */
char *conf_xml_prop(const xmlNode *n, const char *attr)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char *s;

	if (!v)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

char *conf_xml_text(const xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s;

	if (!v)
		return strdup("");
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

void *conf_xml_grow(void *arr, size_t *n, size_t size)
{
	void *p = realloc(arr, (*n + 1) * size);

	if (!p)
		return NULL;
	memset((char *)p + *n * size, 0, size);
	(*n)++;
	return p;
}

int conf_xml_tristate(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, bool on_off,
		      enum conf_tristate *out)
{
	char *v = conf_xml_prop(n, attr);
	int ret = 0;

	*out = CONF_TRI_ABSENT;
	if (!v)
		return 0;
	if (!strcmp(v, "yes") || (on_off && !strcmp(v, "on")))
		*out = CONF_TRI_YES;
	else if (!strcmp(v, "no") || (on_off && !strcmp(v, "off")))
		*out = CONF_TRI_NO;
	else
		ret = conf_xml_error(ctx, n, "attribute '%s': expected %s, got '%s'", attr,
				     on_off ? "'on' or 'off'" : "'yes' or 'no'", v);
	free(v);
	return ret;
}

/* an unsigned number in [min, max]; *out untouched when absent and !required */
int conf_xml_ulong(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, unsigned long min,
		   unsigned long max, bool required, unsigned long *out, bool *present)
{
	char *v = conf_xml_prop(n, attr), *end;
	unsigned long x;
	int ret = 0;

	if (present)
		*present = v != NULL;
	if (!v) {
		if (required)
			return conf_xml_error(ctx, n, "attribute '%s' is required", attr);
		return 0;
	}
	errno = 0;
	x = strtoul(v, &end, 10);
	if (!isdigit((unsigned char)v[0]) || *end || errno || x < min || x > max)
		ret = conf_xml_error(ctx, n,
				     "attribute '%s': expected a number from %lu to %lu, got '%s'",
				     attr, min, max, v);
	else
		*out = x;
	free(v);
	return ret;
}

/* a MAC address "xx:xx:xx:xx:xx:xx", lower-cased into *out */
int conf_xml_mac(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, bool unicast,
		 char **out)
{
	char *v = conf_xml_prop(n, attr);
	unsigned int b[6];
	int len = 0;

	if (!v)
		return conf_xml_error(ctx, n, "attribute '%s' is required", attr);
	if (sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &len) != 6 ||
	    (size_t)len != strlen(v) || len != 17 || strspn(v, "0123456789abcdefABCDEF:") != 17) {
		conf_xml_error(ctx, n,
			       "attribute '%s': expected a MAC address xx:xx:xx:xx:xx:xx, "
			       "got '%s'",
			       attr, v);
		free(v);
		return -EINVAL;
	}
	if (unicast && (b[0] & 1)) {
		conf_xml_error(ctx, n,
			       "attribute '%s': expected a unicast MAC address, got "
			       "multicast '%s'",
			       attr, v);
		free(v);
		return -EINVAL;
	}
	for (len = 0; v[len]; len++)
		v[len] = tolower((unsigned char)v[len]);
	*out = v;
	return 0;
}

int conf_xml_mac_fixed(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, bool unicast,
		       char out[CONF_MAC_STRLEN])
{
	char *mac = NULL;
	int ret = conf_xml_mac(ctx, n, attr, unicast, &mac);

	if (ret)
		return ret;
	snprintf(out, CONF_MAC_STRLEN, "%s", mac);
	free(mac);
	return 0;
}

int conf_xml_uuid(struct conf_xml_ctx *ctx, const xmlNode *n, unsigned char *uuid)
{
	char *v = conf_xml_text(n);
	int ret = 0;

	if (!v)
		return -ENOMEM;
	if (conf_uuid_parse(v, uuid))
		ret = conf_xml_error(ctx, n,
				     "expected a UUID like "
				     "'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', got '%s'",
				     v);
	free(v);
	return ret;
}

static int conf_xml_elem(const xmlNode *n, struct conf_elem *e)
{
	const xmlAttr *a;
	const xmlNode *c;

	e->name = strdup((const char *)n->name);
	if (!e->name)
		return -ENOMEM;
	for (a = n->properties; a; a = a->next) {
		char **names = realloc(e->attr_names, (e->n_attrs + 1) * sizeof(char *));
		char **values;

		if (!names)
			return -ENOMEM;
		e->attr_names = names;
		values = realloc(e->attr_values, (e->n_attrs + 1) * sizeof(char *));
		if (!values)
			return -ENOMEM;
		e->attr_values = values;
		e->attr_names[e->n_attrs] = strdup((const char *)a->name);
		e->attr_values[e->n_attrs] = conf_xml_prop(n, (const char *)a->name);
		e->n_attrs++;
		if (!e->attr_names[e->n_attrs - 1] || !e->attr_values[e->n_attrs - 1])
			return -ENOMEM;
	}
	for (c = n->children; c; c = c->next) {
		struct conf_elem *child;
		int ret;

		if (c->type == XML_TEXT_NODE && !xmlIsBlankNode(c) && !e->text) {
			e->text = conf_xml_text(n);
			if (!e->text)
				return -ENOMEM;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		child = CONF_XML_PUSH(e->children, e->n_children);
		if (!child)
			return -ENOMEM;
		ret = conf_xml_elem(c, child);
		if (ret)
			return ret;
	}
	return 0;
}

int conf_xml_keep(const xmlNode *n, struct conf_elem **out)
{
	struct conf_elem *e = calloc(1, sizeof(*e));
	int ret;

	if (!e)
		return -ENOMEM;
	ret = conf_xml_elem(n, e);
	if (ret) {
		conf_elem_free(e);
		return ret;
	}
	conf_elem_free(*out);
	*out = e;
	return 0;
}

int conf_xml_virtualport(struct conf_xml_ctx *ctx, const xmlNode *n, bool top,
			 struct conf_elem **out)
{
	char *type = conf_xml_prop(n, "type");
	int ret;

	if (type && strcmp(type, "openvswitch")) {
		ret = conf_xml_error(ctx, n,
				     "attribute 'type': virtual port type '%s' is not supported "
				     "by kvnet; supported: 'openvswitch' (its VLANs and "
				     "parameters are kept), or no <virtualport>",
				     type);
		free(type);
		return ret;
	}
	if (top && !type) {
		return conf_xml_error(ctx, n,
				      "attribute 'type' is required: expected "
				      "'openvswitch'");
	}
	free(type);
	return conf_xml_keep(n, out);
}

int conf_xml_vlan(struct conf_xml_ctx *ctx, const xmlNode *n, struct conf_vlan *vlan)
{
	const xmlNode *c;
	int ret;

	if (vlan->present)
		return conf_xml_error(ctx, n, "expected at most one <vlan>");
	vlan->present = true;
	ret = conf_xml_tristate(ctx, n, "trunk", false, &vlan->trunk);
	if (ret)
		return ret;
	for (c = n->children; c; c = c->next) {
		struct conf_vlan_tag *tag;
		unsigned long id = 0;
		int mode;

		if (!conf_xml_is(c, "tag"))
			continue;
		tag = CONF_XML_PUSH(vlan->tags, vlan->n_tags);
		if (!tag)
			return -ENOMEM;
		ret = conf_xml_ulong(ctx, c, "id", 1, 4094, true, &id, NULL);
		if (ret)
			return ret;
		tag->id = id;
		mode = CONF_NATIVE_NONE;
		ret = conf_xml_enum(ctx, c, "nativeMode", conf_native_mode_from_string,
				    "'tagged' or 'untagged'", &mode);
		if (ret)
			return ret;
		tag->native_mode = mode;
	}
	if (!vlan->n_tags)
		return conf_xml_error(ctx, n, "expected at least one <tag id='1..4094'/>");
	if (vlan->n_tags > 1 && vlan->trunk == CONF_TRI_NO)
		return conf_xml_error(ctx, n, "attribute 'trunk': 'no' but %zu tags given",
				      vlan->n_tags);
	return 0;
}

int conf_xml_enum(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr,
		  int (*from_string)(const char *), const char *expected, int *out)
{
	char *v = conf_xml_prop(n, attr);
	int e;

	if (!v)
		return 0;
	e = from_string(v);
	if (e < 0)
		conf_xml_error(ctx, n, "attribute '%s': expected %s, got '%s'", attr, expected, v);
	else
		*out = e;
	free(v);
	return e < 0 ? -EINVAL : 0;
}

int conf_xml_mac_table(struct conf_xml_ctx *ctx, const xmlNode *n, enum conf_mac_table *out)
{
	int m = CONF_MAC_TABLE_DEFAULT;
	int ret = conf_xml_enum(ctx, n, "macTableManager", conf_mac_table_from_string,
				"'kernel' or 'libvirt'", &m);

	*out = m;
	return ret;
}

static xmlDoc *conf_xml_read(struct conf_xml_ctx *ctx, const char *buf, size_t len,
			     const char *root, int *ret)
{
	xmlParserCtxtPtr pctx;
	const xmlNode *top;
	xmlDoc *doc;

	if (ctx->err && ctx->errlen)
		ctx->err[0] = '\0';
	if (len > INT32_MAX) {
		*ret = conf_xml_error(ctx, NULL, "document too large");
		return NULL;
	}
	pctx = xmlNewParserCtxt();
	if (!pctx) {
		*ret = -ENOMEM;
		return NULL;
	}
	doc = xmlCtxtReadMemory(pctx, buf, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(pctx);

		if (e && e->message)
			*ret = conf_xml_error(ctx, NULL, "line %d: not well-formed XML: %.*s",
					      e->line, (int)strcspn(e->message, "\n"), e->message);
		else
			*ret = conf_xml_error(ctx, NULL, "not well-formed XML");
		xmlFreeParserCtxt(pctx);
		return NULL;
	}
	xmlFreeParserCtxt(pctx);
	top = xmlDocGetRootElement(doc);
	if (root && (!top || strcmp((const char *)top->name, root))) {
		if (top)
			*ret = conf_xml_error(ctx, top, "expected the root element <%s>", root);
		else
			*ret = conf_xml_error(ctx, NULL, "expected the root element <%s>", root);
		xmlFreeDoc(doc);
		return NULL;
	}
	*ret = 0;
	return doc;
}

int conf_xml_parse(struct conf_xml_ctx *ctx, const char *buf, size_t len, const char *root,
		   int (*fill)(struct conf_xml_ctx *ctx, const xmlNode *root, void *def), void *def)
{
	xmlDoc *doc;
	int ret;

	doc = conf_xml_read(ctx, buf, len, root, &ret);
	if (!doc)
		return ret;
	ret = fill(ctx, xmlDocGetRootElement(doc), def);
	xmlFreeDoc(doc);
	return ret;
}

/* ---- formatting ---- */

void conf_xml_add(struct conf_xml_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vappendf(&b->sb, fmt, ap);
	va_end(ap);
}

void conf_xml_indent(struct conf_xml_buf *b, int level)
{
	conf_xml_add(b, "%*s", level * 2, "");
}

/* @s with XML's special characters escaped, as libvirt's virBufferEscapeString does */
/*
 * Beyond XML's five special characters, a carriage return is written as a reference so
 * that it survives line-end normalisation, and in an attribute so are newline and tab,
 * which attribute-value normalisation would turn into spaces: what kvnet writes reads back
 * unchanged.
 */
static void conf_xml_esc_in(struct conf_xml_buf *b, const char *s, bool attr)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			conf_xml_add(b, "&amp;");
			break;
		case '<':
			conf_xml_add(b, "&lt;");
			break;
		case '>':
			conf_xml_add(b, "&gt;");
			break;
		case '\'':
			conf_xml_add(b, "&apos;");
			break;
		case '"':
			conf_xml_add(b, "&quot;");
			break;
		case '\r':
			conf_xml_add(b, "&#13;");
			break;
		case '\n':
		case '\t':
			if (attr) {
				conf_xml_add(b, "&#%d;", *s);
				break;
			}
			/* fall through */
		default:
			conf_xml_add(b, "%c", *s);
		}
	}
}

void conf_xml_esc(struct conf_xml_buf *b, const char *s)
{
	conf_xml_esc_in(b, s, false);
}

void conf_xml_attr(struct conf_xml_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	conf_xml_add(b, " %s='", name);
	conf_xml_esc_in(b, value, true);
	conf_xml_add(b, "'");
}

void conf_xml_attr_tri(struct conf_xml_buf *b, const char *name, enum conf_tristate t)
{
	if (t != CONF_TRI_ABSENT)
		conf_xml_add(b, " %s='%s'", name, t == CONF_TRI_YES ? "yes" : "no");
}

void conf_xml_format_elem(struct conf_xml_buf *b, const struct conf_elem *e, int level)
{
	size_t i;

	conf_xml_indent(b, level);
	conf_xml_add(b, "<%s", e->name);
	for (i = 0; i < e->n_attrs; i++)
		conf_xml_attr(b, e->attr_names[i], e->attr_values[i]);
	if (!e->n_children && !e->text) {
		conf_xml_add(b, "/>\n");
		return;
	}
	conf_xml_add(b, ">");
	if (!e->n_children) {
		conf_xml_esc(b, e->text);
		conf_xml_add(b, "</%s>\n", e->name);
		return;
	}
	conf_xml_add(b, "\n");
	for (i = 0; i < e->n_children; i++)
		conf_xml_format_elem(b, &e->children[i], level + 1);
	conf_xml_indent(b, level);
	conf_xml_add(b, "</%s>\n", e->name);
}

void conf_xml_format_vlan(struct conf_xml_buf *b, const struct conf_vlan *v, int level)
{
	size_t i;

	if (!v->present)
		return;
	conf_xml_indent(b, level);
	conf_xml_add(b, "<vlan%s>\n", v->trunk == CONF_TRI_YES ? " trunk='yes'" : "");
	for (i = 0; i < v->n_tags; i++) {
		conf_xml_indent(b, level + 1);
		conf_xml_add(b, "<tag id='%u'", v->tags[i].id);
		conf_xml_attr(b, "nativeMode", conf_native_mode_to_string(v->tags[i].native_mode));
		conf_xml_add(b, "/>\n");
	}
	conf_xml_indent(b, level);
	conf_xml_add(b, "</vlan>\n");
}
int conf_xml_finish(struct conf_xml_buf *b, char **out)
{
	return strbuf_take(&b->sb, out);
}
