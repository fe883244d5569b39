/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap.c - port back-end for a tap made on /dev/net/tun, with virtio-net header and offloads
 *
 * Theory of Operation
 *
 * The tap is made with IFF_TAP | IFF_NO_PI | IFF_VNET_HDR and is not
 * persistent: the kernel removes it when the file descriptor is closed.
 * Every frame read or written is preceded by a 12-byte virtio-net header
 * (struct virtio_net_hdr_mrg_rxbuf; num_buffers is always 0). The header
 * is little-endian on the wire on every host because TUNSETVNETLE is set;
 * it is converted to and from the host-order struct vnet_meta here, so the
 * core never sees wire byte order.
 *
 * TUNSETOFFLOAD tells the kernel what we accept on read: checksum offload
 * and TSO for IPv4/IPv6 (with ECN). The kernel then hands us frames with
 * NEEDS_CSUM and TCP segments of up to 64 KiB whole, with their gso_size;
 * a writer may give the kernel the same. Frames are read straight into
 * the caller's buffers at FRAME_HEADROOM.
 *
 * tun has no batched read or write, and a system call costs more than
 * switching a small frame, so a burst goes through an io_uring of the
 * port's own: all of a burst's writes in one io_uring_enter(), and reads
 * in batches whose size adapts (it doubles while every read finds a
 * frame and halves when most find none), so a flood is read many frames
 * to a call while a trickle does not pay for reads that come back EAGAIN.
 * Every request carries RWF_NOWAIT: io_uring would otherwise wait for a
 * frame to arrive (the fd's O_NONBLOCK is not enough), and a read with
 * nothing waiting must complete at once with -EAGAIN. Without io_uring (an old or locked-down
 * kernel) it falls back to one readv() or writev() per frame.
 *
 * Errors: EBADFD or EIO on read, EBADFD on write means the tap was
 * deleted under us (ip link del, its namespace went away): the port is
 * unusable and the burst returns -ENXIO. EIO on write only means the tap
 * is down; that frame is dropped and counted.
 */

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <liburing.h>

#include "port/port.h"
#include "util/compiler.h"

#define TAP_DEV "/dev/net/tun"
#define TAP_VNET_HDR_LEN ((int)sizeof(struct virtio_net_hdr_mrg_rxbuf))

/* most frames one io_uring_enter() reads or writes */
#define TAP_BATCH_MAX 64

/**
 * struct tap_port - a tap port
 * @port:	the generic part, first so a struct port * is a struct tap_port *
 * @hdr:	scratch virtio-net header for the frame being read or written
 * @ring:	batches reads and writes, if @have_ring
 * @have_ring:	io_uring could be set up
 * @rx_batch:	reads to submit at once, 1..TAP_BATCH_MAX
 * @hdrs:	one header per frame of a batch
 * @iovs:	header and data of each frame of a batch
 */
struct tap_port {
	struct port port;
	struct virtio_net_hdr_mrg_rxbuf hdr;
	struct io_uring ring;
	bool have_ring;
	unsigned rx_batch;
	struct virtio_net_hdr_mrg_rxbuf hdrs[TAP_BATCH_MAX];
	struct iovec iovs[TAP_BATCH_MAX][2];
};

static struct tap_port *tap_port(struct port *p)
{
	return (struct tap_port *)p;
}

/* wire (little-endian) header -> host-order metadata */
static void tap_vnet_to_meta(const struct virtio_net_hdr_mrg_rxbuf *h, struct vnet_meta *m)
{
	m->flags = h->hdr.flags;
	m->gso_type = h->hdr.gso_type;
	m->hdr_len = le16toh(h->hdr.hdr_len);
	m->gso_size = le16toh(h->hdr.gso_size);
	m->csum_start = le16toh(h->hdr.csum_start);
	m->csum_offset = le16toh(h->hdr.csum_offset);
}

/* host-order metadata -> wire (little-endian) header */
static void tap_meta_to_vnet(const struct vnet_meta *m, struct virtio_net_hdr_mrg_rxbuf *h)
{
	h->hdr.flags = m->flags;
	h->hdr.gso_type = m->gso_type;
	h->hdr.hdr_len = htole16(m->hdr_len);
	h->hdr.gso_size = htole16(m->gso_size);
	h->hdr.csum_start = htole16(m->csum_start);
	h->hdr.csum_offset = htole16(m->csum_offset);
	h->num_buffers = 0;
}

/* how long a batch may take before the ring is given up for plain system calls */
static const struct __kernel_timespec tap_ring_timeout = { .tv_sec = 1 };

/*
 * Something in flight did not complete in time: cancel it all and wait until
 * the kernel is done with our buffers, then stop using the ring for this port.
 */
static void tap_ring_abandon(struct tap_port *t, unsigned in_flight)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);
	struct io_uring_cqe *cqe;

	if (sqe) {
		io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
		sqe->user_data = UINT64_MAX;
		in_flight++;
	}
	io_uring_submit(&t->ring);
	while (in_flight && io_uring_wait_cqe(&t->ring, &cqe) == 0) {
		io_uring_cqe_seen(&t->ring, cqe);
		in_flight--;
	}
	t->have_ring = false;
}

