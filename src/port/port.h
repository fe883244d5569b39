/* SPDX-License-Identifier: GPL-2.0-or-later */
/* port.h - the table of operations every port back-end implements
 *
 * A back-end moves frames between the outside (a tap, an interface through
 * AF_PACKET, later QEMU's sockets and vhost-user) and struct frame buffers
 * owned by the caller. It knows frames, not bridges, VLANs or networks.
 * Every function is called from one thread at a time (the datapath thread,
 * or the control thread before the port is handed to the datapath).
 */
#ifndef KVNET_PORT_PORT_H
#define KVNET_PORT_PORT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/frame.h"

/* offloads a back-end accepts on transmit (its peer can take) */
#define PORT_OFFLOAD_CSUM (1u << 0) /* NEEDS_CSUM frames */
#define PORT_OFFLOAD_TSO4 (1u << 1)
#define PORT_OFFLOAD_TSO6 (1u << 2)
#define PORT_OFFLOAD_UFO (1u << 3)

struct port;

/**
 * struct port_ops - a back-end
 * @kind:	"tap", "dev", ...
 * @rx_burst:	read up to @n frames into @frames (each has an empty buffer of
 *		FRAME_BUF_SIZE set up with frame_init()); never blocks.
 *		Return: frames read (0 if none waiting), or a negative errno if the
 *		port is unusable (-ENETDOWN, -ENXIO: its interface went away)
 * @tx_burst:	write @n frames; never blocks; a frame that cannot be written now
 *		is dropped and counted: in tx_full if the peer's queue had no room
 *		(EAGAIN, ENOBUFS; @tx_busy is then set), else in tx_errors. The frames
 *		stay the caller's.
 *		Return: frames written, or a negative errno if the port is unusable
 * @destroy:	close everything and free the port; a tap it created disappears.
 *		May not be NULL.
 * @tx_flush:	write out what an earlier tx_burst queued and the peer did not
 *		take yet (stream); never blocks. May be NULL: the back-end queues
 *		nothing between bursts.
 *		With nothing queued it makes no system call, so the caller can
 *		call it after each tx_burst to learn whether to poll EPOLLOUT.
 *		Return: 0 if nothing is left queued, 1 if bytes still wait (poll
 *		@fd for EPOLLOUT and call again), or a negative errno as tx_burst
 *
 * @tick:	called once a second; may be NULL. A port that waits for its peer
 *		(peer.c) tries to reach it again from here.
 *
 * The socket back-ends (stream, dgram) also return -ENOTCONN when the peer
 * hung up or went away and -EPROTO when it broke the framing; either is for
 * good (the port never works again). peer.c wraps them so that the port
 * outlives its peer: it takes those errors, closes the connection and waits
 * for the peer to come back, and says so in @no_peer.
 */
struct port_ops {
	const char *kind;
	int (*rx_burst)(struct port *p, struct frame **frames, unsigned n);
	int (*tx_burst)(struct port *p, struct frame **frames, unsigned n);
	void (*destroy)(struct port *p);
	int (*tx_flush)(struct port *p);
	void (*tick)(struct port *p);
};

/**
 * struct port - what every back-end's port starts with
 * @ops:	its back-end
 * @fd:		file descriptor to poll for input (EPOLLIN)
 * @ifname:	interface name (the tap's, or the attached interface's; a
 *		socket port's own name)
 * @ifindex:	interface index in the namespace it was made or found in (0 for
 *		a socket port)
 * @offloads:	PORT_OFFLOAD_* the port accepts on transmit
 * @rx_errors:	frames that could not be read (too long, truncated)
 * @tx_errors:	frames that could not be written
 * @tx_full:	frames dropped because the peer's queue had no room for them
 * @rx_overrun:	frames the kernel dropped before the port read them (its queue was full)
 * @tx_busy:	the peer is not keeping up: the last tx_burst found its queue full, or
 *		left frames queued in the back-end. The caller should stop feeding the port
 *		until it has room: @fd polls EPOLLOUT then, or (a back-end with a queue of
 *		its own) @tx_busy is clear again after a wake-up of @fd
 * @rx_more:	rx_burst left whole frames in a buffer of its own (stream): call it
 *		again soon, the fd will not say so
 * @no_peer:	a socket port whose peer is not there (not connected yet, or gone):
 *		its link is down
 * @peer_err:	why the peer was last lost: -ENOTCONN (it hung up or went away),
 *		-EPROTO (it broke the framing), or another negative errno
 * @queues:	a multiqueue tap's other queues (tap_create_queues()), each a port of its
 *		own on the same interface, destroyed with this one; @n_queues of them
 */
