/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt.c - kvnet's networks mirrored into libvirtd (see libvirt.h): the library, the
 * connection, the worker thread and the control thread's side; libvirt_sync.c puts networks
 * in step */

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
#include "services/libvirt_priv.h"
#include "services/libvirt_xml_priv.h"
#include "util/log.h"
#include "util/strbuf.h"

#define LIBVIRT_SONAME "libvirt.so.0"
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

/* the mirror's state: libvirt_priv.h says who may touch what */
struct libvirt_mirror lv = {
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

/* ---------------------------------------------------------------- the connection */

/* the message of libvirt's last error, for a sentence */
const char *libvirt_last_error(void)
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
struct libvirt_net *libvirt_first(void)
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
bool libvirt_alive(void)
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
