/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt.c - kvnet's networks mirrored into libvirtd (see libvirt.h) */

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/conf_enum.h"
#include "conf/conf_uuid.h"
#include "conf/network_xml.h"
#include "services/libvirt.h"
#include "services/libvirt_xml_priv.h"
#include "util/log.h"
#include "util/strbuf.h"

#define LIBVIRT_SONAME "libvirt.so.0"
#define LIBVIRT_REASON_MAX 512
/* how long a change of kvnet's waits for libvirtd to take it before kvnet goes on */
#define LIBVIRT_WAIT_S 10
#define LIBVIRT_NS 1000000000ull

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

/* what kvnet has of a network, for libvirt: the control thread's words to the worker */
struct libvirt_wish {
	char uuid[CONF_UUID_STRLEN];
	char *live_xml;
	char *config_xml;
	char unmirrorable[128];
};

/**
 * struct libvirt_net - what kvnet wants libvirt to have of one network
 * @name:	its name
 * @uuid:	its UUID, formatted
 * @live_xml:	the network libvirt should run, or NULL: not running
 * @config_xml:	the network libvirt should keep defined, or NULL: transient
 * @unmirrorable: why it cannot be mirrored whatever libvirt has (no bridge name yet), or ""
 * @dirty:	libvirt may not have it as wanted yet: sync it at the next chance
 * @asked:	the control thread's latest wish, not taken by the worker yet (@changed)
 * @changed:	@asked is newer than @uuid .. @unmirrorable
 * @state:	how it stands
 * @reason:	why it is not mirrored, or ""
 * @next:	the next one
 *
 * @uuid .. @dirty are the worker's; @asked, @changed, @state and @reason are under lv.lock.
 */
struct libvirt_net {
	char *name;
	char uuid[CONF_UUID_STRLEN];
	char *live_xml;
	char *config_xml;
	char unmirrorable[128];
	bool dirty;
	struct libvirt_wish asked;
	bool changed;
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

/*
 * Every call into libvirt is made by one thread of the mirror's own (the worker), so a
 * libvirtd that accepts and never answers stalls the mirror, not kvnetd's control thread.
 * The control thread posts what it wants (libvirt_net_set(), a check) under @lock and waits
 * for the worker at most LIBVIRT_WAIT_S, and not at all while the worker is stuck in a call;
 * what it reads back (a network's state, why there is no connection) is published under @lock.
 * A test's table (libvirt_set_api()) runs the worker's passes in the caller's thread instead,
 * so that each step can be checked, and its clock is libvirt_tick()'s.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* the worker: something is asked */
	pthread_cond_t done; /* the control thread: a pass or a check is done */
	pthread_t worker;
	bool threaded; /* the worker runs (not a test's table) */
	bool started;  /* libvirt_connect() was called */
	bool stop;
	bool connected;			   /* published @conn != NULL */
	char down_pub[LIBVIRT_REASON_MAX]; /* published @down */
	uint64_t asked_seq, done_seq;	   /* changes posted, and taken and synced */
	uint64_t busy_since;		   /* when the worker's pass began, or 0 */
	bool stuck_said;		   /* the wait for it was logged */
	struct {
		char name[256];
		char uuid[CONF_UUID_STRLEN];
		uint64_t seq, done;
		int ret;
		char err[2 * LIBVIRT_REASON_MAX];
	} check;
	char state_reason[LIBVIRT_REASON_MAX]; /* libvirt_net_state()'s answer */
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
} lv = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

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

/* why there is no connection (@why), or "" with one: for the control thread too */
static void libvirt_set_down(const char *why)
{
	snprintf(lv.down, sizeof(lv.down), "%s", why);
	pthread_mutex_lock(&lv.lock);
	lv.connected = lv.conn != NULL;
	memcpy(lv.down_pub, lv.down, sizeof(lv.down_pub));
	pthread_mutex_unlock(&lv.lock);
}

