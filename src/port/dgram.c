/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dgram.c - port back-end for QEMU's -netdev dgram: one frame per datagram
 *
 * Theory of Operation
 *
 * QEMU's dgram back-end sends each frame as one datagram, with no header
 * of any kind, from its local address to its remote one; with
 * local.type=unix,remote.type=unix both are paths. The daemon binds our
 * socket to QEMU's remote path and connects it to QEMU's local one, and
 * hands us the fd: we only ever recv() and send() on it.
 *
 * Frames are read and written in batches with recvmmsg()/sendmmsg(),
 * never blocking. A datagram longer than the caller's buffer arrives with
 * MSG_TRUNC and is dropped and counted; so is an empty one.
 *
 * The peer takes no offloads. A GSO frame is cut into segments in a
 * scratch arena of the port's own, each segment a datagram of the batch;
 * a NEEDS_CSUM frame goes out as three pieces (before the checksum, the
 * checksum we computed, after it), so the caller's frame, perhaps shared
 * with other output lists, is never modified. A frame counts as sent when
 * all its datagrams went.
 *
 * A full peer queue (EAGAIN) drops the rest of the burst. On a UNIX socket
 * ECONNREFUSED or ENOTCONN on send means the peer's socket is gone: the
 * port is broken for good and returns -ENOTCONN (the daemon reconnects
 * with a new socket when QEMU is back). On a UDP socket ECONNREFUSED is
 * only an ICMP error about an earlier datagram, and is ignored.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/gso.h"
#include "port/port.h"

#define DGRAM_BATCH 64
/* segments of one batch; at least one largest segment */
#define DGRAM_ARENA_SIZE (256 * 1024)
#define DGRAM_NO_FRAME UINT_MAX

/**
 * struct dgram_port - a port on a datagram socket
 * @port:	the generic part, first
 * @broken:	0, or the negative errno every call returns from now on
 * @is_unix:	an AF_UNIX socket (ECONNREFUSED means the peer is gone)
 * @msg:	one batch of message headers
 * @iov:	per message: up to three pieces
 * @csum:	per message: a checksum computed for it
 * @owner:	per message of a transmit batch: index of its frame in the burst
 * @last:	per message: the last datagram of its frame
 * @nmsg:	messages in the transmit batch
 * @arena:	DGRAM_ARENA_SIZE bytes for the segments of the batch
 * @arena_used:	bytes of @arena in use
 * @full:	the peer took no more in this burst: drop the rest
 * @sent:	frames of this burst sent whole
 * @failed:	the frame of this burst last counted in tx_errors
 * @gso:	the GSO frame being segmented
 */
struct dgram_port {
	struct port port;
	int broken;
	bool is_unix;
	struct mmsghdr msg[DGRAM_BATCH];
	struct iovec iov[DGRAM_BATCH][3];
	uint8_t csum[DGRAM_BATCH][2];
	unsigned owner[DGRAM_BATCH];
	bool last[DGRAM_BATCH];
	unsigned nmsg;
	uint8_t *arena;
	uint32_t arena_used;
	bool full;
	unsigned sent;
	unsigned failed;
	struct gso_ctx gso;
};

static struct dgram_port *dgram_port(struct port *p)
{
	return (struct dgram_port *)p;
}

