/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stub_libvirt.c - a libvirtd in memory behind libvirt's client functions (stub_libvirt.h) */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_uuid.h"
#include "conf/network_update.h"
#include "conf/network_xml.h"
#include "stub_libvirt.h"

struct stub_net {
	char *name;
	unsigned char uuid[CONF_UUID_LEN];
	struct network_def *config; /* NULL: transient */
	struct network_def *live;   /* NULL: inactive */
	struct stub_net *next;
};

struct _virConnect {
	int gen;
};

struct _virNetwork {
	char *name;
};

static const char *const stub_fns[] = {
	"virConnectOpen",      "virConnectClose",     "virConnectGetLibVersion",
	"virNetworkDefineXML", "virNetworkCreateXML", "virNetworkCreate",
	"virNetworkDestroy",   "virNetworkUndefine",  "virNetworkUpdate",
};
#define STUB_N_FNS (sizeof(stub_fns) / sizeof(stub_fns[0]))

static struct {
	bool up;
	int gen;
	struct stub_net *nets;
	char err[512];
	int code;
	int calls[STUB_N_FNS];
} st;

static void stub_count(const char *fn)
{
	for (size_t i = 0; i < STUB_N_FNS; i++)
		if (!strcmp(stub_fns[i], fn))
			st.calls[i]++;
}

int stub_libvirt_calls(const char *fn)
{
	for (size_t i = 0; i < STUB_N_FNS; i++)
		if (!strcmp(stub_fns[i], fn))
			return st.calls[i];
	return -1;
}

static void __attribute__((format(printf, 2, 3))) stub_error(int code, const char *fmt, ...)
{
	va_list ap;

	st.code = code;
	va_start(ap, fmt);
	vsnprintf(st.err, sizeof(st.err), fmt, ap);
	va_end(ap);
}

static bool stub_conn_ok(const struct _virConnect *c)
{
	if (st.up && c && c->gen == st.gen)
		return true;
	stub_error(38, "%s", "Cannot recv data: Connection reset by peer");
	return false;
}

static struct stub_net *stub_find(const char *name)
{
	for (struct stub_net *n = st.nets; n; n = n->next)
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

static struct stub_net *stub_find_uuid(const unsigned char *uuid)
{
	for (struct stub_net *n = st.nets; n; n = n->next)
		if (!memcmp(n->uuid, uuid, CONF_UUID_LEN))
			return n;
	return NULL;
}

static void stub_remove(struct stub_net *n)
{
	struct stub_net **pp = &st.nets;

	while (*pp != n)
		pp = &(*pp)->next;
	*pp = n->next;
	network_def_free(n->config);
	network_def_free(n->live);
	free(n->name);
	free(n);
}

/* the network a handle names, or NULL with libvirt's error */
static struct stub_net *stub_net(struct _virNetwork *h)
{
	struct stub_net *n;

	if (!stub_conn_ok(&(struct _virConnect){ st.gen }))
		return NULL;
	n = stub_find(h->name);
	if (!n)
		stub_error(43, "Network not found: no network with matching name '%s'", h->name);
	return n;
}

static struct _virNetwork *stub_handle(const char *name)
{
	struct _virNetwork *h = calloc(1, sizeof(*h));

	h->name = strdup(name);
	return h;
}

static struct network_def *stub_copy(const struct network_def *d)
{
	struct network_def *copy = NULL;
	char *xml = NULL;

	if (!network_xml_format(d, 0, &xml))
		network_xml_parse(xml, strlen(xml), &copy, NULL, 0);
	free(xml);
	return copy;
}

static struct network_def *stub_parse(const char *xml)
{
	struct network_def *d = NULL;
	char err[256];