/* the first network of the list; the worker then walks it without the lock (only it unlinks) */
static struct libvirt_net *libvirt_first(void)
{
	struct libvirt_net *e;

	pthread_mutex_lock(&lv.lock);
	e = lv.nets;
	pthread_mutex_unlock(&lv.lock);
	return e;
}

/* the connection is gone (or never was): say why, once, and try again later */
static void libvirt_drop(const char *why)
{
	if (lv.conn) {
		lv.api->virConnectClose(lv.conn);
		lv.conn = NULL;
		lv.down_logged = false;
	}
	libvirt_set_down(why);
	for (struct libvirt_net *e = libvirt_first(); e; e = e->next)
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
			libvirt_set_down(why);
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
		libvirt_set_down(why);
		libvirt_log_down();
		return false;
	}
	libvirt_set_down("");
	lv.down_logged = false;
	log_info("libvirt: connected to %s; kvnet's networks are mirrored there", lv.uri);
	return true;
}

/* ---------------------------------------------------------------- one network in step */

/* the caller holds lv.lock */
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
	pthread_mutex_lock(&lv.lock);
	e->state = state;
	snprintf(e->reason, sizeof(e->reason), "%s", state == LIBVIRT_NOT_MIRRORED ? reason : "");
	pthread_mutex_unlock(&lv.lock);
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
		if (libvirt_xml_portgroup(h, &doc))
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
		if (libvirt_xml_portgroup(w, &doc) || (h && libvirt_xml_portgroup(h, &old))) {
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
		ret = libvirt_xml_format(have->def, have->def->bridge.name, lv.owner, false,
					 &have_bare);
		if (!ret)
			ret = libvirt_xml_format(want, want->bridge.name, lv.owner, false,
						 &want_bare);
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

	pthread_mutex_lock(&lv.lock);
	while (*pp) {
		struct libvirt_net *e = *pp;

		if (e->live_xml || e->config_xml || e->unmirrorable[0] || e->dirty || e->changed) {
			pp = &e->next;
			continue;
		}
		*pp = e->next;
		free(e->name);
		free(e);
	}
	pthread_mutex_unlock(&lv.lock);
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

		bool ours;

		pthread_mutex_lock(&lv.lock);
		ours = name && libvirt_net_find(name);
		pthread_mutex_unlock(&lv.lock);
		if (lv.conn && name && !ours && !libvirt_read(all[i], 0, &s)) {
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
	for (struct libvirt_net *e = libvirt_first(); e && lv.conn; e = e->next)
		count += !libvirt_sync(e) && e->state == LIBVIRT_MIRRORED;
	libvirt_reap();
	if (lv.conn)
		log_info("libvirt: %d network%s mirrored", count, count == 1 ? "" : "s");
}

/* ---------------------------------------------------------------- the worker */

static uint64_t libvirt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * LIBVIRT_NS + (uint64_t)ts.tv_nsec;
}

/* wait on @cond (lv.lock held) until @deadline_ns of the monotonic clock at the latest */
static void libvirt_wait_until(pthread_cond_t *cond, uint64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline_ns / LIBVIRT_NS),
		.tv_nsec = (long)(deadline_ns % LIBVIRT_NS),
	};

	pthread_cond_timedwait(cond, &lv.lock, &ts);
}

/* the worker is in a call that libvirtd has not answered for LIBVIRT_WAIT_S (lv.lock held) */
static bool libvirt_stuck(uint64_t now_ns)
{
	return lv.busy_since && now_ns - lv.busy_since >= LIBVIRT_WAIT_S * LIBVIRT_NS;
}

/* the control thread no longer waits for the worker: said once a stall (lv.lock held) */
static void libvirt_say_stuck(void)
{
	if (lv.stuck_said)
		return;
	lv.stuck_said = true;
	log_warn("libvirt: libvirtd at %s has not answered for %d s: kvnet goes on without "
		 "it, and libvirt follows when it answers",
		 lv.uri, LIBVIRT_WAIT_S);
}

