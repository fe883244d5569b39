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
#include "daemon/rpc/ctl_request.h"
#include "daemon/host/privilege.h"
#include "daemon/vmport/vm_port.h"
#include "daemon/vmport/vm_port_backend.h"
#include "daemon/vmport/vm_port_record.h"
#include "services/netlink.h"
#include "util/log.h"

int vm_port_backend_params(struct ctl_request *req, struct vm_port_req *r)
{
	const char *backend = ctl_vocab_name(&ctl_vm_backends, CTL_VM_BACKEND_TAP);
	int b;

	if (ctl_param_string(req, "backend", &backend) < 0 ||
	    ctl_param_netns(req, "netns", &r->netns) < 0 ||
	    ctl_param_string(req, "connect", &r->connect) < 0)
		return -1;
	b = ctl_vocab_value(&ctl_vm_backends, backend);
	if (b < 0)
		return ctl_fail(req, CTL_ERR_PARAMS, "backend '%.32s' is not known (expected %s)",
				backend, CTL_WORDS_OR(CTL_VM_BACKEND_LIST));
	r->backend = (enum vm_backend)b;
	if (r->netns && r->backend != VM_BACKEND_TAP)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"netns is for a tap port, not a %s port (QEMU opens its own)",
				backend);
	if (r->connect && r->backend != VM_BACKEND_STREAM)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"connect is for a stream port (QEMU listening), not a %s port",
				backend);
	if (r->connect && (!*r->connect || strlen(r->connect) > 107))
		return ctl_fail(req, CTL_ERR_PARAMS,
				"connect: socket path must be 1 to 107 bytes, not %zu",
				strlen(r->connect));
	if (r->backend == VM_BACKEND_DEV && !r->ifname)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"a dev port attaches an existing interface: the <interface> needs "
				"<target dev='NAME'/>");
	if ((r->backend == VM_BACKEND_TAP || r->backend == VM_BACKEND_DEV) && !kv_privileged())
		return kv_priv_fail(req, "a %s port", backend);
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

/* a persistent tap @name for QEMU, up, attached through AF_PACKET; NULL after ctl_fail() */
static struct port *vm_port_qemu_tap(struct ctl_request *req, const struct vm_port_req *r,
				     const char *name, bool reuse_tap)
{
	bool made = false;
	char err[256];
	struct port *be;
	int ret = 0;

	if (!reuse_tap || !if_nametoindex(name)) {
		ret = tap_persist(name, err, sizeof(err));
		made = !ret; /* only ours is deleted again, never an interface that was there */
	}
	if (!ret && r->mtu)
		ret = netlink_link_set_mtu(name, -1, r->mtu, err, sizeof(err));
	if (!ret)
		ret = netlink_link_set_up(name, -1, true, err, sizeof(err));
	if (ret) {
		ctl_fail_errno(req, ret, err);
		be = NULL;
	} else {
		be = ctl_port_backend(req, name, false, NULL, 0, NULL);
	}
	if (!be && made)
		netlink_link_del(name, err, sizeof(err));
	return be;
}

struct port *vm_port_backend_open(struct ctl_request *req, const struct vm_port_req *r,
				  const char *name, const uint8_t *mac, bool reuse_tap,
				  enum kv_port_type *type, struct kv_vm_port *info)
{
	char path[4200], peer[4200], err[512];
	struct port *be;

	*type = KV_PORT_DEV;
	switch (r->backend) {
	case VM_BACKEND_TAP:
		if (!r->netns)
			return vm_port_qemu_tap(req, r, name, reuse_tap);
		/* in a namespace the tap plays the VM's NIC, so it carries the VM's MAC */
		*type = KV_PORT_TAP;
		return ctl_port_backend(req, name, true, r->netns, r->mtu, mac);
	case VM_BACKEND_DEV:
		return ctl_port_backend(req, name, false, NULL, 0, NULL);
	case VM_BACKEND_STREAM:
	case VM_BACKEND_DGRAM:
	case VM_BACKEND_COUNT:
		break;
	}
	*type = KV_PORT_SOCKET;
	if (vm_port_sock_path(name, ".sock", path, sizeof(path)) ||
	    vm_port_sock_path(name, ".qemu.sock", peer, sizeof(peer)) || strlen(peer) > 107) {
		ctl_fail(req, CTL_ERR_SYSTEM,
			 "socket paths for port '%s' under kvnetd's run dir are longer than 107 "
			 "bytes: use a shorter --run-dir",
			 name);
		return NULL;
	}
	if (r->connect)
		snprintf(path, sizeof(path), "%s", r->connect);
	be = peer_port_open(r->backend == VM_BACKEND_DGRAM ? PEER_DGRAM
			    : r->connect		   ? PEER_STREAM_CONNECT
							   : PEER_STREAM_LISTEN,
			    name, path, peer, err, sizeof(err));
	if (!be) {
		ctl_fail_errno(req, -errno, err);
		return NULL;
	}
	if (!r->connect)
		vm_port_sock_access(path);
	info->socket = strdup(path);
	info->peer_socket = r->backend == VM_BACKEND_DGRAM ? strdup(peer) : NULL;
	info->listen = r->backend == VM_BACKEND_STREAM && !r->connect;
	if (!info->socket || (r->backend == VM_BACKEND_DGRAM && !info->peer_socket)) {
		be->ops->destroy(be);
		ctl_fail(req, CTL_ERR_SYSTEM, "out of memory");
		return NULL;
	}
	return be;
}
