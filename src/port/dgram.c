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
 * A full peer queue (EAGAIN) does not lose the rest of the burst: what the
 * peer did not take is copied, in order, to a queue of the port's own
 * (up to DGRAM_PEND_MAX datagrams, DGRAM_PEND_SIZE bytes; beyond that frames
 * are dropped and counted), and everything sent after it queues behind it
 * until tx_flush, called when the socket is writable again, has sent it
 * all. A frame counts as sent once all its datagrams went or were queued.
 * On a UNIX socket
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
/* what a slow peer may have waiting: several 64 KiB GSO frames, segmented */
#define DGRAM_PEND_MAX 1024
#define DGRAM_PEND_SIZE (1024 * 1024)

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
 * @pend:	datagrams the peer did not take yet, DGRAM_PEND_SIZE bytes, in order
 * @pend_len:	their lengths
 * @pend_first:	the first of them not sent yet
 * @pend_n:	datagrams in @pend (the sent ones too, until it empties)
 * @pend_used:	bytes of @pend in use
 * @pend_msg:	message headers for sending from @pend
 * @pend_iov:	one piece each
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
	uint8_t *pend;
	uint32_t pend_len[DGRAM_PEND_MAX];
	unsigned pend_first;
	unsigned pend_n;
	uint32_t pend_used;
	struct mmsghdr pend_msg[DGRAM_BATCH];
	struct iovec pend_iov[DGRAM_BATCH];
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

/* frame @i of the burst is lost because the queue to the peer is full: count it once */
static void dgram_drop_full(struct dgram_port *d, unsigned i)
{
	if (d->failed == i)
		return;
	d->failed = i;
	d->port.tx_full++;
}

/* errors on send that mean a UNIX peer's socket is gone */
static bool dgram_peer_gone(const struct dgram_port *d, int e)
{
	return d->is_unix && (e == ECONNREFUSED || e == ENOTCONN || e == ECONNRESET || e == EPIPE);
}

static bool dgram_would_block(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS;
}

/* copy message @j of the batch to the end of the queue. Return: false if there is no room */
static bool dgram_pend_add(struct dgram_port *d, unsigned j)
{
	const struct msghdr *m = &d->msg[j].msg_hdr;
	uint32_t len = 0;

	for (size_t k = 0; k < m->msg_iovlen; k++)
		len += (uint32_t)m->msg_iov[k].iov_len;
	if (d->pend_n == DGRAM_PEND_MAX || DGRAM_PEND_SIZE - d->pend_used < len)
		return false;
	for (size_t k = 0; k < m->msg_iovlen; k++) {
		memcpy(d->pend + d->pend_used, m->msg_iov[k].iov_base, m->msg_iov[k].iov_len);
		d->pend_used += (uint32_t)m->msg_iov[k].iov_len;
	}
	d->pend_len[d->pend_n++] = len;
	return true;
}

/*
 * Send what waits in the queue, as much as the peer takes now.
 * Return: 0 if all of it went, 1 if some waits, or the port's negative errno
 */
static int dgram_pend_flush(struct dgram_port *d)
{
	uint32_t at = 0;

	for (unsigned i = 0; i < d->pend_first; i++)
		at += d->pend_len[i];
	while (d->pend_first < d->pend_n) {
		unsigned n = 0;
		uint32_t off = at;
		int r;

		for (; n < DGRAM_BATCH && d->pend_first + n < d->pend_n; n++) {
			d->pend_iov[n] = (struct iovec){ d->pend + off,
							 d->pend_len[d->pend_first + n] };
			memset(&d->pend_msg[n], 0, sizeof(d->pend_msg[n]));
			d->pend_msg[n].msg_hdr.msg_iov = &d->pend_iov[n];
			d->pend_msg[n].msg_hdr.msg_iovlen = 1;
			off += d->pend_len[d->pend_first + n];
		}
		r = sendmmsg(d->port.fd, d->pend_msg, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (dgram_would_block(errno))
				return 1;
			if (dgram_peer_gone(d, errno))
				return d->broken = -ENOTCONN;
			r = 1; /* that datagram only: it was counted as sent, now it is lost */
			d->port.tx_errors++;
		}
		for (int k = 0; k < r; k++)
			at += d->pend_len[d->pend_first++];
	}
	d->pend_first = d->pend_n = 0;
	d->pend_used = 0;
	return 0;
}

