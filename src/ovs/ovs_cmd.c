/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ovs_cmd.c - kvnet-ovs-vsctl's parser: the ovs-vsctl command lines libvirt runs, as operations */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ovs/ovs_cmd.h"
#include "util/strbuf.h"

/* the commands understood, for the message that answers any other */
#define OVS_UNDERSTOOD                                                                             \
	"add-port, del-port, find queue|qos and set Interface IF ingress_policing_rate=0 "         \
	"ingress_policing_burst=0"
#define OVS_NO_SHAPING "kvnet-ovs-vsctl does not apply libvirt's QoS"
#define OVS_NAME_RULE "1 to 15 of A-Z a-z 0-9 _ . -"
#define OVS_VLAN_ARGS "tag=N, trunk=A,B,... or vlan_mode=access|trunk|native-tagged|native-untagged"
/* the most commands one command line may hold (libvirt sends at most 7) */
#define OVS_OPS_MAX 64
/* the longest argument quoted in a message, and a command's words */
#define OVS_SHOW_MAX 64
#define OVS_WORDS_MAX 160

/**
 * struct ovs_parse - a command line being parsed
 * @c:		what it becomes
 * @cap:	operations allocated at @c->ops
 * @err:	the message buffer, and @errlen its size
 */
struct ovs_parse {
	struct ovs_cmdline *c;
	size_t cap;
	char *err;
	size_t errlen;
};

/**
 * struct ovs_opts - the options before one command's name
 * @first:	the first of them, for messages; NULL if none
 */
struct ovs_opts {
	bool may_exist;
	bool if_exists;
	bool columns;
	bool id;
	const char *first;
};

/* an argument as a message quotes it: control characters as '?', cut at OVS_SHOW_MAX */
struct ovs_shown {
	char s[OVS_SHOW_MAX + 4];
};

static void ovs_show_n(struct ovs_shown *out, const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && s[i]; i++) {
		if (n == OVS_SHOW_MAX) {
			memcpy(out->s + n, "...", 3);
			n += 3;
			break;
		}
		out->s[n++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	}
	out->s[n] = '\0';
}

static const char *ovs_show(struct ovs_shown *out, const char *s)
{
	ovs_show_n(out, s, strlen(s));
	return out->s;
}

/* @n words joined by spaces, as ovs_show() shows each, cut at OVS_WORDS_MAX */
static const char *ovs_words(char *buf, size_t len, char *const *w, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 1 < len; i++) {
		struct ovs_shown sh;
		int k = snprintf(buf + used, len - used, "%s%s", i ? " " : "", ovs_show(&sh, w[i]));

		if (k < 0 || (size_t)k >= len - used) {
			used = len - 1;
			break;
		}
		used += (size_t)k;
	}
	if (used + 1 >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
	return buf;
}

