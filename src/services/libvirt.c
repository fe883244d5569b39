/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt.c - kvnet's networks mirrored into libvirtd (see libvirt.h) */

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_enum.h"
#include "conf/conf_uuid.h"
#include "conf/network_xml.h"
#include "services/libvirt.h"
#include "util/log.h"
#include "util/strbuf.h"

#define LIBVIRT_SONAME "libvirt.so.0"
#define LIBVIRT_REASON_MAX 512

/* every function of struct libvirt_api, by name */
#define LIBVIRT_SYMBOLS(X)                                                                         \
	X(virInitialize)                                                                           \
	X(virSetErrorFunc)                                                                         \
	X(virGetLastErrorMessage)                                                                  \
	X(virGetLastErrorCode)                                                                     \
	X(virResetLastError)                                                                       \
	X(virConnectOpen)                                                                          \
	X(virConnectClose)                                                                         \
	X(virConnectIsAlive)                                                                       \
	X(virConnectGetLibVersion)                                                                 \
	X(virConnectListAllNetworks)                                                               \
	X(virNetworkLookupByName)                                                                  \
	X(virNetworkLookupByUUIDString)                                                            \
	X(virNetworkGetName)                                                                       \
	X(virNetworkGetXMLDesc)                                                                    \
	X(virNetworkIsActive)                                                                      \
	X(virNetworkIsPersistent)                                                                  \
	X(virNetworkDefineXML)                                                                     \
	X(virNetworkCreateXML)                                                                     \
	X(virNetworkCreate)                                                                        \
	X(virNetworkDestroy)                                                                       \
	X(virNetworkUndefine)                                                                      \
	X(virNetworkUpdate)                                                                        \
	X(virNetworkFree)

#ifdef KVNET_HAVE_LIBVIRT_H
/* libvirt's headers are here at build time: hold the prototypes above to them */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define LIBVIRT_CHECK(name)                                                                        \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&name),                             \
						    __typeof__(((struct libvirt_api *)0)->name)),  \
		       #name " is declared as libvirt declares it");
LIBVIRT_SYMBOLS(LIBVIRT_CHECK)
_Static_assert(LIBVIRT_NETWORK_XML_INACTIVE == VIR_NETWORK_XML_INACTIVE, "XML_INACTIVE");
_Static_assert(LIBVIRT_UPDATE_MODIFY == VIR_NETWORK_UPDATE_COMMAND_MODIFY, "MODIFY");
_Static_assert(LIBVIRT_UPDATE_DELETE == VIR_NETWORK_UPDATE_COMMAND_DELETE, "DELETE");
_Static_assert(LIBVIRT_UPDATE_ADD_LAST == VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, "ADD_LAST");
_Static_assert(LIBVIRT_SECTION_PORTGROUP == VIR_NETWORK_SECTION_PORTGROUP, "PORTGROUP");
_Static_assert(LIBVIRT_UPDATE_AFFECT_LIVE == VIR_NETWORK_UPDATE_AFFECT_LIVE, "AFFECT_LIVE");
_Static_assert(LIBVIRT_ERR_NO_NETWORK == VIR_ERR_NO_NETWORK, "NO_NETWORK");
#endif

/**
 * struct libvirt_net - what kvnet wants libvirt to have of one network
 * @name:	its name
 * @uuid:	its UUID, formatted
 * @live_xml:	the network libvirt should run, or NULL: not running
 * @config_xml:	the network libvirt should keep defined, or NULL: transient
 * @unmirrorable: why it cannot be mirrored whatever libvirt has (no bridge name yet), or ""
 * @dirty:	libvirt may not have it as wanted yet: sync it at the next chance
 * @state:	how it stands
 * @reason:	why it is not mirrored, or ""
 * @next:	the next one
 */
struct libvirt_net {
	char *name;
	char uuid[CONF_UUID_STRLEN];
	char *live_xml;
	char *config_xml;
	char unmirrorable[128];
	bool dirty;
	enum libvirt_state state;
	char reason[LIBVIRT_REASON_MAX];
	struct libvirt_net *next;
};

/* who has a libvirt network, by its kvnet mark */
enum libvirt_owner {
	LIBVIRT_OWNER_US,
	LIBVIRT_OWNER_KVNET, /* another kvnetd (another state dir) */
	LIBVIRT_OWNER_NONE,  /* not kvnet: libvirt's own, or another tool's */
};

static struct {
	const struct libvirt_api *test_api;
	struct libvirt_api loaded;
	const struct libvirt_api *api; /* NULL until the library is loaded */
	char *uri;		       /* NULL: off */
	bool asked;		       /* @uri was given, not the default */
	char *owner;
	struct _virConnect *conn;
	uint64_t next_ns;	       /* the next reconnection or probe */
	char down[LIBVIRT_REASON_MAX]; /* why there is no connection; "" once logged as up */
	bool down_logged;
	struct libvirt_net *nets;
} lv;