/* the worker's call came back (lv.lock held) */
static void libvirt_unstuck(void)
{
	lv.busy_since = 0;
	if (!lv.stuck_said)
		return;
	lv.stuck_said = false;
	log_info("libvirt: libvirtd at %s answers again", lv.uri);
}

/*
 * Wait on lv.done (lv.lock held) until @deadline_ns, or until the worker's call counts as
 * stuck, whichever comes first. Return: false once either has come
 */
static bool libvirt_wait_done(uint64_t deadline_ns)
{
	uint64_t now = libvirt_now(), until = deadline_ns;

	if (now >= deadline_ns || libvirt_stuck(now))
		return false;
	if (lv.busy_since && lv.busy_since + LIBVIRT_WAIT_S * LIBVIRT_NS < until)
		until = lv.busy_since + LIBVIRT_WAIT_S * LIBVIRT_NS;
	libvirt_wait_until(&lv.done, until);
	return true;
}

/* the worker takes what the control thread asked (lv.lock held) */
static void libvirt_take(void)
{
	for (struct libvirt_net *e = lv.nets; e; e = e->next) {
		if (!e->changed)
			continue;
		free(e->live_xml);
		free(e->config_xml);
		e->live_xml = e->asked.live_xml;
		e->config_xml = e->asked.config_xml;
		e->asked.live_xml = e->asked.config_xml = NULL;
		memcpy(e->uuid, e->asked.uuid, sizeof(e->uuid));
		memcpy(e->unmirrorable, e->asked.unmirrorable, sizeof(e->unmirrorable));
		e->changed = false;
		e->dirty = true;
	}
}

/*
 * One pass: with @timer (every LIBVIRT_RETRY_S), reconnect and resync, or probe the
 * connection; then bring each network whose sync is due in step, and let go of the ones
 * libvirt no longer has either
 */
static void libvirt_pass(uint64_t now_ns, bool timer)
{
	unsigned long version;

	if (timer) {
		lv.next_ns = now_ns + LIBVIRT_RETRY_S * LIBVIRT_NS;
		if (lv.conn && lv.api->virConnectGetLibVersion(lv.conn, &version) < 0)
			libvirt_alive(); /* drops it when it is gone: libvirtd stopped or restarted */
		if (!lv.conn) {
			if (libvirt_open())
				libvirt_resync();
			return;
		}
	}
	for (struct libvirt_net *e = libvirt_first(); e && lv.conn; e = e->next)
		if (e->dirty)
			libvirt_sync(e);
	libvirt_reap();
}

/* libvirt_net_check() of network @name (@uuid) against libvirt's, in the worker */
static int libvirt_check_run(const char *name, const char *uuid, char *err, size_t errlen)
{
	char text[LIBVIRT_REASON_MAX];
	struct _virNetwork *net;
	struct libvirt_seen s;
	int ret = 0;

	if (!lv.conn)
		return 0;
	net = lv.api->virNetworkLookupByName(lv.conn, name);
	if (!net)
		net = lv.api->virNetworkLookupByUUIDString(lv.conn, uuid);
	if (!net) {
		libvirt_alive();
		return 0;
	}
	if (!libvirt_read(net, 0, &s) && s.owner != LIBVIRT_OWNER_US) {
		const char *theirs = lv.api->virNetworkGetName(net);

		if (theirs && strcmp(theirs, name)) {
			snprintf(err, errlen,
				 "libvirt's network '%s' already has uuid %s: kvnet's network '%s' "
				 "cannot be mirrored into libvirt with it; give it another uuid",
				 theirs, uuid, name);
		} else {
			libvirt_clash_text(name, &s, text, sizeof(text));
			snprintf(err, errlen,
				 "%s; kvnet does not take it over: give kvnet's network another "
				 "name, or remove libvirt's (virsh net-destroy %s; virsh "
				 "net-undefine %s)",
				 text, name, name);
		}
		ret = -EEXIST;
	}
	libvirt_seen_clear(&s);
	lv.api->virNetworkFree(net);
	return ret;
}

