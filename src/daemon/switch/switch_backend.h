/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_backend.h - the kernel back-ends of a switch port: a tap kvnet makes, or an
 * existing interface through AF_PACKET
 */
#ifndef KVNET_DAEMON_SWITCH_SWITCH_BACKEND_H
#define KVNET_DAEMON_SWITCH_SWITCH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct port;

/**
 * switch_backend_open() - make the back-end of a new port
 * @name:	the tap to make, or (!@tap) the existing interface to attach through AF_PACKET
 * @tap:	make a tap
 * @netns:	a tap: the network namespace to move it into, or NULL to leave it here
 * @mtu:	a tap: its MTU, or 0 for the default
 * @mac:	a tap: its MAC, or NULL for a random one
 * @out:	gets the back-end, the caller's to destroy
 *
 * A tap left here is set up. Slow (system calls): call it without the datapath lock.
 * Return: 0, or -EPERM (kvnetd has no CAP_NET_ADMIN), -ENOENT (no such namespace or
 * interface), -EEXIST (the name is taken or held) or another negative errno, with a message
 * naming @name in @err
 */
int switch_backend_open(const char *name, bool tap, const char *netns, unsigned int mtu,
			const uint8_t *mac, struct port **out, char *err, size_t errlen);

/**
 * switch_backend_absent() - a stand-in for an existing interface that is not there: a port
 * made again from the state dir (rpc/ctl_store.c) keeps its place and settings, with its
 * link down for good, as the port of an interface that went away does (its ifindex matches
 * no interface, so the datapath never sees carrier). Its kind is "dev"; it receives nothing
 * and what it is given to send is dropped.
 * @name:	the interface
 * @out:	gets the back-end, the caller's to destroy
 * Return: 0, or a negative errno (out of memory or descriptors)
 */
int switch_backend_absent(const char *name, struct port **out);

#endif /* KVNET_DAEMON_SWITCH_SWITCH_BACKEND_H */
