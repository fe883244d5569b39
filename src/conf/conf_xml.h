/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_xml.h - helpers shared by the conf/ XML parsers and formatters (internal to conf/) */
#ifndef KVNET_CONF_XML_H
#define KVNET_CONF_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "conf/conf_uuid.h"
#include "conf/network_def.h"
#include "util/strbuf.h"

/* where a parser writes its one error message; @err may be NULL */
struct conf_xml_ctx {
	char *err;
	size_t errlen;
};

/**
 * conf_xml_error() - write "line N: <element>: message" (just the message without @node)
 * @ctx:	where to write it
 * @node:	the element at fault, or NULL
 * @fmt:	printf format of the message
 *
 * Return: -EINVAL, so a parser can `return conf_xml_error(...)`
 */
__attribute__((format(printf, 3, 4))) int conf_xml_error(struct conf_xml_ctx *ctx,
							 const xmlNode *node, const char *fmt, ...);

/**
 * conf_xml_parse() - parse a document held in memory and fill a definition from its root
 * @ctx:	for the error message (its buffer is emptied first)
 * @buf, @len:	the document (need not be NUL-terminated)
 * @root:	the name the root element must have, or NULL to leave that to @fill
 * @fill:	reads the root element into @def; 0 or a negative errno
 * @def:	the caller's zeroed definition, which it frees on failure
 *
 * Return: 0; -EINVAL for a document that is not well-formed, has the wrong root, or that
 * @fill refuses; -ENOMEM
 */
int conf_xml_parse(struct conf_xml_ctx *ctx, const char *buf, size_t len, const char *root,
		   int (*fill)(struct conf_xml_ctx *ctx, const xmlNode *root, void *def),
		   void *def);

/** conf_xml_is() - whether @n is the element @name, in no namespace */
bool conf_xml_is(const xmlNode *n, const char *name);

/** conf_xml_prop() - an attribute's value, malloc'ed; NULL when absent or out of memory */
char *conf_xml_prop(const xmlNode *n, const char *attr);

/** conf_xml_text() - an element's text content, malloc'ed ("" if none); NULL without memory */
char *conf_xml_text(const xmlNode *n);

/** conf_xml_grow() - append one zeroed element of @size to @arr; Return: new array or NULL */
void *conf_xml_grow(void *arr, size_t *n, size_t size);

/* append a zeroed element to the array @arr of @n; evaluates to it, or NULL without memory */
#define CONF_XML_PUSH(arr, n)                                                                      \
	({                                                                                         \
		void *_p = conf_xml_grow((arr), &(n), sizeof(*(arr)));                             \
		if (_p)                                                                            \
			(arr) = _p;                                                                \
		_p ? &(arr)[(n)-1] : NULL;                                                         \
	})

/**
 * conf_xml_tristate() - read a yes/no attribute (also on/off when @on_off)
 * Return: 0 (*@out CONF_TRI_ABSENT when absent) or -EINVAL
 */
int conf_xml_tristate(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, bool on_off,
		      enum conf_tristate *out);

/**
 * conf_xml_ulong() - read an unsigned decimal attribute in [@min, @max]
 * @required:	whether absence is an error; otherwise *@out is left untouched
 * @present:	set to whether the attribute was given; may be NULL
 * Return: 0 or -EINVAL
 */
int conf_xml_ulong(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, unsigned long min,
		   unsigned long max, bool required, unsigned long *out, bool *present);

/**
 * conf_xml_mac() - read a required MAC address attribute "xx:xx:xx:xx:xx:xx"
 * @unicast:	refuse a multicast address
 * @out:	the address lower-cased, malloc'ed
 * Return: 0 or -EINVAL
 */
int conf_xml_mac(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, bool unicast,
		 char **out);

/** conf_xml_mac_fixed() - conf_xml_mac() into a fixed buffer; Return: 0 or -EINVAL */
int conf_xml_mac_fixed(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr, bool unicast,
		       char out[CONF_MAC_STRLEN]);

/** conf_xml_uuid() - read an element whose text is a UUID; Return: 0, -EINVAL or -ENOMEM */
int conf_xml_uuid(struct conf_xml_ctx *ctx, const xmlNode *n, unsigned char *uuid);

/**
 * conf_xml_enum() - read an optional attribute that names an enum value
 * @from_string:	the enum's name lookup (conf_enum.h), returning the value or < 0
 * @expected:	what the message says was expected, e.g. "'yes' or 'no'"
 * @out:	the value; untouched when the attribute is absent
 * Return: 0 or -EINVAL
 */
int conf_xml_enum(struct conf_xml_ctx *ctx, const xmlNode *n, const char *attr,
		  int (*from_string)(const char *), const char *expected, int *out);

/** conf_xml_mac_table() - read attribute macTableManager; Return: 0 or -EINVAL */
int conf_xml_mac_table(struct conf_xml_ctx *ctx, const xmlNode *n, enum conf_mac_table *out);

/**
 * conf_xml_keep() - copy an element kvnet keeps without interpreting it (<virtualport>)
 * @out:	replaced by the copy (a previous one is freed)
 * Return: 0 or -ENOMEM
 */
int conf_xml_keep(const xmlNode *n, struct conf_elem **out);

/**
 * conf_xml_virtualport() - keep a <virtualport>, refusing every type but openvswitch
 * @top:	whether the type is required (a network's own); a portgroup's or an
 *		interface's may leave it to the network
 * Return: 0, -EINVAL (message says "not supported by kvnet" for a refused type) or -ENOMEM
 */
int conf_xml_virtualport(struct conf_xml_ctx *ctx, const xmlNode *n, bool top,
			 struct conf_elem **out);

/**
 * conf_xml_vlan() - read a <vlan> with its <tag id='1..4094' [nativeMode]/> children
 * @vlan:	must be empty; a second <vlan> for the same owner is an error
 * Return: 0, -EINVAL or -ENOMEM
 */
int conf_xml_vlan(struct conf_xml_ctx *ctx, const xmlNode *n, struct conf_vlan *vlan);

/* the output text: util's string builder, so every add after an allocation failure is a no-op */
struct conf_xml_buf {
	struct strbuf sb;
};

/** conf_xml_add() - append printf-formatted text */
__attribute__((format(printf, 2, 3))) void conf_xml_add(struct conf_xml_buf *b, const char *fmt,
							...);
/** conf_xml_indent() - append two spaces per @level */
void conf_xml_indent(struct conf_xml_buf *b, int level);
/** conf_xml_esc() - append text @s with &, <, >, ', " and carriage return escaped */
void conf_xml_esc(struct conf_xml_buf *b, const char *s);
/** conf_xml_attr() - append " name='value'" escaped; nothing when @value is NULL */
void conf_xml_attr(struct conf_xml_buf *b, const char *name, const char *value);
/** conf_xml_attr_tri() - append " name='yes|no'"; nothing when absent */
void conf_xml_attr_tri(struct conf_xml_buf *b, const char *name, enum conf_tristate t);
/** conf_xml_format_elem() - append a kept element at indent @level, as it came */
void conf_xml_format_elem(struct conf_xml_buf *b, const struct conf_elem *e, int level);
/** conf_xml_format_vlan() - append a <vlan> at indent @level; nothing when absent */
void conf_xml_format_vlan(struct conf_xml_buf *b, const struct conf_vlan *v, int level);

/**
 * conf_xml_finish() - hand over the text
 * Return: 0 with *@out the string (free()), or -ENOMEM with the buffer freed
 */
int conf_xml_finish(struct conf_xml_buf *b, char **out);

#endif /* KVNET_CONF_XML_H */
