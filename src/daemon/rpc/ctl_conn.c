/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctl_conn.c - the control socket's connections: who may connect, how many, how long they
 * may hold a slot, and in what order their requests are served
 *
 * Theory of Operation
 *
 * Any member of kvnetd's --group may connect, so a client is not trusted to behave. One
 * thread serves every client, and each client costs at most one request line in (1 MiB) and
 * one answer out:
 * - A client is read only while it has no whole request waiting and no answer unsent. A
 *   client that pipelines requests and never reads its answers stops being read; its
 *   socket's buffer fills, not kvnetd's memory.
 * - Requests are served one per client per turn, so a client with many waiting requests
 *   does not hold up the others.
 * - Deadlines: a request line must be complete, and an answer read, within
 *   CTL_STALL_SECONDS of the client's last progress; a connection with nothing going on is
 *   closed after CTL_IDLE_SECONDS. The request is answered with the reason where there is
 *   room to say it.
 * - A subscriber (events.subscribe) is exempt from the idle and answer deadlines: it waits
 *   for events, and may be slow to read them. Its notifications wait in its output, at most
 *   CTL_EVENTS_QUEUED bytes of them; past that each one is dropped and counted, and once
 *   there is room again an "events.lost" notification says how many. The datapath never
 *   waits for it (switch_event.h).
 * - Slots: CTL_CLIENTS_MAX connections in all, of which a uid other than root and kvnetd's
 *   own may hold CTL_CLIENTS_PER_UID, and all such uids together all but
 *   CTL_CLIENTS_RESERVED, so that root can always get in.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch_event.h"
#include "util/log.h"

#define CTL_SERVER_TOKEN ((void *)1)
#define CTL_SIGNAL_TOKEN ((void *)2)
#define CTL_EVENT_TOKEN ((void *)3)
/* a subscriber's notifications not yet read, at most */
#define CTL_EVENTS_QUEUED (64u * 1024)
#define CTL_EVENTS_BATCH 256
#define CTL_NS_PER_S 1000000000ull

struct ctl_client {
	int fd;
	uid_t uid;
	bool trusted;	      /* root or kvnetd's own user: not held to the per-uid limits */
	uint32_t events;      /* what epoll watches now */
	uint64_t progress_ns; /* the last byte read or written, or request answered */
	char *in;
	size_t in_len, in_cap;
	size_t line_end; /* in[0..line_end) is a whole request waiting, or 0 */
	char *out;
	size_t out_len, out_off;
	unsigned int subscribed; /* event categories (switch_event.h), 0 if none */
	int pass_fd;		 /* goes with the answer's first bytes (ctl_pass_fd()), or -1 */
	uint64_t lost;		 /* notifications dropped since the last one queued */
	struct ctl_client *next;
};

static gid_t ctl_group = (gid_t)-1;
static struct ctl_client *ctl_clients;
static unsigned int ctl_n_clients;

int ctl_server_open(const char *path, gid_t group, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path '%s' is too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return ret;
	}
	/* the lock file is ours, so a socket here is a stale one from a crash */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0660) ||
	    (group != (gid_t)-1 && chown(path, (uid_t)-1, group)) || listen(fd, 16)) {
		ret = -errno;
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return ret;
	}
	ctl_group = group;
	return fd;
}

/*
 * Who is at @fd: root, our own user (*@trusted), or a member of the configured group.
 * Return: true if allowed, with the uid in @uid; false with the reason in @why
 */
static bool ctl_peer_allowed(int fd, uid_t *uid, bool *trusted, char *why, size_t whylen)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	gid_t groups[256];

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
		snprintf(why, whylen, "cannot tell who the peer is: %s", strerror(errno));
		return false;
	}
	*uid = cred.uid;
	*trusted = cred.uid == 0 || cred.uid == geteuid();
	if (*trusted)
		return true;
	if (ctl_group != (gid_t)-1) {
		if (cred.gid == ctl_group)
			return true;
		len = sizeof(groups);
		if (!getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len)) {
			for (size_t i = 0; i < len / sizeof(gid_t); i++)
				if (groups[i] == ctl_group)
					return true;
		}
	}
	snprintf(why, whylen, "permission denied: uid %u is not root and not in kvnetd's group",
		 (unsigned int)cred.uid);
	return false;
}