const char *libvirt_state_name(enum libvirt_state state)
{
	switch (state) {
	case LIBVIRT_OFF:
		return "off";
	case LIBVIRT_MIRRORED:
		return "mirrored";
	case LIBVIRT_NOT_MIRRORED:
		break;
	}
	return "not mirrored";
}

void libvirt_set_api(const struct libvirt_api *api)
{
	lv.test_api = api;
}

/* ---------------------------------------------------------------- the XML kvnet gives libvirt */

static void libvirt_vlan_xml(struct strbuf *b, const struct conf_vlan *v, const char *indent)
{
	if (!v->present || !v->n_tags)
		return;
	strbuf_appendf(b, "%s<vlan", indent);
	if (v->trunk != CONF_TRI_ABSENT)
		strbuf_appendf(b, " trunk='%s'", v->trunk == CONF_TRI_YES ? "yes" : "no");
	strbuf_append(b, ">\n");
	for (size_t i = 0; i < v->n_tags; i++) {
		const char *mode = conf_native_mode_to_string(v->tags[i].native_mode);

		strbuf_appendf(b, "%s  <tag id='%u'", indent, v->tags[i].id);
		if (v->tags[i].native_mode != CONF_NATIVE_NONE && mode)
			strbuf_appendf(b, " nativeMode='%s'", mode);
		strbuf_append(b, "/>\n");
	}
	strbuf_appendf(b, "%s</vlan>\n", indent);
}

/*
 * A portgroup with its VLAN and its <bandwidth>: libvirt resolves a guest's portgroup, and
 * kvnet-ovs-vsctl is not told it, so libvirt must know the limits to ask for them (its QoS
 * commands, refused: the guest then fails to start rather than run unshaped). The network's
 * own <bandwidth> is not given: it is kvnet's host port's, which libvirt would shape again.
 */
static void libvirt_portgroup_xml(struct strbuf *b, const struct network_portgroup *pg,
				  const char *indent)
{
	char inner[16];
	bool vlan = pg->vlan.present && pg->vlan.n_tags;

	strbuf_appendf(b, "%s<portgroup name='", indent);
	strbuf_append_xml(b, pg->name);
	strbuf_appendf(b, "'%s%s>\n", pg->is_default ? " default='yes'" : "",
		       vlan || pg->bandwidth ? "" : "/");
	if (!vlan && !pg->bandwidth)
		return;
	snprintf(inner, sizeof(inner), "%s  ", indent);
	libvirt_vlan_xml(b, &pg->vlan, inner);
	conf_bandwidth_xml(b, pg->bandwidth, (unsigned int)strlen(inner));
	strbuf_appendf(b, "%s</portgroup>\n", indent);
}

/* libvirt_network_xml(), without the portgroups unless @portgroups */
static int libvirt_format(const struct network_def *def, const char *bridge, const char *owner,
			  bool portgroups, char **out)
{
	struct strbuf b = STRBUF_INIT;
	char uuid[CONF_UUID_STRLEN];

	conf_uuid_format(def->uuid, uuid);
	strbuf_append(&b, "<network>\n  <name>");
	strbuf_append_xml(&b, def->name);
	strbuf_appendf(&b, "</name>\n  <uuid>%s</uuid>\n", uuid);
	strbuf_append(&b, "  <metadata>\n    <kvnet:network xmlns:kvnet='" LIBVIRT_KVNET_NS
			  "' state-dir='");
	strbuf_append_xml(&b, owner);
	strbuf_append(&b, "'/>\n  </metadata>\n  <forward mode='bridge'/>\n  <bridge name='");
	strbuf_append_xml(&b, bridge);
	strbuf_append(&b, "'/>\n  <virtualport type='openvswitch'/>\n");
	libvirt_vlan_xml(&b, &def->vlan, "  ");
	for (size_t i = 0; portgroups && i < def->n_portgroups; i++)
		libvirt_portgroup_xml(&b, &def->portgroups[i], "  ");
	strbuf_append(&b, "</network>\n");
	return strbuf_take(&b, out);
}

int libvirt_network_xml(const struct network_def *def, const char *bridge, const char *owner,
			char **out)
{
	return libvirt_format(def, bridge, owner, true, out);
}

/* one portgroup alone, as virNetworkUpdate takes it */
static int libvirt_portgroup_doc(const struct network_portgroup *pg, char **out)
{
	struct strbuf b = STRBUF_INIT;

	libvirt_portgroup_xml(&b, pg, "");
	return strbuf_take(&b, out);
}