/*
 * Submit the @n prepared requests and wait for all of them; their results,
 * by user_data, go into @res. RWF_NOWAIT makes each complete at once, but
 * the datapath holds its lock here, so the wait is bounded all the same.
 * Return: 0, or a negative errno (-ETIMEDOUT: the ring was given up)
 */
static int tap_ring_run(struct tap_port *t, unsigned n, int *res)
{
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0;
	int ret;

	while (seen < n) {
		unsigned now = 0;

		ret = io_uring_submit_and_wait_timeout(&t->ring, &cqe, n - seen,
						       (struct __kernel_timespec *)&tap_ring_timeout,
						       NULL);
		if (ret == -ETIME) {
			tap_ring_abandon(t, n - seen);
			return -ETIMEDOUT;
		}
		if (ret < 0 && ret != -EINTR)
			return ret;
		io_uring_for_each_cqe(&t->ring, head, cqe)
		{
			if (cqe->user_data < n)
				res[cqe->user_data] = cqe->res;
			now++;
		}
		io_uring_cq_advance(&t->ring, now);
		seen += now;
	}
	return 0;
}

/*
 * The tap's queue had no room for a frame (the kernel's side of the tap is backed up): it is
 * dropped, counted apart from errors, and the caller hears that the port is busy
 */
static void tap_tx_full(struct port *p)
{
	p->tx_full++;
	p->tx_busy = true;
}

/* a frame read into @f with header @h and result @r: 1 if good, 0 if dropped, or -ENXIO */
static int tap_rx_one(struct port *p, struct frame *f, const struct virtio_net_hdr_mrg_rxbuf *h,
		      ssize_t r)
{
	uint32_t room = f->size - FRAME_HEADROOM;

	if (r < 0) {
		if (r == -EBADFD || r == -EIO)
			return -ENXIO;
		/* ENOBUFS, EINVAL: the kernel could not describe that frame and dropped it */
		p->rx_errors++;
		return 0;
	}
	/* tun reports the frame's full length even if it did not fit */
	if (r < TAP_VNET_HDR_LEN || (size_t)r - TAP_VNET_HDR_LEN > room) {
		p->rx_errors++;
		return 0;
	}
	f->len = (uint32_t)(r - TAP_VNET_HDR_LEN);
	tap_vnet_to_meta(h, &f->vnet);
	return 1;
}

