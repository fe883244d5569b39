/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt_sync.c - the libvirt mirror's worker putting libvirt's networks in step with kvnet's
 *
 * Everything here runs on the mirror's worker (libvirt.c), which alone calls into libvirt:
 * it reads libvirt's networks, tells kvnet's own from others' by their mark, and defines,
 * starts, updates or removes them until libvirt has what kvnet wants (libvirt_net_set()).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_enum.h"
#include "conf/conf_uuid.h"
#include "conf/network_xml.h"
#include "services/libvirt.h"
#include "services/libvirt_priv.h"
#include "services/libvirt_xml_priv.h"
#include "util/log.h"

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

void libvirt_seen_clear(struct libvirt_seen *s)
{
	network_def_free(s->def);
	free(s->canon);
	memset(s, 0, sizeof(*s));
}

/* Read @net's XML (@flags: 0 live, LIBVIRT_NETWORK_XML_INACTIVE) into @s, which the caller
 * clears. Return: 0; -EIO when libvirt failed (its message is the last error); -ENOMEM (@s is
 * then empty) */
int libvirt_read(struct _virNetwork *net, unsigned int flags, struct libvirt_seen *s)
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

/* ---------------------------------------------------------------- one network in step */

/* the caller holds lv.lock */
struct libvirt_net *libvirt_net_find(const char *name)
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
void libvirt_clash_text(const char *name, const struct libvirt_seen *s, char *buf, size_t len)
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
int libvirt_sync(struct libvirt_net *e)
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
void libvirt_reap(void)
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
void libvirt_resync(void)
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