/*
 * Send the batch; what the peer does not take now goes to the queue (dropped if that is
 * full), and so does all of it while the queue holds anything, to keep the order.
 * Return: 0, or the port's negative errno
 */
static int dgram_flush(struct dgram_port *d)
{
	unsigned done = 0;

	while (done < d->nmsg) {
		int r = d->pend_n ? -1
				  : sendmmsg(d->port.fd, d->msg + done, d->nmsg - done,
					     MSG_DONTWAIT | MSG_NOSIGNAL);
		int e = d->pend_n ? EAGAIN : errno;

		if (r < 0) {
			if (e == EINTR)
				continue;
			if (dgram_would_block(e)) {
				for (unsigned j = done; j < d->nmsg; j++) {
					if (!dgram_pend_add(d, j))
						dgram_drop_full(d, d->owner[j]);
					else if (d->last[j] && d->owner[j] != d->failed)
						d->sent++;
				}
				break;
			}
			if (dgram_peer_gone(d, e)) {
				for (unsigned j = done; j < d->nmsg; j++)
					dgram_drop(d, d->owner[j]);
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
	d->sent = 0;
	d->failed = DGRAM_NO_FRAME;
	if (d->pend_n && dgram_pend_flush(d) < 0)
		return d->broken;
	for (i = 0; i < n; i++) {
		struct frame *f = frames[i];

		if (gso_is_gso(f)) {
			ret = dgram_queue_gso(d, f, i);
			if (ret < 0)
				goto broken;
			continue;
		}
		if (d->nmsg == DGRAM_BATCH && dgram_flush(d) < 0)
			goto broken;
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
	/* frames wait in our queue: the peer is not keeping up */
	d->port.tx_busy = d->pend_n > 0;
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
	free(d->pend);
	free(d);
}

static int dgram_tx_flush(struct port *p)
{
	struct dgram_port *d = dgram_port(p);

	int r;

	if (d->broken)
		return d->broken;
	r = dgram_pend_flush(d);
	d->port.tx_busy = d->pend_n > 0;
	return r;
}

static const struct port_ops dgram_ops = {
	.kind = "dgram",
	.rx_burst = dgram_rx_burst,
	.tx_burst = dgram_tx_burst,
	.destroy = dgram_destroy,
	.tx_flush = dgram_tx_flush,
};

int dgram_port_open(int fd, const char *name, struct port **out, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	int type = 0, flags, ret;
	socklen_t tlen = sizeof(type);
	struct dgram_port *d;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen, "dgram port name '%s' is not valid", name ? name : "");
		return -EINVAL;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_DGRAM ||
	    getsockname(fd, (struct sockaddr *)&ss, &slen) < 0) {
		ret = type && type != SOCK_DGRAM ? EINVAL : errno;
		snprintf(err, errlen, "dgram port '%s': %s", name,
			 ret == EINVAL ? "not a datagram socket" : strerror(ret));
		return -ret;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		ret = errno;
		snprintf(err, errlen, "dgram port '%s': %s (O_NONBLOCK)", name, strerror(ret));
		return -ret;
	}

	d = calloc(1, sizeof(*d));
	if (!d)
		goto err_nomem;
	d->arena = malloc(DGRAM_ARENA_SIZE);
	d->pend = malloc(DGRAM_PEND_SIZE);
	if (!d->arena || !d->pend) {
		free(d->arena);
		free(d->pend);
		free(d);
		goto err_nomem;
	}
	d->port.ops = &dgram_ops;
	d->port.fd = fd;
	d->is_unix = ss.ss_family == AF_UNIX;
	memcpy(d->port.ifname, name, strlen(name) + 1);
	*out = &d->port;
	return 0;

err_nomem:
	snprintf(err, errlen, "dgram port '%s': %s", name, strerror(ENOMEM));
	return -ENOMEM;
}