/* ---------------------------------------------------------------- reading libvirt's networks */

/* who made @def, by its kvnet mark; another kvnetd's state dir into @other */
static enum libvirt_owner libvirt_owner_of(const struct network_def *def, char *other, size_t len)
{
	char *dir = NULL;
	int found = network_xml_metadata_find(def, LIBVIRT_KVNET_NS, "state-dir", &dir);
	enum libvirt_owner o = LIBVIRT_OWNER_NONE;

	if (found > 0)
		o = dir && !strcmp(dir, lv.owner) ? LIBVIRT_OWNER_US : LIBVIRT_OWNER_KVNET;
	if (o == LIBVIRT_OWNER_KVNET)
		snprintf(other, len, "%s", dir ? dir : "(none)");
	free(dir);
	return o;
}

/* does kept element @e (a <virtualport>) say type='openvswitch' */
static bool libvirt_is_ovs(const struct conf_elem *e)
{
	for (size_t i = 0; e && i < e->n_attrs; i++)
		if (!strcmp(e->attr_names[i], "type"))
			return !strcmp(e->attr_values[i], "openvswitch");
	return false;
}

/**
 * struct libvirt_seen - one of libvirt's networks as kvnet reads it
 * @def:	its definition as conf/ parses it, or NULL when conf/ cannot (not kvnet's)
 * @owner:	who made it
 * @other:	for LIBVIRT_OWNER_KVNET, the other kvnetd's state dir
 * @canon:	for one of ours in the form kvnet gives: its XML as kvnet formats it, to be
 *		compared with what kvnet wants; NULL if it is not in that form
 */
struct libvirt_seen {
	struct network_def *def;
	enum libvirt_owner owner;
	char other[256];
	char *canon;
};

static void libvirt_seen_clear(struct libvirt_seen *s)
{
	network_def_free(s->def);
	free(s->canon);
	memset(s, 0, sizeof(*s));
}

/* Read @net's XML (@flags: 0 live, LIBVIRT_NETWORK_XML_INACTIVE) into @s, which the caller
 * clears. Return: 0; -EIO when libvirt failed (its message is the last error); -ENOMEM (@s is
 * then empty) */
static int libvirt_read(struct _virNetwork *net, unsigned int flags, struct libvirt_seen *s)
{
	char *xml = lv.api->virNetworkGetXMLDesc(net, flags), err[256];
	const struct network_def *d;

	memset(s, 0, sizeof(*s));
	s->owner = LIBVIRT_OWNER_NONE;
	if (!xml)
		return -EIO;
	/* a network conf/ refuses (hostdev, macvtap modes...) is not one kvnet made */
	if (network_xml_parse(xml, strlen(xml), &s->def, err, sizeof(err)))
		s->def = NULL;
	free(xml);
	d = s->def;
	if (!d)
		return 0;
	s->owner = libvirt_owner_of(d, s->other, sizeof(s->other));
	if (s->owner == LIBVIRT_OWNER_US && d->forward.mode == CONF_FORWARD_BRIDGE &&
	    d->bridge.name && libvirt_is_ovs(d->virtualport) &&
	    libvirt_network_xml(d, d->bridge.name, lv.owner, &s->canon)) {
		libvirt_seen_clear(s);
		return -ENOMEM;
	}
	return 0;
}

/* ---------------------------------------------------------------- the connection */

/* the message of libvirt's last error, for a sentence */
static const char *libvirt_last_error(void)
{
	const char *m = lv.api->virGetLastErrorMessage();

	return m && *m ? m : "unknown error";
}

static void libvirt_log_down(void)
{
	if (lv.down_logged)
		return;
	lv.down_logged = true;
	log_warn("libvirt: %s; kvnet's networks are not mirrored into libvirt until it is, "
		 "tried again every %d s",
		 lv.down, LIBVIRT_RETRY_S);
}

/* the connection is gone (or never was): say why, once, and try again later */
static void libvirt_drop(const char *why)
{
	if (lv.conn) {
		lv.api->virConnectClose(lv.conn);
		lv.conn = NULL;
		lv.down_logged = false;
	}
	snprintf(lv.down, sizeof(lv.down), "%s", why);
	for (struct libvirt_net *e = lv.nets; e; e = e->next)
		e->dirty = true;
	libvirt_log_down();
}

/* after a failed call: is the connection still there (else it is dropped) */
static bool libvirt_alive(void)
{
	char why[LIBVIRT_REASON_MAX];

	if (!lv.conn)
		return false;
	/* the failed call's words: every call of libvirt's resets them */
	snprintf(why, sizeof(why), "the connection to libvirtd at %s was lost (%s)", lv.uri,
		 libvirt_last_error());
	if (lv.api->virConnectIsAlive(lv.conn) == 1)
		return true;
	libvirt_drop(why);
	return false;
}