/* the check the control thread asked for, answered (lv.lock held; dropped meanwhile) */
static void libvirt_check_answer(void)
{
	char name[sizeof(lv.check.name)], uuid[CONF_UUID_STRLEN], err[sizeof(lv.check.err)];
	uint64_t seq = lv.check.seq;
	int ret;

	memcpy(name, lv.check.name, sizeof(name));
	memcpy(uuid, lv.check.uuid, sizeof(uuid));
	pthread_mutex_unlock(&lv.lock);
	err[0] = '\0';
	ret = libvirt_check_run(name, uuid, err, sizeof(err));
	pthread_mutex_lock(&lv.lock);
	if (lv.check.seq != seq)
		return; /* asked again meanwhile: that one is answered next */
	lv.check.ret = ret;
	memcpy(lv.check.err, err, sizeof(err));
	lv.check.done = seq;
	pthread_cond_broadcast(&lv.done);
}

static void *libvirt_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lv.lock);
	while (!lv.stop) {
		uint64_t now = libvirt_now(), seq = lv.asked_seq;
		bool timer = now >= lv.next_ns;

		if (lv.check.seq != lv.check.done) {
			lv.busy_since = now;
			libvirt_check_answer();
			libvirt_unstuck();
			continue;
		}
		if (!timer && seq == lv.done_seq) {
			libvirt_wait_until(&lv.wake, lv.next_ns);
			continue;
		}
		lv.busy_since = now;
		libvirt_take();
		pthread_mutex_unlock(&lv.lock);
		libvirt_pass(now, timer);
		pthread_mutex_lock(&lv.lock);
		libvirt_unstuck();
		lv.done_seq = seq;
		pthread_cond_broadcast(&lv.done);
	}
	pthread_mutex_unlock(&lv.lock);
	return NULL;
}

/*
 * The control thread: have the worker take the changes up to @seq, and wait for it, at most
 * LIBVIRT_WAIT_S, and not at all while it is stuck in a call. A test's table: at once.
 */
static void libvirt_await(uint64_t seq)
{
	uint64_t deadline;

	if (!lv.started)
		return; /* the first connection takes everything */
	if (!lv.threaded) {
		pthread_mutex_lock(&lv.lock);
		libvirt_take();
		pthread_mutex_unlock(&lv.lock);
		libvirt_pass(0, false);
		return;
	}
	pthread_mutex_lock(&lv.lock);
	deadline = libvirt_now() + LIBVIRT_WAIT_S * LIBVIRT_NS;
	pthread_cond_signal(&lv.wake);
	while (lv.done_seq < seq && libvirt_wait_done(deadline))
		;
	if (lv.done_seq < seq)
		libvirt_say_stuck();
	pthread_mutex_unlock(&lv.lock);
}

/* ---------------------------------------------------------------- the control thread's side */

void libvirt_connect(void)
{
	pthread_condattr_t attr;
	int err;

	if (!lv.uri)
		return;
	if (lv.test_api) {
		lv.started = true;
		pthread_mutex_lock(&lv.lock);
		libvirt_take();
		pthread_mutex_unlock(&lv.lock);
		if (!lv.conn && libvirt_open())
			libvirt_resync();
		return;
	}
	if (lv.started)
		return;
	lv.started = true;
	/* the worker's waits, by the monotonic clock */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&lv.wake, &attr);
	pthread_cond_init(&lv.done, &attr);
	pthread_condattr_destroy(&attr);
	err = pthread_create(&lv.worker, NULL, libvirt_worker, NULL);
	if (err) {
		log_err("libvirt: cannot start the mirror's thread: %s; kvnet's networks are not "
			"mirrored into libvirt",
			strerror(err));
		lv.started = false;
		return;
	}
	lv.threaded = true;
	/* the first connection and resync, before kvnetd says it is ready */
	pthread_mutex_lock(&lv.lock);
	lv.asked_seq++;
	pthread_mutex_unlock(&lv.lock);
	libvirt_await(lv.asked_seq);
}