static int tap_rx_ring(struct tap_port *t, struct frame **frames, unsigned n)
{
	int res[TAP_BATCH_MAX];
	unsigned got = 0;

	while (got < n) {
		unsigned batch = MIN(t->rx_batch, n - got), ok = 0;
		bool drained = false;
		int ret;

		for (unsigned i = 0; i < batch; i++) {
			struct frame *f = frames[got + i];
			struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);

			f->data = f->head + FRAME_HEADROOM;
			t->iovs[i][0] = (struct iovec){ &t->hdrs[i], sizeof(t->hdrs[i]) };
			t->iovs[i][1] = (struct iovec){ f->data, f->size - FRAME_HEADROOM };
			io_uring_prep_readv(sqe, t->port.fd, t->iovs[i], 2, 0);
			/* without it io_uring waits for a frame instead of failing with EAGAIN */
			sqe->rw_flags = RWF_NOWAIT;
			sqe->user_data = i;
		}
		ret = tap_ring_run(t, batch, res);
		if (ret < 0)
			return got ? (int)got : ret;
		/* keep the good frames first, in the order they were read */
		for (unsigned i = 0; i < batch; i++) {
			struct frame *f = frames[got + i];
			int r;

			if (res[i] == -EAGAIN) {
				drained = true;
				continue;
			}
			r = tap_rx_one(&t->port, f, &t->hdrs[i], res[i]);
			if (r < 0)
				return -ENXIO;
			if (r) {
				frames[got + i] = frames[got + ok];
				frames[got + ok] = f;
				ok++;
			}
		}
		got += ok;
		if (!drained && ok == batch)
			t->rx_batch = MIN(2 * t->rx_batch, TAP_BATCH_MAX);
		else if (2 * ok < batch)
			t->rx_batch = MAX(t->rx_batch / 2, 1u);
		if (drained || !ok)
			break;
	}
	return (int)got;
}

static int tap_tx_ring(struct tap_port *t, struct frame **frames, unsigned n)
{
	int res[TAP_BATCH_MAX], ret;
	unsigned sent = 0, done = 0;

	while (done < n) {
		unsigned batch = MIN(n - done, TAP_BATCH_MAX);

		for (unsigned i = 0; i < batch; i++) {
			struct frame *f = frames[done + i];
			struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);

			tap_meta_to_vnet(&f->vnet, &t->hdrs[i]);
			t->iovs[i][0] = (struct iovec){ &t->hdrs[i], sizeof(t->hdrs[i]) };
			t->iovs[i][1] = (struct iovec){ f->data, f->len };
			io_uring_prep_writev(sqe, t->port.fd, t->iovs[i], 2, 0);
			sqe->rw_flags = RWF_NOWAIT;
			sqe->user_data = i;
		}
		ret = tap_ring_run(t, batch, res);
		if (ret < 0) {
			t->port.tx_errors += n - done;
			return ret;
		}
		for (unsigned i = 0; i < batch; i++) {
			if (res[i] == -EBADFD) {
				t->port.tx_errors += n - done - i;
				return -ENXIO;
			}
			/* EIO: tap down; EINVAL: header the kernel refused */
			if (res[i] == -EAGAIN || res[i] == -ENOBUFS)
				tap_tx_full(&t->port);
			else if (res[i] < 0)
				t->port.tx_errors++;
			else
				sent++;
		}
		done += batch;
	}
	return (int)sent;
}

static int tap_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct tap_port *t = tap_port(p);
	unsigned got = 0;

	if (t->have_ring)
		return tap_rx_ring(t, frames, n);

	/* at most @n reads, so a stream of bad frames cannot keep us here */
	for (unsigned tries = 0; got < n && tries < n; tries++) {
		struct frame *f = frames[got];
		uint32_t room = f->size - FRAME_HEADROOM;
		struct iovec iov[2];
		ssize_t r;

		f->data = f->head + FRAME_HEADROOM;
		iov[0].iov_base = &t->hdr;
		iov[0].iov_len = sizeof(t->hdr);
		iov[1].iov_base = f->data;
		iov[1].iov_len = room;
		r = readv(p->fd, iov, 2);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			if (errno == EBADFD || errno == EIO)
				return -ENXIO;
			if (errno != ENOBUFS && errno != EINVAL)
				return -errno;
			/* the kernel could not describe that frame and dropped it */
			p->rx_errors++;
			continue;
		}
		/* tun reports the frame's full length even if it did not fit */
		if (r < TAP_VNET_HDR_LEN || (size_t)r - TAP_VNET_HDR_LEN > room) {
			p->rx_errors++;
			continue;
		}
		f->len = (uint32_t)(r - TAP_VNET_HDR_LEN);
		tap_vnet_to_meta(&t->hdr, &f->vnet);
		got++;
	}
	return (int)got;
}

