/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt_priv.h - the libvirt mirror's state, shared by libvirt.c and libvirt_sync.c only */
#ifndef KVNET_SERVICES_LIBVIRT_PRIV_H
#define KVNET_SERVICES_LIBVIRT_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "conf/conf_uuid.h"
#include "conf/network_def.h"
#include "services/libvirt.h"

#define LIBVIRT_REASON_MAX 512

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

/*
 * Every call into libvirt is made by one thread of the mirror's own (the worker), so a
 * libvirtd that accepts and never answers stalls the mirror, not kvnetd's control thread.
 * The control thread posts what it wants (libvirt_net_set(), a check) under @lock and waits
 * for the worker at most LIBVIRT_WAIT_S, and not at all while the worker is stuck in a call;
 * what it reads back (a network's state, why there is no connection) is published under @lock.
 * A test's table (libvirt_set_api()) runs the worker's passes in the caller's thread instead,
 * so that each step can be checked, and its clock is libvirt_tick()'s.
 */
struct libvirt_mirror {
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
};

extern struct libvirt_mirror lv;

/* libvirt.c: the connection */

/* the message of libvirt's last error, for a sentence */
const char *libvirt_last_error(void);

/* after a failed call: is the connection still there (else it is dropped) */
bool libvirt_alive(void);

/* the first network of the list; the worker then walks it without the lock (only it unlinks) */
struct libvirt_net *libvirt_first(void);

/* libvirt_sync.c: libvirt's networks read, and put in step with kvnet's */

/* Read @net's XML (@flags: 0 live, LIBVIRT_NETWORK_XML_INACTIVE) into @s, which the caller
 * clears. Return: 0; -EIO when libvirt failed (its message is the last error); -ENOMEM (@s is
 * then empty) */
int libvirt_read(struct _virNetwork *net, unsigned int flags, struct libvirt_seen *s);

/* free what @s holds and empty it */
void libvirt_seen_clear(struct libvirt_seen *s);

/* the sentence for a libvirt network named like kvnet's @name that kvnet did not make */
void libvirt_clash_text(const char *name, const struct libvirt_seen *s, char *buf, size_t len);

/* the caller holds lv.lock */
struct libvirt_net *libvirt_net_find(const char *name);

/*
 * Bring libvirt's network named like @e in step with it, when connected. A network of that
 * name kvnet did not make is left alone. A removed entry (@e->live_xml and @e->config_xml
 * NULL) removes kvnet's. Return: 0, or a negative errno (also recorded in @e)
 */
int libvirt_sync(struct libvirt_net *e);

/* after a (re)connection: remove this kvnetd's networks kvnet no longer has, sync the rest */
void libvirt_resync(void);

/* free the entries of networks kvnet forgot once libvirt forgot them too */
void libvirt_reap(void);

#endif /* KVNET_SERVICES_LIBVIRT_PRIV_H */