/* Return: true if a new connection of @uid fits, else false with the reason in @why */
static bool ctl_slot_free(uid_t uid, bool trusted, char *why, size_t whylen)
{
	unsigned int mine = 0, untrusted = 0;

	for (const struct ctl_client *c = ctl_clients; c; c = c->next) {
		mine += c->uid == uid;
		untrusted += !c->trusted;
	}
	if (ctl_n_clients >= CTL_CLIENTS_MAX ||
	    (!trusted && untrusted >= CTL_CLIENTS_MAX - CTL_CLIENTS_RESERVED)) {
		snprintf(why, whylen, "too many clients (at most %d)", CTL_CLIENTS_MAX);
		return false;
	}
	if (!trusted && mine >= CTL_CLIENTS_PER_UID) {
		snprintf(why, whylen, "too many connections of uid %u (at most %d at once)",
			 (unsigned int)uid, CTL_CLIENTS_PER_UID);
		return false;
	}
	return true;
}

/* a one-line error answer to @fd, best effort: the peer is being turned away */
static void ctl_say(int fd, int code, const char *why)
{
	char *line = ctl_answer_error(code, why);

	if (line && send(fd, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
		send(fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	free(line);
}

/* what the subscribers want, @gone excepted: recorded from now on (switch_event_want()) */
static void ctl_events_want_update(const struct ctl_client *gone)
{
	unsigned int want = 0;

	for (const struct ctl_client *c = ctl_clients; c; c = c->next)
		if (c != gone)
			want |= c->subscribed;
	switch_event_want(want);
}

static void ctl_client_close(int epfd, struct ctl_client *c)
{
	struct ctl_client **pp;

	for (pp = &ctl_clients; *pp != c; pp = &(*pp)->next)
		;
	*pp = c->next;
	if (c->subscribed)
		ctl_events_want_update(c);
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	if (c->pass_fd >= 0)
		close(c->pass_fd);
	free(c->in);
	free(c->out);
	free(c);
	ctl_n_clients--;
}

/* watch @c for what it may do next: write its answer, else read if nothing waits. Return: 0/-1 */
static int ctl_client_watch(int epfd, struct ctl_client *c)
{
	struct epoll_event ev = { .data.ptr = c };

	if (c->out_off < c->out_len)
		ev.events = EPOLLOUT;
	else if (!c->line_end)
		ev.events = EPOLLIN;
	if (ev.events == c->events)
		return 0;
	c->events = ev.events;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void ctl_client_accept(int epfd, int listen_fd, uint64_t now)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ctl_client *c;
	bool trusted = false;
	uid_t uid = (uid_t)-1;
	char why[160];
	int fd;

	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (!ctl_peer_allowed(fd, &uid, &trusted, why, sizeof(why)) ||
	    !ctl_slot_free(uid, trusted, why, sizeof(why))) {
		log_warn("control client refused: %s", why);
		ctl_say(fd, CTL_ERR_PERM, why);
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->pass_fd = -1;
	c->uid = uid;
	c->trusted = trusted;
	c->events = EPOLLIN;
	c->progress_ns = now;
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		free(c);
		return;
	}
	c->next = ctl_clients;
	ctl_clients = c;
	ctl_n_clients++;
}

/* append @line and a newline to @c's output. Return: 0, or -1 if out of memory */
static int ctl_client_queue(struct ctl_client *c, const char *line, size_t n)
{
	char *out;

	if (c->out_off) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	out = realloc(c->out, c->out_len + n + 1);
	if (!out)
		return -1;
	c->out = out;
	memcpy(c->out + c->out_len, line, n);
	c->out[c->out_len + n] = '\n';
	c->out_len += n + 1;
	return 0;
}

#define CTL_LOST_LINE_MAX 128

/* queue the events.lost notification @c is owed, if any. Return: 0, or -1 if out of memory */
static int ctl_client_queue_lost(struct ctl_client *c)
{
	char lost[CTL_LOST_LINE_MAX];
	int len;

	if (!c->lost)
		return 0;
	len = snprintf(lost, sizeof(lost),
		       "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":"
		       "{\"event\":\"events.lost\",\"count\":%llu}}",
		       (unsigned long long)c->lost);
	if (ctl_client_queue(c, lost, (size_t)len))
		return -1;
	c->lost = 0;
	return 0;
}

/*
 * send @c's output from out_off, with c->pass_fd as SCM_RIGHTS if there is one: the answer
 * that carries it starts a buffer (it is queued only when all before it was written), so
 * the descriptor arrives with its first bytes. Return: as send()
 */
static ssize_t ctl_client_send(struct ctl_client *c)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { c->out + c->out_off, c->out_len - c->out_off };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t w;

	if (c->pass_fd < 0)
		return send(c->fd, iov.iov_base, iov.iov_len, MSG_NOSIGNAL | MSG_DONTWAIT);
	memset(&ctrl, 0, sizeof(ctrl));
	msg.msg_control = ctrl.buf;
	msg.msg_controllen = sizeof(ctrl.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &c->pass_fd, sizeof(int));
	w = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (w > 0) {
		close(c->pass_fd);
		c->pass_fd = -1;
	}
	return w;
}

/* write what the socket takes now. Return: 0, or -1 if the client is to be closed */
static int ctl_client_flush(int epfd, struct ctl_client *c, uint64_t now)
{
	while (c->out_off < c->out_len) {
		ssize_t w = ctl_client_send(c);

		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			return -1;
		}
		c->out_off += (size_t)w;
		c->progress_ns = now;
	}
	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		/* all read: a subscriber that lost some hears how many now, not at the next one */
		if (c->lost && !ctl_client_queue_lost(c))
			return ctl_client_flush(epfd, c, now);
	}
	return ctl_client_watch(epfd, c);
}