static void libvirt_quiet(void *opaque, struct _virError *e)
{
	(void)opaque;
	(void)e;
}

/* dlopen libvirt.so.0 and look up every function. Return: 0, or -ENOENT with @why */
static int libvirt_load(char *why, size_t len)
{
	static const struct {
		const char *name;
		size_t offset;
	} syms[] = {
#define LIBVIRT_SYM(name) { #name, offsetof(struct libvirt_api, name) },
		LIBVIRT_SYMBOLS(LIBVIRT_SYM)
#undef LIBVIRT_SYM
	};
	void *dl;

	if (lv.test_api) {
		lv.api = lv.test_api;
		return 0;
	}
	/* never dlclose()d: what it allocates stays reachable, and it is loaded once */
	dl = dlopen(LIBVIRT_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		snprintf(why, len,
			 "libvirt's client library %s cannot be loaded (%s): is libvirt "
			 "installed (Debian: libvirt0)?",
			 LIBVIRT_SONAME, dlerror());
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(dl, syms[i].name);

		if (!f) {
			snprintf(why, len, "%s has no %s: libvirt is too old", LIBVIRT_SONAME,
				 syms[i].name);
			return -ENOENT;
		}
		/* POSIX: a function's address fits a void * and back */
		memcpy((char *)&lv.loaded + syms[i].offset, &f, sizeof(f));
	}
	lv.api = &lv.loaded;
	return 0;
}

/* load (if not yet) and connect. Return: true when connected */
static bool libvirt_open(void)
{
	char why[LIBVIRT_REASON_MAX];

	if (!lv.api) {
		if (libvirt_load(why, sizeof(why))) {
			snprintf(lv.down, sizeof(lv.down), "%s", why);
			/* libvirt not installed where no one asked for it: news, not a warning */
			if (!lv.asked && !lv.down_logged)
				log_info("libvirt: %s; kvnet's networks are not mirrored into "
					 "libvirt",
					 why);
			lv.down_logged |= !lv.asked;
			libvirt_log_down();
			return false;
		}
		lv.api->virInitialize();
		/* libvirt prints every error on stderr unless told not to */
		lv.api->virSetErrorFunc(NULL, libvirt_quiet);
	}
	lv.conn = lv.api->virConnectOpen(lv.uri);
	if (!lv.conn) {
		snprintf(why, sizeof(why), "cannot connect to libvirtd at %s: %s", lv.uri,
			 libvirt_last_error());
		snprintf(lv.down, sizeof(lv.down), "%s", why);
		libvirt_log_down();
		return false;
	}
	lv.down[0] = '\0';
	lv.down_logged = false;
	log_info("libvirt: connected to %s; kvnet's networks are mirrored there", lv.uri);
	return true;
}

/* ---------------------------------------------------------------- one network in step */

