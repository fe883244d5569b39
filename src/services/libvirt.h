/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libvirt.h - kvnet's networks mirrored into libvirtd, through libvirt's client library
 * loaded at run time
 *
 * Theory of Operation
 * libvirt knows only its own networks: a domain's <interface type='network'> must name one
 * of them. So each kvnet network is mirrored into libvirtd as a network of the same name and
 * UUID that puts its ports on kvnet's bridge,
 *   <forward mode='bridge'/><bridge name='BR'/><virtualport type='openvswitch'/>
 * with the kvnet network's <vlan> and its portgroups (their <vlan> and default='yes'), and
 * marked as kvnet's in <metadata> with the state dir of the kvnetd that made it. libvirt then
 * plugs a domain's tap with `ovs-vsctl add-port BR TAP tag=...`, which kvnet answers, and
 * reads the MTU of the host netdev named BR (daemon/switch/switch_host.h).
 *
 * The network room says what it wants of each network: libvirt_net_set() with its live
 * definition (NULL when inactive), the bridge it runs on and its persistent definition (NULL
 * when transient); libvirt_net_forget() when kvnet no longer has it. libvirt's network then
 * follows: defined while kvnet's is persistent (transient, made by virNetworkCreateXML, while
 * kvnet's is transient), running while kvnet's runs, its live and persistent XML kvnet's.
 * A live portgroup change goes in through virNetworkUpdate, as `virsh net-update --live`
 * would make it; what that cannot change restarts libvirt's network.
 *
 * A libvirt network of the same name that kvnet did not make (no kvnet mark, or another
 * kvnetd's) is never changed or removed: a new kvnet network of that name is refused
 * (libvirt_net_check()), an existing one is left unmirrored, logged, and net-info says why
 * (libvirt_net_state()).
 *
 * libvirtd may be missing, stopped or restarted at any time. The library is loaded with
 * dlopen(), so kvnetd builds and runs without libvirt. When libvirtd cannot be reached,
 * that is logged once and kvnet carries on; the mirror tries again every LIBVIRT_RETRY_S
 * seconds. Each (re)connection resyncs everything: what is missing is defined, what differs
 * is fixed, and networks marked as this kvnetd's that kvnet no longer has are removed. While
 * connected, it probes the connection every LIBVIRT_RETRY_S seconds (the client library
 * notices a closed one only at its next call) and retries the networks whose last sync failed.
 *
 * Calls to libvirtd are made by a thread of the mirror's own, started by libvirt_connect().
 * The functions below are the control thread's (called without the datapath lock: they may
 * wait); a change waits for libvirt to take it at most 10 s, and not at all while libvirtd
 * has left an earlier call unanswered that long, so a libvirtd that stops answering cannot
 * hold kvnetd's control socket. With a test's table (libvirt_set_api()) there is no thread:
 * each change, and libvirt_tick(), runs the mirror in the caller's thread.
 */
#ifndef KVNET_SERVICES_LIBVIRT_H
#define KVNET_SERVICES_LIBVIRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/network_def.h"

/* the namespace of the <metadata> element that marks a libvirt network as kvnet's */
#define LIBVIRT_KVNET_NS "urn:kvnet:libvirt-network:1"
/* the URI kvnetd with CAP_NET_ADMIN connects to unless told otherwise */
#define LIBVIRT_URI_DEFAULT "network:///system"
/* seconds between two attempts to reach libvirtd, and between two probes of a connection */
#define LIBVIRT_RETRY_S 5

/* libvirt's types, opaque: the same struct tags as libvirt's own headers, so that where they
 * are installed the prototypes below are checked against them (services/libvirt.c) */
struct _virConnect;
struct _virNetwork;
struct _virError;

/**
 * struct libvirt_api - the functions of libvirt's client library kvnet calls, by their names
 * in libvirt.so.0 and with libvirt's prototypes. libvirt_init() fills it with dlsym(); a
 * test hands in its own (libvirt_set_api()). None may be NULL.
 */
struct libvirt_api {
	int (*virInitialize)(void);
	void (*virSetErrorFunc)(void *opaque, void (*handler)(void *opaque, struct _virError *e));
	const char *(*virGetLastErrorMessage)(void);
	int (*virGetLastErrorCode)(void);
	void (*virResetLastError)(void);
	struct _virConnect *(*virConnectOpen)(const char *uri);
	int (*virConnectClose)(struct _virConnect *conn);
	int (*virConnectIsAlive)(struct _virConnect *conn);
	int (*virConnectGetLibVersion)(struct _virConnect *conn, unsigned long *version);
	int (*virConnectListAllNetworks)(struct _virConnect *conn, struct _virNetwork ***nets,
					 unsigned int flags);
	struct _virNetwork *(*virNetworkLookupByName)(struct _virConnect *conn, const char *name);
	struct _virNetwork *(*virNetworkLookupByUUIDString)(struct _virConnect *conn,
							    const char *uuid);
	const char *(*virNetworkGetName)(struct _virNetwork *net);
	char *(*virNetworkGetXMLDesc)(struct _virNetwork *net, unsigned int flags);
	int (*virNetworkIsActive)(struct _virNetwork *net);
	int (*virNetworkIsPersistent)(struct _virNetwork *net);
	struct _virNetwork *(*virNetworkDefineXML)(struct _virConnect *conn, const char *xml);
	struct _virNetwork *(*virNetworkCreateXML)(struct _virConnect *conn, const char *xml);
	int (*virNetworkCreate)(struct _virNetwork *net);
	int (*virNetworkDestroy)(struct _virNetwork *net);
	int (*virNetworkUndefine)(struct _virNetwork *net);
	int (*virNetworkUpdate)(struct _virNetwork *net, unsigned int command, unsigned int section,
				int parent_index, const char *xml, unsigned int flags);
	int (*virNetworkFree)(struct _virNetwork *net);
};