void libvirt_tick(uint64_t now_ns)
{
	if (!lv.uri || !lv.started || lv.threaded || now_ns < lv.next_ns)
		return;
	pthread_mutex_lock(&lv.lock);
	libvirt_take();
	pthread_mutex_unlock(&lv.lock);
	libvirt_pass(now_ns, true);
}

int libvirt_net_check(const struct network_def *def, char *err, size_t errlen)
{
	char uuid[CONF_UUID_STRLEN];
	uint64_t seq, deadline;
	int ret = 0;

	if (!lv.uri || !lv.started)
		return 0;
	conf_uuid_format(def->uuid, uuid);
	if (!lv.threaded)
		return libvirt_check_run(def->name, uuid, err, errlen);
	pthread_mutex_lock(&lv.lock);
	if (!lv.connected || libvirt_stuck(libvirt_now())) {
		/* the clash, if any, is found and reported when libvirt answers */
		pthread_mutex_unlock(&lv.lock);
		return 0;
	}
	snprintf(lv.check.name, sizeof(lv.check.name), "%s", def->name);
	memcpy(lv.check.uuid, uuid, sizeof(uuid));
	seq = ++lv.check.seq;
	deadline = libvirt_now() + LIBVIRT_WAIT_S * LIBVIRT_NS;
	pthread_cond_signal(&lv.wake);
	while (lv.check.done != seq && libvirt_wait_done(deadline))
		;
	if (lv.check.done == seq) {
		ret = lv.check.ret;
		if (ret)
			snprintf(err, errlen, "%s", lv.check.err);
	} else {
		libvirt_say_stuck();
	}
	pthread_mutex_unlock(&lv.lock);
	return ret;
}

/* @e's wish from now on: @live_xml and @config_xml taken over (lv.lock held) */
static void libvirt_wish(struct libvirt_net *e, char *live_xml, char *config_xml)
{
	free(e->asked.live_xml);
	free(e->asked.config_xml);
	e->asked.live_xml = live_xml;
	e->asked.config_xml = config_xml;
	e->changed = true;
}

void libvirt_net_forget(const char *name)
{
	struct libvirt_net *e;
	uint64_t seq;

	pthread_mutex_lock(&lv.lock);
	e = libvirt_net_find(name);
	if (!e) {
		pthread_mutex_unlock(&lv.lock);
		return;
	}
	/* kept until libvirt's is gone too (now, or at the next connection) */
	libvirt_wish(e, NULL, NULL);
	e->asked.unmirrorable[0] = '\0';
	seq = ++lv.asked_seq;
	pthread_mutex_unlock(&lv.lock);
	libvirt_await(seq);
}

void libvirt_net_set(const char *name, const struct network_def *live, const char *bridge,
		     const struct network_def *config)
{
	const char *config_bridge = config && config->bridge.name ? config->bridge.name : bridge;
	char *live_xml = NULL, *config_xml = NULL, unmirrorable[128] = "";
	struct libvirt_net *e;
	uint64_t seq;

	if (!lv.uri)
		return;
	if (!live && !config) {
		libvirt_net_forget(name);
		return;
	}
	if (live && !bridge)
		live = NULL; /* not running on a bridge: not live either */
	if (!live && !config_bridge)
		snprintf(unmirrorable, sizeof(unmirrorable),
			 "it has no <bridge name> until it starts (kvnet picks one then)");
	else if ((live && libvirt_network_xml(live, bridge, lv.owner, &live_xml)) ||
		 (config && libvirt_network_xml(config, config_bridge, lv.owner, &config_xml)))
		snprintf(unmirrorable, sizeof(unmirrorable), "out of memory");
	pthread_mutex_lock(&lv.lock);
	e = libvirt_net_find(name);
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e || !(e->name = strdup(name))) {
			pthread_mutex_unlock(&lv.lock);
			free(e);
			free(live_xml);
			free(config_xml);
			log_err("network %s: out of memory: not mirrored into libvirt", name);
			return;
		}
		e->state = LIBVIRT_NOT_MIRRORED;
		e->next = lv.nets;
		lv.nets = e;
	}
	libvirt_wish(e, live_xml, config_xml);
	conf_uuid_format(live ? live->uuid : config->uuid, e->asked.uuid);
	memcpy(e->asked.unmirrorable, unmirrorable, sizeof(unmirrorable));
	seq = ++lv.asked_seq;
	pthread_mutex_unlock(&lv.lock);
	libvirt_await(seq);
}