static struct libvirt_net *libvirt_net_find(const char *name)
{
	for (struct libvirt_net *e = lv.nets; e; e = e->next)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

/* record how @e stands; log a change of reason */
static void libvirt_net_result(struct libvirt_net *e, enum libvirt_state state, const char *reason)
{
	if (state == LIBVIRT_NOT_MIRRORED && reason[0] && strcmp(e->reason, reason)) {
		/* what kvnet knows of its own is news; what libvirt refused is a warning */
		if (reason == e->unmirrorable)
			log_info("network %s: not mirrored into libvirt: %s", e->name, reason);
		else
			log_warn("network %s: not mirrored into libvirt: %s", e->name, reason);
	} else if (state == LIBVIRT_MIRRORED && e->state != LIBVIRT_MIRRORED) {
		log_info("network %s: mirrored into libvirt", e->name);
	}
	e->state = state;
	snprintf(e->reason, sizeof(e->reason), "%s", state == LIBVIRT_NOT_MIRRORED ? reason : "");
}

/* a call about @e failed: record libvirt's words. Return: -EIO */
static int libvirt_net_failed(struct libvirt_net *e, const char *what)
{
	char reason[LIBVIRT_REASON_MAX];

	snprintf(reason, sizeof(reason), "libvirt refused to %s it: %s", what,
		 libvirt_last_error());
	if (libvirt_alive())
		libvirt_net_result(e, LIBVIRT_NOT_MIRRORED, reason);
	e->dirty = true;
	return -EIO;
}

/* the sentence for a libvirt network named like kvnet's @name that kvnet did not make */
static void libvirt_clash_text(const char *name, const struct libvirt_seen *s, char *buf,
			       size_t len)
{
	if (s->owner == LIBVIRT_OWNER_KVNET)
		snprintf(buf, len,
			 "libvirt already has a network '%s' that another kvnetd made (state dir "
			 "%s)",
			 name, s->other);
	else
		snprintf(buf, len, "libvirt already has a network '%s' that kvnet did not make",
			 name);
}

/* Remove @net, ours: stop it and forget its definition. Return: 0 or -EIO */
static int libvirt_remove(struct libvirt_net *e, struct _virNetwork *net)
{
	if (lv.api->virNetworkIsActive(net) == 1 && lv.api->virNetworkDestroy(net))
		return e ? libvirt_net_failed(e, "destroy") : -EIO;
	/* a transient network is gone once stopped */
	if (lv.api->virNetworkIsPersistent(net) == 1 && lv.api->virNetworkUndefine(net))
		return e ? libvirt_net_failed(e, "undefine") : -EIO;
	return 0;
}

/* swap @*net for @fresh (a new handle on the same network), freeing the old one */
static void libvirt_hold(struct _virNetwork **net, struct _virNetwork *fresh)
{
	if (*net && *net != fresh)
		lv.api->virNetworkFree(*net);
	*net = fresh;
}

/*
 * The live portgroups of running @net, from @have's to @want's, through virNetworkUpdate
 * (deleted, modified, added). Return: 0, or -EIO when libvirt refused one (the caller then
 * restarts the network), -ENOMEM
 */
static int libvirt_update_portgroups(struct _virNetwork *net, const struct network_def *have,
				     const struct network_def *want)
{
	int ret = 0;

	for (size_t i = 0; i < have->n_portgroups && !ret; i++) {
		const struct network_portgroup *h = &have->portgroups[i];
		bool kept = false;
		char *doc;

		for (size_t j = 0; j < want->n_portgroups; j++)
			kept |= !strcmp(want->portgroups[j].name, h->name);
		if (kept)
			continue;
		if (libvirt_portgroup_doc(h, &doc))
			return -ENOMEM;
		if (lv.api->virNetworkUpdate(net, LIBVIRT_UPDATE_DELETE, LIBVIRT_SECTION_PORTGROUP,
					     -1, doc, LIBVIRT_UPDATE_AFFECT_LIVE))
			ret = -EIO;
		free(doc);
	}
	for (size_t i = 0; i < want->n_portgroups && !ret; i++) {
		const struct network_portgroup *w = &want->portgroups[i], *h = NULL;
		char *doc, *old = NULL;
		unsigned int cmd = LIBVIRT_UPDATE_ADD_LAST;

		for (size_t j = 0; j < have->n_portgroups && !h; j++)
			if (!strcmp(have->portgroups[j].name, w->name))
				h = &have->portgroups[j];
		if (libvirt_portgroup_doc(w, &doc) || (h && libvirt_portgroup_doc(h, &old))) {
			free(doc);
			return -ENOMEM;
		}
		if (h)
			cmd = strcmp(doc, old) ? LIBVIRT_UPDATE_MODIFY : 0;
		if (cmd && lv.api->virNetworkUpdate(net, cmd, LIBVIRT_SECTION_PORTGROUP, -1, doc,
						    LIBVIRT_UPDATE_AFFECT_LIVE))
			ret = -EIO;
		free(doc);
		free(old);
	}
	return ret;
}

/*
 * Running @net's live definition to @e's. Only portgroups differ: virNetworkUpdate, as
 * `virsh net-update --live`; anything else, or a refused update: destroy and start it again
 * (the ports of running domains stay on kvnet's bridge either way).
 * Return: 0, or -EIO after libvirt_net_failed(), -ENOMEM
 */
static int libvirt_fix_live(struct libvirt_net *e, struct _virNetwork **net,
			    const struct libvirt_seen *have, bool persistent)
{
	struct network_def *want = NULL;
	char *have_bare = NULL, *want_bare = NULL, err[256];
	bool restart = !have->canon;
	int ret;

	if (network_xml_parse(e->live_xml, strlen(e->live_xml), &want, err, sizeof(err)))
		return -ENOMEM; /* kvnet formatted it itself: only memory can fail */
	if (!restart) {
		ret = libvirt_format(have->def, have->def->bridge.name, lv.owner, false,
				     &have_bare);
		if (!ret)
			ret = libvirt_format(want, want->bridge.name, lv.owner, false, &want_bare);
		if (ret)
			goto out;
		restart = strcmp(have_bare, want_bare) ||
			  libvirt_update_portgroups(*net, have->def, want);
		if (restart)
			log_info("network %s: libvirt's running network differs in more than "
				 "its portgroups (or refused an update): restarting it",
				 e->name);
	}
	ret = 0;
	if (!restart)
		goto out;
	if (lv.api->virNetworkDestroy(*net)) {
		ret = libvirt_net_failed(e, "stop (to restart)");
		goto out;
	}
	if (persistent) {
		/* started from the live definition; the persistent one is put back after */
		libvirt_hold(net, lv.api->virNetworkDefineXML(lv.conn, e->live_xml));
		if (!*net || lv.api->virNetworkCreate(*net))
			ret = libvirt_net_failed(e, "restart");
	} else {
		libvirt_hold(net, lv.api->virNetworkCreateXML(lv.conn, e->live_xml));
		if (!*net)
			ret = libvirt_net_failed(e, "restart");
	}
out:
	network_def_free(want);
	free(have_bare);
	free(want_bare);
	return ret;
}

/* make libvirt's network @*net (NULL: none) what @e wants; @e wants something */
static int libvirt_sync_wanted(struct libvirt_net *e, struct _virNetwork **net)
{
	struct libvirt_seen s;
	int ret = 0;

	if (e->config_xml) {
		/* persistent: defined (a running transient one becomes persistent) */
		if (!*net || lv.api->virNetworkIsPersistent(*net) != 1) {
			const char *first = e->live_xml ? e->live_xml : e->config_xml;

			libvirt_hold(net, lv.api->virNetworkDefineXML(lv.conn, first));
			if (!*net)
				return libvirt_net_failed(e, "define");
		}
	} else if (*net && lv.api->virNetworkIsPersistent(*net) == 1) {
		/* transient: a running one loses its definition, a stopped one goes */
		bool active = lv.api->virNetworkIsActive(*net) == 1;

		if (lv.api->virNetworkUndefine(*net))
			return libvirt_net_failed(e, "undefine");
		if (!active)
			libvirt_hold(net, NULL);
	}
	if (e->live_xml) {
		if (!*net) {
			libvirt_hold(net, lv.api->virNetworkCreateXML(lv.conn, e->live_xml));
			if (!*net)
				return libvirt_net_failed(e, "start");
		} else if (lv.api->virNetworkIsActive(*net) != 1) {
			/* started from the live definition; the persistent one follows below */
			if (e->config_xml && strcmp(e->live_xml, e->config_xml)) {
				libvirt_hold(net,
					     lv.api->virNetworkDefineXML(lv.conn, e->live_xml));
				if (!*net)
					return libvirt_net_failed(e, "define");
			}
			if (lv.api->virNetworkCreate(*net))
				return libvirt_net_failed(e, "start");
		} else {
			ret = libvirt_read(*net, 0, &s);
			if (ret)
				return ret == -EIO ? libvirt_net_failed(e, "read") : ret;
			if (!s.canon || strcmp(s.canon, e->live_xml))
				ret = libvirt_fix_live(e, net, &s, e->config_xml);
			libvirt_seen_clear(&s);
			if (ret)
				return ret;
		}
	} else if (*net && lv.api->virNetworkIsActive(*net) == 1 &&
		   lv.api->virNetworkDestroy(*net)) {
		return libvirt_net_failed(e, "stop");
	}
	if (e->config_xml) {
		ret = libvirt_read(*net, LIBVIRT_NETWORK_XML_INACTIVE, &s);
		if (ret)
			return ret == -EIO ? libvirt_net_failed(e, "read") : ret;
		if (!s.canon || strcmp(s.canon, e->config_xml)) {
			libvirt_hold(net, lv.api->virNetworkDefineXML(lv.conn, e->config_xml));
			if (!*net)
				ret = libvirt_net_failed(e, "define");
		}
		libvirt_seen_clear(&s);
	}
	return ret;
}

static bool libvirt_uuid_differs(const struct network_def *def, const char *uuid)
{
	char have[CONF_UUID_STRLEN];

	conf_uuid_format(def->uuid, have);
	return strcmp(have, uuid) != 0;
}

/*
 * Bring libvirt's network named like @e in step with it, when connected. A network of that
 * name kvnet did not make is left alone. A removed entry (@e->live_xml and @e->config_xml
 * NULL) removes kvnet's. Return: 0, or a negative errno (also recorded in @e)
 */
static int libvirt_sync(struct libvirt_net *e)
{
	bool wanted = (e->live_xml || e->config_xml) && !e->unmirrorable[0];
	char reason[LIBVIRT_REASON_MAX];
	struct _virNetwork *net;
	struct libvirt_seen s;
	int ret = 0;

	if (!lv.conn)
		return -ENOTCONN;
	net = lv.api->virNetworkLookupByName(lv.conn, e->name);
	if (!net && lv.api->virGetLastErrorCode() != LIBVIRT_ERR_NO_NETWORK)
		return libvirt_net_failed(e, "look up");
	if (net) {
		ret = libvirt_read(net, 0, &s);
		if (ret) {
			ret = ret == -EIO ? libvirt_net_failed(e, "read") : ret;
			goto out;
		}
		if (s.owner != LIBVIRT_OWNER_US) {
			libvirt_clash_text(e->name, &s, reason, sizeof(reason));
			libvirt_seen_clear(&s);
			/* not kvnet's to remove; and while it is there, looked at again on each
			 * tick: it may go */
			e->dirty = wanted;
			libvirt_net_result(e, LIBVIRT_NOT_MIRRORED,
					   wanted ? reason : e->unmirrorable);
			goto out;
		}
		/* kvnet's earlier network of that name (another UUID) cannot be redefined */
		if (!wanted || libvirt_uuid_differs(s.def, e->uuid)) {
			ret = libvirt_remove(e, net);
			libvirt_hold(&net, NULL);
		}
		libvirt_seen_clear(&s);
		if (ret)
			goto out;
	}
	if (wanted)
		ret = libvirt_sync_wanted(e, &net);
	if (!ret) {
		e->dirty = false;
		libvirt_net_result(e, wanted ? LIBVIRT_MIRRORED : LIBVIRT_NOT_MIRRORED,
				   e->unmirrorable);
	}
out:
	libvirt_hold(&net, NULL);
	return ret;
}

/* ---------------------------------------------------------------- everything in step */

/* free the entries of networks kvnet forgot once libvirt forgot them too */
static void libvirt_reap(void)
{
	struct libvirt_net **pp = &lv.nets;

	while (*pp) {
		struct libvirt_net *e = *pp;

		if (e->live_xml || e->config_xml || e->dirty) {
			pp = &e->next;
			continue;
		}
		*pp = e->next;
		free(e->name);
		free(e);
	}
}

/* after a (re)connection: remove this kvnetd's networks kvnet no longer has, sync the rest */
static void libvirt_resync(void)
{
	struct _virNetwork **all = NULL;
	int n = lv.api->virConnectListAllNetworks(lv.conn, &all, 0);
	int count = 0;

	if (n < 0 && libvirt_alive())
		log_warn("libvirt: cannot list its networks: %s", libvirt_last_error());
	for (int i = 0; i < n; i++) {
		const char *name = lv.api->virNetworkGetName(all[i]);
		struct libvirt_seen s;

		if (lv.conn && name && !libvirt_net_find(name) && !libvirt_read(all[i], 0, &s)) {
			if (s.owner == LIBVIRT_OWNER_US && libvirt_remove(NULL, all[i]))
				log_warn("libvirt: cannot remove network %s, which kvnet no longer "
					 "has: %s",
					 name, libvirt_last_error());
			else if (s.owner == LIBVIRT_OWNER_US)
				log_info("libvirt: network %s removed: kvnet no longer has it",
					 name);
			libvirt_seen_clear(&s);
		}
		lv.api->virNetworkFree(all[i]);
	}
	free(all);
	for (struct libvirt_net *e = lv.nets; e && lv.conn; e = e->next)
		count += !libvirt_sync(e) && e->state == LIBVIRT_MIRRORED;
	libvirt_reap();
	if (lv.conn)
		log_info("libvirt: %d network%s mirrored", count, count == 1 ? "" : "s");
}

void libvirt_connect(void)
{
	if (lv.uri && !lv.conn && libvirt_open())
		libvirt_resync();
}

void libvirt_tick(uint64_t now_ns)
{
	unsigned long version;

	if (!lv.uri || now_ns < lv.next_ns)
		return;
	lv.next_ns = now_ns + LIBVIRT_RETRY_S * 1000000000ull;
	if (lv.conn && lv.api->virConnectGetLibVersion(lv.conn, &version) < 0)
		libvirt_alive(); /* drops it when it is gone: libvirtd stopped or restarted */
	if (!lv.conn) {
		libvirt_connect();
		return;
	}
	for (struct libvirt_net *e = lv.nets; e && lv.conn; e = e->next)
		if (e->dirty)
			libvirt_sync(e);
	libvirt_reap();
}

int libvirt_net_check(const struct network_def *def, char *err, size_t errlen)
{
	char uuid[CONF_UUID_STRLEN], text[LIBVIRT_REASON_MAX];
	struct _virNetwork *net;
	struct libvirt_seen s;
	int ret = 0;

	if (!lv.conn)
		return 0;
	net = lv.api->virNetworkLookupByName(lv.conn, def->name);
	if (!net) {
		conf_uuid_format(def->uuid, uuid);
		net = lv.api->virNetworkLookupByUUIDString(lv.conn, uuid);
	}
	if (!net) {
		libvirt_alive();
		return 0;
	}
	if (!libvirt_read(net, 0, &s) && s.owner != LIBVIRT_OWNER_US) {
		const char *name = lv.api->virNetworkGetName(net);

		if (name && strcmp(name, def->name)) {
			snprintf(err, errlen,
				 "libvirt's network '%s' already has uuid %s: kvnet's network '%s' "
				 "cannot be mirrored into libvirt with it; give it another uuid",
				 name, uuid, def->name);
		} else {
			libvirt_clash_text(def->name, &s, text, sizeof(text));
			snprintf(err, errlen,
				 "%s; kvnet does not take it over: give kvnet's network another "
				 "name, or remove libvirt's (virsh net-destroy %s; virsh "
				 "net-undefine %s)",
				 text, def->name, def->name);
		}
		ret = -EEXIST;
	}
	libvirt_seen_clear(&s);
	lv.api->virNetworkFree(net);
	return ret;
}

void libvirt_net_forget(const char *name)
{
	struct libvirt_net *e = libvirt_net_find(name);

	if (!e)
		return;
	free(e->live_xml);
	free(e->config_xml);
	e->live_xml = e->config_xml = NULL;
	e->unmirrorable[0] = '\0';
	/* kept until libvirt's is gone too (now, or at the next connection) */
	e->dirty = true;
	libvirt_sync(e);
	libvirt_reap();
}

void libvirt_net_set(const char *name, const struct network_def *live, const char *bridge,
		     const struct network_def *config)
{
	const char *config_bridge = config && config->bridge.name ? config->bridge.name : bridge;
	struct libvirt_net *e;

	if (!lv.uri)
		return;
	if (!live && !config) {
		libvirt_net_forget(name);
		return;
	}
	e = libvirt_net_find(name);
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e || !(e->name = strdup(name))) {
			free(e);
			log_err("network %s: out of memory: not mirrored into libvirt", name);
			return;
		}
		e->state = LIBVIRT_NOT_MIRRORED;
		e->next = lv.nets;
		lv.nets = e;
	}
	free(e->live_xml);
	free(e->config_xml);
	e->live_xml = e->config_xml = NULL;
	e->unmirrorable[0] = '\0';
	conf_uuid_format(live ? live->uuid : config->uuid, e->uuid);
	if (live && !bridge)
		live = NULL; /* not running on a bridge: not live either */
	if (!live && !config_bridge)
		snprintf(e->unmirrorable, sizeof(e->unmirrorable),
			 "it has no <bridge name> until it starts (kvnet picks one then)");
	else if ((live && libvirt_network_xml(live, bridge, lv.owner, &e->live_xml)) ||
		 (config && libvirt_network_xml(config, config_bridge, lv.owner, &e->config_xml)))
		snprintf(e->unmirrorable, sizeof(e->unmirrorable), "out of memory");
	e->dirty = true;
	libvirt_sync(e);
}