static int tap_tx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct tap_port *t = tap_port(p);
	unsigned sent = 0;

	p->tx_busy = false;
	if (t->have_ring)
		return tap_tx_ring(t, frames, n);

	for (unsigned i = 0; i < n; i++) {
		struct frame *f = frames[i];
		struct iovec iov[2];
		ssize_t r;

		tap_meta_to_vnet(&f->vnet, &t->hdr);
		iov[0].iov_base = &t->hdr;
		iov[0].iov_len = sizeof(t->hdr);
		iov[1].iov_base = f->data;
		iov[1].iov_len = f->len;
		do {
			r = writev(p->fd, iov, 2);
		} while (r < 0 && errno == EINTR);
		if (r < 0) {
			if (errno == EBADFD) {
				p->tx_errors += n - i;
				return -ENXIO;
			}
			/* EIO: tap down; EINVAL: header the kernel refused */
			if (errno == EAGAIN || errno == ENOBUFS)
				tap_tx_full(p);
			else
				p->tx_errors++;
			continue;
		}
		sent++;
	}
	return (int)sent;
}

static void tap_destroy(struct port *p)
{
	if (!p)
		return;
	for (unsigned int i = 0; i < p->n_queues; i++)
		tap_destroy(p->queues[i]);
	free(p->queues);
	if (tap_port(p)->have_ring)
		io_uring_queue_exit(&tap_port(p)->ring);
	if (p->fd >= 0)
		close(p->fd);
	free(tap_port(p));
}

static const struct port_ops tap_ops = {
	.kind = "tap",
	.rx_burst = tap_rx_burst,
	.tx_burst = tap_tx_burst,
	.destroy = tap_destroy,
};

/* A name the kernel takes as it is: no '%' (a template), nothing `ip` could not name. */
static bool tap_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= IF_NAMESIZE || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (const char *c = name; *c; c++) {
		if (*c == '/' || *c == ':' || *c == '%' || *c <= ' ' || *c == 0x7f)
			return false;
	}
	return true;
}

/*
 * One file of tap @ifname: the tap itself, made now, or with @attach one more queue of the
 * multiqueue tap made by the first (@mq). Return: 0 or -errno, with @err filled
 */