enum libvirt_state libvirt_net_state(const char *name, const char **reason)
{
	enum libvirt_state state = LIBVIRT_NOT_MIRRORED;
	const struct libvirt_net *e;
	const char *unmirrorable, *why;
	uint64_t now = libvirt_now();

	*reason = "";
	if (!lv.uri)
		return LIBVIRT_OFF;
	pthread_mutex_lock(&lv.lock);
	e = libvirt_net_find(name);
	unmirrorable = !e ? "" : e->changed ? e->asked.unmirrorable : e->unmirrorable;
	if (unmirrorable[0]) {
		why = unmirrorable;
	} else if (libvirt_stuck(now)) {
		/* connecting, or connected: either way it does not answer */
		snprintf(lv.state_reason, sizeof(lv.state_reason),
			 "libvirtd at %s has not answered for %llu s", lv.uri,
			 (unsigned long long)((now - lv.busy_since) / LIBVIRT_NS));
		why = lv.state_reason;
	} else if (!lv.connected) {
		why = lv.down_pub[0] ? lv.down_pub : "not connected to libvirtd yet";
	} else if (!e || e->changed || (e->state == LIBVIRT_NOT_MIRRORED && !e->reason[0])) {
		why = "not in step with libvirt yet";
	} else {
		state = e->state;
		why = e->reason;
	}
	if (why != lv.state_reason)
		snprintf(lv.state_reason, sizeof(lv.state_reason), "%s", why);
	pthread_mutex_unlock(&lv.lock);
	*reason = lv.state_reason;
	return state;
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

/* the worker stopped, if it runs. Return: false when it is stuck in a call of libvirt's */
static bool libvirt_worker_stop(void)
{
	struct timespec ts;

	if (!lv.threaded)
		return true;
	pthread_mutex_lock(&lv.lock);
	lv.stop = true;
	pthread_cond_signal(&lv.wake);
	pthread_mutex_unlock(&lv.lock);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	if (pthread_timedjoin_np(lv.worker, NULL, &ts)) {
		log_warn("libvirt: libvirtd at %s does not answer: leaving without waiting for it",
			 lv.uri);
		pthread_detach(lv.worker);
		return false;
	}
	pthread_cond_destroy(&lv.wake);
	pthread_cond_destroy(&lv.done);
	lv.threaded = false;
	return true;
}

void libvirt_fini(void)
{
	/* a stuck worker still uses all of it: left as it is for the exit */
	if (!libvirt_worker_stop())
		return;
	if (lv.conn)
		lv.api->virConnectClose(lv.conn);
	lv.conn = NULL;
	while (lv.nets) {
		struct libvirt_net *e = lv.nets;

		lv.nets = e->next;
		free(e->name);
		free(e->live_xml);
		free(e->config_xml);
		free(e->asked.live_xml);
		free(e->asked.config_xml);
		free(e);
	}
	free(lv.uri);
	free(lv.owner);
	lv.uri = lv.owner = NULL;
	lv.down[0] = lv.down_pub[0] = '\0';
	lv.connected = lv.down_logged = lv.started = lv.stop = lv.stuck_said = false;
	lv.next_ns = lv.asked_seq = lv.done_seq = 0;
	lv.check.seq = lv.check.done = 0;
}
