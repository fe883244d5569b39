/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sockgen.c - two VMs' worth of frames through a switch: QEMU's stream and dgram framing, or a tap
 *
 * usage: sockgen [--len BYTES] [--seconds S] [--window N] [--cpu-of PID] [--mac-a MAC]
 *                [--mac-b MAC] TX RX
 *        sockgen [--len BYTES] [--seconds S] [--window N] --loopback stream|dgram
 *
 * TX and RX are the two VMs' ends, each one of
 *   stream:PATH          connect to PATH; every frame goes after its length, a
 *                        32-bit big-endian integer (QEMU's -netdev stream, server=off)
 *   dgram:PATH:PEER      bind PEER and send to PATH, a frame per datagram
 *                        (QEMU's -netdev dgram, local.path=PEER, remote.path=PATH)
 *   tap:NETNS:IFNAME     tap IFNAME in network namespace NETNS (/run/netns/NETNS), opened
 *                        as QEMU's -netdev tap opens it: /dev/net/tun with a virtio-net
 *                        header, a read() or write() per frame (a tap takes no batch)
 *   packet:NETNS:IFNAME  an AF_PACKET socket on IFNAME in NETNS: a tap port moved into
 *                        a namespace that plays the VM
 * --loopback measures the generator alone, TX and RX the two ends of a socketpair.
 *
 * Theory of Operation
 *
 * TX sends IPv4/UDP frames of --len bytes (default 60: a 64-byte frame on the
 * wire less the FCS, which none of these carry) from MAC A to MAC B as fast
 * as it can; RX counts those that arrive whole and from A to B. First one
 * frame goes each way (A to B, then B to A, repeated until each arrives), so
 * the switch has learnt both MACs and the timed traffic is known unicast.
 *
 * One thread does both ends, so the generator takes one core and leaves the
 * other to the switch (this machine has two). Each turn of its loop reads RX
 * until it is empty, then sends a batch if TX has room; when neither can
 * move it sleeps in poll(). Batches keep system calls off the generator's
 * budget: sendmmsg()/recvmmsg() of SOCKGEN_BURST frames for datagrams and
 * packets, and for a stream one send() of a buffer holding many
 * length-prefixed frames (a partly sent buffer goes on where it stopped, so
 * the framing stays whole) and recv()s of SOCKGEN_RBUF bytes that are parsed
 * frame by frame.
 *
 * TX's socket keeps the system's default send buffer, as QEMU's does: a
 * switch that reads slower than TX writes holds TX back there rather than
 * letting a queue grow. --window N also holds TX back while N frames are in
 * flight (sent and not yet received; after SOCKGEN_GIVE_UP_MS of silence
 * they are taken for lost), which measures the rate without overload and
 * shows the round trip (--window 1).
 *
 * The rate is what RX counted during the timed window (after a warm-up of a
 * quarter of it, at most one second) divided by its length. Then TX stops
 * and RX is read until it stays empty for SOCKGEN_QUIET_MS, so the frames
 * lost on the way are those sent less those received, counted from the
 * start of the warm-up. The last line of output is for scripts:
 *   kpps=X sent=N received=N lost=N other=N seconds=S cpu=P [peer_cpu=P]
 * (other: frames RX saw that were not ours, e.g. a namespace's own traffic;
 * cpu: the generator's CPU time in the window, in % of one core, and
 * peer_cpu that of process --cpu-of, the switch, all its threads: which of
 * the two is saturated says which one the figure measures).
 * Exit status: 0, 1 if a socket failed or learning timed out, 2 on bad usage.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#define SOCKGEN_BURST 64
#define SOCKGEN_LEN_MIN 60
#define SOCKGEN_LEN_MAX 65535
#define SOCKGEN_HDR 4
/* QEMU's virtio-net header on a tap (struct virtio_net_hdr_mrg_rxbuf) */
#define SOCKGEN_VNET_HDR 12
/* what one stream send() offers, rounded down to whole frames */
#define SOCKGEN_WBUF (256 * 1024)
#define SOCKGEN_RBUF (1024 * 1024)
#define SOCKGEN_SOCKBUF (4 * 1024 * 1024)
#define SOCKGEN_QUIET_MS 500
#define SOCKGEN_LEARN_S 10.0
#define SOCKGEN_GIVE_UP_MS 20

enum sockgen_kind {
	SOCKGEN_STREAM,
	SOCKGEN_DGRAM,
	SOCKGEN_PACKET,
	SOCKGEN_TUN
};

/**
 * struct sockgen_end - one VM's end
 * @kind:	its framing
 * @fd:		its socket, non-blocking
 * @to:		dgram and packet: where frames go (the switch's socket, the interface)
 * @to_len:	its length
 * @wbuf:	stream TX: many length-prefixed frames, @wbuf_len bytes of them
 * @wbuf_len:	stream TX: bytes of whole frames in @wbuf
 * @wbuf_off:	stream TX: bytes of @wbuf sent so far in this round
 * @rec_len:	stream: a frame with its length prefix
 * @sent_bytes:	stream TX: bytes sent since the timed traffic started
 * @tx_msgs:	datagram and packet TX: the batch, each message the same frame
 * @tx_iov:	the frame
 * @rbuf:	stream: SOCKGEN_RBUF bytes, @rbuf_len of them received and not yet counted
 * @rbuf_len:	stream: see @rbuf
 * @rx_msgs:	datagram and packet: the batch to receive into
 * @rx_iov:	one per message, --len + 1 bytes each (a longer frame shows as truncated)
 *
 * Both ends receive (the TX end while the switch learns B's MAC); only TX sends a batch.
 */
struct sockgen_end {
	enum sockgen_kind kind;
	int fd;
	union {
		struct sockaddr_un un;
		struct sockaddr_ll ll;
	} to;
	socklen_t to_len;
	uint8_t *wbuf;
	size_t wbuf_len;
	size_t wbuf_off;
	size_t rec_len;
	unsigned long long sent_bytes;
	struct mmsghdr tx_msgs[SOCKGEN_BURST];
	struct iovec tx_iov;
	uint8_t *rbuf;
	size_t rbuf_len;
	struct mmsghdr rx_msgs[SOCKGEN_BURST];
	struct iovec rx_iov[SOCKGEN_BURST];
};

/**
 * struct sockgen - a run
 * @len:	frame length
 * @mac:	MAC A (TX's VM) and MAC B (RX's VM)
 * @frame:	the frame A sends to B
 * @back:	the frame B sends to A while learning
 * @window:	at most this many frames in flight (sent, not yet received); 0: no limit
 * @sent:	frames TX sent (datagram and packet)
 * @received:	our frames RX counted
 * @other:	other frames RX saw
 * @given_up:	frames sent that are taken for lost: they no longer count in flight
 */
struct sockgen {
	size_t len;
	unsigned long long window;
	uint8_t mac[2][6];
	uint8_t *frame;
	uint8_t *back;
	unsigned long long sent;
	unsigned long long received;
	unsigned long long other;
	unsigned long long given_up;
};

/* CPU time (user and system) of process @pid so far, in seconds; ours if 0; -1 if unknown */
static double sockgen_cpu(int pid)
{
	unsigned long long ut, st;
	char path[64], buf[1024], *p;
	struct rusage ru;
	ssize_t n;
	int fd;

	if (!pid) {
		getrusage(RUSAGE_SELF, &ru);
		return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* after the command name (which may hold anything): state, then utime is the 12th */
	p = strrchr(buf, ')');
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int sockgen_fail(const char *what, const char *arg)
{
	fprintf(stderr, "sockgen: %s %s: %s\n", what, arg, strerror(errno));
	return -1;
}

/*
 * A valid frame of @len bytes from @src to @dst: IPv4 10.77.0.1 -> .2 (the other way
 * round when @back), UDP to the discard port, no UDP checksum (allowed over IPv4).
 */
static void sockgen_frame(uint8_t *f, size_t len, const uint8_t *dst, const uint8_t *src, bool back)
{
	uint8_t *ip = f + 14, *udp = ip + 20;
	size_t ip_len = len - 14;
	uint16_t csum;

	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_len >> 8);
	ip[3] = (uint8_t)ip_len;
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = ip[16] = 10;
	ip[13] = ip[17] = 77;
	ip[15] = back ? 2 : 1;
	ip[19] = back ? 1 : 2;
	csum = bench_csum(ip, 20);
	ip[10] = (uint8_t)(csum >> 8);
	ip[11] = (uint8_t)csum;
	udp[0] = 0x30;
	udp[1] = 0x39;
	udp[3] = 9;
	udp[4] = (uint8_t)((ip_len - 20) >> 8);
	udp[5] = (uint8_t)(ip_len - 20);
	for (size_t i = 42; i < len; i++)
		f[i] = (uint8_t)i;
}

static int sockgen_parse_mac(uint8_t *mac, const char *s)
{
	unsigned m[6];
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (m[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)m[i];
	}
	return mac[0] & 1 ? -1 : 0;
}

static int sockgen_unix_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return sockgen_fail("socket path", path);
	}
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

static int sockgen_open_stream(struct sockgen_end *e, const char *path)
{
	struct sockaddr_un sun;

	if (sockgen_unix_addr(&sun, path))
		return -1;
	e->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (e->fd < 0 || connect(e->fd, (struct sockaddr *)&sun, sizeof(sun)))
		return sockgen_fail("connect to", path);
	return 0;
}

/*
 * "PATH:PEER": as QEMU's dgram back-end does, bind PEER (a stale socket file there is
 * replaced) and send to PATH, the socket not connected. So the switch's datagrams to us
 * are bound by our queue's length (net.unix.max_dgram_qlen), as they are to QEMU.
 */
static int sockgen_open_dgram(struct sockgen_end *e, char *spec)
{
	struct sockaddr_un peer;
	char *colon = strrchr(spec, ':');

	if (!colon) {
		fprintf(stderr, "sockgen: dgram:%s: want dgram:PATH:PEER\n", spec);
		return -2;
	}
	*colon = '\0';
	if (sockgen_unix_addr(&e->to.un, spec) || sockgen_unix_addr(&peer, colon + 1))
		return -1;
	e->to_len = sizeof(e->to.un);
	e->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (e->fd < 0)
		return sockgen_fail("socket for", spec);
	unlink(colon + 1);
	if (bind(e->fd, (struct sockaddr *)&peer, sizeof(peer)))
		return sockgen_fail("bind", colon + 1);
	return 0;
}

/* a packet socket on interface @ifname of the current namespace */
static int sockgen_packet_socket(struct sockgen_end *e, const char *ifname)
{
	int one = 1;

	e->to.ll.sll_family = AF_PACKET;
	e->to.ll.sll_protocol = htons(ETH_P_ALL);
	e->to.ll.sll_halen = 6;
	e->to.ll.sll_ifindex = (int)if_nametoindex(ifname);
	e->to_len = sizeof(e->to.ll);
	e->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (!e->to.ll.sll_ifindex || e->fd < 0 ||
	    bind(e->fd, (struct sockaddr *)&e->to.ll, e->to_len))
		return sockgen_fail("packet socket on", ifname);
	/* the generator is the queueing; and RX must not see what its own VM sends */
	setsockopt(e->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	setsockopt(e->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	return 0;
}

/* tap @ifname of the current namespace, opened as QEMU opens it: with a virtio-net header */
static int sockgen_tun_open(struct sockgen_end *e, const char *ifname)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int hdr = SOCKGEN_VNET_HDR;

	e->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (e->fd < 0)
		return sockgen_fail("open", "/dev/net/tun");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(e->fd, TUNSETIFF, &ifr) || ioctl(e->fd, TUNSETVNETHDRSZ, &hdr))
		return sockgen_fail("open tap", ifname);
	return 0;
}

/*
 * "NETNS:IFNAME": @open_if opens IFNAME in network namespace NETNS; what it opens keeps that
 * namespace, and we go back to our own after
 */
static int sockgen_open_in(struct sockgen_end *e, char *spec,
			   int (*open_if)(struct sockgen_end *e, const char *ifname))
{
	char nspath[PATH_MAX];
	char *colon = strchr(spec, ':');
	int self, ns, ret = -1;

	if (!colon) {
		fprintf(stderr, "sockgen: '%s': want NETNS:IFNAME\n", spec);
		return -2;
	}
	*colon = '\0';
	snprintf(nspath, sizeof(nspath), "/run/netns/%s", spec);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return sockgen_fail("open", "/proc/self/ns/net");
	ns = open(nspath, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || setns(ns, CLONE_NEWNET))
		sockgen_fail("enter", nspath);
	else
		ret = open_if(e, colon + 1);
	if (ns >= 0 && setns(self, CLONE_NEWNET)) {
		sockgen_fail("go back to", "our network namespace");
		ret = -1;
	}
	if (ns >= 0)
		close(ns);
	close(self);
	return ret;
}

static int sockgen_open(struct sockgen_end *e, char *spec)
{
	if (!strncmp(spec, "stream:", 7)) {
		e->kind = SOCKGEN_STREAM;
		return sockgen_open_stream(e, spec + 7);
	}
	if (!strncmp(spec, "dgram:", 6)) {
		e->kind = SOCKGEN_DGRAM;
		return sockgen_open_dgram(e, spec + 6);
	}
	if (!strncmp(spec, "packet:", 7)) {
		e->kind = SOCKGEN_PACKET;
		return sockgen_open_in(e, spec + 7, sockgen_packet_socket);
	}
	if (!strncmp(spec, "tap:", 4)) {
		e->kind = SOCKGEN_TUN;
		return sockgen_open_in(e, spec + 4, sockgen_tun_open);
	}
	fprintf(stderr, "sockgen: '%s': want stream:, dgram:, packet: or tap:\n", spec);
	return -2;
}

/* Make @e's receive buffers, for frames of @len; a larger socket buffer too */
static int sockgen_rx_buffers(struct sockgen_end *e, size_t len)
{
	int big = SOCKGEN_SOCKBUF;

	/* as root, past the sysctl limit: frames lost at our own socket are not the switch's */
	if (setsockopt(e->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(e->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	e->rec_len = SOCKGEN_HDR + len;
	if (e->kind == SOCKGEN_STREAM) {
		e->rbuf = malloc(SOCKGEN_RBUF);
		return e->rbuf ? 0 : -1;
	}
	/* a tap's frames come after the virtio-net header: room for it in each buffer */
	e->rbuf = malloc((size_t)SOCKGEN_BURST * (len + 1 + SOCKGEN_VNET_HDR));
	if (!e->rbuf)
		return -1;
	memset(e->rx_msgs, 0, sizeof(e->rx_msgs));
	for (int i = 0; i < SOCKGEN_BURST; i++) {
		e->rx_iov[i] =
			(struct iovec){ e->rbuf + (size_t)i * (len + 1 + SOCKGEN_VNET_HDR),
					len + 1 + (e->kind == SOCKGEN_TUN ? SOCKGEN_VNET_HDR : 0) };
		e->rx_msgs[i].msg_hdr.msg_iov = &e->rx_iov[i];
		e->rx_msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
}

/* Make TX end @e's batch of @frame, @len bytes */
static int sockgen_tx_buffers(struct sockgen_end *e, const uint8_t *frame, size_t len)
{
	/* the send buffer is the system's default, as QEMU's is: it is the switch's backpressure */
	if (e->kind == SOCKGEN_STREAM) {
		size_t n = SOCKGEN_WBUF / e->rec_len ? SOCKGEN_WBUF / e->rec_len : 1;

		e->wbuf = malloc(n * e->rec_len);
		if (!e->wbuf)
			return -1;
		for (size_t i = 0; i < n; i++) {
			uint8_t *r = e->wbuf + i * e->rec_len;

			r[0] = (uint8_t)(len >> 24);
			r[1] = (uint8_t)(len >> 16);
			r[2] = (uint8_t)(len >> 8);
			r[3] = (uint8_t)len;
			memcpy(r + SOCKGEN_HDR, frame, len);
		}
		e->wbuf_len = n * e->rec_len;
		return 0;
	}
	e->tx_iov = (struct iovec){ (void *)frame, len };
	memset(e->tx_msgs, 0, sizeof(e->tx_msgs));
	for (int i = 0; i < SOCKGEN_BURST; i++) {
		e->tx_msgs[i].msg_hdr.msg_iov = &e->tx_iov;
		e->tx_msgs[i].msg_hdr.msg_iovlen = 1;
		/* none on a socketpair */
		e->tx_msgs[i].msg_hdr.msg_name = e->to_len ? &e->to : NULL;
		e->tx_msgs[i].msg_hdr.msg_namelen = e->to_len;
	}
	return 0;
}

/* errors that mean "not now": the socket is full, or a tap's queue is */
static bool sockgen_busy(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS || err == EINTR;
}

/* count a frame RX got: ours if it is @want, whole */
static void sockgen_count(struct sockgen *g, const uint8_t *f, size_t len, const uint8_t *want)
{
	if (len == g->len && !memcmp(f, want, 14))
		g->received++;
	else
		g->other++;
}

/* a tap's header: no offload asked for, as QEMU sends a frame without one */
static const uint8_t sockgen_vnet_hdr[SOCKGEN_VNET_HDR];

/* a tap takes one frame per write(), as it does from QEMU: Return: frames written, or -1 */
static int sockgen_tun_write(struct sockgen_end *e, const struct iovec *frame, unsigned n)
{
	struct iovec iov[2] = { { (void *)sockgen_vnet_hdr, SOCKGEN_VNET_HDR }, *frame };
	unsigned i;

	for (i = 0; i < n; i++)
		if (writev(e->fd, iov, 2) < 0)
			break;
	return i ? (int)i : -1;
}

/* and gives one per read(); Return: frames read (each counted), or -1 with errno */
static int sockgen_tun_read(struct sockgen *g, struct sockgen_end *e, const uint8_t *want)
{
	int n;

	for (n = 0; n < SOCKGEN_BURST; n++) {
		ssize_t r = read(e->fd, e->rx_iov[0].iov_base, e->rx_iov[0].iov_len);

		if (r < 0)
			break;
		if (r < SOCKGEN_VNET_HDR)
			g->other++;
		else
			sockgen_count(g, (uint8_t *)e->rx_iov[0].iov_base + SOCKGEN_VNET_HDR,
				      (size_t)r - SOCKGEN_VNET_HDR, want);
	}
	return n ? n : -1;
}

/*
 * Send a batch of at most @max frames. Return: 1 if it went (or part of it), 0 if TX is
 * full, -1 on error.
 */
static int sockgen_send(struct sockgen *g, struct sockgen_end *e, unsigned long long max)
{
	if (e->kind == SOCKGEN_STREAM) {
		size_t len = e->wbuf_len - e->wbuf_off;
		ssize_t r;

		if (max < len / e->rec_len)
			len = (size_t)max * e->rec_len;
		r = send(e->fd, e->wbuf + e->wbuf_off, len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r < 0)
			return sockgen_busy(errno) ? 0 : -1;
		e->sent_bytes += (unsigned long long)r;
		e->wbuf_off += (size_t)r;
		if (e->wbuf_off == e->wbuf_len)
			e->wbuf_off = 0;
		return 1;
	}
	unsigned burst = max < SOCKGEN_BURST ? (unsigned)max : SOCKGEN_BURST;
	int n = e->kind == SOCKGEN_TUN ? sockgen_tun_write(e, &e->tx_iov, burst)
				       : sendmmsg(e->fd, e->tx_msgs, burst, MSG_DONTWAIT);

	if (n < 0)
		return sockgen_busy(errno) ? 0 : -1;
	g->sent += (unsigned)n;
	return 1;
}

/*
 * Read what RX has, counting frames equal to @want (in the first 14 bytes: MACs and
 * type; and in length). Return: 1 if something came, 0 if RX was empty, -1 on error.
 */
static int sockgen_recv(struct sockgen *g, struct sockgen_end *e, const uint8_t *want)
{
	if (e->kind == SOCKGEN_STREAM) {
		ssize_t r = recv(e->fd, e->rbuf + e->rbuf_len, SOCKGEN_RBUF - e->rbuf_len,
				 MSG_DONTWAIT);
		size_t off = 0;

		if (r <= 0) {
			if (r == 0)
				errno = ECONNRESET;
			return r < 0 && sockgen_busy(errno) ? 0 : -1;
		}
		e->rbuf_len += (size_t)r;
		while (e->rbuf_len - off >= SOCKGEN_HDR) {
			const uint8_t *h = e->rbuf + off;
			size_t flen = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 |
				      h[3];

			if (!flen || flen > SOCKGEN_LEN_MAX) {
				errno = EPROTO;
				return -1;
			}
			if (e->rbuf_len - off - SOCKGEN_HDR < flen)
				break;
			sockgen_count(g, h + SOCKGEN_HDR, flen, want);
			off += SOCKGEN_HDR + flen;
		}
		memmove(e->rbuf, e->rbuf + off, e->rbuf_len - off);
		e->rbuf_len -= off;
		return 1;
	}
	if (e->kind == SOCKGEN_TUN)
		return sockgen_tun_read(g, e, want) > 0 ? 1 : sockgen_busy(errno) ? 0 : -1;

	int n = recvmmsg(e->fd, e->rx_msgs, SOCKGEN_BURST, MSG_DONTWAIT, NULL);

	if (n < 0)
		return sockgen_busy(errno) ? 0 : -1;
	for (int i = 0; i < n; i++) {
		size_t got = e->rx_msgs[i].msg_len;

		if (e->rx_msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
			got = SOCKGEN_LEN_MAX + 1;
		sockgen_count(g, e->rx_iov[i].iov_base, got, want);
		e->rx_msgs[i].msg_hdr.msg_flags = 0;
	}
	return n > 0;
}

/* one frame on @e, whichever its framing; 0 if it went, -1 if not (yet) */
static int sockgen_send_one(struct sockgen_end *e, const uint8_t *f, size_t len)
{
	uint8_t hdr[SOCKGEN_HDR] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
				     (uint8_t)(len >> 8), (uint8_t)len };
	struct iovec iov[2] = { { hdr, SOCKGEN_HDR }, { (void *)f, len } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	if (e->kind == SOCKGEN_TUN)
		return sockgen_tun_write(e, &iov[1], 1) == 1 ? 0 : -1;
	if (e->kind != SOCKGEN_STREAM) {
		m.msg_iov = &iov[1];
		m.msg_iovlen = 1;
		m.msg_name = &e->to;
		m.msg_namelen = e->to_len;
	}
	/* the learning frames are few: a partly sent one would break the framing, so none is */
	return sendmsg(e->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) ==
			       (ssize_t)(len + (e->kind == SOCKGEN_STREAM ? SOCKGEN_HDR : 0))
		       ? 0
		       : -1;
}

/*
 * Teach the switch the MAC of @from's VM: send @f from @from (again every 0.2 s: the
 * port's link may not be up yet) until it arrives at @to. Return: 0, or -1 if it did
 * not within SOCKGEN_LEARN_S, or @to failed.
 */
static int sockgen_learn_one(struct sockgen *g, struct sockgen_end *from, struct sockgen_end *to,
			     const uint8_t *f)
{
	double end = bench_now() + SOCKGEN_LEARN_S, next = 0;

	g->received = 0;
	while (bench_now() < end) {
		struct pollfd p = { .fd = to->fd, .events = POLLIN };

		if (bench_now() >= next) {
			sockgen_send_one(from, f, g->len);
			next = bench_now() + 0.2;
		}
		poll(&p, 1, 50);
		if (sockgen_recv(g, to, f) < 0)
			return sockgen_fail("receive", "while learning");
		if (g->received)
			return 0;
	}
	fprintf(stderr, "sockgen: no frame came through in %.0f s\n", SOCKGEN_LEARN_S);
	return -1;
}

/* frames TX has sent */
static unsigned long long sockgen_sent(const struct sockgen *g, const struct sockgen_end *tx)
{
	return tx->kind == SOCKGEN_STREAM ? tx->sent_bytes / tx->rec_len : g->sent;
}

/* how many frames TX may send now: the window less what is in flight; no limit without one */
static unsigned long long sockgen_room(const struct sockgen *g, const struct sockgen_end *tx)
{
	long long flight = (long long)(sockgen_sent(g, tx) - g->received - g->given_up);

	if (!g->window)
		return ULLONG_MAX;
	return flight < 0		       ? g->window
	       : flight < (long long)g->window ? g->window - (unsigned long long)flight
					       : 0;
}

/*
 * Send for @seconds (after a warm-up), counting what arrives; then read until quiet.
 * Prints the result line. Return: 0, or -1 if a socket failed.
 */
static int sockgen_run(struct sockgen *g, struct sockgen_end *tx, struct sockgen_end *rx,
		       double seconds, int peer)
{
	double cpu0[2] = { 0, 0 }, cpu1[2];
	double warm = seconds / 4 > 1 ? 1 : seconds / 4;
	double t0 = bench_now(), start = t0 + warm, end = start + seconds, now = t0, quiet;
	unsigned long long at_start = 0, at_end = 0;
	bool started = false;

	g->received = g->other = g->sent = g->given_up = 0;
	tx->sent_bytes = 0;
	while (now < end) {
		unsigned long long room;
		int s, r;

		while ((r = sockgen_recv(g, rx, g->frame)) > 0)
			;
		if (r < 0)
			return sockgen_fail("receive", "on RX");
		room = sockgen_room(g, tx);
		s = room ? sockgen_send(g, tx, room) : 0;
		if (s < 0)
			return sockgen_fail("send", "on TX");
		if (!s) {
			/* RX first: with no room in the window, TX is not polled */
			struct pollfd p[2] = { { .fd = rx->fd, .events = POLLIN },
					       { .fd = tx->fd, .events = POLLOUT } };

			/* a full window and nothing coming: what is in flight is lost */
			if (!poll(p, room ? 2 : 1, SOCKGEN_GIVE_UP_MS) && !room)
				g->given_up = sockgen_sent(g, tx) - g->received;
		}
		now = bench_now();
		if (!started && now >= start) {
			started = true;
			at_start = g->received;
			start = now;
			cpu0[0] = sockgen_cpu(0);
			cpu0[1] = peer ? sockgen_cpu(peer) : -1;
		}
		if (now < end)
			at_end = g->received;
	}
	end = now;
	cpu1[0] = sockgen_cpu(0);
	cpu1[1] = peer ? sockgen_cpu(peer) : -1;
	quiet = now + SOCKGEN_QUIET_MS / 1e3;
	while (now < quiet) {
		struct pollfd p = { .fd = rx->fd, .events = POLLIN };
		int r;

		poll(&p, 1, 10);
		r = sockgen_recv(g, rx, g->frame);
		if (r < 0)
			return sockgen_fail("receive", "on RX");
		now = bench_now();
		if (r > 0)
			quiet = now + SOCKGEN_QUIET_MS / 1e3;
	}
	unsigned long long sent = sockgen_sent(g, tx);

	printf("kpps=%.1f sent=%llu received=%llu lost=%lld other=%llu seconds=%.3f cpu=%.0f",
	       (double)(at_end - at_start) / (end - start) / 1e3, sent, g->received,
	       (long long)sent - (long long)g->received, g->other, end - start,
	       100 * (cpu1[0] - cpu0[0]) / (end - start));
	if (cpu0[1] >= 0 && cpu1[1] >= 0)
		printf(" peer_cpu=%.0f", 100 * (cpu1[1] - cpu0[1]) / (end - start));
	printf("\n");
	return 0;
}

static int sockgen_loopback(struct sockgen_end *tx, struct sockgen_end *rx, const char *kind)
{
	int sv[2];

	if (!strcmp(kind, "stream"))
		tx->kind = SOCKGEN_STREAM;
	else if (!strcmp(kind, "dgram"))
		tx->kind = SOCKGEN_DGRAM;
	else
		return -2;
	rx->kind = tx->kind;
	if (socketpair(AF_UNIX,
		       (tx->kind == SOCKGEN_STREAM ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, 0,
		       sv))
		return sockgen_fail("socketpair", kind);
	tx->fd = sv[0];
	rx->fd = sv[1];
	return 0;
}

static void sockgen_usage(void)
{
	fprintf(stderr,
		"usage: sockgen [--len BYTES] [--seconds S] [--window N] [--cpu-of PID]\n"
		"               [--mac-a MAC] [--mac-b MAC] TX RX\n"
		"       sockgen [--len BYTES] [--seconds S] [--window N] --loopback stream|dgram\n"
		"TX, RX: stream:PATH | dgram:PATH:PEER | packet:NETNS:IFNAME\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "len", required_argument, NULL, 'l' },
		{ "seconds", required_argument, NULL, 's' },
		{ "mac-a", required_argument, NULL, 'a' },
		{ "mac-b", required_argument, NULL, 'b' },
		{ "loopback", required_argument, NULL, 'L' },
		{ "cpu-of", required_argument, NULL, 'p' },
		{ "window", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	/* static: what they point to stays reachable to the end, as the process needs it */
	static struct sockgen_end tx = { .fd = -1 }, rx = { .fd = -1 };
	static uint8_t frame[SOCKGEN_LEN_MAX], back[SOCKGEN_LEN_MAX];
	struct sockgen g = { .len = SOCKGEN_LEN_MIN,
			     .mac = { { 0x52, 0x54, 0, 0x77, 0, 1 },
				      { 0x52, 0x54, 0, 0x77, 0, 2 } } };
	const char *loopback = NULL;
	double seconds = 5;
	char *end;
	int c, ret, peer = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			g.len = strtoul(optarg, &end, 10);
			if (*end || g.len < SOCKGEN_LEN_MIN || g.len > SOCKGEN_LEN_MAX) {
				fprintf(stderr, "sockgen: --len wants %d to %d\n", SOCKGEN_LEN_MIN,
					SOCKGEN_LEN_MAX);
				return 2;
			}
			break;
		case 's':
			seconds = strtod(optarg, &end);
			if (*end || !(seconds > 0 && seconds <= 3600)) {
				fprintf(stderr, "sockgen: --seconds wants a number of seconds\n");
				return 2;
			}
			break;
		case 'a':
		case 'b':
			if (sockgen_parse_mac(g.mac[c - 'a'], optarg)) {
				fprintf(stderr, "sockgen: --mac-%c wants a unicast MAC\n", c);
				return 2;
			}
			break;
		case 'L':
			loopback = optarg;
			break;
		case 'w':
			g.window = strtoull(optarg, &end, 10);
			if (*end || *optarg == '-') {
				fprintf(stderr, "sockgen: --window wants a number of frames\n");
				return 2;
			}
			break;
		case 'p':
			peer = atoi(optarg);
			if (peer <= 0 || sockgen_cpu(peer) < 0) {
				fprintf(stderr, "sockgen: --cpu-of %s: no such process\n", optarg);
				return 2;
			}
			break;
		default:
			sockgen_usage();
			return c == 'h' ? 0 : 2;
		}
	}
	if (argc - optind != (loopback ? 0 : 2)) {
		sockgen_usage();
		return 2;
	}
	g.frame = frame;
	g.back = back;
	sockgen_frame(g.frame, g.len, g.mac[1], g.mac[0], false);
	sockgen_frame(g.back, g.len, g.mac[0], g.mac[1], true);

	if (loopback)
		ret = sockgen_loopback(&tx, &rx, loopback);
	else if (!(ret = sockgen_open(&tx, argv[optind])))
		ret = sockgen_open(&rx, argv[optind + 1]);
	if (ret == -2)
		sockgen_usage();
	if (ret)
		return ret == -2 ? 2 : 1;
	if (sockgen_rx_buffers(&tx, g.len) || sockgen_rx_buffers(&rx, g.len) ||
	    sockgen_tx_buffers(&tx, g.frame, g.len)) {
		sockgen_fail("allocate", "buffers");
		return 1;
	}
	if (!loopback &&
	    (sockgen_learn_one(&g, &tx, &rx, g.frame) || sockgen_learn_one(&g, &rx, &tx, g.back)))
		return 1;
	return sockgen_run(&g, &tx, &rx, seconds, peer) ? 1 : 0;
}