static int tap_open(const char *ifname, bool mq, bool attach, struct port **out, char *err,
		    size_t errlen)
{
	unsigned int offload = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;
	int hdrsz = TAP_VNET_HDR_LEN, le = 1;
	struct tap_port *t;
	struct ifreq ifr;
	int ret;

	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "cannot create tap '%s': %s", ifname, strerror(ENOMEM));
		return -ENOMEM;
	}
	t->port.ops = &tap_ops;
	t->port.fd = open(TAP_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->port.fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create tap '%s': %s (open %s)", ifname,
			 strerror(-ret), TAP_DEV);
		goto err_free;
	}

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (mq ? IFF_MULTI_QUEUE : 0);
	memcpy(ifr.ifr_name, ifname, strlen(ifname) + 1);
	if (ioctl(t->port.fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot %s tap '%s': %s (TUNSETIFF)",
			 attach ? "add a queue to" : "create", ifname, strerror(-ret));
		goto err_close;
	}
	if (ioctl(t->port.fd, TUNSETVNETHDRSZ, &hdrsz) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot set up tap '%s': %s (TUNSETVNETHDRSZ %d)", ifname,
			 strerror(-ret), hdrsz);
		goto err_close;
	}
	/* Little-endian header on every host; a little-endian host has it anyway. */
	if (ioctl(t->port.fd, TUNSETVNETLE, &le) < 0 && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) {
		ret = -errno;
		snprintf(err, errlen, "cannot set up tap '%s': %s (TUNSETVNETLE)", ifname,
			 strerror(-ret));
		goto err_close;
	}
	if (ioctl(t->port.fd, TUNSETOFFLOAD, offload) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot set up tap '%s': %s (TUNSETOFFLOAD)", ifname,
			 strerror(-ret));
		goto err_close;
	}

	memcpy(t->port.ifname, ifr.ifr_name, IF_NAMESIZE);
	t->port.ifname[IF_NAMESIZE - 1] = '\0';
	t->port.ifindex = (int)if_nametoindex(t->port.ifname);
	if (!t->port.ifindex) {
		ret = -errno;
		snprintf(err, errlen, "cannot create tap '%s': %s (if_nametoindex)", ifname,
			 strerror(-ret));
		goto err_close;
	}
	t->port.offloads = PORT_OFFLOAD_CSUM | PORT_OFFLOAD_TSO4 | PORT_OFFLOAD_TSO6;
	t->have_ring = io_uring_queue_init(TAP_BATCH_MAX, &t->ring, 0) == 0;
	t->rx_batch = 1;
	*out = &t->port;
	return 0;

err_close:
	close(t->port.fd);
err_free:
	free(t);
	return ret;
}

/* @ifname is a name for a new tap; else -EINVAL or -EEXIST with @err filled */
static int tap_new_name_ok(const char *ifname, char *err, size_t errlen)
{
	if (!ifname || !tap_name_ok(ifname)) {
		snprintf(err, errlen, "cannot create tap '%s': invalid interface name",
			 ifname ? ifname : "");
		return -EINVAL;
	}
	/* TUNSETIFF would attach to an existing persistent tap; we only make new ones */
	if (if_nametoindex(ifname)) {
		snprintf(err, errlen, "cannot create tap '%s': an interface of that name exists",
			 ifname);
		return -EEXIST;
	}
	return 0;
}

int tap_create(const char *ifname, struct port **out, char *err, size_t errlen)
{
	int ret = tap_new_name_ok(ifname, err, errlen);

	return ret ? ret : tap_open(ifname, false, false, out, err, errlen);
}

int tap_create_queues(const char *ifname, unsigned int n, struct port **out, char *err,
		      size_t errlen)
{
	struct port *first;
	int ret = tap_new_name_ok(ifname, err, errlen);

	if (n < 2)
		return ret ? ret : tap_open(ifname, false, false, out, err, errlen);
	if (!ret)
		ret = tap_open(ifname, true, false, &first, err, errlen);
	if (ret)
		return ret;
	first->queues = calloc(n - 1, sizeof(*first->queues));
	if (!first->queues) {
		snprintf(err, errlen, "cannot create tap '%s': %s", ifname, strerror(ENOMEM));
		tap_destroy(first);
		return -ENOMEM;
	}
	for (; first->n_queues < n - 1; first->n_queues++) {
		ret = tap_open(ifname, true, true, &first->queues[first->n_queues], err, errlen);
		if (ret) {
			tap_destroy(first);
			return ret;
		}
	}
	*out = first;
	return 0;
}

int tap_persist(const char *ifname, char *err, size_t errlen)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int fd, ret = tap_new_name_ok(ifname, err, errlen);

	if (ret)
		return ret;
	fd = open(TAP_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create tap '%s': %s (open %s)", ifname,
			 strerror(-ret), TAP_DEV);
		return ret;
	}
	memcpy(ifr.ifr_name, ifname, strlen(ifname) + 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETPERSIST, 1) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create tap '%s': %s (TUNSETIFF/TUNSETPERSIST)",
			 ifname, strerror(-ret));
	}
	close(fd);
	return ret;
}
