/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iface_opts.c - a libvirt <interface> made from command-line options (kvnet port-create) */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/iface_opts.h"
#include "ctl/vocab.h"

/* the VLAN list, parsed: a flag per VID, the trunk, the native VID and its mode */
struct iface_vlan {
	bool member[CTL_VID_MAX + 1];
	unsigned int n;
	bool trunk;
	unsigned int native;
	const char *native_mode;
};

/* a VID (CTL_VID_MIN..CTL_VID_MAX) spelt by the @len characters at @s; 0 if it is not one */
static unsigned int iface_vid(const char *s, size_t len)
{
	unsigned int v = 0;

	if (!len || len > 4 || strspn(s, "0123456789") < len)
		return 0;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (unsigned int)(s[i] - '0');
	return v >= CTL_VID_MIN && v <= CTL_VID_MAX ? v : 0;
}

/* one item of the list, "N", "N-M" or "N:native-MODE", of @len characters at @s */
static int iface_vlan_item(struct iface_vlan *v, const char *s, size_t len, char *err,
			   size_t errlen)
{
	const char *colon = memchr(s, ':', len), *dash;
	size_t vlen = colon ? (size_t)(colon - s) : len;
	unsigned int first, last;

	if (colon) {
		size_t mlen = len - vlen - 1;

		if (v->native_mode) {
			snprintf(err, errlen, "--vlan: '%.*s': only one VID may be native",
				 (int)len, s);
			return -EINVAL;
		}
		if (mlen == strlen("native-untagged") &&
		    !strncmp(colon + 1, "native-untagged", mlen))
			v->native_mode = "untagged";
		else if (mlen == strlen("native-tagged") &&
			 !strncmp(colon + 1, "native-tagged", mlen))
			v->native_mode = "tagged";
		else
			goto bad;
	}
	dash = memchr(s, '-', vlen);
	first = iface_vid(s, dash ? (size_t)(dash - s) : vlen);
	last = dash ? iface_vid(dash + 1, vlen - (size_t)(dash - s) - 1) : first;
	if (!first || !last)
		goto bad;
	if (last < first) {
		snprintf(err, errlen,
			 "--vlan: range '%.*s' is backwards (expected N-M with N <= M)", (int)vlen,
			 s);
		return -EINVAL;
	}
	if (colon && last != first) {
		snprintf(err, errlen, "--vlan: '%.*s': a native mode is for one VID, not a range",
			 (int)len, s);
		return -EINVAL;
	}
	if (colon)
		v->native = first;
	for (unsigned int vid = first; vid <= last; vid++) {
		if (v->member[vid]) {
			snprintf(err, errlen, "--vlan: VID %u is given twice", vid);
			return -EINVAL;
		}
		v->member[vid] = true;
		v->n++;
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "--vlan: '%.*s' is not a VID (expected N or N-M within " CTL_VID_RANGE ", or "
		 "N:native-untagged or N:native-tagged)",
		 (int)len, s);
	return -EINVAL;
}

static int iface_vlan_parse(const char *spec, struct iface_vlan *v, char *err, size_t errlen)
{
	const char *p = spec;

	memset(v, 0, sizeof(*v));
	if (!strncmp(p, "trunk:", 6)) {
		v->trunk = true;
		p += 6;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		int ret = iface_vlan_item(v, p, len, err, errlen);

		if (ret)
			return ret;
		if (!p[len])
			break;
		p += len + 1;
	}
	if (v->n > 1 || v->native_mode)
		v->trunk = true;
	return 0;
}

/* @s as an XML attribute value in single quotes */
static void iface_attr(FILE *f, const char *name, const char *s)
{
	fprintf(f, " %s='", name);
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
	fputc('\'', f);
}

static void iface_vlan_xml(FILE *f, const struct iface_vlan *v)
{
	fprintf(f, "  <vlan%s>\n", v->trunk ? " trunk='yes'" : "");
	for (unsigned int vid = CTL_VID_MIN; vid <= CTL_VID_MAX; vid++) {
		if (!v->member[vid])
			continue;
		fprintf(f, "    <tag id='%u'", vid);
		if (vid == v->native)
			iface_attr(f, "nativeMode", v->native_mode);
		fprintf(f, "/>\n");
	}
	fprintf(f, "  </vlan>\n");
}

int iface_opts_xml(const struct iface_opts *o, char **out, char *err, size_t errlen)
{
	struct iface_vlan *v = NULL;
	char *buf = NULL;
	size_t len;
	FILE *f;
	int ret;

	*out = NULL;
	if (!o->network == !o->bridge) {
		snprintf(err, errlen, "expected a network or a bridge (one of them)");
		return -EINVAL;
	}
	if (o->bridge && o->portgroup) {
		snprintf(err, errlen, "--portgroup is for a network, not for bridge '%s'",
			 o->bridge);
		return -EINVAL;
	}
	if (o->vlan) {
		v = malloc(sizeof(*v));
		if (!v)
			return -ENOMEM;
		ret = iface_vlan_parse(o->vlan, v, err, errlen);
		if (ret)
			goto free_vlan;
	}
	ret = -ENOMEM;
	f = open_memstream(&buf, &len);
	if (!f)
		goto free_vlan;
	fprintf(f, "<interface type='%s'>\n", o->network ? "network" : "bridge");
	if (o->mac) {
		fprintf(f, "  <mac");
		iface_attr(f, "address", o->mac);
		fprintf(f, "/>\n");
	}
	fprintf(f, "  <source");
	iface_attr(f, o->network ? "network" : "bridge", o->network ? o->network : o->bridge);
	if (o->portgroup)
		iface_attr(f, "portgroup", o->portgroup);
	fprintf(f, "/>\n");
	if (o->target) {
		fprintf(f, "  <target");
		iface_attr(f, "dev", o->target);
		fprintf(f, "/>\n");
	}
	fprintf(f, "  <model type='virtio'/>\n");
	if (v)
		iface_vlan_xml(f, v);
	fprintf(f, "</interface>\n");
	if (fclose(f) || !buf) {
		free(buf);
		goto free_vlan;
	}
	*out = buf;
	ret = 0;
free_vlan:
	free(v);
	return ret;
}