	if (network_xml_parse(xml, strlen(xml), &d, err, sizeof(err)))
		stub_error(27, "XML error: %s", err);
	return d;
}

static int stub_virInitialize(void)
{
	return 0;
}

static void stub_virSetErrorFunc(void *opaque, void (*handler)(void *opaque, struct _virError *e))
{
	(void)opaque;
	(void)handler;
}

static const char *stub_virGetLastErrorMessage(void)
{
	return st.err;
}

static int stub_virGetLastErrorCode(void)
{
	return st.code;
}

static void stub_virResetLastError(void)
{
	st.err[0] = '\0';
	st.code = 0;
}

static struct _virConnect *stub_virConnectOpen(const char *uri)
{
	struct _virConnect *c;

	stub_count(__func__ + 5);
	if (!st.up) {
		stub_error(38, "Failed to connect socket to '%s': No such file or directory", uri);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	c->gen = st.gen;
	return c;
}

static int stub_virConnectClose(struct _virConnect *c)
{
	stub_count(__func__ + 5);
	free(c);
	return 0;
}

static int stub_virConnectIsAlive(struct _virConnect *c)
{
	return st.up && c->gen == st.gen;
}

static int stub_virConnectGetLibVersion(struct _virConnect *c, unsigned long *v)
{
	stub_count(__func__ + 5);
	if (!stub_conn_ok(c))
		return -1;
	*v = 9000000;
	return 0;
}

static int stub_virConnectListAllNetworks(struct _virConnect *c, struct _virNetwork ***out,
					  unsigned int flags)
{
	int n = 0, i = 0;

	(void)flags;
	if (!stub_conn_ok(c))
		return -1;
	for (struct stub_net *x = st.nets; x; x = x->next)
		n++;
	*out = calloc((size_t)n + 1, sizeof(**out));
	for (struct stub_net *x = st.nets; x; x = x->next)
		(*out)[i++] = stub_handle(x->name);
	return n;
}

static struct _virNetwork *stub_virNetworkLookupByName(struct _virConnect *c, const char *name)
{
	if (!stub_conn_ok(c))
		return NULL;
	if (!stub_find(name)) {
		stub_error(43, "Network not found: no network with matching name '%s'", name);
		return NULL;
	}
	return stub_handle(name);
}

static struct _virNetwork *stub_virNetworkLookupByUUIDString(struct _virConnect *c,
							     const char *uuid)
{
	unsigned char u[CONF_UUID_LEN];
	struct stub_net *n;

	if (!stub_conn_ok(c))
		return NULL;
	n = conf_uuid_parse(uuid, u) ? NULL : stub_find_uuid(u);
	if (!n) {
		stub_error(43, "Network not found: no network with matching uuid '%s'", uuid);
		return NULL;
	}
	return stub_handle(n->name);
}

static const char *stub_virNetworkGetName(struct _virNetwork *h)
{
	return h->name;
}

static char *stub_virNetworkGetXMLDesc(struct _virNetwork *h, unsigned int flags)
{
	struct stub_net *n = stub_net(h);
	char *xml = NULL;

	if (!n)
		return NULL;
	/* the next start's when asked and there is one, else what runs, else the definition */
	if ((flags & LIBVIRT_NETWORK_XML_INACTIVE) && n->config)
		network_xml_format(n->config, 0, &xml);
	else
		network_xml_format(n->live ? n->live : n->config, 0, &xml);
	return xml;
}

static int stub_virNetworkIsActive(struct _virNetwork *h)
{
	struct stub_net *n = stub_net(h);

	return n ? n->live != NULL : -1;
}

static int stub_virNetworkIsPersistent(struct _virNetwork *h)
{
	struct stub_net *n = stub_net(h);

	return n ? n->config != NULL : -1;
}

/* virsh net-define: a new network, or the next start's definition of one */
static struct _virNetwork *stub_define(struct network_def *d)
{
	struct stub_net *n = stub_find(d->name), *other = stub_find_uuid(d->uuid);
	char uuid[CONF_UUID_STRLEN];

