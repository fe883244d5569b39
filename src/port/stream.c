/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stream.c - port back-end for QEMU's -netdev stream: length-prefixed frames on a stream socket
 *
 * Theory of Operation
 *
 * On the wire every frame is preceded by its length, a 32-bit big-endian
 * integer, and nothing else: no virtio-net header, so the peer takes no
 * offloads. This is the framing of QEMU's net/stream back-end (and of
 * passt). The daemon accepts or connects the socket and hands us the fd.
 *
 * Receive: a stream has no frame boundaries, so each port keeps a receive
 * buffer large enough for several of the largest frames. A burst first
 * takes the whole frames already buffered, then reads what the socket has
 * (never blocking) into the space after them, and repeats. Each frame is
 * copied out to the caller's buffer once it is whole; what is left of a
 * partial frame moves to the front of the buffer before the next read. A
 * length of 0 or over 65,535 breaks the framing, and end of file (clean or
 * mid-frame) or a reset means the peer is gone: the port is then broken
 * for good, the frames before the fault are still delivered, and every
 * later call returns the same error (-EPROTO, -ENOTCONN).
 *
 * Transmit: frames are appended, length first, to a write buffer, which is
 * written with one send() per burst. What the peer does not take now stays
 * in the buffer, to go first with the next burst or when tx_flush is
 * called (the daemon polls EPOLLOUT while it returns 1). A frame that does
 * not fit in the buffer is dropped and counted: a slow or stuck peer costs
 * its own frames, never the datapath's time. A frame is only ever queued
 * whole, so a drop never breaks the framing.
 *
 * GSO frames are segmented straight into the write buffer, and a NEEDS_CSUM
 * frame's checksum is completed in its copy there: the caller's frame,
 * perhaps shared with other output lists, is never modified.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/gso.h"
#include "port/port.h"

#define STREAM_LEN_HDR 4
#define STREAM_FRAME_MAX 65535
/* a few of the largest frames */
#define STREAM_RBUF_SIZE (256 * 1024)
/* what a slow peer may have waiting: several 64 KiB GSO frames, segmented */
#define STREAM_WBUF_SIZE (1024 * 1024)

/**
 * struct stream_port - a port on a stream socket
 * @port:	the generic part, first
 * @broken:	0, or the negative errno every call returns from now on
 * @rbuf:	received bytes, STREAM_RBUF_SIZE; unread ones in [@rstart, @rend)
 * @wbuf:	bytes to send, STREAM_WBUF_SIZE; unsent ones in [@wstart, @wend)
 * @gso:	the GSO frame being segmented
 */
struct stream_port {
	struct port port;
	int broken;
	uint8_t *rbuf;
	uint32_t rstart;
	uint32_t rend;
	uint8_t *wbuf;
	uint32_t wstart;
	uint32_t wend;
	struct gso_ctx gso;
};

static struct stream_port *stream_port(struct port *p)
{
	return (struct stream_port *)p;
}