__attribute__((format(printf, 3, 4))) static int ovs_fail(struct ovs_parse *p, int ret,
							  const char *fmt, ...)
{
	va_list ap;

	if (p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* a command kvnet does not run: say what it does run */
static int ovs_unknown(struct ovs_parse *p, char *const *w, size_t n)
{
	char words[OVS_WORDS_MAX + 4];

	return ovs_fail(p, -EINVAL,
			"'%s' is not an ovs-vsctl command kvnet understands; it takes what "
			"libvirt sends for <virtualport type='openvswitch'/>: " OVS_UNDERSTOOD,
			ovs_words(words, sizeof(words), w, n));
}

/* a command that would shape traffic */
static int ovs_no_shaping(struct ovs_parse *p, char *const *w, size_t n)
{
	char words[OVS_WORDS_MAX + 4];

	return ovs_fail(
		p, -EOPNOTSUPP,
		"%s: '%s' cannot be done (libvirt asks it for an interface's "
		"<bandwidth>, its own or its portgroup's; kvnet enforces <bandwidth> on the "
		"ports it makes itself: remove it from the domain, or attach the "
		"interface with kvnet attach-interface)",
		OVS_NO_SHAPING, ovs_words(words, sizeof(words), w, n));
}

/* a new operation of @kind, zeroed, at the end of the list; NULL after ovs_fail() */
static struct ovs_op *ovs_op_new(struct ovs_parse *p, enum ovs_op_kind kind)
{
	struct ovs_cmdline *c = p->c;
	struct ovs_op *op;

	if (c->n_ops == OVS_OPS_MAX) {
		ovs_fail(p, -EINVAL, "more than %d commands on one command line", OVS_OPS_MAX);
		return NULL;
	}
	if (c->n_ops == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct ovs_op *ops = realloc(c->ops, cap * sizeof(*ops));

		if (!ops) {
			ovs_fail(p, -ENOMEM, "out of memory");
			return NULL;
		}
		c->ops = ops;
		p->cap = cap;
	}
	op = &c->ops[c->n_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	return op;
}

/* copy interface name @s (the @what of @cmd) into @out. Return: 0 or -EINVAL after ovs_fail() */
static int ovs_name(struct ovs_parse *p, const char *cmd, const char *what, const char *s,
		    char out[OVS_NAME_SIZE])
{
	struct ovs_shown sh;

	if (!ctl_name_valid(s))
		return ovs_fail(p, -EINVAL,
				"%s: %s '%s' is not a valid name (expected " OVS_NAME_RULE ")", cmd,
				what, ovs_show(&sh, s));
	snprintf(out, OVS_NAME_SIZE, "%s", s);
	return 0;
}

/* a decimal number of at most 10 digits in [@s, @end), no sign. Return: 0 or -EINVAL */
static int ovs_number(const char *s, const char *end, unsigned long *out)
{
	unsigned long v = 0;

	if (s == end || end - s > 10)
		return -EINVAL;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return 0;
}

/* a VID, 1..4094, in [@s, @end). Return: 0 or -EINVAL */
static int ovs_vid(const char *s, const char *end, uint16_t *out)
{
	unsigned long v;

	if (ovs_number(s, end, &v) || v < CTL_VID_MIN || v > CTL_VID_MAX)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

/* trunk=A,B,... (or ovsdb's [A,B,...]) into @v->trunk. Return: 0 or an error after ovs_fail() */
static int ovs_trunk(struct ovs_parse *p, const char *port, const char *arg, const char *list,
		     struct ovs_vlan *v)
{
	const char *s = list, *end = list + strlen(list);
	struct ovs_shown sh, sh2;

	if (*s == '[' && end > s && end[-1] == ']') {
		s++;
		end--;
	}
	if (s == end)
		return ovs_fail(p, -EINVAL,
				"add-port %s: '%s' names no VLAN (expected trunk=A,B,... with VIDs "
				"" CTL_VID_RANGE ")",
				port, ovs_show(&sh, arg));
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *stop = comma ? comma : end;
		uint16_t vid;

		while (s < stop && *s == ' ')
			s++;
		if (ovs_vid(s, stop, &vid)) {
			ovs_show_n(&sh2, s, (size_t)(stop - s));
			return ovs_fail(
				p, -EINVAL,
				"add-port %s: '%s' in '%s' is not a VID (expected " CTL_VID_RANGE
				")",
				port, sh2.s, ovs_show(&sh, arg));
		}
		if (ovs_vid_test(v->trunk, vid))
			return ovs_fail(p, -EINVAL, "add-port %s: '%s' names VLAN %u twice", port,
					ovs_show(&sh, arg), vid);
		ovs_vid_set(v->trunk, vid);
		s = comma ? comma + 1 : end;
		if (comma && s == end)
			return ovs_fail(
				p, -EINVAL,
				"add-port %s: '%s' ends with a comma (expected trunk=A,B,...)",
				port, ovs_show(&sh, arg));
	}
	return 0;
}

/* the modes vlan_mode= takes, as ovs-vsctl spells them */
static const struct {
	const char *name;
	enum ovs_vlan_mode mode;
} ovs_vlan_modes[] = {
	{ "access", OVS_VLAN_ACCESS },
	{ "trunk", OVS_VLAN_TRUNK },
	{ "native-tagged", OVS_VLAN_NATIVE_TAGGED },
	{ "native-untagged", OVS_VLAN_NATIVE_UNTAGGED },
};

/*
 * The VLAN arguments of add-port (tag=, trunk= or trunks=, vlan_mode=), each at most once,
 * into @v, and whether they make one of the forms libvirt sends. Return: 0 or an error after
 * ovs_fail()
 */
static int ovs_vlan_args(struct ovs_parse *p, const char *port, char *const *w, size_t n,
			 struct ovs_vlan *v)
{
	bool has_tag = false, has_trunk = false, has_mode = false;
	enum ovs_vlan_mode mode = OVS_VLAN_NONE;
	struct ovs_shown sh;
	int ret;

	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(w[i], '='), *val = eq ? eq + 1 : NULL;
		size_t klen = eq ? (size_t)(eq - w[i]) : 0;

		if (!eq)
			return ovs_fail(
				p, -EINVAL,
				"add-port %s: '%s' is not COLUMN=VALUE (expected " OVS_VLAN_ARGS
				")",
				port, ovs_show(&sh, w[i]));
		if (klen == 3 && !strncmp(w[i], "tag", 3)) {
			if (has_tag)
				return ovs_fail(p, -EINVAL, "add-port %s: tag= is given twice",
						port);
			has_tag = true;
			if (ovs_vid(val, val + strlen(val), &v->tag))
				return ovs_fail(
					p, -EINVAL,
					"add-port %s: '%s' is not a VID (expected tag=N with N "
					"in " CTL_VID_RANGE ")",
					port, ovs_show(&sh, w[i]));
		} else if ((klen == 5 && !strncmp(w[i], "trunk", 5)) ||
			   (klen == 6 && !strncmp(w[i], "trunks", 6))) {
			if (has_trunk)
				return ovs_fail(p, -EINVAL, "add-port %s: trunk= is given twice",
						port);
			has_trunk = true;
			ret = ovs_trunk(p, port, w[i], val, v);
			if (ret)
				return ret;
		} else if (klen == 9 && !strncmp(w[i], "vlan_mode", 9)) {
			size_t k;

			if (has_mode)
				return ovs_fail(p, -EINVAL,
						"add-port %s: vlan_mode= is given twice", port);
			has_mode = true;
			for (k = 0; k < sizeof(ovs_vlan_modes) / sizeof(ovs_vlan_modes[0]); k++)
				if (!strcmp(val, ovs_vlan_modes[k].name))
					break;
			if (k == sizeof(ovs_vlan_modes) / sizeof(ovs_vlan_modes[0]))
				return ovs_fail(p, -EINVAL,
						"add-port %s: '%s' is not a VLAN mode (expected "
						"access, trunk, native-tagged or native-untagged)",
						port, ovs_show(&sh, w[i]));
			mode = ovs_vlan_modes[k].mode;
		} else {
			return ovs_fail(p, -EINVAL,
					"add-port %s: '%s' is not something libvirt sets on a port "
					"(expected " OVS_VLAN_ARGS ")",
					port, ovs_show(&sh, w[i]));
		}
	}

	if (!has_mode && has_tag && has_trunk)
		return ovs_fail(p, -EINVAL,
				"add-port %s: tag= with trunk= needs vlan_mode=native-tagged or "
				"native-untagged (the native VLAN of a trunk, as libvirt sends it)",
				port);
	if (!has_mode)
		mode = has_tag ? OVS_VLAN_ACCESS : has_trunk ? OVS_VLAN_TRUNK : OVS_VLAN_NONE;
	switch (mode) {
	case OVS_VLAN_NONE:
		break;
	case OVS_VLAN_ACCESS:
		if (!has_tag || has_trunk)
			return ovs_fail(p, -EINVAL,
					"add-port %s: vlan_mode=access needs tag=N and no trunk=",
					port);
		break;
	case OVS_VLAN_TRUNK:
		if (!has_trunk || has_tag)
			return ovs_fail(
				p, -EINVAL,
				"add-port %s: vlan_mode=trunk needs trunk=A,B,... and no tag=",
				port);
		break;
	case OVS_VLAN_NATIVE_TAGGED:
	case OVS_VLAN_NATIVE_UNTAGGED:
		if (!has_tag || !has_trunk)
			return ovs_fail(
				p, -EINVAL,
				"add-port %s: vlan_mode=%s needs tag=N (the native VLAN) and "
				"trunk=A,B,... (kvnet trunks only the VLANs named)",
				port,
				mode == OVS_VLAN_NATIVE_TAGGED ? "native-tagged"
							       : "native-untagged");
		/* in ovs-vsctl the native VLAN is a member whether trunk= names it or not */
		ovs_vid_set(v->trunk, v->tag);
		break;
	}
	v->mode = mode;
	if (mode == OVS_VLAN_TRUNK || mode == OVS_VLAN_NONE)
		v->tag = 0;
	return 0;
}

static int ovs_add_port(struct ovs_parse *p, const struct ovs_opts *o, char *const *w, size_t n)
{
	struct ovs_op *op;
	int ret;

	if (o->if_exists || o->columns || o->id)
		return ovs_fail(p, -EINVAL,
				"add-port: option '%s' does not go with it (expected --may-exist)",
				o->first);
	if (n < 3)
		return ovs_fail(p, -EINVAL,
				"add-port needs a bridge and a port (expected add-port BRIDGE PORT "
				"[" OVS_VLAN_ARGS "])");
	op = ovs_op_new(p, OVS_OP_ADD_PORT);
	if (!op)
		return -ENOMEM;
	op->may_exist = o->may_exist;
	ret = ovs_name(p, "add-port", "bridge", w[1], op->bridge);
	if (!ret)
		ret = ovs_name(p, "add-port", "port", w[2], op->port);
	if (!ret)
		ret = ovs_vlan_args(p, op->port, w + 3, n - 3, &op->vlan);
	return ret;
}

static int ovs_del_port(struct ovs_parse *p, const struct ovs_opts *o, char *const *w, size_t n)
{
	char words[OVS_WORDS_MAX + 4];
	struct ovs_op *op;
	int ret = 0;

	if (o->may_exist || o->columns || o->id)
		return ovs_fail(p, -EINVAL,
				"del-port: option '%s' does not go with it (expected --if-exists)",
				o->first);
	if (n == 1)
		return ovs_fail(p, -EINVAL,
				"del-port names no port (expected del-port [BRIDGE] PORT; libvirt "
				"sends it so after a VM failed to start, when there is no port to "
				"remove)");
	if (n > 3)
		return ovs_fail(p, -EINVAL, "'%s': del-port takes [BRIDGE] PORT",
				ovs_words(words, sizeof(words), w, n));
	op = ovs_op_new(p, OVS_OP_DEL_PORT);
	if (!op)
		return -ENOMEM;
	op->if_exists = o->if_exists;
	if (n == 3)
		ret = ovs_name(p, "del-port", "bridge", w[1], op->bridge);
	if (!ret)
		ret = ovs_name(p, "del-port", "port", w[n - 1], op->port);
	return ret;
}

/* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, either case, into @out in lower case */
static bool ovs_uuid(const char *s, char out[OVS_UUID_STRLEN])
{
	if (strlen(s) != OVS_UUID_STRLEN - 1)
		return false;
	for (int i = 0; i < OVS_UUID_STRLEN - 1; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (c >= 'A' && c <= 'F') {
			c = (char)(c - 'A' + 'a');
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return false;
		}
		out[i] = c;
	}
	out[OVS_UUID_STRLEN - 1] = '\0';
	return true;
}

/*
 * An ovsdb string: "text" with backslash escapes (libvirt quotes every value it formats), or
 * bare text. Return: 0, -EINVAL if a quote is not closed, -E2BIG if it does not fit @len
 */
static int ovs_unquote(const char *s, char *out, size_t len)
{
	size_t n = 0;

	if (*s != '"') {
		if (strlen(s) >= len)
			return -E2BIG;
		memcpy(out, s, strlen(s) + 1);
		return 0;
	}
	for (s++; *s && *s != '"'; s++) {
		if (*s == '\\' && !*++s)
			return -EINVAL;
		if (n + 1 >= len)
			return -E2BIG;
		out[n++] = *s;
	}
	if (*s != '"' || s[1])
		return -EINVAL;
	out[n] = '\0';
	return 0;
}

/* the last add-port of @port on this command line, or NULL */
static struct ovs_op *ovs_find_add_port(struct ovs_parse *p, const char *port)
{
	for (size_t i = p->c->n_ops; i-- > 0;)
		if (p->c->ops[i].kind == OVS_OP_ADD_PORT && !strcmp(p->c->ops[i].port, port))
			return &p->c->ops[i];
	return NULL;
}

/* store @val in @field, which may hold it already but nothing else */
static int ovs_store(struct ovs_parse *p, const char *port, const char *key, char *field,
		     size_t size, const char *val)
{
	struct ovs_shown sh, sh2;

	if (*field && strcmp(field, val))
		return ovs_fail(p, -EINVAL, "set Interface %s: external-ids:%s is '%s' and '%s'",
				port, key, ovs_show(&sh, field), ovs_show(&sh2, val));
	snprintf(field, size, "%s", val);
	return 0;
}

/*
 * external-ids:KEY=VALUE (@item, after the "external-ids:") of set Interface @port: the
 * add-port of @port takes what kvnet uses (attached-mac, vm-id, iface-id, port-profile);
 * the other keys, labels ovs-vsctl keeps for controllers (iface-status, ifname), are checked
 * for form only. Return: 0 or an error after ovs_fail()
 */
static int ovs_external_id(struct ovs_parse *p, const char *port, const char *whole,
			   const char *item)
{
	const char *eq = strchr(item, '=');
	char val[OVS_VALUE_MAX + 1], buf[OVS_UUID_STRLEN];
	struct ovs_shown sh, sh2;
	uint8_t mac[CTL_MAC_LEN];
	struct ovs_op *op;
	size_t klen;
	int ret;

	if (!eq || eq == item)
		return ovs_fail(p, -EINVAL, "set Interface %s: '%s' is not external-ids:KEY=VALUE",
				port, ovs_show(&sh, whole));
	klen = (size_t)(eq - item);
	ret = ovs_unquote(eq + 1, val, sizeof(val));
	if (ret)
		return ovs_fail(p, -EINVAL,
				"set Interface %s: the value of '%s' is %s (expected \"TEXT\" or "
				"TEXT, at most %d characters)",
				port, ovs_show(&sh, whole),
				ret == -E2BIG ? "too long" : "not a closed \"string\"",
				OVS_VALUE_MAX);
	op = ovs_find_add_port(p, port);
	if (!op)
		return ovs_fail(p, -EINVAL,
				"set Interface %s %s: libvirt sends external-ids with the add-port "
				"of that interface, on the same command line; there is no add-port "
				"%s here",
				port, ovs_show(&sh, whole), port);
#define OVS_KEY_IS(k) (klen == sizeof(k) - 1 && !strncmp(item, k, klen))
	if (OVS_KEY_IS("attached-mac")) {
		if (ctl_mac_parse(val, mac))
			return ovs_fail(p, -EINVAL,
					"set Interface %s: attached-mac '%s' is not a MAC address "
					"(expected the guest's, aa:bb:cc:dd:ee:ff)",
					port, ovs_show(&sh, val));
		if (mac[0] & 1)
			return ovs_fail(
				p, -EINVAL,
				"set Interface %s: attached-mac '%s' is a multicast address "
				"(expected the guest's own, a unicast MAC)",
				port, ovs_show(&sh, val));
		return ovs_store(p, port, "attached-mac", op->mac, sizeof(op->mac),
				 ctl_mac_format(mac, buf));
	}
	if (OVS_KEY_IS("vm-id") || OVS_KEY_IS("iface-id")) {
		bool vm = OVS_KEY_IS("vm-id");

		if (!ovs_uuid(val, buf))
			return ovs_fail(p, -EINVAL,
					"set Interface %s: %s '%s' is not a UUID (expected %s, "
					"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
					port, vm ? "vm-id" : "iface-id", ovs_show(&sh, val),
					vm ? "the domain's UUID" : "the interface's interfaceid");
		return vm ? ovs_store(p, port, "vm-id", op->vm_id, sizeof(op->vm_id), buf)
			  : ovs_store(p, port, "iface-id", op->iface_id, sizeof(op->iface_id), buf);
	}
	if (OVS_KEY_IS("port-profile")) {
		size_t n = strlen(val);

		/* it goes into kvnet's XML, and libvirt's schema bounds it */
		for (size_t i = 0; i < n; i++)
			if (val[i] < 0x20 || val[i] > 0x7e)
				n = 0;
		if (!n || n > OVS_PROFILE_MAX)
			return ovs_fail(
				p, -EINVAL,
				"set Interface %s: port-profile '%s' is not a profileid "
				"(expected 1 to %d printable ASCII characters, as libvirt's "
				"<parameters profileid>)",
				port, ovs_show(&sh, val), OVS_PROFILE_MAX);
		return ovs_store(p, port, "port-profile", op->profile, sizeof(op->profile), val);
	}
#undef OVS_KEY_IS
	for (size_t i = 0; i < klen; i++) {
		char c = item[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.')) {
			ovs_show_n(&sh2, item, klen);
			return ovs_fail(p, -EINVAL,
					"set Interface %s: '%s' is not a key (expected letters, "
					"digits, '-', '_' or '.' before the '=')",
					port, sh2.s);
		}
	}
	return 0;
}

/* an unsigned integer column's value in @item after its "NAME=", for ingress_policing_* */
static int ovs_policing(struct ovs_parse *p, const char *port, const char *item, const char *val,
			unsigned long *out)
{
	struct ovs_shown sh;

	if (ovs_number(val, val + strlen(val), out) || *out > 0xffffffffUL)
		return ovs_fail(p, -EINVAL,
				"set Interface %s: '%s' is not a number (expected 0, no policing)",
				port, ovs_show(&sh, item));
	return 0;
}

static int ovs_set_interface(struct ovs_parse *p, char *const *w, size_t n)
{
	bool policing = false;
	char port[OVS_NAME_SIZE];
	struct ovs_shown sh;
	unsigned long v;
	int ret;

	ret = ovs_name(p, "set Interface", "interface", w[2], port);
	if (ret)
		return ret;
	for (size_t i = 3; i < n; i++) {
		const char *item = w[i];

		if (!strncmp(item, "external-ids:", 13) || !strncmp(item, "external_ids:", 13)) {
			ret = ovs_external_id(p, port, item, item + 13);
		} else if (!strncmp(item, "ingress_policing_rate=", 22)) {
			ret = ovs_policing(p, port, item, item + 22, &v);
			if (!ret && v)
				return ovs_fail(
					p, -EOPNOTSUPP,
					"%s: set Interface %s %s cannot be done (only "
					"ingress_policing_rate=0, no policing, is taken; remove "
					"the interface's <bandwidth>, or attach it with kvnet "
					"attach-interface)",
					OVS_NO_SHAPING, port, ovs_show(&sh, item));
			policing = true;
		} else if (!strncmp(item, "ingress_policing_burst=", 23)) {
			/* a burst without a rate polices nothing */
			ret = ovs_policing(p, port, item, item + 23, &v);
			policing = true;
		} else {
			ret = ovs_fail(p, -EINVAL,
				       "set Interface %s: '%s' is not something kvnet's ovs-vsctl "
				       "sets (expected external-ids:KEY=VALUE after add-port, or "
				       "ingress_policing_rate=0 ingress_policing_burst=0)",
				       port, ovs_show(&sh, item));
		}
		if (ret)
			return ret;
	}
	if (policing) {
		struct ovs_op *op = ovs_op_new(p, OVS_OP_POLICING_OFF);

		if (!op)
			return -ENOMEM;
		snprintf(op->port, sizeof(op->port), "%s", port);
	}
	return 0;
}

/* is @item "COLUMN=..." for one of a port's VLAN columns */
static bool ovs_is_vlan_column(const char *item)
{
	size_t k = strcspn(item, "=:");

	return (k == 3 && !strncmp(item, "tag", 3)) || (k == 5 && !strncmp(item, "trunk", 5)) ||
	       (k == 6 && !strncmp(item, "trunks", 6)) ||
	       (k == 9 && !strncmp(item, "vlan_mode", 9));
}

/* set Port or clear Port of a VLAN column: libvirt's update-device of a type='bridge' port */
static int ovs_vlan_in_place(struct ovs_parse *p, char *const *w, size_t n)
{
	char words[OVS_WORDS_MAX + 4];

	return ovs_fail(p, -EINVAL,
			"'%s': a port's VLAN cannot be changed in place; kvnet's ovs-vsctl takes "
			"it at add-port (detach the interface and attach it again)",
			ovs_words(words, sizeof(words), w, n));
}

static int ovs_set(struct ovs_parse *p, const struct ovs_opts *o, char *const *w, size_t n)
{
	const char *table = n > 1 ? w[1] : "";

	if (o->may_exist || o->columns || o->id)
		return ovs_fail(p, -EINVAL,
				"set: option '%s' does not go with it (expected --if-exists)",
				o->first);
	if (!strcasecmp(table, "qos") || !strcasecmp(table, "queue"))
		return ovs_no_shaping(p, w, n);
	if (!strcasecmp(table, "port") && n >= 4) {
		for (size_t i = 3; i < n; i++) {
			if (!strncmp(w[i], "qos=", 4))
				return ovs_no_shaping(p, w, n);
			if (ovs_is_vlan_column(w[i]))
				return ovs_vlan_in_place(p, w, n);
		}
	}
	if (strcasecmp(table, "interface"))
		return ovs_unknown(p, w, n);
	if (n < 4)
		return ovs_fail(p, -EINVAL,
				"set Interface needs an interface and at least one COLUMN=VALUE "
				"(expected set Interface IF ingress_policing_rate=0 "
				"ingress_policing_burst=0)");
	return ovs_set_interface(p, w, n);
}

static int ovs_find(struct ovs_parse *p, const struct ovs_opts *o, char *const *w, size_t n)
{
	struct ovs_shown sh;
	struct ovs_op *op;
	const char *table;

	if (n < 2 || (strcasecmp(w[1], "queue") && strcasecmp(w[1], "qos")))
		return ovs_unknown(p, w, n);
	table = strcasecmp(w[1], "queue") ? "qos" : "queue";
	if (o->may_exist || o->if_exists || o->id)
		return ovs_fail(p, -EINVAL,
				"find: option '%s' does not go with it (expected --columns=_uuid)",
				o->first);
	for (size_t i = 2; i < n; i++)
		if (!strchr(w[i], '=') || w[i][0] == '=')
			return ovs_fail(p, -EINVAL,
					"find %s: '%s' is not a condition (expected "
					"COLUMN[:KEY]=VALUE, such as external-ids:vm-id=\"UUID\")",
					table, ovs_show(&sh, w[i]));
	op = ovs_op_new(p, OVS_OP_FIND);
	if (!op)
		return -ENOMEM;
	op->table = table;
	return 0;
}

/* one command, @w[0] its name, with the options @o before it */
static int ovs_command(struct ovs_parse *p, const struct ovs_opts *o, char *const *w, size_t n)
{
	const char *name = w[0];

	if (!strcmp(name, "add-port"))
		return ovs_add_port(p, o, w, n);
	if (!strcmp(name, "del-port"))
		return ovs_del_port(p, o, w, n);
	if (!strcmp(name, "set"))
		return ovs_set(p, o, w, n);
	if (!strcmp(name, "find"))
		return ovs_find(p, o, w, n);
	if (!strcmp(name, "create") && n > 1 &&
	    (!strcasecmp(w[1], "qos") || !strcasecmp(w[1], "queue")))
		return ovs_no_shaping(p, w, n);
	if (!strcmp(name, "clear") && n > 1 && !strcasecmp(w[1], "port"))
		return ovs_vlan_in_place(p, w, n);
	return ovs_unknown(p, w, n);
}

/* --timeout's value */
static int ovs_timeout(struct ovs_parse *p, const char *val)
{
	struct ovs_shown sh;
	unsigned long v;

	if (!val || ovs_number(val, val + strlen(val), &v) || v > OVS_TIMEOUT_MAX)
		return ovs_fail(p, -EINVAL,
				"--timeout '%s' is not a number of seconds (expected 0..%d, 0 for "
				"no limit)",
				val ? ovs_show(&sh, val) : "", OVS_TIMEOUT_MAX);
	p->c->timeout = (unsigned int)v;
	return 0;
}

/*
 * The option at @argv[*i] (with its value at @argv[*i + 1] for "--timeout N" and "-t N", and
 * *i moved past it): a command's into @o, a global one into the command line, which only
 * comes before the first command. Return: 0 or an error after ovs_fail()
 */
static int ovs_option(struct ovs_parse *p, int argc, char *const *argv, int *i, bool after_cmd,
		      struct ovs_opts *o)
{
	const char *a = argv[*i];
	struct ovs_shown sh;
	bool global = true;
	int ret = 0;

	if (!o->first)
		o->first = a;
	if (!strcmp(a, "--may-exist")) {
		global = false;
		o->may_exist = true;
	} else if (!strcmp(a, "--if-exists")) {
		global = false;
		o->if_exists = true;
	} else if (!strncmp(a, "--columns=", 10) && a[10]) {
		global = false;
		o->columns = true;
	} else if (!strncmp(a, "--id=@", 6) && a[6]) {
		global = false;
		o->id = true;
	} else if (!strncmp(a, "--timeout=", 10)) {
		ret = ovs_timeout(p, a + 10);
	} else if (!strcmp(a, "--timeout") || !strcmp(a, "-t")) {
		ret = ovs_timeout(p, *i + 1 < argc ? argv[*i + 1] : NULL);
		(*i)++;
	} else if (!strncmp(a, "-t", 2) && a[2] >= '0' && a[2] <= '9') {
		ret = ovs_timeout(p, a + 2);
	} else if (!strcmp(a, "--no-heading") || !strcmp(a, "--no-headings")) {
		/* find prints no table at all, so no heading either */
	} else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
		p->c->version = true;
	} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		p->c->help = true;
	} else {
		return ovs_fail(
			p, -EINVAL,
			"option '%s' is not one kvnet's ovs-vsctl knows (expected "
			"--timeout=N, --no-heading, --columns=_uuid, --may-exist, --if-exists "
			"or --version)",
			ovs_show(&sh, a));
	}
	if (!ret && global && after_cmd)
		return ovs_fail(p, -EINVAL, "option '%s' goes before the first command",
				ovs_show(&sh, a));
	return ret;
}

