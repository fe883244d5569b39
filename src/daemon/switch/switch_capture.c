/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_capture.c - packet captures of a port's frames to a reader's socket (see the .h) */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "daemon/switch/switch_capture.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_mirror.h"
#include "util/compiler.h"
#include "util/log.h"

/* the daemon's end's send buffer: a burst of full-size frames, and then some */
#define CAPTURE_SNDBUF (4 << 20)

/**
 * struct capture - a running capture; a free slot has @port NULL
 * @port:	the port it copies
 * @fd:		the daemon's end of the socket pair
 * @info:	what capture.list shows, counters included
 */
struct capture {
	struct kv_port *port;
	int fd;
	struct switch_capture_info info;
};

static struct capture captures[CTL_CAPTURE_MAX];
static unsigned int n_captures;
static uint64_t capture_next_id = 1;

void switch_copy_update(struct kv_port *p)
{
	unsigned int dir = switch_mirror_dirs(p);

	for (unsigned int i = 0; i < CTL_CAPTURE_MAX; i++)
		if (captures[i].port == p)
			dir |= captures[i].info.dir;
	p->copy = (uint8_t)dir;
}

static void capture_end(struct capture *c)
{
	struct kv_port *p = c->port;

	log_info("port %s: capture %llu ended: %llu frames, %llu dropped", p->name,
		 (unsigned long long)c->info.id, (unsigned long long)c->info.captured,
		 (unsigned long long)c->info.dropped);
	close(c->fd);
	c->port = NULL;
	c->fd = -1;
	n_captures--;
	switch_copy_update(p);
}

int switch_capture_add(struct kv_port *p, unsigned int dir, uint64_t count, uint32_t snaplen,
		       int *reader, uint64_t *id, char *err, size_t errlen)
{
	int sndbuf = CAPTURE_SNDBUF, fds[2], on_port = 0;
	struct capture *c = NULL;

	for (unsigned int i = 0; i < CTL_CAPTURE_MAX; i++) {
		if (captures[i].port == p)
			on_port++;
		else if (!captures[i].port && !c)
			c = &captures[i];
	}
	if (on_port >= CTL_CAPTURE_PER_PORT) {
		snprintf(err, errlen,
			 "port %s: already %d captures running, the most a port may have", p->name,
			 on_port);
		return -ENOSPC;
	}
	if (!c) {
		snprintf(err, errlen,
			 "port %s: %d captures already running in kvnetd, the most it takes",
			 p->name, CTL_CAPTURE_MAX);
		return -ENOSPC;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds)) {
		snprintf(err, errlen, "port %s: socketpair for a capture: %s", p->name,
			 strerror(errno));
		return -errno;
	}
	/* SO_SNDBUFFORCE passes wmem_max with CAP_NET_ADMIN; without it, what we get */
	if (setsockopt(fds[0], SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	*c = (struct capture){ .port = p, .fd = fds[0] };
	c->info = (struct switch_capture_info){
		.id = capture_next_id++, .dir = dir, .count = count, .snaplen = snaplen
	};
	snprintf(c->info.port, sizeof(c->info.port), "%s", p->name);
	n_captures++;
	switch_copy_update(p);
	*reader = fds[1];
	*id = c->info.id;
	log_info("port %s: capture %llu started", p->name, (unsigned long long)c->info.id);
	return 0;
}

size_t switch_capture_list(struct switch_capture_info *out, size_t max)
{
	size_t n = 0;

	for (unsigned int i = 0; i < CTL_CAPTURE_MAX; i++) {
		if (!captures[i].port)
			continue;
		if (n < max)
			out[n] = captures[i].info;
		n++;
	}
	return n;
}

static uint64_t capture_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* one frame to @c's reader. Return: false if the capture is over */
static bool capture_send(struct capture *c, unsigned int dir, const struct frame *f, uint64_t ts)
{
	struct ctl_capture_rec rec = {
		.ts_ns = ts,
		.orig_len = f->len,
		.dropped = c->info.dropped > UINT32_MAX ? UINT32_MAX : (uint32_t)c->info.dropped,
		.dir = (uint8_t)dir,
	};
	struct iovec iov[2] = {
		{ .iov_base = &rec, .iov_len = sizeof(rec) },
		{ .iov_base = f->data, .iov_len = MIN(f->len, c->info.snaplen) },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

	if (sendmsg(c->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* a full socket is a slow reader: the copy goes, forwarding never waits */
		if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR || errno == EMSGSIZE) {
			c->info.dropped++;
			return true;
		}
		return false;
	}
	c->info.captured++;
	return !c->info.count || c->info.captured < c->info.count;
}

void switch_capture_frames(struct kv_port *p, unsigned int dir, struct frame *const *frames,
			   unsigned int n)
{
	uint64_t ts = 0;

	for (unsigned int i = 0; i < CTL_CAPTURE_MAX; i++) {
		struct capture *c = &captures[i];

		if (c->port != p || !(c->info.dir & dir))
			continue;
		if (!ts)
			ts = capture_clock();
		for (unsigned int k = 0; k < n; k++) {
			if (!capture_send(c, dir, frames[k], ts)) {
				capture_end(c);
				break;
			}
		}
	}
}

void switch_copy_frames(struct kv_port *p, unsigned int dir, struct frame *const *frames,
			unsigned int n)
{
	switch_capture_frames(p, dir, frames, n);
	switch_mirror_frames(p, dir, frames, n);
}

void switch_capture_tick(void)
{
	struct pollfd pfd[CTL_CAPTURE_MAX];
	unsigned int slot[CTL_CAPTURE_MAX], n = 0;

	if (!n_captures)
		return;
	for (unsigned int i = 0; i < CTL_CAPTURE_MAX; i++) {
		if (!captures[i].port)
			continue;
		pfd[n] = (struct pollfd){ .fd = captures[i].fd };
		slot[n++] = i;
	}
	if (poll(pfd, n, 0) <= 0)
		return;
	for (unsigned int k = 0; k < n; k++)
		if (pfd[k].revents & (POLLHUP | POLLERR))
			capture_end(&captures[slot[k]]);
}

void switch_copy_port_del(struct kv_port *p)
{
	for (unsigned int i = 0; i < CTL_CAPTURE_MAX; i++)
		if (captures[i].port == p)
			capture_end(&captures[i]);
	switch_mirror_port_del(p);
}