static int dgram_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct dgram_port *d = dgram_port(p);
	unsigned got = 0, done = 0;

	if (d->broken)
		return d->broken;
	while (done < n) {
		unsigned batch = n - done < DGRAM_BATCH ? n - done : DGRAM_BATCH;
		unsigned base = got;
		int r;

		for (unsigned i = 0; i < batch; i++) {
			struct frame *f = frames[base + i];
			struct msghdr *m = &d->msg[i].msg_hdr;

			f->data = f->head + FRAME_HEADROOM;
			d->iov[i][0].iov_base = f->data;
			d->iov[i][0].iov_len = f->size > FRAME_HEADROOM ? f->size - FRAME_HEADROOM
									: 0;
			memset(m, 0, sizeof(*m));
			m->msg_iov = d->iov[i];
			m->msg_iovlen = 1;
		}
		r = recvmmsg(p->fd, d->msg, batch, MSG_DONTWAIT, NULL);
		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
			    errno == ECONNREFUSED)
				break;
			return got ? (int)got : -errno;
		}
		/* good frames stay packed at the front: a bad one swaps places with the next */
		for (unsigned i = 0; i < (unsigned)r; i++) {
			struct frame *f = frames[base + i];

			if (base + i != got) {
				frames[base + i] = frames[got];
				frames[got] = f;
			}
			if ((d->msg[i].msg_hdr.msg_flags & MSG_TRUNC) || !d->msg[i].msg_len) {
				p->rx_errors++;
				continue;
			}
			f->len = d->msg[i].msg_len;
			memset(&f->vnet, 0, sizeof(f->vnet));
			got++;
		}
		done += (unsigned)r;
		if ((unsigned)r < batch)
			break;
	}
	return (int)got;
}

/* frame @i of the burst is lost: count it once */
static void dgram_drop(struct dgram_port *d, unsigned i)
{
	if (d->failed == i)
		return;
	d->failed = i;
	d->port.tx_errors++;
}

/* Send the batch; what is not sent is dropped. Return: 0, or the port's negative errno */
static int dgram_flush(struct dgram_port *d)
{
	unsigned done = 0;

	while (done < d->nmsg) {
		int r = sendmmsg(d->port.fd, d->msg + done, d->nmsg - done,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			if (e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS ||
			    (d->is_unix && (e == ECONNREFUSED || e == ENOTCONN || e == ECONNRESET ||
					    e == EPIPE))) {
				for (unsigned j = done; j < d->nmsg; j++)
					dgram_drop(d, d->owner[j]);
				if (e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS)
					d->full = true;
				else
					d->broken = -ENOTCONN;
				break;
			}
			/* EMSGSIZE, EINVAL, a UDP peer's ECONNREFUSED: that datagram only */
			dgram_drop(d, d->owner[done]);
			done++;
			continue;
		}
		for (unsigned j = done; j < done + (unsigned)r; j++) {
			if (d->last[j] && d->owner[j] != d->failed)
				d->sent++;
		}
		done += (unsigned)r;
	}
	d->nmsg = 0;
	d->arena_used = 0;
	return d->broken;
}

/* add @len bytes at @data, the @last datagram of frame @i, to the batch */
static void dgram_add(struct dgram_port *d, unsigned i, uint8_t *data, uint32_t len, bool last)
{
	struct msghdr *m = &d->msg[d->nmsg].msg_hdr;

	d->iov[d->nmsg][0] = (struct iovec){ data, len };
	memset(m, 0, sizeof(*m));
	m->msg_iov = d->iov[d->nmsg];
	m->msg_iovlen = 1;
	d->owner[d->nmsg] = i;
	d->last[d->nmsg] = last;
	d->nmsg++;
}

/* the segments of GSO frame @f, number @i of the burst, into the batch */
static int dgram_queue_gso(struct dgram_port *d, const struct frame *f, unsigned i)
{
	struct gso_ctx *g = &d->gso;
	int ret = gso_begin(g, f);

	if (ret) {
		dgram_drop(d, i);
		return 0;
	}
	while (g->next < g->nseg) {
		uint32_t len = gso_seg_len(g, g->next);
		struct frame seg = { 0 }, *segp = &seg;

		if (d->nmsg == DGRAM_BATCH || DGRAM_ARENA_SIZE - d->arena_used < len) {
			ret = dgram_flush(d);
			if (ret < 0)
				return ret;
		}
		if (d->full) {
			dgram_drop(d, i);
			return 0;
		}
		seg.head = d->arena + d->arena_used;
		seg.data = seg.head;
		seg.size = DGRAM_ARENA_SIZE - d->arena_used;
		if (gso_next(g, &segp, 1) != 1) { /* cannot be: the room was checked */
			dgram_drop(d, i);
			return 0;
		}
		d->arena_used += seg.len;
		dgram_add(d, i, seg.data, seg.len, g->next == g->nseg);
	}
	return 0;
}