/* where the first whole line of c->in ends (past its newline), or 0 */
static size_t ctl_client_line(const struct ctl_client *c)
{
	const char *nl = memchr(c->in, '\n', c->in_len);

	return nl ? (size_t)(nl - c->in) + 1 : 0;
}

/* read what is there, up to one whole line. Return: 0, or -1 if the client is to be closed */
static int ctl_client_read(int epfd, struct ctl_client *c, uint64_t now)
{
	ssize_t n;

	if (c->in_cap - c->in_len < 65536) {
		size_t cap = c->in_cap ? c->in_cap * 2 : 65536;
		char *in = realloc(c->in, cap);

		if (!in)
			return -1;
		c->in = in;
		c->in_cap = cap;
	}
	n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	c->in_len += (size_t)n;
	c->progress_ns = now;
	c->line_end = ctl_client_line(c);
	if (!c->line_end && c->in_len >= CTL_LINE_MAX) {
		ctl_say(c->fd, CTL_ERR_INVALID_REQUEST, "request line longer than 1 MiB");
		return -1;
	}
	return ctl_client_watch(epfd, c);
}

/* answer @c's first waiting request and queue the answer. Return: 0, or -1 to close it */
static int ctl_client_serve(int epfd, struct ctl_client *c, uint64_t now)
{
	size_t used = c->line_end;
	char *answer = ctl_handle_line(c->in, used - 1);
	int pass_fd = ctl_pass_fd_take();
	unsigned int sub;

	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
	c->line_end = ctl_client_line(c);
	c->progress_ns = now;
	if (answer) {
		int ret = ctl_client_queue(c, answer, strlen(answer));

		free(answer);
		if (ret) {
			if (pass_fd >= 0)
				close(pass_fd);
			return -1;
		}
		if (c->pass_fd >= 0)
			close(c->pass_fd);
		c->pass_fd = pass_fd;
	} else if (pass_fd >= 0) {
		/* a notification has no answer to carry it: its end closes, so does the capture */
		close(pass_fd);
	}
	/* events.subscribe: notifications come after its answer */
	sub = ctl_events_take();
	if (sub) {
		c->subscribed = sub;
		ctl_events_want_update(NULL);
	}
	return ctl_client_flush(epfd, c, now);
}

/* Return: why @c has overstayed, with its allowance in *@secs, or NULL */
static const char *ctl_client_overdue(const struct ctl_client *c, uint64_t now, unsigned int *secs)
{
	uint64_t quiet = now - c->progress_ns;

	*secs = CTL_STALL_SECONDS;
	/* a subscriber waits for events, and reads them when it can (they are bounded) */
	if (c->subscribed && !(c->in_len && !c->line_end))
		return NULL;
	if (c->out_off < c->out_len && quiet >= CTL_STALL_SECONDS * CTL_NS_PER_S)
		return "its answer was not read";
	if (c->in_len && !c->line_end && quiet >= CTL_STALL_SECONDS * CTL_NS_PER_S)
		return "request line not completed";
	*secs = CTL_IDLE_SECONDS;
	if (!c->in_len && c->out_off == c->out_len && quiet >= CTL_IDLE_SECONDS * CTL_NS_PER_S)
		return "idle";
	return NULL;
}

/* queue @line (@n bytes) for @c, or count it lost if @c has too much unread */
static void ctl_client_notify(int epfd, struct ctl_client *c, const char *line, size_t n,
			      uint64_t now)
{
	if (c->out_len - c->out_off + n + CTL_LOST_LINE_MAX > CTL_EVENTS_QUEUED) {
		c->lost++;
		return;
	}
	if (ctl_client_queue_lost(c))
		return;
	if (ctl_client_queue(c, line, n))
		c->lost++;
	else if (c->out_off == 0 && c->out_len == n + 1)
		ctl_client_flush(epfd, c, now);
}