enum libvirt_state libvirt_net_state(const char *name, const char **reason)
{
	const struct libvirt_net *e = libvirt_net_find(name);

	*reason = "";
	if (!lv.uri)
		return LIBVIRT_OFF;
	if (e && e->unmirrorable[0]) {
		*reason = e->unmirrorable;
		return LIBVIRT_NOT_MIRRORED;
	}
	if (!lv.conn) {
		*reason = lv.down[0] ? lv.down : "not connected to libvirtd yet";
		return LIBVIRT_NOT_MIRRORED;
	}
	if (!e || (e->state == LIBVIRT_NOT_MIRRORED && !e->reason[0])) {
		*reason = "not in step with libvirt yet";
		return LIBVIRT_NOT_MIRRORED;
	}
	*reason = e->reason;
	return e->state;
}

int libvirt_init(const char *uri, bool asked, const char *owner)
{
	char *real;

	if (!uri || !strcmp(uri, "off"))
		return 0;
	/* the state dir as the mark: spelt the same by every start */
	real = realpath(owner, NULL);
	lv.owner = real ? real : strdup(owner);
	lv.uri = strdup(uri);
	lv.asked = asked;
	if (!lv.uri || !lv.owner) {
		libvirt_fini();
		return -ENOMEM;
	}
	return 0;
}

void libvirt_fini(void)
{
	if (lv.conn)
		lv.api->virConnectClose(lv.conn);
	lv.conn = NULL;
	while (lv.nets) {
		struct libvirt_net *e = lv.nets;

		lv.nets = e->next;
		free(e->name);
		free(e->live_xml);
		free(e->config_xml);
		free(e);
	}
	free(lv.uri);
	free(lv.owner);
	lv.uri = lv.owner = NULL;
	lv.down[0] = '\0';
	lv.down_logged = false;
	lv.next_ns = 0;
}