static int dgram_tx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct dgram_port *d = dgram_port(p);
	unsigned i;
	int ret;

	if (d->broken)
		return d->broken;
	d->nmsg = 0;
	d->arena_used = 0;
	d->full = false;
	d->sent = 0;
	d->failed = DGRAM_NO_FRAME;
	for (i = 0; i < n; i++) {
		struct frame *f = frames[i];

		if (d->full) {
			dgram_drop(d, i);
			continue;
		}
		if (gso_is_gso(f)) {
			ret = dgram_queue_gso(d, f, i);
			if (ret < 0)
				goto broken;
			continue;
		}
		if (d->nmsg == DGRAM_BATCH && dgram_flush(d) < 0)
			goto broken;
		if (d->full) {
			dgram_drop(d, i);
			continue;
		}
		if (!f->len) {
			dgram_drop(d, i);
			continue;
		}
		dgram_add(d, i, f->data, f->len, true);
		if (f->vnet.flags & VNET_F_NEEDS_CSUM) {
			uint32_t at = (uint32_t)f->vnet.csum_start + f->vnet.csum_offset;
			unsigned m = d->nmsg - 1;

			if (csum_compute(f, d->csum[m])) {
				d->nmsg--;
				dgram_drop(d, i);
				continue;
			}
			d->iov[m][0].iov_len = at;
			d->iov[m][1] = (struct iovec){ d->csum[m], 2 };
			d->iov[m][2] = (struct iovec){ f->data + at + 2, f->len - at - 2 };
			d->msg[m].msg_hdr.msg_iovlen = 3;
		}
	}
	if (dgram_flush(d) < 0)
		goto broken;
	return (int)d->sent;

broken:
	/* the batch was dropped by dgram_flush(); the frames not yet in it too */
	for (; i < n; i++)
		dgram_drop(d, i);
	return d->broken;
}

static void dgram_destroy(struct port *p)
{
	struct dgram_port *d = dgram_port(p);

	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(d->arena);
	free(d);
}

static const struct port_ops dgram_ops = {
	.kind = "dgram",
	.rx_burst = dgram_rx_burst,
	.tx_burst = dgram_tx_burst,
	.destroy = dgram_destroy,
};

struct port *dgram_port_open(int fd, const char *name, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	int type = 0, flags, ret;
	socklen_t tlen = sizeof(type);
	struct dgram_port *d;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen, "dgram port name '%s' is not valid", name ? name : "");
		errno = EINVAL;
		return NULL;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_DGRAM ||
	    getsockname(fd, (struct sockaddr *)&ss, &slen) < 0) {
		ret = type && type != SOCK_DGRAM ? EINVAL : errno;
		snprintf(err, errlen, "dgram port '%s': %s", name,
			 ret == EINVAL ? "not a datagram socket" : strerror(ret));
		errno = ret;
		return NULL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		ret = errno;
		snprintf(err, errlen, "dgram port '%s': %s (O_NONBLOCK)", name, strerror(ret));
		errno = ret;
		return NULL;
	}

	d = calloc(1, sizeof(*d));
	if (!d)
		goto err_nomem;
	d->arena = malloc(DGRAM_ARENA_SIZE);
	if (!d->arena) {
		free(d);
		goto err_nomem;
	}
	d->port.ops = &dgram_ops;
	d->port.fd = fd;
	d->is_unix = ss.ss_family == AF_UNIX;
	memcpy(d->port.ifname, name, strlen(name) + 1);
	return &d->port;

err_nomem:
	snprintf(err, errlen, "dgram port '%s': %s", name, strerror(ENOMEM));
	errno = ENOMEM;
	return NULL;
}