struct port {
	const struct port_ops *ops;
	int fd;
	char ifname[IF_NAMESIZE];
	int ifindex;
	uint32_t offloads;
	uint64_t rx_errors;
	uint64_t tx_errors;
	uint64_t tx_full;
	uint64_t rx_overrun;
	bool tx_busy;
	bool rx_more;
	bool no_peer;
	int peer_err;
	struct port **queues;
	unsigned int n_queues;
};

/* what a port counted as a whole: its own counters and its queues' together */
struct port_counters {
	uint64_t rx_errors;
	uint64_t tx_errors;
	uint64_t tx_full;
	uint64_t rx_overrun;
};

static inline struct port_counters port_counters(const struct port *p)
{
	struct port_counters c = { p->rx_errors, p->tx_errors, p->tx_full, p->rx_overrun };

	for (unsigned int i = 0; i < p->n_queues; i++) {
		c.rx_errors += p->queues[i]->rx_errors;
		c.tx_errors += p->queues[i]->tx_errors;
		c.tx_full += p->queues[i]->tx_full;
		c.rx_overrun += p->queues[i]->rx_overrun;
	}
	return c;
}

/**
 * tap_create() - create tap @ifname on /dev/net/tun with a virtio-net header
 *		  and checksum/TSO offloads, non-blocking
 * @ifname:	name for the tap (must not exist)
 * @out:	on success, gets the port, the caller's to destroy; untouched on failure
 * @err:	on failure, a message naming the tap and the failing call
 * @errlen:	size of @err
 *
 * The tap is not persistent: it disappears when the port is destroyed.
 * Return: 0, or a negative errno with @err filled: -EINVAL (not a name the kernel
 * takes as it is), -EEXIST (an interface of that name exists), or the failing call's
 * (TUNSETIFF's -EBUSY: another process holds a tap of that name)
 */
int tap_create(const char *ifname, struct port **out, char *err, size_t errlen);

/**
 * tap_create_queues() - create tap @ifname as tap_create() does, with IFF_MULTI_QUEUE and
 *			 @n queues: @out is the first, with the others in its @queues (@n 1:
 *			 tap_create(), a tap of one queue). The kernel spreads what it sends on the tap over the queues
 *			 by flow, and a frame written to any of them is received by the tap.
 * Return: as tap_create()
 */
int tap_create_queues(const char *ifname, unsigned int n, struct port **out, char *err,
		      size_t errlen);

/**
 * tap_persist() - create persistent tap @ifname for QEMU to open by name (as libvirt
 *		   makes its vnetN): kvnet attaches its kernel side with af_packet_open();
 *		   it has carrier only while QEMU holds it. Delete it with netlink.
 * Return: 0, or a negative errno with @err filled (-EEXIST: the name is taken)
 */
int tap_persist(const char *ifname, char *err, size_t errlen);

/**
 * af_packet_open() - attach existing interface @ifname through AF_PACKET:
 *		      promiscuous, own transmissions ignored, virtio-net header on,
 *		      VLAN tags the kernel strips put back from PACKET_AUXDATA
 * @ifname:	the interface
 * @out:	on success, gets the port, the caller's to destroy; untouched on failure
 * @err, @errlen: on failure, a message naming the interface and the failing call
 *
 * Return: 0, or a negative errno with @err filled: -EINVAL (a bad name, or not an
 * Ethernet interface), -ENODEV (no such interface), or the failing call's
 */
int af_packet_open(const char *ifname, struct port **out, char *err, size_t errlen);

/**
 * af_packet_open_queues() - attach @ifname as af_packet_open() does with @n sockets in
 *			     one PACKET_FANOUT_HASH group: each frame is read by one of them,
 *			     a flow always by the same; any of them sends. @out is the first,
 *			     with the others in its @queues (@n 1: af_packet_open()).
 * Return: as af_packet_open()
 */
int af_packet_open_queues(const char *ifname, unsigned int n, struct port **out, char *err,
			  size_t errlen);

