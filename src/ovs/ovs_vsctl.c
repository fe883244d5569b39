/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ovs_vsctl.c - kvnet-ovs-vsctl: the ovs-vsctl commands libvirt runs, done by kvnetd
 *
 * Theory of Operation
 *
 * libvirt runs `ovs-vsctl` by its bare name for every interface on a network or bridge with
 * <virtualport type='openvswitch'/>: add-port when the VM starts or the interface is plugged
 * (and again for every running VM when libvirtd restarts, up to 14 at once), del-port when
 * it goes. Installed as ovs-vsctl, this program makes those kvnet VM ports.
 *
 * The whole command line is parsed first (ovs_cmd.c): one that kvnet does not understand
 * changes nothing. Then each operation runs in order, as control requests on one
 * connection to kvnetd ($KVNET_SOCKET, else the default socket):
 *
 *  - add-port BR IF: BR is the <bridge name> of a running kvnet network (net.list; the first
 *    by name if several share it), else a kvnet bridge (then a type='bridge' interface). The
 *    tap libvirt made, IF, becomes a VM port on AF_PACKET: domain.attach with backend "dev",
 *    the domain named by libvirt's vm-id (the domain's UUID; libvirt sends no name).
 *  - del-port [BR] IF: the VM port on IF (domain.interfaces by port) is detached. Its tap is
 *    gone already; the port had gone down with it.
 *  - find queue|qos prints nothing and set Interface IF ingress_policing_rate=0 does nothing:
 *    kvnet has no QoS rows and polices no port, so both are true as they stand.
 *
 * Idempotency. A port of the name IF that is there already is, with --may-exist:
 *  - left as it is, with success, when it is a VM port on the tap IF is now (the ifindex the
 *    port bound is IF's), of domain vm-id, with that MAC, on that bridge and network, and with
 *    the VLAN the arguments give (when they give one). libvirtd re-plugging its running VMs
 *    after a restart meets exactly this.
 *  - replaced (domain.detach, then domain.attach) when it is a VM port on a tap ("dev") that
 *    differs in any of those: its tap was deleted without a del-port (a libvirtd that died),
 *    and libvirt made a new one of the name, or libvirt now wants another VLAN.
 *  - refused when it is not a VM port on a tap: a port of `kvnet port add`, a network's own,
 *    or a VM's stream, dgram or kvnet-made tap port. Those are someone else's; kvnet's port
 *    names are unique, so libvirt's tap cannot join under that name.
 * Likewise the domain's interface with the same MAC on another port: replaced when that
 * port's tap is gone, refused while it is there. Two add-ports for one tap racing each other
 * end in one port: the loser sees "exists", looks again and finds it matching.
 * del-port removes only a VM port on a tap ("dev"); a port that is not there is success with
 * --if-exists (libvirt's del-port always has it); any other port is refused.
 *
 * --timeout=N bounds the whole run, as ovs-vsctl's does: after N seconds the program says so
 * and exits 1. While it runs, a kvnetd that is not there yet (no socket, refused) is tried
 * again every 100 ms; without --timeout it is tried once.
 *
 * Errors go to stderr, "kvnet-ovs-vsctl: " and one sentence, and the exit status is 1. libvirt
 * keeps a command's stderr only in its debug log, so errors and the ports made and removed
 * also go to syslog (LOG_DAEMON), where an administrator can read why a VM did not start.
 */

#include <errno.h>
#include <jansson.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ctl/client.h"
#include "ctl/protocol.h"
#include "ctl/vocab.h"
#include "ovs/ovs_cmd.h"
#include "ovs/version.h"

#define VSCTL_NAME "kvnet-ovs-vsctl"
/* how often add-port looks again after a racing call made the port first */
#define VSCTL_ATTEMPTS 3

/**
 * struct vsctl - one run
 * @socket:	kvnetd's control socket
 * @client:	the connection, made at the first request
 * @retry:	try to connect again until --timeout ends the run
 */
struct vsctl {
	const char *socket;
	struct ctl_client *client;
	bool retry;
};

/*
 * What the SIGALRM handler writes, the message the index names: 0 "did not answer", set
 * before the alarm; 1 and 2 in turn why the connection is not made yet, so that the loop
 * that makes it can say so without the handler reading half a line
 */
static char vsctl_timeout_msg[3][400];
static volatile sig_atomic_t vsctl_timeout_which;
static unsigned int vsctl_timeout_s;

__attribute__((format(printf, 1, 2))) static void vsctl_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a message that came over the socket or from argv: one line, nothing for a terminal */
	for (unsigned char *p = (unsigned char *)msg; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	fflush(stdout);
	fprintf(stderr, VSCTL_NAME ": %s\n", msg);
	syslog(LOG_ERR, "%s", msg);
}

/* what was changed, for the administrator: syslog only (ovs-vsctl prints nothing on success) */
#define vsctl_note(...) syslog(LOG_NOTICE, __VA_ARGS__)

static void vsctl_alarm(int sig)
{
	const char *msg = vsctl_timeout_msg[vsctl_timeout_which];

	(void)sig;
	if (write(STDERR_FILENO, msg, strlen(msg)) < 0) {
		/* nothing more can be said */
	}
	_exit(1);
}

static void vsctl_sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Call @method with @params (taken). Return: 0 with *result (the caller's reference);
 * -EREMOTEIO with kvnetd's code and message in @err; another negative errno with a message in
 * @err (no connection, a bad answer)
 */
static int vsctl_call(struct vsctl *v, const char *method, json_t *params, json_t **result,
		      struct ctl_client_error *err)
{
	int ret;

	while (!v->client) {
		ret = ctl_client_connect(v->socket, &v->client);
		if (!ret) {
			vsctl_timeout_which = 0;
			break;
		}
		if (v->retry && (ret == -ENOENT || ret == -ECONNREFUSED || ret == -EAGAIN)) {
			int next = vsctl_timeout_which == 1 ? 2 : 1;

			snprintf(vsctl_timeout_msg[next], sizeof(vsctl_timeout_msg[next]),
				 VSCTL_NAME ": cannot connect to kvnetd at %.200s within %u s "
					    "(--timeout): %s (is kvnetd running?)\n",
				 v->socket, vsctl_timeout_s, strerror(-ret));
			vsctl_timeout_which = next;
			vsctl_sleep_ms(100);
			continue;
		}
		snprintf(err->message, sizeof(err->message),
			 "cannot connect to kvnetd at %s: %s (is kvnetd running? $" CTL_SOCKET_ENV
			 " names another socket)",
			 v->socket, strerror(-ret));
		err->code = 0;
		json_decref(params);
		return ret;
	}
	ret = ctl_client_call(v->client, method, params, result, err);
	json_decref(params);
	return ret;
}

/* as vsctl_call(), and a failure is reported. Return: 0, or -1 after vsctl_err() */
static int vsctl_must(struct vsctl *v, const char *method, json_t *params, json_t **result)
{
	struct ctl_client_error err;

	if (vsctl_call(v, method, params, result, &err)) {
		vsctl_err("%s", err.message);
		return -1;
	}
	return 0;
}

static const char *vsctl_str(const json_t *o, const char *key)
{
	const json_t *s = json_object_get(o, key);

	return json_is_string(s) ? json_string_value(s) : NULL;
}

/*
 * The network whose bridge is @bridge (copied into @network), or "" for a kvnet bridge of no
 * running network. Return: 0, or -1 after vsctl_err()
 */
static int vsctl_resolve_bridge(struct vsctl *v, const char *bridge, char *network, size_t len)
{
	const char *inactive = NULL;
	struct ctl_client_error err;
	json_t *r, *n, *b = NULL;
	size_t i;
	int ret;

	network[0] = '\0';
	if (vsctl_must(v, "net.list", NULL, &r))
		return -1;
	/* net.list is sorted by name: the first running network on the bridge is taken */
	json_array_foreach(json_object_get(r, "networks"), i, n)
	{
		const char *br = vsctl_str(n, "bridge"), *name = vsctl_str(n, "name");

		if (!br || !name || strcmp(br, bridge))
			continue;
		if (json_is_true(json_object_get(n, "active"))) {
			snprintf(network, len, "%s", name);
			break;
		}
		if (!inactive)
			inactive = name;
	}
	if (network[0]) {
		json_decref(r);
		return 0;
	}
	ret = vsctl_call(v, "bridge.list", json_pack("{s:s}", "name", bridge), &b, &err);
	json_decref(b);
	if (!ret) {
		json_decref(r);
		return 0;
	}
	if (ret != -EREMOTEIO || err.code != CTL_ERR_NOT_FOUND)
		vsctl_err("%s", err.message);
	else if (inactive)
		vsctl_err("network '%s', whose bridge is '%s', is not running (start it: kvnet "
			  "net-start %s)",
			  inactive, bridge, inactive);
	else
		vsctl_err(
			"kvnet has no network whose bridge is '%s', nor a bridge of that name "
			"(expected the <bridge name='...'/> of a running kvnet network, or a kvnet "
			"bridge)",
			bridge);
	json_decref(r);
	return -1;
}

/*
 * Port @name as port.list gives it, or NULL in *out when there is none. Return: 0, or -1
 * after vsctl_err()
 */
static int vsctl_port(struct vsctl *v, const char *name, json_t **out)
{
	struct ctl_client_error err;
	json_t *r;
	int ret;

	*out = NULL;
	ret = vsctl_call(v, "port.list", json_pack("{s:s}", "name", name), &r, &err);
	if (ret == -EREMOTEIO && err.code == CTL_ERR_NOT_FOUND)
		return 0;
	if (ret) {
		vsctl_err("%s", err.message);
		return -1;
	}
	*out = json_incref(json_array_get(json_object_get(r, "ports"), 0));
	json_decref(r);
	return 0;
}

/*
 * The VM interface domain.interfaces gives for @params (taken) whose "name" is @name, or
 * with @name NULL the first with "mac" @mac; NULL in *out if none. Return: 0, or -1 after
 * vsctl_err()
 */
static int vsctl_iface(struct vsctl *v, json_t *params, const char *name, const char *mac,
		       json_t **out)
{
	json_t *r, *ifc;
	size_t i;

	*out = NULL;
	if (vsctl_must(v, "domain.interfaces", params, &r))
		return -1;
	json_array_foreach(json_object_get(r, "interfaces"), i, ifc)
	{
		const char *n = vsctl_str(ifc, "name"), *m = vsctl_str(ifc, "mac");

		if (name ? n && !strcmp(n, name) : m && !strcasecmp(m, mac) && n) {
			*out = json_incref(ifc);
			break;
		}
	}
	json_decref(r);
	return 0;
}

/* the ifindex port.list gives @port (a port.list object), 0 if none */
static unsigned int vsctl_port_ifindex(const json_t *port)
{
	const json_t *i = json_object_get(port, "ifindex");

	return json_is_integer(i) && json_integer_value(i) > 0 ? (unsigned int)json_integer_value(i)
							       : 0;
}

/*
 * Is the interface a port was bound to gone: no interface has its name any more, or another
 * one does (a new tap of the name). Return: 1 if gone, 0 if there, -1 after vsctl_err()
 */
static int vsctl_tap_gone(struct vsctl *v, const char *name)
{
	unsigned int now = if_nametoindex(name), was;
	json_t *port;

	if (!now)
		return 1;
	if (vsctl_port(v, name, &port))
		return -1;
	was = vsctl_port_ifindex(port);
	json_decref(port);
	return was && was != now;
}

/* @ifc's VLAN membership (a domain.interfaces object) */
static void vsctl_membership(const json_t *ifc, struct ovs_membership *m)
{
	const json_t *pvid = json_object_get(ifc, "pvid"), *e;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (json_is_integer(pvid) && json_integer_value(pvid) >= CTL_VID_MIN &&
	    json_integer_value(pvid) <= CTL_VID_MAX)
		m->pvid = (uint16_t)json_integer_value(pvid);
	json_array_foreach(json_object_get(ifc, "vlans"), i, e)
	{
		json_int_t vid = json_integer_value(json_object_get(e, "vid"));

		if (vid < CTL_VID_MIN || vid > CTL_VID_MAX)
			continue;
		ovs_vid_set(m->member, (unsigned int)vid);
		if (json_is_true(json_object_get(e, "untagged")))
			ovs_vid_set(m->untagged, (unsigned int)vid);
	}
}

/*
 * Is VM interface @ifc, on port @port (port.list's), what add-port @op asks, on @network ("" for
 * none)? Return: NULL if so, else what differs (for the log)
 */
static const char *vsctl_differs(const struct ovs_op *op, const char *network, const json_t *ifc,
				 const json_t *port)
{
	const char *dom = vsctl_str(ifc, "domain"), *mac = vsctl_str(ifc, "mac");
	const char *br = vsctl_str(ifc, "bridge"), *net = vsctl_str(ifc, "network");
	unsigned int was = vsctl_port_ifindex(port), now = if_nametoindex(op->port);
	struct ovs_membership want, have;

	if (!dom || strcmp(dom, op->vm_id))
		return "another domain's";
	if (!mac || strcasecmp(mac, op->mac))
		return "another MAC";
	if (!br || strcmp(br, op->bridge) || strcmp(net ? net : "", network))
		return "another bridge or network";
	if (was && now && was != now)
		return "an earlier tap of the name, deleted";
	if (ovs_vlan_membership(&op->vlan, &want)) {
		vsctl_membership(ifc, &have);
		if (memcmp(&want, &have, sizeof(want)))
			return "another VLAN";
	}
	return NULL;
}

/* detach @ifc (a domain.interfaces object); one gone already is fine. Return: 0 or -1 */
static int vsctl_detach(struct vsctl *v, const json_t *ifc)
{
	struct ctl_client_error err;
	json_t *r;
	int ret;

	ret = vsctl_call(v, "domain.detach",
			 json_pack("{s:s,s:s}", "domain", vsctl_str(ifc, "domain"), "mac",
				   vsctl_str(ifc, "mac")),
			 &r, &err);
	if (ret == -EREMOTEIO && err.code == CTL_ERR_NOT_FOUND)
		return 0;
	if (ret) {
		vsctl_err("%s", err.message);
		return -1;
	}
	json_decref(r);
	return 0;
}

/*
 * Is @ifc (a domain.interfaces object, on port @name) a port of a tap libvirt made, one this
 * program may replace or remove: a VM port of backend "dev". Else say whose it is.
 */
static bool vsctl_replaceable(const json_t *ifc, const char *name, const char *doing)
{
	const char *be = vsctl_str(ifc, "backend");

	if (be && !strcmp(be, "dev"))
		return true;
	vsctl_err("port '%s' is a %s port of domain '%s', not one on a tap libvirt made: %s leaves "
		  "it alone (kvnet's port names are unique; %s)",
		  name, be ? be : "?", vsctl_str(ifc, "domain") ? vsctl_str(ifc, "domain") : "?",
		  VSCTL_NAME, doing);
	return false;
}

/*
 * Clear the way for add-port @op: the port of its name and the domain's interface of its MAC
 * elsewhere, replaced or refused as the rules at the top say.
 * Return: 1 if the port is there as asked (nothing to do), 0 if it may be attached now, -1
 * after vsctl_err()
 */
static int vsctl_add_port_prepare(struct vsctl *v, const struct ovs_op *op, const char *network)
{
	json_t *port = NULL, *ifc = NULL, *other = NULL;
	const char *why;
	int ret = -1, gone;

	if (vsctl_port(v, op->port, &port))
		return -1;
	if (port) {
		if (vsctl_iface(v, json_pack("{s:s}", "port", op->port), op->port, NULL, &ifc))
			goto out;
		if (!op->may_exist) {
			vsctl_err(
				"port '%s' exists already, on bridge '%s' (libvirt adds its ports "
				"with --may-exist, which takes one that is as asked)",
				op->port,
				vsctl_str(port, "bridge") ? vsctl_str(port, "bridge") : "?");
			goto out;
		}
		if (!ifc) {
			vsctl_err(
				"port '%s' on bridge '%s' is not a VM port (kvnet port add, or a "
				"network, made it): %s leaves it alone; libvirt's tap '%s' cannot "
				"join under its name",
				op->port,
				vsctl_str(port, "bridge") ? vsctl_str(port, "bridge") : "?",
				VSCTL_NAME, op->port);
			goto out;
		}
		if (!vsctl_replaceable(ifc, op->port, "libvirt's tap cannot join under its name"))
			goto out;
		why = vsctl_differs(op, network, ifc, port);
		if (!why) {
			ret = 1;
			goto out;
		}
		if (vsctl_detach(v, ifc))
			goto out;
		vsctl_note("port %s of domain %s replaced (it was %s)", op->port,
			   vsctl_str(ifc, "domain"), why);
	}

	/* the domain's interface with this MAC on another port: a tap deleted under it */
	if (vsctl_iface(v, json_pack("{s:s}", "domain", op->vm_id), NULL, op->mac, &other))
		goto out;
	if (other && strcmp(vsctl_str(other, "name"), op->port)) {
		const char *name = vsctl_str(other, "name");

		if (!vsctl_replaceable(other, name, "detach it first"))
			goto out;
		gone = vsctl_tap_gone(v, name);
		if (gone < 0)
			goto out;
		if (!gone) {
			vsctl_err("domain '%s' has MAC %s on port '%s' already, whose tap is still "
				  "there: a domain's interfaces need MACs of their own",
				  op->vm_id, op->mac, name);
			goto out;
		}
		if (vsctl_detach(v, other))
			goto out;
		vsctl_note("port %s of domain %s, MAC %s, removed: its tap is gone, port %s takes "
			   "that MAC",
			   name, op->vm_id, op->mac, op->port);
	}
	ret = 0;
out:
	json_decref(port);
	json_decref(ifc);
	json_decref(other);
	return ret;
}

static int vsctl_add_port(struct vsctl *v, const struct ovs_op *op)
{
	struct ctl_client_error err;
	char network[256], *xml;
	json_t *r;
	int ret;

	if (vsctl_resolve_bridge(v, op->bridge, network, sizeof(network)))
		return -1;
	if (ovs_iface_xml(op, network[0] ? network : NULL, &xml)) {
		vsctl_err("out of memory");
		return -1;
	}
	for (int attempt = 1;; attempt++) {
		ret = vsctl_add_port_prepare(v, op, network);
		if (ret) {
			ret = ret > 0 ? 0 : -1;
			break;
		}
		ret = vsctl_call(v, "domain.attach",
				 json_pack("{s:s,s:s,s:s}", "domain", op->vm_id, "xml", xml,
					   "backend", "dev"),
				 &r, &err);
		if (!ret) {
			json_decref(r);
			vsctl_note("port %s of domain %s, MAC %s, added to %s %s", op->port,
				   op->vm_id, op->mac, network[0] ? "network" : "bridge",
				   network[0] ? network : op->bridge);
			break;
		}
		/* another add-port of this tap was quicker: look again */
		if (ret == -EREMOTEIO && err.code == CTL_ERR_EXISTS && op->may_exist &&
		    attempt < VSCTL_ATTEMPTS)
			continue;
		vsctl_err("add-port %s %s: %s", op->bridge, op->port, err.message);
		ret = -1;
		break;
	}
	free(xml);
	return ret;
}

static int vsctl_del_port(struct vsctl *v, const struct ovs_op *op)
{
	json_t *ifc = NULL, *port = NULL;
	const char *br;
	int ret = -1;

	if (vsctl_iface(v, json_pack("{s:s}", "port", op->port), op->port, NULL, &ifc))
		return -1;
	if (ifc) {
		br = vsctl_str(ifc, "bridge");
		if (op->bridge[0] && (!br || strcmp(br, op->bridge))) {
			vsctl_err("port '%s' is on bridge '%s', not '%s'", op->port, br ? br : "?",
				  op->bridge);
			goto out;
		}
		if (!vsctl_replaceable(ifc, op->port, "kvnet detach-interface removes it"))
			goto out;
		if (vsctl_detach(v, ifc))
			goto out;
		vsctl_note("port %s of domain %s removed", op->port, vsctl_str(ifc, "domain"));
		ret = 0;
		goto out;
	}
	if (vsctl_port(v, op->port, &port))
		goto out;
	if (port) {
		vsctl_err("port '%s' on bridge '%s' is not a VM port: %s removes only the ports of "
			  "libvirt's taps (kvnet port del %s removes it)",
			  op->port, vsctl_str(port, "bridge") ? vsctl_str(port, "bridge") : "?",
			  VSCTL_NAME, op->port);
		goto out;
	}
	if (!op->if_exists) {
		vsctl_err("no port '%s' (with --if-exists, as libvirt sends it, that is no error)",
			  op->port);
		goto out;
	}
	ret = 0;
out:
	json_decref(ifc);
	json_decref(port);
	return ret;
}

static int vsctl_run(struct vsctl *v, const struct ovs_op *op)
{
	switch (op->kind) {
	case OVS_OP_ADD_PORT:
		return vsctl_add_port(v, op);
	case OVS_OP_DEL_PORT:
		return vsctl_del_port(v, op);
	case OVS_OP_FIND:
		/* kvnet has no QoS or queue rows: no UUID to print */
		return 0;
	case OVS_OP_POLICING_OFF:
		/* no kvnet port is policed */
		return 0;
	}
	return -1;
}

static void vsctl_usage(void)
{
	printf("Usage: " VSCTL_NAME " [--timeout=N] [--] COMMAND [-- COMMAND]...\n"
	       "\n"
	       "The ovs-vsctl commands libvirt runs for <virtualport type='openvswitch'/>,\n"
	       "done on kvnet's switches by kvnetd ($" CTL_SOCKET_ENV ", else " CTL_SOCKET_DEFAULT
	       "):\n"
	       "  [--may-exist] add-port BRIDGE PORT [tag=N] [trunk=A,B,...]\n"
	       "        [vlan_mode=access|trunk|native-tagged|native-untagged]\n"
	       "        -- set Interface PORT external-ids:attached-mac=\"MAC\"\n"
	       "        -- set Interface PORT external-ids:vm-id=\"UUID\" [-- ...]\n"
	       "  [--if-exists] del-port [BRIDGE] PORT\n"
	       "  [--no-heading] [--columns=_uuid] find queue|qos [CONDITION...]\n"
	       "  set Interface PORT ingress_policing_rate=0 ingress_policing_burst=0\n"
	       "\n"
	       "BRIDGE is a running kvnet network's <bridge name>, or a kvnet bridge. PORT, the\n"
	       "tap libvirt made, becomes a VM port of the domain named by vm-id. kvnet does not\n"
	       "shape traffic: a non-zero policing rate, qos= or create qos|queue is refused.\n"
	       "\n"
	       "Options: --timeout=N (give up after N seconds), --version, --help.\n"
	       "Exit status: 0 on success, 1 on any error (said on stderr and to syslog).\n");
}

int main(int argc, char **argv)
{
	struct vsctl v = { 0 };
	struct ovs_cmdline c;
	char err[512];
	int ret = 0;

	openlog(VSCTL_NAME, LOG_PID, LOG_DAEMON);
	if (ovs_cmd_parse(argc - 1, argv + 1, &c, err, sizeof(err))) {
		vsctl_err("%s", err);
		return 1;
	}
	if (c.help || c.version) {
		if (c.help)
			vsctl_usage();
		else
			printf(VSCTL_NAME " (kvnet) " KVNET_VERSION
					  ": libvirt's ovs-vsctl commands, on kvnet's switches\n");
		ovs_cmdline_free(&c);
		return fflush(stdout) ? 1 : 0;
	}
	v.socket = ctl_client_socket_path(NULL);
	if (c.timeout) {
		vsctl_timeout_s = c.timeout;
		snprintf(vsctl_timeout_msg[0], sizeof(vsctl_timeout_msg[0]),
			 VSCTL_NAME ": kvnetd at %.200s did not answer within %u s (--timeout)\n",
			 v.socket, c.timeout);
		signal(SIGALRM, vsctl_alarm);
		alarm(c.timeout);
		v.retry = true;
	}
	for (size_t i = 0; i < c.n_ops && !ret; i++)
		ret = vsctl_run(&v, &c.ops[i]);
	ctl_client_close(v.client);
	ovs_cmdline_free(&c);
	closelog();
	return ret ? 1 : 0;
}
