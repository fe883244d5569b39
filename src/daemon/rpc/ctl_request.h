/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_request.h - one control request: its params, checked one by one, and its answer */
#ifndef KVNET_DAEMON_RPC_CTL_REQUEST_H
#define KVNET_DAEMON_RPC_CTL_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ctl/protocol.h"

/**
 * struct ctl_request - what a method handler gets and fills
 * @params:	the request's params object (never NULL)
 * @result:	set by the handler on success (an object; NULL means {})
 * @err_code:	set by ctl_fail(), with @err_msg
 * @err_msg:	a sentence naming the object and what was expected
 */
struct ctl_request {
	json_t *params;
	json_t *result;
	int err_code;
	char err_msg[256];
};

/**
 * struct ctl_method - a method: its name, the params it knows, its handler
 * @handler:	returns 0 with req->result set, or -1 after ctl_fail()
 */
struct ctl_method {
	const char *name;
	const char *const *params;
	int (*handler)(struct ctl_request *req);
};

/* the methods of each object, NULL-terminated, in ctl_<object>.c */
extern const struct ctl_method ctl_daemon_methods[];
extern const struct ctl_method ctl_bridge_methods[];
extern const struct ctl_method ctl_port_methods[];
extern const struct ctl_method ctl_vlan_methods[];
extern const struct ctl_method ctl_fdb_methods[];
extern const struct ctl_method ctl_stats_methods[];
extern const struct ctl_method ctl_mdb_methods[];
extern const struct ctl_method ctl_network_methods[];
extern const struct ctl_method ctl_vm_port_methods[];
extern const struct ctl_method ctl_stp_methods[];
extern const struct ctl_method ctl_events_methods[];
extern const struct ctl_method ctl_capture_methods[];
extern const struct ctl_method ctl_mirror_methods[];

