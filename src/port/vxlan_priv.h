/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vxlan_priv.h - what vxlan.c (the datapath) and vxlan_ep.c (endpoints) share; port/ only
 *
 * An endpoint is one bound UDP socket (and one raw socket for sending, with
 * CAP_NET_RAW) per local address and port, shared by every VXLAN port that
 * uses that address and port, whatever their bridges: the VNIs they carry
 * must differ, and so tell which port a datagram is for. Each port polls
 * an epoll set of its own (its port.fd) holding the endpoint's socket and
 * an eventfd: whichever port reads a datagram for another queues a copy in
 * that port's inbox and signals its eventfd, so the datapath serves it.
 * Endpoints are made and freed by the control thread and used by the
 * datapath, both under the datapath lock.
 */
#ifndef KVNET_PORT_VXLAN_PRIV_H
#define KVNET_PORT_VXLAN_PRIV_H

#include <sys/socket.h>

#include "core/gso.h"
#include "port/vxlan.h"

#define VXLAN_BATCH 64
#define VXLAN_ARENA_SIZE (256 * 1024)
#define VXLAN_EP_PORTS 16
#define UDP_HLEN 8
/* a port's inbox: datagrams other ports read for it */
#define VXLAN_INBOX_SIZE (256 * 1024)
#define VXLAN_INBOX_MAX 128
/* each endpoint socket's receive and send buffer (vxlan_ep.c) */
#define VXLAN_SOCK_BUF (4 * 1024 * 1024)

struct vxlan_port;

/**
 * struct vxlan_ep - a local endpoint
 * @fd:		the bound UDP socket
 * @raw_fd:	raw UDP socket for sending with per-flow source ports, or -1
 * @local:	address and port
 * @ttl:	TTL of both sockets (ports sharing the endpoint share it)
 * @tos:	their TOS, likewise
 * @ports:	the ports on it
 * @n_ports:	how many (1 when that port has a multicast group: it sets the sockets'
 *		multicast options)
 * @next:	next endpoint
 */
struct vxlan_ep {
	int fd;
	int raw_fd;
	struct sockaddr_storage local;
	uint8_t ttl;
	uint8_t tos;
	struct vxlan_port *ports[VXLAN_EP_PORTS];
	unsigned n_ports;
	struct vxlan_ep *next;
};

/**
 * struct vxlan_inq - a datagram in a port's inbox
 * @off:	where its frame starts in the inbox
 * @len:	the frame's length
 * @vid:	the VLAN to tag it with, 0 for none
 */
struct vxlan_inq {
	uint32_t off;
	uint32_t len;
	uint16_t vid;
};

/**
 * struct vxlan_port - a VXLAN port
 * @port:	the generic part, first; port.fd is its epoll set
 * @cfg:	its configuration (cfg.mtu the underlay MTU in use)
 * @ep:		its endpoint
 * @evfd:	eventfd another port signals after queueing into @inbox
 * @gfd:	with a group: a UDP socket bound to the group and port, joined, or -1
 * @dst:	where it sends, with the destination port (for the UDP socket): each
 *		remote; or with a group, the group (slot 0) then each learned peer
 * @dst_raw:	the same with port 0 (for the raw socket)
 * @n_dst:	slots of @dst in use
 * @mtu_given:	cfg.mtu as it was given (0: the interface's)
 * @overhead:	bytes the underlay adds to an inner frame (IP, UDP, VXLAN headers)
 * @now:	seconds, advanced by the tick: the clock of @fdb
 * @drops:	drops by cause
 * @fdb:	VXLAN_FDB_SIZE entries: MAC -> remote
 * @inbox:	VXLAN_INBOX_SIZE bytes of frames queued for it
 * @inbox_used:	bytes of @inbox in use
 * @inq:	the queued frames, from @inq_first to @inq_n
 * @rhdr, @riov, @rmsg, @rsrc: a receive batch
 * @thdr, @tiov, @tcsum, @tmsg, @towner, @nmsg: a send batch
 * @arena:	VXLAN_ARENA_SIZE bytes for GSO segments of the batch
 * @arena_used:	bytes of @arena in use
 * @failed:	the frame of this burst last counted in tx_errors
 * @n_failed:	frames of this burst counted in tx_errors
 * @gso:	the GSO frame being segmented
 */
struct vxlan_port {
	struct port port;
	struct vxlan_config cfg;
	struct vxlan_ep *ep;
	int evfd;
	int gfd;
	struct sockaddr_storage dst[VXLAN_DST_MAX];
	struct sockaddr_storage dst_raw[VXLAN_DST_MAX];
	unsigned n_dst;
	uint32_t mtu_given;
	uint32_t overhead;
	uint32_t now;
	uint64_t drops[VXLAN_DROP__MAX];
	struct vxlan_fdb_entry *fdb;
	uint8_t *inbox;
	uint32_t inbox_used;
	struct vxlan_inq inq[VXLAN_INBOX_MAX];
	unsigned inq_first;
	unsigned inq_n;
	uint8_t rhdr[VXLAN_BATCH][VXLAN_HDR_LEN];
	struct iovec riov[VXLAN_BATCH][2];
	struct mmsghdr rmsg[VXLAN_BATCH];
	struct sockaddr_storage rsrc[VXLAN_BATCH];
	uint8_t thdr[VXLAN_BATCH][UDP_HLEN + VXLAN_HDR_LEN];
	struct iovec tiov[VXLAN_BATCH][6];
	uint8_t tcsum[VXLAN_BATCH][2];
	struct mmsghdr tmsg[VXLAN_BATCH];
	uint32_t towner[VXLAN_BATCH];
	unsigned nmsg;
	uint8_t *arena;
	uint32_t arena_used;
	uint32_t failed;
	unsigned n_failed;
	struct gso_ctx gso;
};

/* the back-end's operations (vxlan.c); destroy is vxlan_ep.c's */
extern const struct port_ops vxlan_ops;

/** vxlan_dst_set() - slot @r of @v's destinations is address @ss (its port is ignored) */
void vxlan_dst_set(struct vxlan_port *v, unsigned r, const struct sockaddr_storage *ss);

/** vxlan_destroy() - take the port off its endpoint (freed with its last port), free it */
void vxlan_destroy(struct port *p);

#endif
