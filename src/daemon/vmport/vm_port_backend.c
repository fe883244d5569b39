/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vm_port_backend.c - a VM port's tap, interface, stream or dgram socket, made as asked */

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/vocab.h"
#include "daemon/host/privilege.h"
#include "daemon/switch/switch_backend.h"
#include "daemon/vmport/vm_port.h"
#include "daemon/vmport/vm_port_backend.h"
#include "daemon/vmport/vm_port_record.h"
#include "services/netlink.h"
#include "util/log.h"

int vm_port_backend_parse(const char *name, enum vm_backend *out, char *err, size_t errlen)
{
	int b = ctl_vocab_value(&ctl_vm_backends, name);

	if (b < 0) {
		snprintf(err, errlen, "backend '%.32s' is not known (expected %s)", name,
			 CTL_WORDS_OR(CTL_VM_BACKEND_LIST));
		return -EINVAL;
	}
	*out = (enum vm_backend)b;
	return 0;
}

int vm_port_req_check(const struct vm_port_req *r, char *err, size_t errlen)
{
	const char *backend = ctl_vocab_name(&ctl_vm_backends, (int)r->backend);

	if (r->netns && r->backend != VM_BACKEND_TAP) {
		snprintf(err, errlen, "netns is for a tap port, not a %s port (QEMU opens its own)",
			 backend);
		return -EINVAL;
	}
	if (r->connect && r->backend != VM_BACKEND_STREAM && r->backend != VM_BACKEND_VHOST_USER) {
		snprintf(err, errlen,
			 "connect is for a stream or vhost-user port (QEMU listening), not a %s "
			 "port",
			 backend);
		return -EINVAL;
	}
	if (r->connect && (!*r->connect || strlen(r->connect) > 107)) {
		snprintf(err, errlen, "connect: socket path must be 1 to 107 bytes, not %zu",
			 strlen(r->connect));
		return -EINVAL;
	}
	if (r->backend == VM_BACKEND_DEV && !r->ifname) {
		snprintf(err, errlen,
			 "a dev port attaches an existing interface: the <interface> needs "
			 "<target dev='NAME'/>");
		return -EINVAL;
	}
	if ((r->backend == VM_BACKEND_TAP || r->backend == VM_BACKEND_DEV) && !kv_privileged())
		return kv_priv_refuse(err, errlen, "a %s port", backend);
	return 0;
}

/* let QEMU, and with --group its members' QEMUs, use the socket kvnet made at @path */
static void vm_port_sock_access(const char *path)
{
	gid_t group = kv_socket_group();

	if (group != (gid_t)-1 && chown(path, (uid_t)-1, group))
		log_warn("cannot give %s to group %d: %s", path, (int)group, strerror(errno));
	if (chmod(path, group != (gid_t)-1 ? 0660 : 0600))
		log_warn("cannot chmod %s: %s", path, strerror(errno));
}

/* a persistent tap @name for QEMU, up, attached through AF_PACKET */
static int vm_port_qemu_tap(const struct vm_port_req *r, const char *name, bool reuse_tap,
			    struct port **out, char *err, size_t errlen)
{
	char why[256];
	bool made = false;
	int ret = 0;

	if (!reuse_tap || !if_nametoindex(name)) {
		ret = tap_persist(name, err, errlen);
		made = !ret; /* only ours is deleted again, never an interface that was there */
	}
	if (!ret && r->mtu)
		ret = netlink_link_set_mtu(name, -1, r->mtu, err, errlen);
	if (!ret)
		ret = netlink_link_set_up(name, -1, true, err, errlen);
	if (!ret)
		ret = switch_backend_open(name, false, NULL, 0, NULL, out, err, errlen);
	if (ret && made)
		netlink_link_del(name, why, sizeof(why));
	return ret;
}

/*
 * a vhost-user port, kvnet listening on RUN_DIR/ports/NAME.vhost.sock, or connecting to
 * @connect where the front-end listens
 */
static int vm_port_vhost(const char *name, const char *connect, struct kv_vm_port *info,
			 struct port **out, char *err, size_t errlen)
{
	char path[4200];
	struct port *be;
	int ret;

	if (connect) {
		snprintf(path, sizeof(path), "%s", connect);
	} else if (vm_port_sock_path(name, ".vhost.sock", path, sizeof(path)) ||
		   strlen(path) > 107) {
		snprintf(err, errlen,
			 "socket path for port '%s' under kvnetd's run dir is longer than 107 "
			 "bytes: use a shorter --run-dir",
			 name);
		return -ENAMETOOLONG;
	}
	ret = vhost_user_port_open(name, path, connect, &be, err, errlen);
	if (ret)
		return ret;
	if (!connect)
		vm_port_sock_access(path);
	info->socket = strdup(path);
	info->listen = !connect;
	if (!info->socket) {
		be->ops->destroy(be);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*out = be;
	return 0;
}

int vm_port_backend_open(const struct vm_port_req *r, const char *name, const uint8_t *mac,
			 bool reuse_tap, enum kv_port_type *type, struct kv_vm_port *info,
			 struct port **out, char *err, size_t errlen)
{
	char path[4200], peer[4200];
	struct port *be;
	int ret;

	*type = KV_PORT_DEV;
	switch (r->backend) {
	case VM_BACKEND_TAP:
		if (!r->netns)
			return vm_port_qemu_tap(r, name, reuse_tap, out, err, errlen);
		/* in a namespace the tap plays the VM's NIC, so it carries the VM's MAC */
		*type = KV_PORT_TAP;
		return switch_backend_open(name, true, r->netns, r->mtu, mac, out, err, errlen);
	case VM_BACKEND_DEV:
		return switch_backend_open(name, false, NULL, 0, NULL, out, err, errlen);
	case VM_BACKEND_VHOST_USER:
		*type = KV_PORT_SOCKET;
		return vm_port_vhost(name, r->connect, info, out, err, errlen);
	case VM_BACKEND_STREAM:
	case VM_BACKEND_DGRAM:
	case VM_BACKEND_COUNT:
		break;
	}
	*type = KV_PORT_SOCKET;
	if (vm_port_sock_path(name, ".sock", path, sizeof(path)) ||
	    vm_port_sock_path(name, ".qemu.sock", peer, sizeof(peer)) || strlen(peer) > 107) {
		snprintf(err, errlen,
			 "socket paths for port '%s' under kvnetd's run dir are longer than 107 "
			 "bytes: use a shorter --run-dir",
			 name);
		return -ENAMETOOLONG;
	}
	if (r->connect)
		snprintf(path, sizeof(path), "%s", r->connect);
	ret = peer_port_open(r->backend == VM_BACKEND_DGRAM ? PEER_DGRAM
			     : r->connect		    ? PEER_STREAM_CONNECT
							    : PEER_STREAM_LISTEN,
			     name, path, peer, &be, err, errlen);
	if (ret)
		return ret;
	if (!r->connect)
		vm_port_sock_access(path);
	info->socket = strdup(path);
	info->peer_socket = r->backend == VM_BACKEND_DGRAM ? strdup(peer) : NULL;
	info->listen = r->backend == VM_BACKEND_STREAM && !r->connect;
	if (!info->socket || (r->backend == VM_BACKEND_DGRAM && !info->peer_socket)) {
		be->ops->destroy(be);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*out = be;
	return 0;
}