/**
 * stream_port_open() - a port on a connected stream socket speaking QEMU's
 *			-netdev stream framing (a 32-bit big-endian length before
 *			each frame, no virtio-net header)
 * @fd:		connected socket (AF_UNIX or AF_INET*, SOCK_STREAM); made
 *		non-blocking. The port owns it on success; on failure the caller
 *		still does.
 * @name:	port name, for ifname (shorter than IF_NAMESIZE)
 * @out:	on success, gets the port, the caller's to destroy; untouched on failure
 * @err:	on failure, a message naming the port and the failing call
 * @errlen:	size of @err
 *
 * The port takes no offloads: GSO frames are segmented and partial
 * checksums completed before they are sent (core/gso.h). Its tx_flush op
 * writes out frames queued while the peer was slow.
 * Return: 0, or a negative errno with @err filled: -EINVAL (a bad name, or not a
 * stream socket), -ENOMEM, or the failing call's (-EBADF: @fd is not open)
 */
int stream_port_open(int fd, const char *name, struct port **out, char *err, size_t errlen);

/**
 * dgram_port_open() - a port on a bound and connected datagram socket, one
 *		       frame per datagram (QEMU's -netdev dgram)
 * @fd:		the socket (AF_UNIX or AF_INET*, SOCK_DGRAM), connected to the
 *		peer's address; made non-blocking. Owned by the port on success.
 * @name, @out, @err, @errlen: as for stream_port_open()
 *
 * Return: 0, or a negative errno with @err filled: -EINVAL (a bad name, or not a
 * datagram socket), -ENOMEM, or the failing call's (-EBADF: @fd is not open)
 */
int dgram_port_open(int fd, const char *name, struct port **out, char *err, size_t errlen);

/* how a socket port finds its peer (QEMU) */
enum peer_mode {
	PEER_STREAM_LISTEN,  /* kvnet listens at path, QEMU connects (server=off) */
	PEER_STREAM_CONNECT, /* QEMU listens at path (server=on), kvnet connects */
	PEER_DGRAM,	     /* kvnet binds path and sends to peer_path, which QEMU binds */
};

/**
 * peer_port_open() - a stream or dgram port that outlives its peer: while the
 *		      peer is away the port exists with no_peer set, and it
 *		      takes the peer back when it returns
 * @mode:	see enum peer_mode
 * @name:	port name (shorter than IF_NAMESIZE)
 * @path:	the socket kvnet listens on, connects to, or binds (dgram)
 * @peer_path:	dgram: the peer's socket; NULL otherwise
 * @out:	on success, gets the port, the caller's to destroy; untouched on failure
 * @err, @errlen: on failure, a message naming the port, the path and the failing call
 *
 * A stale socket file at a path kvnet binds is replaced; the files kvnet
 * bound are removed by destroy. The dgram peer's is the peer's: QEMU still
 * sends from it while kvnetd restarts.
 * Return: 0, or a negative errno with @err filled: -EINVAL (a bad name, or no path),
 * -ENAMETOOLONG (a path too long for a UNIX socket), -ENOMEM, or the failing call's
 */
int peer_port_open(enum peer_mode mode, const char *name, const char *path, const char *peer_path,
		   struct port **out, char *err, size_t errlen);

/**
 * vhost_user_port_open() - a vhost-user port: kvnet is the back-end of a virtio-net device
 *			    whose front-end (QEMU's -netdev vhost-user, DPDK's virtio-user)
 *			    connects to the socket kvnet listens on at @path, or listens there
 *			    for kvnet to connect
 * @name:	port name (shorter than IF_NAMESIZE)
 * @path:	the socket; a stale socket file there is replaced, and removed by destroy
 *		(client mode: the front-end's, left alone)
 * @connect:	client mode: kvnet connects to @path, and while nothing listens there (yet,
 *		or again after the front-end went away) tries again once a second (tick)
 * @out:	on success, gets the port, the caller's to destroy; untouched on failure
 * @err, @errlen: on failure, a message naming the port, the path and the failing call
 *
 * The port outlives its front-end, as peer.c's do: @no_peer while none is connected or its
 * rings are not running. Frames move through the guest's memory (port/vhost_user.c).
 * Return: 0, or a negative errno with @err filled: -EINVAL (a bad name, or no path),
 * -ENAMETOOLONG (a path too long for a UNIX socket), -ENOMEM, or the failing call's
 */
int vhost_user_port_open(const char *name, const char *path, bool connect, struct port **out,
			 char *err, size_t errlen);

/**
 * vhost_user_busy_poll() - how long a vhost-user port polls its guest's transmit ring, the
 *			    guest's kicks off, after the last frame it took (the datapath's
 *			    busy-poll window, kvnetd --busy-poll); 0: never, wait for kicks.
 *			    Default 50 us. Call it before the ports are served.
 */
void vhost_user_busy_poll(unsigned long usec);

#endif
