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

#include "core/gro.h"
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
/*
 * UDP tunnel GSO (vxlan_gso.c): the sockets a GSO frame's segments leave by, one
 * picked by the inner flow's hash (so a flow keeps one source port, and flows spread
 * over several); at most this many segments and bytes of UDP payload per send (the
 * kernel's UDP_MAX_SEGMENTS and an IP datagram's 64 KB)
 */
#define VXLAN_GSO_SOCKS 8
#define VXLAN_GSO_SEGS 64
#define VXLAN_GSO_BYTES 65000
/*
 * UDP GRO (vxlan_gro.c): a message's buffer holds the most a read gives (64 KB), and a read
 * takes as many messages as a burst has frames, so that small datagrams still come 64 to a
 * system call. Only what datagrams fill is touched: 4 MB of address space, little memory
 */
#define VXLAN_GRO_BUF 65536
#define VXLAN_GRO_MSGS VXLAN_BATCH

struct vxlan_port;

/**
 * struct vxlan_ep - a local endpoint
 * @fd:		the bound UDP socket
 * @raw_fd:	raw UDP socket for sending with per-flow source ports, or -1
 * @local:	address and port
 * @ttl:	TTL of both sockets (ports sharing the endpoint share it)
 * @tos:	their TOS, likewise
 * @gso_fd:	UDP sockets for UDP_SEGMENT sends (vxlan_gso.c), -1 when the kernel has none
 * @gso_port:	their source ports (host order): the raw socket sends a flow's other
 *		frames from the same one
 * @gso_ok:	sending with UDP_SEGMENT (cleared when the kernel refuses a send)
 * @gro:	@fd has UDP_GRO on: a read may hold several datagrams (vxlan_gro.c)
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
	int gso_fd[VXLAN_GSO_SOCKS];
	uint16_t gso_port[VXLAN_GSO_SOCKS];
	bool gso_ok;
	bool gro;
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
 * @gso_sends:	sends with UDP_SEGMENT
 * @gso_fallbacks: GSO frames the kernel refused with UDP_SEGMENT (EIO, EINVAL): segmented
 *		one datagram each from then on
 * @gbuf:	VXLAN_GRO_MSGS buffers of VXLAN_GRO_BUF bytes for reads with UDP_GRO
 * @gmsg, @giov, @gsrc, @gctl: that read
 * @gseg:	each message's segment size (its length when it holds one datagram)
 * @g_n:	messages of the last read
 * @g_cur:	the message being split
 * @g_off:	the offset of its next datagram
 * @run:	the TCP segments of one flow being merged into one frame (vxlan_gro.c)
 * @run_open:	@run holds a frame
 * @run_vid:	the VLAN its frame gets
 * @run_msg:	the message it came from
 * @coalesced:	segments merged into an earlier one's frame
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
	uint64_t gso_sends;
	uint64_t gso_fallbacks;
	uint8_t *gbuf;
	struct mmsghdr gmsg[VXLAN_GRO_MSGS];
	struct iovec giov[VXLAN_GRO_MSGS];
	struct sockaddr_storage gsrc[VXLAN_GRO_MSGS];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} gctl[VXLAN_GRO_MSGS];
	uint32_t gseg[VXLAN_GRO_MSGS];
	unsigned g_n;
	unsigned g_cur;
	uint32_t g_off;
	struct gro run;
	bool run_open;
	int run_vid;
	unsigned run_msg;
	uint64_t coalesced;
};

/* the back-end's operations (vxlan.c); destroy is vxlan_ep.c's */
extern const struct port_ops vxlan_ops;

/** vxlan_dst_set() - slot @r of @v's destinations is address @ss (its port is ignored) */
void vxlan_dst_set(struct vxlan_port *v, unsigned r, const struct sockaddr_storage *ss);

/** vxlan_set_ttl() - @cfg's TTL and TOS on socket @fd (@v6: hop limit, traffic class) */
int vxlan_set_ttl(int fd, bool v6, const struct vxlan_config *cfg);

/** vxlan_set_bufs() - VXLAN_SOCK_BUF bytes of receive and send buffer for socket @fd */
void vxlan_set_bufs(int fd);

/**
 * vxlan_gso_open() - give @ep its UDP_SEGMENT sockets if the kernel takes the option
 * @cfg:	the first port's configuration (address, TTL, TOS)
 * Leaves @ep->gso_ok false (and every @ep->gso_fd -1) when it cannot: the port then
 * segments in software, as before. Also turns UDP_GRO on for @ep->fd where it can.
 */
void vxlan_gso_open(struct vxlan_ep *ep, const struct vxlan_config *cfg);

/** vxlan_gso_close() - close @ep's UDP_SEGMENT sockets */
void vxlan_gso_close(struct vxlan_ep *ep);

/**
 * vxlan_gso_send() - send GSO frame @f (number @i of the burst) with UDP_SEGMENT
 * @v:		the port; its send batch must be empty (flushed) and its arena free
 * @f:		the frame; @v->gso is gso_begin()'s for it, no segment written yet
 * @vni, @strip: as for a frame (its VNI, its tag left out)
 * @dsts:	destinations (slots of @v->dst), @n_dsts of them: each gets every segment
 *
 * Return: 0 (sent, or lost and counted), or -EAGAIN: nothing was sent, the caller
 * segments the frame in software (the kernel refused UDP_SEGMENT: counted, and off)
 */
int vxlan_gso_send(struct vxlan_port *v, const struct frame *f, uint32_t i, uint32_t vni,
		   bool strip, const uint16_t *dsts, unsigned n_dsts);

/**
 * vxlan_gro_burst() - a receive burst of a port whose endpoint reads with UDP_GRO
 * @v:		the port
 * @frames:	the burst's frames; the first @got are taken already (its inbox's)
 * @n:		frames in @frames
 *
 * Return: frames filled (at least @got), or a negative errno if the read failed first
 */
int vxlan_gro_burst(struct vxlan_port *v, struct frame **frames, unsigned got, unsigned n);

/*
 * The receive path's steps, shared with vxlan_gro.c (vxlan.c): check and count a datagram
 * (the port it is for, or NULL), give a frame its VLAN's tag, count a drop, queue a frame
 * for another port of the endpoint
 */
struct vxlan_port *vxlan_rx_accept(struct vxlan_port *v, const uint8_t *hdr, uint32_t len,
				   const uint8_t *inner, const struct sockaddr_storage *src,
				   int *vid);
void vxlan_push_tag(struct frame *f, int vid);
void vxlan_rx_drop(struct vxlan_port *v, enum vxlan_drop why);
void vxlan_inbox_add(struct vxlan_port *t, const uint8_t *data, uint32_t len, int vid);

/**
 * vxlan_tx_drop() - frame @i of the burst is lost: count it once
 */
void vxlan_tx_drop(struct vxlan_port *v, uint32_t i);

/** vxlan_destroy() - take the port off its endpoint (freed with its last port), free it */
void vxlan_destroy(struct port *p);

#endif