/* each add-port must have the guest's MAC and its domain: kvnet's VM port is made of them */
static int ovs_check_add_ports(struct ovs_parse *p)
{
	for (size_t i = 0; i < p->c->n_ops; i++) {
		const struct ovs_op *op = &p->c->ops[i];

		if (op->kind != OVS_OP_ADD_PORT)
			continue;
		if (!op->mac[0])
			return ovs_fail(
				p, -EINVAL,
				"add-port %s %s: no external-ids:attached-mac (the guest's "
				"MAC, which libvirt sends with add-port as set Interface %s "
				"external-ids:attached-mac=\"MAC\"); kvnet's VM port needs it",
				op->bridge, op->port, op->port);
		if (!op->vm_id[0])
			return ovs_fail(
				p, -EINVAL,
				"add-port %s %s: no external-ids:vm-id (the domain's UUID, "
				"which libvirt sends with add-port as set Interface %s "
				"external-ids:vm-id=\"UUID\"); kvnet names the VM port's domain "
				"by it",
				op->bridge, op->port, op->port);
	}
	return 0;
}

int ovs_cmd_parse(int argc, char *const *argv, struct ovs_cmdline *out, char *err, size_t errlen)
{
	struct ovs_parse p = { .c = out, .err = err, .errlen = errlen };
	bool seen_cmd = false;
	int i = 0, ret = 0;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = '\0';
	while (i < argc) {
		struct ovs_opts o = { 0 };
		int start;

		/* a command's options; before the first command, the global ones too */
		for (; i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--"); i++) {
			ret = ovs_option(&p, argc, argv, &i, seen_cmd, &o);
			if (ret)
				goto fail;
		}
		for (start = i; i < argc && strcmp(argv[i], "--"); i++)
			;
		if (i == start) {
			if (o.may_exist || o.if_exists || o.columns || o.id) {
				struct ovs_shown sh;

				ret = ovs_fail(&p, -EINVAL, "option '%s' has no command after it",
					       ovs_show(&sh, o.first));
				goto fail;
			}
		} else {
			seen_cmd = true;
			ret = ovs_command(&p, &o, argv + start, (size_t)(i - start));
			if (ret)
				goto fail;
		}
		if (i < argc)
			i++; /* the "--" */
	}
	if (out->version || out->help) {
		/* nothing is run: the commands were only checked */
		free(out->ops);
		out->ops = NULL;
		out->n_ops = 0;
		return 0;
	}
	if (!seen_cmd) {
		ret = ovs_fail(&p, -EINVAL,
			       "no command given (kvnet's ovs-vsctl understands " OVS_UNDERSTOOD
			       ")");
		goto fail;
	}
	ret = ovs_check_add_ports(&p);
	if (ret)
		goto fail;
	return 0;

fail:
	ovs_cmdline_free(out);
	return ret;
}