	if (n && memcmp(n->uuid, d->uuid, CONF_UUID_LEN)) {
		conf_uuid_format(n->uuid, uuid);
		stub_error(9, "operation failed: network already exists with uuid %s", uuid);
		network_def_free(d);
		return NULL;
	}
	if (!n && other) {
		stub_error(9, "operation failed: network '%s' is already defined with that uuid",
			   other->name);
		network_def_free(d);
		return NULL;
	}
	if (!n) {
		n = calloc(1, sizeof(*n));
		n->name = strdup(d->name);
		memcpy(n->uuid, d->uuid, CONF_UUID_LEN);
		n->next = st.nets;
		st.nets = n;
	}
	network_def_free(n->config);
	n->config = d;
	return stub_handle(n->name);
}

static struct _virNetwork *stub_virNetworkDefineXML(struct _virConnect *c, const char *xml)
{
	struct network_def *d;

	stub_count(__func__ + 5);
	if (!stub_conn_ok(c))
		return NULL;
	d = stub_parse(xml);
	return d ? stub_define(d) : NULL;
}

static struct _virNetwork *stub_virNetworkCreateXML(struct _virConnect *c, const char *xml)
{
	struct network_def *d;
	struct stub_net *n;

	stub_count(__func__ + 5);
	if (!stub_conn_ok(c))
		return NULL;
	d = stub_parse(xml);
	if (!d)
		return NULL;
	if (stub_find(d->name) || stub_find_uuid(d->uuid)) {
		stub_error(9, "operation failed: network '%s' already exists", d->name);
		network_def_free(d);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	n->name = strdup(d->name);
	memcpy(n->uuid, d->uuid, CONF_UUID_LEN);
	n->live = d;
	n->next = st.nets;
	st.nets = n;
	return stub_handle(n->name);
}

static int stub_virNetworkCreate(struct _virNetwork *h)
{
	struct stub_net *n = stub_net(h);

	stub_count(__func__ + 5);
	if (!n)
		return -1;
	if (n->live) {
		stub_error(55, "Requested operation is not valid: network is already active%s", "");
		return -1;
	}
	n->live = stub_copy(n->config);
	return 0;
}

static int stub_destroy(struct _virNetwork *h)
{
	struct stub_net *n = stub_net(h);

	if (!n)
		return -1;
	if (!n->live) {
		stub_error(55, "Requested operation is not valid: network '%s' is not active",
			   n->name);
		return -1;
	}
	network_def_free(n->live);
	n->live = NULL;
	if (!n->config)
		stub_remove(n);
	return 0;
}

static int stub_virNetworkDestroy(struct _virNetwork *h)
{
	stub_count(__func__ + 5);
	return stub_destroy(h);
}

static int stub_virNetworkUndefine(struct _virNetwork *h)
{
	struct stub_net *n = stub_net(h);

	stub_count(__func__ + 5);
	if (!n)
		return -1;
	if (!n->config) {
		stub_error(55, "Requested operation is not valid: network '%s' is not persistent",
			   n->name);
		return -1;
	}
	network_def_free(n->config);
	n->config = NULL;
	if (!n->live)
		stub_remove(n);
	return 0;
}

static int stub_virNetworkUpdate(struct _virNetwork *h, unsigned int command, unsigned int section,
				 int parent_index, const char *xml, unsigned int flags)
{
	struct stub_net *n = stub_net(h);
	enum network_update_cmd cmd = command == LIBVIRT_UPDATE_MODIFY	 ? NETWORK_UPDATE_MODIFY
				      : command == LIBVIRT_UPDATE_DELETE ? NETWORK_UPDATE_DELETE
				      : command == LIBVIRT_UPDATE_ADD_LAST
					      ? NETWORK_UPDATE_ADD_LAST
					      : NETWORK_UPDATE_CMD_LAST;
	struct network_def *d;
	char err[256];

	stub_count(__func__ + 5);
	if (!n)
		return -1;
	if (section != LIBVIRT_SECTION_PORTGROUP || flags != LIBVIRT_UPDATE_AFFECT_LIVE ||
	    !n->live || cmd == NETWORK_UPDATE_CMD_LAST) {
		stub_error(3, "this function is not supported by the stub: update of '%s'",
			   n->name);
		return -1;
	}
	if (network_update(n->live, cmd, NETWORK_SECTION_PORTGROUP, parent_index, xml, strlen(xml),
			   &d, err, sizeof(err))) {
		stub_error(27, "XML error: %s", err);
		return -1;
	}
	network_def_free(n->live);
	n->live = d;
	return 0;
}

static int stub_virNetworkFree(struct _virNetwork *h)
{
	free(h->name);
	free(h);
	return 0;
}

const struct libvirt_api stub_libvirt_api = {
	.virInitialize = stub_virInitialize,
	.virSetErrorFunc = stub_virSetErrorFunc,
	.virGetLastErrorMessage = stub_virGetLastErrorMessage,
	.virGetLastErrorCode = stub_virGetLastErrorCode,
	.virResetLastError = stub_virResetLastError,
	.virConnectOpen = stub_virConnectOpen,
	.virConnectClose = stub_virConnectClose,
	.virConnectIsAlive = stub_virConnectIsAlive,
	.virConnectGetLibVersion = stub_virConnectGetLibVersion,
	.virConnectListAllNetworks = stub_virConnectListAllNetworks,
	.virNetworkLookupByName = stub_virNetworkLookupByName,
	.virNetworkLookupByUUIDString = stub_virNetworkLookupByUUIDString,
	.virNetworkGetName = stub_virNetworkGetName,
	.virNetworkGetXMLDesc = stub_virNetworkGetXMLDesc,
	.virNetworkIsActive = stub_virNetworkIsActive,
	.virNetworkIsPersistent = stub_virNetworkIsPersistent,
	.virNetworkDefineXML = stub_virNetworkDefineXML,
	.virNetworkCreateXML = stub_virNetworkCreateXML,
	.virNetworkCreate = stub_virNetworkCreate,
	.virNetworkDestroy = stub_virNetworkDestroy,
	.virNetworkUndefine = stub_virNetworkUndefine,
	.virNetworkUpdate = stub_virNetworkUpdate,
	.virNetworkFree = stub_virNetworkFree,
};

void stub_libvirt_reset(void)
{
	while (st.nets)
		stub_remove(st.nets);
	memset(st.calls, 0, sizeof(st.calls));
	st.up = true;
	st.gen++;
}

void stub_libvirt_set_up(bool up)
{
	st.up = up;
	if (!up)
		st.gen++;
}

void stub_libvirt_restart(void)
{
	st.gen++;
}

int stub_libvirt_define(const char *xml, bool start)
{
	struct network_def *d = stub_parse(xml);
	struct _virNetwork *h;
	int ret = -EINVAL;

	if (!d)
		return -EINVAL;
	h = stub_define(d);
	if (h && (!start || !stub_virNetworkCreate(h)))
		ret = 0;
	if (h)
		stub_virNetworkFree(h);
	return ret;
}

int stub_libvirt_destroy(const char *name)
{
	struct _virNetwork h = { .name = (char *)name };

	return stub_destroy(&h) ? -EINVAL : 0;
}

char *stub_libvirt_xml(const char *name, bool inactive)
{
	struct stub_net *n = stub_find(name);
	char *xml = NULL;

	if (n)
		network_xml_format(inactive && n->config ? n->config
				   : n->live		 ? n->live
							 : n->config,
				   0, &xml);
	return xml;
}

const char *stub_libvirt_is(const char *name)
{
	struct stub_net *n = stub_find(name);

	return !n ? "none" : n->live ? "active" : "inactive";
}

bool stub_libvirt_persistent(const char *name)
{
	struct stub_net *n = stub_find(name);

	return n && n->config;
}

int stub_libvirt_count(void)
{
	int count = 0;

	for (struct stub_net *n = st.nets; n; n = n->next)
		count++;
	return count;
}