/* the values of libvirt's enums that kvnet passes (libvirt-network.h, virterror.h) */
#define LIBVIRT_NETWORK_XML_INACTIVE 1u
#define LIBVIRT_UPDATE_MODIFY 1u
#define LIBVIRT_UPDATE_DELETE 2u
#define LIBVIRT_UPDATE_ADD_LAST 3u
#define LIBVIRT_SECTION_PORTGROUP 9u
#define LIBVIRT_UPDATE_AFFECT_LIVE 1u
#define LIBVIRT_ERR_NO_NETWORK 43

/* how a network stands with libvirt, for net-info */
enum libvirt_state {
	LIBVIRT_OFF,	      /* kvnetd runs with --libvirt off */
	LIBVIRT_MIRRORED,     /* libvirt has it as kvnet has it */
	LIBVIRT_NOT_MIRRORED, /* not (yet): the reason says why */
};

/**
 * libvirt_init() - mirror into libvirtd at @uri, or nothing when @uri is NULL ("off")
 * @uri:	a libvirt URI (network:///system, network+unix:///system?socket=PATH, ...)
 * @asked:	@uri was asked for, not the default: a missing libvirt.so.0 is then a warning
 *		(else news: libvirt is simply not installed)
 * @owner:	what marks this kvnetd's networks: its state dir
 *
 * Neither loads libvirt.so.0 nor connects yet: libvirt_connect() does both, once the
 * networks are known (and silences libvirt's printing of its errors on stderr). A missing
 * library is logged and tried again as an unreachable libvirtd is.
 * Return: 0, or -ENOMEM
 */
int libvirt_init(const char *uri, bool asked, const char *owner);

/** libvirt_fini() - at exit: disconnect, and forget every network (libvirt keeps them) */
void libvirt_fini(void);

/**
 * libvirt_connect() - start the mirror, once the networks are known: connect and resync every
 * network, waited for as a change is; when libvirtd cannot be reached, log it once and try
 * again every LIBVIRT_RETRY_S seconds. Slow: without the datapath lock.
 */
void libvirt_connect(void);

/**
 * libvirt_tick() - about once a second, on the control thread without the datapath lock:
 * with a test's table, every LIBVIRT_RETRY_S seconds reconnect (and resync), or probe the
 * connection and retry the networks whose last sync failed. Nothing with the worker: it
 * keeps its own time
 * @now_ns:	the monotonic clock (a test's own)
 */
void libvirt_tick(uint64_t now_ns);

/**
 * libvirt_net_check() - may kvnet make a new network @def: refused when libvirt has a network
 * of its name (or its UUID) that kvnet did not make. Without a connection, or without an
 * answer from libvirtd in time, nothing is refused (the clash is found and reported when
 * libvirt answers).
 * Return: 0, or -EEXIST with a message naming both networks in @err
 */
int libvirt_net_check(const struct network_def *def, char *err, size_t errlen);

/**
 * libvirt_net_set() - what kvnet has of network @name now; libvirt follows before this
 * returns when connected and answering, else when it does
 * @live:	its live definition while it runs, else NULL
 * @bridge:	the bridge it runs on (for @live); NULL when it does not run
 * @config:	its persistent definition (the next start's), or NULL when it is transient
 *
 * @live and @config are read, not kept. A network with neither is forgotten
 * (libvirt_net_forget()). One with no bridge name yet (a bridge-mode network that has not
 * started) is not mirrored, and says so. A failure is not returned: it shows in
 * libvirt_net_state(), is logged, and retried.
 */
void libvirt_net_set(const char *name, const struct network_def *live, const char *bridge,
		     const struct network_def *config);

/** libvirt_net_forget() - kvnet no longer has network @name: libvirt's goes too, if kvnet's */
void libvirt_net_forget(const char *name);

/**
 * libvirt_net_state() - how network @name stands with libvirt
 * @reason:	set to why it is not mirrored ("" otherwise); valid until the next call here
 * Return: the state
 */
enum libvirt_state libvirt_net_state(const char *name, const char **reason);

/** libvirt_state_name() - "off", "mirrored" or "not mirrored" */
const char *libvirt_state_name(enum libvirt_state state);

/**
 * libvirt_network_xml() - the <network> kvnet gives libvirt for @def on bridge @bridge,
 * marked as @owner's
 * @out:	set to the document (malloc()ed, the caller frees it)
 * Return: 0 or -ENOMEM
 */
int libvirt_network_xml(const struct network_def *def, const char *bridge, const char *owner,
			char **out);

/** libvirt_set_api() - for tests: use @api instead of loading libvirt.so.0 (before init) */
void libvirt_set_api(const struct libvirt_api *api);

#endif /* KVNET_SERVICES_LIBVIRT_H */