/** ctl_fail() - record an error for the answer. Return: -1, for `return ctl_fail(...)` */
int ctl_fail(struct ctl_request *req, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Param getters. Each returns 1 if the member was present and valid (and
 * stores it), 0 if absent (and leaves *out alone), or -1 after ctl_fail()
 * if it is of the wrong type or out of range. The _req forms fail when
 * the member is absent.
 */
int ctl_param_bool(struct ctl_request *req, const char *key, bool *out);
int ctl_param_uint(struct ctl_request *req, const char *key, uint64_t min, uint64_t max,
		   uint64_t *out);
int ctl_param_seconds(struct ctl_request *req, const char *key, double max, uint64_t *out_ns);
int ctl_param_string(struct ctl_request *req, const char *key, const char **out);
/* a bridge or port name (ctl_name_valid()) */
int ctl_param_name(struct ctl_request *req, const char *key, const char **out);
int ctl_param_name_req(struct ctl_request *req, const char *key, const char **out);
/* a network namespace name as `ip netns` makes them: 1..255 characters, no '/' */
int ctl_param_netns(struct ctl_request *req, const char *key, const char **out);
int ctl_param_vid(struct ctl_request *req, const char *key, uint16_t *out);
int ctl_param_mac(struct ctl_request *req, const char *key, uint8_t mac[6]);
int ctl_param_mac_req(struct ctl_request *req, const char *key, uint8_t mac[6]);

/**
 * ctl_errno_code() - the protocol error code for negative errno @ret, from the one table:
 * -ENOENT/-ENODEV not found, -EEXIST exists, -EINVAL invalid params, -EBUSY invalid state,
 * -EPERM/-EACCES not permitted, -ENOSPC full, anything else a system error
 */
int ctl_errno_code(int ret);

/** ctl_fail_errno() - ctl_fail() with @msg and ctl_errno_code(@ret). Return: -1 */
int ctl_fail_errno(struct ctl_request *req, int ret, const char *msg);

/* a member that must be a string, with a message naming it when absent */
int ctl_param_string_req(struct ctl_request *req, const char *key, const char **out);

struct kv_switch;
struct kv_port;
struct kv_network;

/* {"port", "bridge", "pvid", "vlans": [{"vid", "untagged"}]} for a port (vlan.list) */
json_t *ctl_vlan_json(const struct kv_port *p);

/* the network named by param @key (a name or a UUID), or NULL after ctl_fail() */
struct kv_network *ctl_find_network(struct ctl_request *req, const char *key);

/**
 * ctl_vm_port_restore() - @net started: make again the VM ports recorded for it (a kvnetd
 * restarted under running VMs) by replaying the requests that made them; a port that cannot
 * be made is logged and its record removed. The network's start hook (ctl_server_init()).
 */
void ctl_vm_port_restore(struct kv_network *net);

/* Look up a named object. Return: it, or NULL after ctl_fail(CTL_ERR_NOT_FOUND) */
struct kv_switch *ctl_find_bridge(struct ctl_request *req, const char *name);
struct kv_port *ctl_find_port(struct ctl_request *req, const char *name);

/**
 * ctl_list_ports() - answer {"ports": [...]} with @fn(p) for every port, or only those on
 * the bridge named by param @bridge_key and the port named by param @port_key, if given
 * Return: 0, or -1 after ctl_fail() (a bad or unknown name)
 */
int ctl_list_ports(struct ctl_request *req, const char *bridge_key, const char *port_key,
		   json_t *(*fn)(const struct kv_port *p));

/**
 * ctl_pass_fd() - send descriptor @fd to the client with the answer of the request being
 * handled (SCM_RIGHTS on its first bytes, ctl_conn.c); it is closed here once sent, or if
 * the answer is never sent (ctl_capture.c)
 */
void ctl_pass_fd(int fd);

/** ctl_pass_fd_take() - the descriptor left by ctl_pass_fd(), -1 if none; cleared by the call */
int ctl_pass_fd_take(void);

/* param "direction": in, out or both (the default), as CTL_CAPTURE_* bits in *@dir */
int ctl_param_capture_dir(struct ctl_request *req, unsigned int *dir);

struct switch_mirror;

/* mirror.list's object for @m (ctl_mirror.c); also what the bridge store keeps */
json_t *ctl_mirror_json(const struct switch_mirror *m);

struct switch_event;

/**
 * ctl_events_take() - the event categories (enum switch_event_class) the request just
 * handled subscribed its connection to, 0 if it did not; cleared by the call
 */
unsigned int ctl_events_take(void);

/**
 * ctl_event_line() - the notification for @e, one line without its newline
 * Return: the line (malloc'ed), or NULL if out of memory
 */
char *ctl_event_line(const struct switch_event *e);

/**
 * ctl_call() - run method @method on @req->params as a client's request would be: the
 * params it knows checked, then its handler. The caller holds the datapath lock.
 * Return: 0 with @req->result set (the caller frees it), or -1 with @req's error (an
 * unknown method too)
 */
int ctl_call(const char *method, struct ctl_request *req);

/* the flag members of port.list and port.set ({"learning": true, ...}) for @p */
json_t *ctl_port_flags_json(const struct kv_port *p);

/**
 * ctl_store_sync() - rewrite the files of the stored bridges that changed, remove those of
 * bridges gone (ctl_store.c). The caller holds the datapath lock; it is dropped around the
 * writes.
 * Return: 0, or a negative errno with a sentence naming the file in @err
 */
int ctl_store_sync(char *err, size_t errlen);

/* the stored bridges are being made again (ctl_store_restore()) */
bool ctl_store_restoring(void);

/* @method only reads: no store sync after it */
bool ctl_store_reads_only(const char *method);

/**
 * ctl_store_unkept() - whether the change @method just made with @params is one no stored
 * bridge keeps: on a VM port (its record in the run dir keeps what made it), or on a
 * network's own bridge or a port a network put on one (the network makes them again from
 * its XML). The caller holds the datapath lock.
 * Return: true, with a sentence for the user in @why, if so
 */
bool ctl_store_unkept(const char *method, json_t *params, char *why, size_t len);

/**
 * ctl_store_forget_absent() - `port del` of a port that a stored bridge keeps but could not
 * make again at start: forget it
 * Return: true if there was one of that name
 */
bool ctl_store_forget_absent(const char *port);

#endif