/* hand the events waiting in the ring to their subscribers */
static void ctl_events_deliver(int epfd, uint64_t now)
{
	static struct switch_event batch[CTL_EVENTS_BATCH];
	unsigned int n;

	do {
		n = switch_event_drain(batch, CTL_EVENTS_BATCH);
		for (unsigned int i = 0; i < n; i++) {
			unsigned int cls = switch_event_class_of(batch[i].kind);
			char *line = NULL;
			size_t len = 0;

			for (struct ctl_client *c = ctl_clients; c; c = c->next) {
				if (!(c->subscribed & cls))
					continue;
				if (!line) {
					line = ctl_event_line(&batch[i]);
					if (!line)
						break;
					len = strlen(line);
				}
				if (batch[i].kind == SWITCH_EV_LOST)
					c->lost += batch[i].count;
				else
					ctl_client_notify(epfd, c, line, len, now);
			}
			free(line);
		}
	} while (n == CTL_EVENTS_BATCH);
	for (struct ctl_client *c = ctl_clients; c; c = c->next)
		if (c->subscribed)
			ctl_client_watch(epfd, c);
}

/*
 * Close every client that overstayed; serve one waiting request of each other.
 * Return: how many still have one waiting
 */
static unsigned int ctl_clients_turn(int epfd, uint64_t now)
{
	struct ctl_client *c, *next;
	unsigned int waiting = 0, secs;
	const char *why;
	char msg[160];

	for (c = ctl_clients; c; c = next) {
		next = c->next;
		why = ctl_client_overdue(c, now, &secs);
		if (why) {
			snprintf(msg, sizeof(msg), "connection closed: %s for %u s", why, secs);
			log_info("control client (uid %u): %s", (unsigned int)c->uid, msg);
			if (c->out_off == c->out_len)
				ctl_say(c->fd, CTL_ERR_INVALID_REQUEST, msg);
			ctl_client_close(epfd, c);
			continue;
		}
		if (c->line_end && c->out_off == c->out_len && ctl_client_serve(epfd, c, now)) {
			ctl_client_close(epfd, c);
			continue;
		}
		waiting += c->line_end && c->out_off == c->out_len;
	}
	return waiting;
}

int ctl_server_run(int listen_fd, int signal_fd, void (*tick)(void))
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[16];
	int epfd = epoll_create1(EPOLL_CLOEXEC), signo = 0, event_fd;
	uint64_t last_tick = datapath_now();
	unsigned int waiting = 0;

	if (epfd < 0)
		return -1;
	ev.data.ptr = CTL_SERVER_TOKEN;
	epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev);
	ev.data.ptr = CTL_SIGNAL_TOKEN;
	epoll_ctl(epfd, EPOLL_CTL_ADD, signal_fd, &ev);
	event_fd = switch_event_init();
	if (event_fd >= 0) {
		ev.data.ptr = CTL_EVENT_TOKEN;
		epoll_ctl(epfd, EPOLL_CTL_ADD, event_fd, &ev);
	} else {
		log_warn("no events for subscribers: eventfd: %s", strerror(-event_fd));
	}

	while (!signo) {
		/* a client with a request waiting is served at once; deadlines need a clock */
		int n = epoll_wait(epfd, evs, 16, waiting ? 0 : 1000);
		uint64_t now = datapath_now();

		if (tick && now - last_tick >= CTL_NS_PER_S) {
			last_tick = now;
			tick();
		}
		for (int i = 0; i < n && !signo; i++) {
			struct ctl_client *c = evs[i].data.ptr;
			int ret;

			if (c == CTL_SERVER_TOKEN) {
				ctl_client_accept(epfd, listen_fd, now);
				continue;
			}
			if (c == CTL_EVENT_TOKEN) {
				ctl_events_deliver(epfd, now);
				continue;
			}
			if (c == CTL_SIGNAL_TOKEN) {
				struct signalfd_siginfo si;

				if (read(signal_fd, &si, sizeof(si)) == sizeof(si))
					signo = (int)si.ssi_signo;
				continue;
			}
			if (evs[i].events & (EPOLLERR | EPOLLHUP) && !(evs[i].events & EPOLLIN))
				ret = -1;
			else if (evs[i].events & EPOLLOUT)
				ret = ctl_client_flush(epfd, c, now);
			else
				ret = ctl_client_read(epfd, c, now);
			if (ret) {
				ctl_client_close(epfd, c);
				/* a later event in this batch may name the freed client */
				break;
			}
		}
		waiting = ctl_clients_turn(epfd, datapath_now());
	}
	while (ctl_clients)
		ctl_client_close(epfd, ctl_clients);
	close(epfd);
	return signo;
}
