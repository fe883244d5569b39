/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vm_port_backend.h - how QEMU reaches a VM port: a tap, an interface, a stream or dgram socket
 *
 * Theory of Operation
 * A VM port's back-end is what QEMU's -netdev names:
 *   tap     a persistent tap kvnet makes (QEMU opens it by name, as libvirt's vnetN), its
 *           kernel side attached through AF_PACKET, so its link is whether QEMU holds it;
 *           with a namespace, kvnet's own tap moved there (the namespace plays the VM)
 *   dev     an existing interface, through AF_PACKET (the tap QEMU made: kvnet-ifup)
 *   stream  a stream socket RUN_DIR/ports/NAME.sock kvnet listens on (QEMU server=off), or
 *           one QEMU listens on (server=on) that kvnet connects to
 *   dgram   RUN_DIR/ports/NAME.sock kvnet binds and NAME.qemu.sock QEMU binds
 *   vhost-user  RUN_DIR/ports/NAME.vhost.sock kvnet listens on as the vhost-user back-end
 *           (port/vhost_user.c); QEMU's -chardev socket connects to it; or one QEMU's
 *           chardev listens on (server=on) that kvnet connects to
 * The socket ports outlive their QEMU (port/peer.c). tap and dev need CAP_NET_ADMIN.
 */
#ifndef KVNET_DAEMON_VMPORT_VM_PORT_BACKEND_H
#define KVNET_DAEMON_VMPORT_VM_PORT_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/iface_xml.h"
#include "daemon/switch/switch.h"

struct kv_vm_port;

/* how QEMU reaches a VM port (see vm_port_backend_open()); named by ctl_vm_backends */
enum vm_backend {
	VM_BACKEND_TAP,
	VM_BACKEND_DEV,
	VM_BACKEND_STREAM,
	VM_BACKEND_DGRAM,
	VM_BACKEND_VHOST_USER,
	VM_BACKEND_COUNT,
};

/* where and how a VM port is made */
struct vm_port_req {
	struct kv_switch *sw;
	struct kv_network *net; /* or NULL */
	enum iface_type type;
	const char *ifname; /* or NULL for vnetN */
	unsigned int mtu;
	enum vm_backend backend;
	const char *netns;   /* tap: move it there; NULL: a persistent tap for QEMU */
	const char *connect; /* stream, vhost-user: QEMU listens there; NULL: kvnet listens */
};

/**
 * vm_port_backend_parse() - the back-end named @name ("tap", "dev", "stream", "dgram",
 * "vhost-user")
 * Return: 0, or -EINVAL with a message naming @name and what was expected in @err
 */
int vm_port_backend_parse(const char *name, enum vm_backend *out, char *err, size_t errlen);

/**
 * vm_port_req_check() - do @r's back-end, namespace, socket path and interface name go
 * together, and may this kvnetd make that back-end?
 * Return: 0, or -EINVAL or -EPERM with a message in @err
 */
int vm_port_req_check(const struct vm_port_req *r, char *err, size_t errlen);

/**
 * vm_port_backend_open() - the back-end of VM port @name (MAC @mac) as @r asks. Slow (a
 * tap, sockets): call it without the datapath lock.
 * @reuse_tap:	a tap named @name may exist already (QEMU held it over a kvnetd restart)
 * @type:	the switch port type for it
 * @info:	gets the sockets QEMU is to use (socket, peer_socket, listen; the caller's
 *		to free)
 * @out:	gets the back-end, the caller's to destroy
 * Return: 0, or a negative errno with a message naming the port in @err
 */
int vm_port_backend_open(const struct vm_port_req *r, const char *name, const uint8_t *mac,
			 bool reuse_tap, enum kv_port_type *type, struct kv_vm_port *info,
			 struct port **out, char *err, size_t errlen);

#endif /* KVNET_DAEMON_VMPORT_VM_PORT_BACKEND_H */
