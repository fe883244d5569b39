/* SPDX-License-Identifier: GPL-2.0-or-later */
/* privilege.h - whether kvnetd holds CAP_NET_ADMIN, what it refuses without it, whose it is
 *
 * Theory of Operation
 * Only what touches the kernel's networking needs privilege: a tap, an AF_PACKET port on an
 * existing interface, a network's host port, its firewall rules, its uplink. kvnetd decides
 * once, at start, from its effective capabilities rather than its uid (root in a container
 * without CAP_NET_ADMIN has no more right than a user; a service user given the capability
 * has it). Without it kvnetd still runs networks of socket ports (QEMU stream and dgram):
 * its run and state dirs go under the user's $XDG_RUNTIME_DIR and data dir, and each
 * feature that needs the capability is refused before anything of it is made, with one
 * message (kv_priv_refuse()) and CTL_ERR_PERM on the control socket. Users who share a group
 * given to --group share the daemon's control socket and port sockets, so their rootless
 * QEMUs meet on one layer-2 network without a setuid helper.
 */
#ifndef KVNET_DAEMON_HOST_PRIVILEGE_H
#define KVNET_DAEMON_HOST_PRIVILEGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/** kv_privilege_init() - at start: read kvnetd's effective capabilities, once */
void kv_privilege_init(void);

/**
 * kv_privileged() - does kvnetd hold CAP_NET_ADMIN (read on first use if
 * kv_privilege_init() was not called)
 */
bool kv_privileged(void);

/** kv_privilege_set() - decide it instead of the capabilities: for tests */
void kv_privilege_set(bool privileged);

/**
 * kv_priv_refuse() - the refusal of a feature that needs CAP_NET_ADMIN, into @err:
 * "FEATURE needs CAP_NET_ADMIN (kvnetd runs without it: use stream or dgram ports)"
 * @fmt:	names the feature and its object ("tap port 'vnet0'")
 *
 * Return: -EPERM, for `return kv_priv_refuse(...)`
 */
int kv_priv_refuse(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * kv_group_parse() - a group given by name or by number (a GID need not be in /etc/group)
 * @s:		the name or decimal GID
 * @gid:	set on success
 * Return: 0, or -ENOENT / -EINVAL with a message naming @s in @err
 */
int kv_group_parse(const char *s, gid_t *gid, char *err, size_t errlen);

/**
 * kv_socket_group() - the group whose members may use kvnetd's sockets (--group): the
 * control socket, and the port sockets of QEMU's stream and dgram back-ends
 * Return: the GID, or (gid_t)-1 if none was given
 */
gid_t kv_socket_group(void);

/** kv_socket_group_set() - at start, from --group */
void kv_socket_group_set(gid_t gid);

/**
 * kv_user_dir() - a default dir of an unprivileged kvnetd: "$ENV/kvnet", else, when
 * @home_rel is not NULL, "$HOME/HOME_REL/kvnet"
 * @env:	XDG_RUNTIME_DIR or XDG_DATA_HOME
 * @home_rel:	".local/share" (the XDG default of the data dir), or NULL for none
 * Return: 0, or -ENOENT (neither is set) / -ENAMETOOLONG with a message in @err
 */
int kv_user_dir(const char *env, const char *home_rel, char *buf, size_t len, char *err,
		size_t errlen);

/**
 * kv_dir_reachable() - can a user other than its owner reach files in @path: every directory
 * on the way searchable by others or, for one owned by group @gid, by its members
 * @gid:	the group of the users asked about, or (gid_t)-1 for any user
 */
bool kv_dir_reachable(const char *path, gid_t gid);

#endif /* KVNET_DAEMON_HOST_PRIVILEGE_H */