void ovs_cmdline_free(struct ovs_cmdline *c)
{
	free(c->ops);
	memset(c, 0, sizeof(*c));
}

int ovs_iface_xml(const struct ovs_op *op, const char *network, char **out)
{
	const struct ovs_vlan *v = &op->vlan;
	struct strbuf b = STRBUF_INIT;

	strbuf_appendf(&b, "<interface type='%s'>\n  <source %s='", network ? "network" : "bridge",
		       network ? "network" : "bridge");
	strbuf_append_xml(&b, network ? network : op->bridge);
	strbuf_appendf(&b, "'/>\n  <mac address='%s'/>\n  <target dev='%s'/>\n", op->mac, op->port);
	if (op->iface_id[0] || op->profile[0]) {
		strbuf_append(&b, "  <virtualport type='openvswitch'>\n    <parameters");
		if (op->iface_id[0])
			strbuf_appendf(&b, " interfaceid='%s'", op->iface_id);
		if (op->profile[0]) {
			strbuf_append(&b, " profileid='");
			strbuf_append_xml(&b, op->profile);
			strbuf_append(&b, "'");
		}
		strbuf_append(&b, "/>\n  </virtualport>\n");
	} else {
		strbuf_append(&b, "  <virtualport type='openvswitch'/>\n");
	}
	/*
	 * libvirt resolved the port's <bandwidth> (its own, else its portgroup's) and would have
	 * sent QoS commands for one, which are refused: none applies. Said as an empty one, so
	 * that kvnet does not give the port its network's default portgroup's instead (it is
	 * not told the portgroup)
	 */
	strbuf_append(&b, "  <bandwidth/>\n");
	switch (v->mode) {
	case OVS_VLAN_NONE:
		break;
	case OVS_VLAN_ACCESS:
		strbuf_appendf(&b, "  <vlan>\n    <tag id='%u'/>\n  </vlan>\n", v->tag);
		break;
	case OVS_VLAN_TRUNK:
	case OVS_VLAN_NATIVE_TAGGED:
	case OVS_VLAN_NATIVE_UNTAGGED:
		strbuf_append(&b, "  <vlan trunk='yes'>\n");
		for (unsigned int vid = CTL_VID_MIN; vid <= CTL_VID_MAX; vid++) {
			if (!ovs_vid_test(v->trunk, vid))
				continue;
			strbuf_appendf(&b, "    <tag id='%u'", vid);
			if (vid == v->tag && v->mode != OVS_VLAN_TRUNK)
				strbuf_appendf(&b, " nativeMode='%s'",
					       v->mode == OVS_VLAN_NATIVE_TAGGED ? "tagged"
										 : "untagged");
			strbuf_append(&b, "/>\n");
		}
		strbuf_append(&b, "  </vlan>\n");
		break;
	}
	strbuf_append(&b, "</interface>\n");
	return strbuf_take(&b, out);
}

bool ovs_vlan_membership(const struct ovs_vlan *v, struct ovs_membership *m)
{
	memset(m, 0, sizeof(*m));
	switch (v->mode) {
	case OVS_VLAN_NONE:
		return false;
	case OVS_VLAN_ACCESS:
		m->pvid = v->tag;
		ovs_vid_set(m->member, v->tag);
		ovs_vid_set(m->untagged, v->tag);
		return true;
	case OVS_VLAN_TRUNK:
	case OVS_VLAN_NATIVE_TAGGED:
	case OVS_VLAN_NATIVE_UNTAGGED:
		memcpy(m->member, v->trunk, sizeof(m->member));
		if (v->mode != OVS_VLAN_TRUNK)
			m->pvid = v->tag;
		if (v->mode == OVS_VLAN_NATIVE_UNTAGGED)
			ovs_vid_set(m->untagged, v->tag);
		return true;
	}
	return false;
}