static uint32_t stream_get_len(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void stream_put_len(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The port is unusable from now on; the frames already taken still count. */
static int stream_break(struct stream_port *s, int err, unsigned got)
{
	s->broken = err;
	return got ? (int)got : err;
}

/* socket errors that mean the peer is gone */
static bool stream_peer_gone(int err)
{
	return err == ECONNRESET || err == EPIPE || err == ENOTCONN || err == ESHUTDOWN;
}

static int stream_rx_frames(struct port *p, struct frame **frames, unsigned n)
{
	struct stream_port *s = stream_port(p);
	unsigned got = 0;

	if (s->broken)
		return s->broken;
	/* each read either completes a frame or drains the socket; the bound is for safety */
	for (unsigned reads = 0; got < n && reads <= n + 1; reads++) {
		ssize_t r;

		while (got < n && s->rend - s->rstart >= STREAM_LEN_HDR) {
			const uint8_t *h = s->rbuf + s->rstart;
			uint32_t len = stream_get_len(h);
			struct frame *f = frames[got];

			if (!len || len > STREAM_FRAME_MAX)
				return stream_break(s, -EPROTO, got);
			if (s->rend - s->rstart - STREAM_LEN_HDR < len)
				break;
			s->rstart += STREAM_LEN_HDR + len;
			if (f->size < FRAME_HEADROOM || len > f->size - FRAME_HEADROOM) {
				p->rx_errors++;
				continue;
			}
			f->data = f->head + FRAME_HEADROOM;
			memcpy(f->data, h + STREAM_LEN_HDR, len);
			f->len = len;
			memset(&f->vnet, 0, sizeof(f->vnet));
			got++;
		}
		if (got == n)
			break;

		/* what is left is part of one frame, so there is room for more than a frame */
		if (s->rstart) {
			memmove(s->rbuf, s->rbuf + s->rstart, s->rend - s->rstart);
			s->rend -= s->rstart;
			s->rstart = 0;
		}
		r = recv(p->fd, s->rbuf + s->rend, STREAM_RBUF_SIZE - s->rend, MSG_DONTWAIT);
		if (r > 0) {
			s->rend += (uint32_t)r;
			continue;
		}
		if (r == 0) /* end of file: between frames or in the middle of one */
			return stream_break(s, -ENOTCONN, got);
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		if (errno == EINTR)
			continue;
		return stream_break(s, stream_peer_gone(errno) ? -ENOTCONN : -errno, got);
	}
	return (int)got;
}

/* a whole frame (or a bad length, to break on) waits in the receive buffer */
static bool stream_rx_more(const struct stream_port *s)
{
	uint32_t have = s->rend - s->rstart, len;

	if (have < STREAM_LEN_HDR)
		return false;
	len = stream_get_len(s->rbuf + s->rstart);
	return !len || len > STREAM_FRAME_MAX || have - STREAM_LEN_HDR >= len;
}

static int stream_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	int got = stream_rx_frames(p, frames, n);

	p->rx_more = got > 0 && stream_rx_more(stream_port(p));
	return got;
}

/*
 * Send what waits in the write buffer, as much as the socket takes now.
 * Return: 0 if all of it went, 1 if some waits, or the port's negative errno
 */
static int stream_flush(struct stream_port *s)
{
	while (s->wstart < s->wend) {
		ssize_t r = send(s->port.fd, s->wbuf + s->wstart, s->wend - s->wstart,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r > 0) {
			s->wstart += (uint32_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		s->broken = r < 0 && !stream_peer_gone(errno) ? -errno : -ENOTCONN;
		return s->broken;
	}
	s->wstart = s->wend = 0;
	return 0;
}

/* at least @need bytes free at the end of the write buffer? moves what waits to the front */
static bool stream_room(struct stream_port *s, uint64_t need)
{
	if (STREAM_WBUF_SIZE - s->wend >= need)
		return true;
	if (s->wstart) {
		memmove(s->wbuf, s->wbuf + s->wstart, s->wend - s->wstart);
		s->wend -= s->wstart;
		s->wstart = 0;
	}
	return STREAM_WBUF_SIZE - s->wend >= need;
}

/* Append the segments of GSO frame @f. Return: 0, or a negative errno (nothing queued) */
static int stream_queue_gso(struct stream_port *s, const struct frame *f)
{
	struct gso_ctx *g = &s->gso;
	uint32_t wend;
	uint64_t need;
	int ret;

	ret = gso_begin(g, f);
	if (ret)
		return ret;
	/* the first segment is the longest */
	if (gso_seg_len(g, 0) > STREAM_FRAME_MAX)
		return -EMSGSIZE;
	need = (uint64_t)g->nseg * (STREAM_LEN_HDR + g->hdr) + g->payload;
	if (!stream_room(s, need))
		return -ENOSPC;
	wend = s->wend;
	while (g->next < g->nseg) {
		struct frame seg = { 0 }, *segp = &seg;

		seg.head = s->wbuf + wend + STREAM_LEN_HDR;
		seg.data = seg.head;
		seg.size = STREAM_WBUF_SIZE - wend - STREAM_LEN_HDR;
		if (gso_next(g, &segp, 1) != 1)
			return -ENOSPC; /* cannot be: the room was counted */
		stream_put_len(s->wbuf + wend, seg.len);
		wend += STREAM_LEN_HDR + seg.len;
	}
	s->wend = wend;
	return 0;
}

/* Append frame @f, segmented or its checksum completed. Return: 0, or a negative errno */
static int stream_queue(struct stream_port *s, const struct frame *f)
{
	struct frame copy;
	int ret;

	if (gso_is_gso(f))
		return stream_queue_gso(s, f);
	if (!f->len || f->len > STREAM_FRAME_MAX)
		return -EMSGSIZE;
	if (!stream_room(s, STREAM_LEN_HDR + f->len))
		return -ENOSPC;
	copy = *f;
	copy.data = s->wbuf + s->wend + STREAM_LEN_HDR;
	memcpy(copy.data, f->data, f->len);
	ret = csum_complete(&copy);
	if (ret)
		return ret;
	stream_put_len(s->wbuf + s->wend, f->len);
	s->wend += STREAM_LEN_HDR + f->len;
	return 0;
}

static int stream_tx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct stream_port *s = stream_port(p);
	unsigned sent = 0;
	int ret;

	if (s->broken)
		return s->broken;
	/* what waits from before goes first, and makes room */
	ret = stream_flush(s);
	if (ret < 0) {
		p->tx_errors += n;
		return ret;
	}
	for (unsigned i = 0; i < n; i++) {
		ret = stream_queue(s, frames[i]);
		if (ret == -ENOSPC && stream_flush(s) >= 0)
			ret = stream_queue(s, frames[i]);
		if (s->broken) {
			p->tx_errors += n - i;
			return s->broken;
		}
		if (ret)
			p->tx_errors++;
		else
			sent++;
	}
	ret = stream_flush(s);
	return ret < 0 ? ret : (int)sent;
}

static int stream_tx_flush(struct port *p)
{
	struct stream_port *s = stream_port(p);

	if (s->broken)
		return s->broken;
	return stream_flush(s);
}

static void stream_destroy(struct port *p)
{
	struct stream_port *s = stream_port(p);

	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(s->rbuf);
	free(s->wbuf);
	free(s);
}

static const struct port_ops stream_ops = {
	.kind = "stream",
	.rx_burst = stream_rx_burst,
	.tx_burst = stream_tx_burst,
	.destroy = stream_destroy,
	.tx_flush = stream_tx_flush,
};

int stream_port_open(int fd, const char *name, struct port **out, char *err, size_t errlen)
{
	struct stream_port *s;
	int type = 0, flags, ret;
	socklen_t tlen = sizeof(type);

	if (!name || !*name || strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen, "stream port name '%s' is not valid", name ? name : "");
		return -EINVAL;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_STREAM) {
		ret = type && type != SOCK_STREAM ? EINVAL : errno;
		snprintf(err, errlen, "stream port '%s': %s", name,
			 ret == EINVAL ? "not a stream socket" : strerror(ret));
		return -ret;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		ret = errno;
		snprintf(err, errlen, "stream port '%s': %s (O_NONBLOCK)", name, strerror(ret));
		return -ret;
	}

	s = calloc(1, sizeof(*s));
	if (!s)
		goto err_nomem;
	s->rbuf = malloc(STREAM_RBUF_SIZE);
	s->wbuf = malloc(STREAM_WBUF_SIZE);
	if (!s->rbuf || !s->wbuf)
		goto err_free;
	s->port.ops = &stream_ops;
	s->port.fd = fd;
	memcpy(s->port.ifname, name, strlen(name) + 1);
	*out = &s->port;
	return 0;

err_free:
	free(s->rbuf);
	free(s->wbuf);
	free(s);
err_nomem:
	snprintf(err, errlen, "stream port '%s': %s", name, strerror(ENOMEM));
	return -ENOMEM;
}
