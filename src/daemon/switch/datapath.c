/* SPDX-License-Identifier: GPL-2.0-or-later */
/* datapath.c - the forwarding thread: epoll over the ports' back-ends, bursts through the core
 *
 * Theory of Operation
 * One thread owns the frame buffers: a burst's worth for receiving and a
 * burst's worth of spares for the copies the core makes when a flood needs
 * two tag forms. When a port's descriptor is readable it reads a burst,
 * runs it through the port's bridge, hands each output list to its port's
 * back-end, and gives the spares back; everything is synchronous, so after
 * the sends every buffer is free again and nothing is allocated per frame.
 * Up to DP_ROUNDS bursts are taken from one port per wake-up so that a busy
 * port cannot starve the others (epoll is level-triggered: the rest waits).
 * A stream port reads its socket in large gulps, so frames can wait in its
 * own buffer with nothing left for epoll to see: such a port goes on a list
 * that is served again on the next round, which then does not sleep.
 *
 * A port's rate limits (core/shaper.h, its <bandwidth>) are enforced on either side of the
 * core: what it sends in is shaped before bridge_input(), what the core lists for it before
 * its back-end sends. A frame over the limit is dropped and counted (shaped-rx, shaped-tx);
 * for every back-end alike, sockets included.
 *
 * Once a second it ages the FDBs, looks at ports whose link went down,
 * lets socket ports look for their peer (port/peer.c) and ticks the
 * spanning trees. A socket port's link follows its peer, checked after each
 * call into its back-end. BPDUs that the core put in the control list go
 * to their switch's spanning tree (stp_rx()); what the tree sends back goes
 * out at once from one more buffer of the thread's own (datapath_tx_copy()).
 *
 * Busy polling. A wake-up costs the forwarding of a frame many times over (the thread sleeps
 * in epoll_wait, the kernel wakes it, it is scheduled): a ping through the switch paid two of
 * them. So after a wake-up that found frames the thread polls again without sleeping
 * (epoll_wait with no timeout) for a bounded time, the busy-poll window (kvnetd --busy-poll
 * USEC, datapath_set_busy_poll()); every poll that finds frames opens the window again. The
 * answer to a frame just forwarded, or the next frame of a stream, is then taken as soon as
 * it is there. With nothing to forward the window closes and the thread sleeps as before, so
 * an idle switch costs no CPU; under a steady trickle it costs up to one window per frame.
 *
 * Backpressure. When a port's back-end cannot take more (its tap or socket queue is full, or a
 * socket port's own queue is backed up: port.h's tx_busy), reading on and dropping would
 * only move the loss here. So the port is marked busy and polled for EPOLLOUT, and the port
 * whose burst went to it alone stops being read (its EPOLLIN is taken out of the set): the
 * frames wait in the kernel's queue on the sender's side, which slows or drops there, as a
 * kernel bridge's sender is held up by a full queue. What the busy port did not take of that
 * burst is dropped and counted (tx-full). When the port can take frames again (EPOLLOUT, or a
 * socket port's queue drained on its wake-up), every paused port is read again; one that
 * still feeds a busy port is paused again after one burst. Two bounds keep one port from
 * holding the switch: a burst that also went to other ports (a flood) never pauses its
 * input, the busy port's share of it is simply dropped; and a port busy for longer than
 * DP_STUCK_NS without taking a frame (a VM that stopped reading) is stuck: its inputs are
 * read again and what is meant for it is dropped at once and counted (tx-blocked), until it
 * can take frames again. A socket port with a queue of its own is busy while the queue
 * drains, which may take long for a slow peer: each wake-up that finds room there counts as
 * progress.
 *
 * Each epoll registration carries a slot and a generation, not a pointer:
 * a port removed while its event was waiting is recognised and skipped.
 * The control thread takes the lock through datapath_lock(); the thread
 * steps aside when it sees the control side waiting, so configuration
 * changes are never starved by traffic.
 */

#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "daemon/switch/datapath.h"
#include "core/eth.h"
#include "core/fdb.h"
#include "core/stp.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_backend.h"
#include "daemon/switch/switch_capture.h"
#include "daemon/switch/switch_guard.h"
#include "util/compiler.h"
#include "util/log.h"

#define DP_SLOTS 8192
#define DP_ROUNDS 4
#define DP_EVENTS 64
#define DP_TICK_NS 1000000000ull
/* FDB slots the ageing sweep looks at a tick: the default table (131072) in 2 s */
#define DP_AGE_SLOTS 65536
#define DP_STOP_TOKEN UINT64_MAX
#define DP_BUSY_POLL_US_DEFAULT 50
/* a port busy longer than this is stuck: its inputs are read again, its frames dropped */
#define DP_STUCK_NS 100000000ull
/* the longest sleep while a port is busy, so that it is found stuck in time */
#define DP_BUSY_WAIT_MS 10

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	atomic_uint ctl_waiting;
	int epfd;
	int stop_fd;
	int ioctl_fd;
	struct kv_port *slots[DP_SLOTS];
	uint32_t gen[DP_SLOTS];
	uint64_t more[DP_SLOTS];
	uint64_t serving[DP_SLOTS];
	unsigned int n_more;
	uint64_t busy[DP_SLOTS];
	unsigned int n_busy;
	uint64_t paused[DP_SLOTS];
	unsigned int n_paused;
	uint8_t *bufs;
	struct frame rx[BRIDGE_BURST_MAX];
	struct frame *rxp[BRIDGE_BURST_MAX];
	struct frame spares[BRIDGE_BURST_MAX];
	struct frame ctl_tx;
	uint64_t next_tick;
	uint64_t busy_ns;
	uint64_t busy_until;
} dp = { .lock = PTHREAD_MUTEX_INITIALIZER,
	 .epfd = -1,
	 .stop_fd = -1,
	 .ioctl_fd = -1,
	 .busy_ns = DP_BUSY_POLL_US_DEFAULT * 1000ull };

int datapath_set_busy_poll(unsigned long usec)
{
	if (usec > DATAPATH_BUSY_POLL_MAX_US)
		return -EINVAL;
	dp.busy_ns = (uint64_t)usec * 1000;
	vhost_user_busy_poll(usec); /* its ports poll their guests' rings as long */
	return 0;
}

uint64_t datapath_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void datapath_lock(void)
{
	atomic_fetch_add(&dp.ctl_waiting, 1);
	pthread_mutex_lock(&dp.lock);
	atomic_fetch_sub(&dp.ctl_waiting, 1);
}

void datapath_unlock(void)
{
	pthread_mutex_unlock(&dp.lock);
}

static inline uint64_t dp_token(uint32_t slot)
{
	return (uint64_t)dp.gen[slot] << 32 | slot;
}

static struct kv_port *dp_port_of(uint64_t token)
{
	uint32_t slot = (uint32_t)token;

	if (slot >= DP_SLOTS || dp.gen[slot] != (uint32_t)(token >> 32))
		return NULL;
	return dp.slots[slot];
}

/*
 * @p's interface is up and has carrier; false when it is gone or another interface has
 * taken its name (the socket stays bound to the old one, so the port is dead for good);
 * true when that cannot be told (it is then left to errors). Carrier is asked of the driver
 * (ETHTOOL_GLINK): IFF_RUNNING follows the operational state, which the kernel updates a
 * moment later, so a tap just made without carrier is "running" for a while.
 */
static bool dp_carrier(const struct kv_port *p)
{
	struct ethtool_value link = { .cmd = ETHTOOL_GLINK };
	struct ifreq ifr = { 0 };

	if ((int)if_nametoindex(p->name) != p->be->ifindex)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->name);
	if (ioctl(dp.ioctl_fd, SIOCGIFFLAGS, &ifr))
		return true;
	if (!(ifr.ifr_flags & IFF_UP))
		return false;
	ifr.ifr_data = (char *)&link;
	if (!ioctl(dp.ioctl_fd, SIOCETHTOOL, &ifr))
		return link.data;
	return ifr.ifr_flags & IFF_RUNNING;
}

int datapath_port_add(struct kv_port *p)
{
	struct epoll_event ev = { .events = EPOLLIN };
	uint32_t slot;

	for (slot = 0; slot < DP_SLOTS && dp.slots[slot]; slot++)
		;
	if (slot == DP_SLOTS)
		return -ENOSPC;
	dp.gen[slot]++;
	ev.data.u64 = dp_token(slot);
	if (epoll_ctl(dp.epfd, EPOLL_CTL_ADD, p->be->fd, &ev))
		return -errno;
	dp.slots[slot] = p;
	p->dp_slot = slot;
	/* a tap no QEMU holds yet has no carrier: down from the start, not until the tick */
	if (p->type == KV_PORT_DEV)
		p->link_up = dp_carrier(p);
	return 0;
}

void datapath_port_del(struct kv_port *p)
{
	/* the fd may already be out of the set (a dead tap): ENOENT is fine */
	epoll_ctl(dp.epfd, EPOLL_CTL_DEL, p->be->fd, NULL);
	dp.slots[p->dp_slot] = NULL;
	dp.gen[p->dp_slot]++;
}

/* A back-end said its port is unusable: -ENXIO is for good (the tap is gone). */
static void dp_port_failed(struct kv_port *p, int err)
{
	static struct log_ratelimit rl = LOG_RATELIMIT_INIT;

	if (p->link_up && log_ratelimit_ok(&rl))
		log_warn("port %s: %s", p->name, strerror(-err));
	switch_port_set_link(p, false);
	if (err == -ENXIO)
		epoll_ctl(dp.epfd, EPOLL_CTL_DEL, p->be->fd, NULL);
}

/*
 * A socket port's link is its peer: up while QEMU is connected, down (which flushes the
 * port's learned addresses) when it hangs up, is killed or breaks the framing.
 */
static void dp_sync_peer(struct kv_port *p)
{
	bool up = !p->be->no_peer;

	if (p->type != KV_PORT_SOCKET || up == p->link_up)
		return;
	if (up)
		log_info("port %s: peer connected", p->name);
	else if (p->be->peer_err == -EPROTO)
		log_warn("port %s: peer broke the framing (a length of 0 or over 65535): "
			 "connection dropped",
			 p->name);
	else
		log_info("port %s: peer gone (%s)", p->name, strerror(-p->be->peer_err));
	switch_port_set_link(p, up);
}

/*
 * The frames of @in (@n of them) that @s lets pass at @now, into @pass; the others are counted
 * on port @no (received and not forwarded for @rx, else listed and not sent).
 * Return: how many passed
 */
static unsigned int dp_shape(struct kv_switch *sw, uint16_t no, struct shaper *s, bool rx,
			     struct frame *const *in, unsigned int n, uint64_t now,
			     struct frame **pass)
{
	unsigned int m = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (shaper_pass(s, in[i]->len, now))
			pass[m++] = in[i];
		else
			bridge_port_count_shaped(sw->br, no, rx, in[i]->len);
	}
	return m;
}

/* what @p is polled for: input unless paused, output room while busy */
static void dp_rearm(struct kv_port *p)
{
	struct epoll_event ev = {
		.events = (p->dp_paused ? 0u : EPOLLIN) | (p->dp_busy_since ? EPOLLOUT : 0u),
		.data.u64 = dp_token(p->dp_slot),
	};

	/* ENOENT: a dead tap already taken out of the set */
	epoll_ctl(dp.epfd, EPOLL_CTL_MOD, p->be->fd, &ev);
}

/* read every paused port again; one with frames in a buffer of its own is served at once */
static void dp_resume_all(void)
{
	for (unsigned int i = 0; i < dp.n_paused; i++) {
		struct kv_port *p = dp_port_of(dp.paused[i]);

		if (!p || !p->dp_paused)
			continue;
		p->dp_paused = false;
		dp_rearm(p);
		if (p->be->rx_more && !p->dp_more) {
			p->dp_more = true;
			dp.more[dp.n_more++] = dp_token(p->dp_slot);
		}
	}
	dp.n_paused = 0;
}

/*
 * @q's back-end is busy after a burst from @in; @alone: the burst went to @q only. Poll @q for
 * room and, unless @q is stuck or the burst was a flood, stop reading @in.
 */
static void dp_busy(struct kv_port *q, struct kv_port *in, bool alone, uint64_t now)
{
	if (!q->dp_busy_since) {
		if (dp.n_busy == DP_SLOTS)
			return;
		q->dp_busy_since = now;
		dp.busy[dp.n_busy++] = dp_token(q->dp_slot);
		dp_rearm(q);
	}
	if (!alone || q->dp_stuck || !in || in == q || in->dp_paused || dp.n_paused == DP_SLOTS)
		return;
	in->dp_paused = true;
	dp.paused[dp.n_paused++] = dp_token(in->dp_slot);
	dp_rearm(in);
}

/* @q can take frames again: its inputs are read again */
static void dp_unbusy(struct kv_port *q)
{
	uint64_t token = dp_token(q->dp_slot);

	q->dp_busy_since = 0;
	q->dp_stuck = false;
	for (unsigned int i = 0; i < dp.n_busy; i++) {
		if (dp.busy[i] == token) {
			dp.busy[i] = dp.busy[--dp.n_busy];
			break;
		}
	}
	dp_rearm(q);
	dp_resume_all();
}

/*
 * Busy ports whose time is up are stuck: their inputs are read again. A busy port removed
 * leaves the list, and the ports it held up are read again.
 */
static void dp_check_busy(uint64_t now)
{
	static struct log_ratelimit rl = LOG_RATELIMIT_INIT;

	for (unsigned int i = 0; i < dp.n_busy;) {
		struct kv_port *q = dp_port_of(dp.busy[i]);

		if (!q || !q->dp_busy_since) {
			dp.busy[i] = dp.busy[--dp.n_busy];
			dp_resume_all();
			continue;
		}
		if (!q->dp_stuck && now - q->dp_busy_since >= DP_STUCK_NS) {
			q->dp_stuck = true;
			if (log_ratelimit_ok(&rl))
				log_warn("port %s: takes no frames for %llu ms: dropping what is "
					 "meant for it (tx-blocked) until it does",
					 q->name, DP_STUCK_NS / 1000000);
			dp_resume_all();
		}
		i++;
	}
}

static void dp_send(struct kv_switch *sw, const struct bridge_out *out, uint64_t now,
		    struct kv_port *in)
{
	struct frame *pass[BRIDGE_BURST_MAX];

	for (unsigned i = 0; i < out->n_active; i++) {
		const struct bridge_tx *tx = &out->tx[out->active[i]];
		struct kv_port *q = sw->by_no[out->active[i]];
		struct frame **frames = (struct frame **)tx->frames;
		unsigned int n = tx->n;
		int r;

		if (!q || !q->link_up)
			continue;
		if (q->shape_tx.on) {
			n = dp_shape(sw, q->no, &q->shape_tx, false, frames, n, now, pass);
			frames = pass;
			if (!n)
				continue;
		}
		if (q->dp_stuck) {
			q->dp_tx_blocked += n;
			continue;
		}
		/* capture and mirrors (switch_capture.h): one test when nobody watches */
		if (unlikely(q->copy & SWITCH_COPY_OUT))
			switch_copy_frames(q, SWITCH_COPY_OUT, frames, n);
		r = q->be->ops->tx_burst(q->be, frames, n);
		if (r < 0)
			dp_port_failed(q, r);
		else if (q->be->tx_busy)
			dp_busy(q, in, out->n_active == 1, now);
		dp_sync_peer(q);
	}
}

int datapath_tx_copy(struct kv_port *p, const uint8_t *data, size_t len)
{
	struct frame *f = &dp.ctl_tx;

	if (!dp.bufs)
		return -ENETDOWN;
	if (len > FRAME_MAX_LEN)
		return -EMSGSIZE;
	frame_init(f, dp.bufs + (size_t)2 * BRIDGE_BURST_MAX * FRAME_BUF_SIZE, FRAME_BUF_SIZE);
	memcpy(f->data, data, len);
	f->len = (uint32_t)len;
	if (unlikely(p->copy & SWITCH_COPY_OUT))
		switch_copy_frames(p, SWITCH_COPY_OUT, &f, 1);
	return p->be->ops->tx_burst(p->be, &f, 1);
}

/* BPDUs to the switch's spanning tree; the other link-local frames have no taker yet */
static void dp_control(struct kv_switch *sw, const struct bridge_out *out, uint64_t now)
{
	static const uint8_t stp_group[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };

	for (unsigned i = 0; i < out->n_control; i++) {
		const struct frame *f = out->control[i];

		if (sw->stp && !memcmp(f->data, stp_group, ETH_ALEN))
			stp_rx(sw->stp, f->port, f->data, f->len, now);
	}
}

/* Return: frames read from @p */
static unsigned int dp_port_poll(struct kv_port *p, uint64_t now)
{
	struct kv_switch *sw = p->sw;
	struct bridge_out *out = sw->out;
	struct frame *pass[BRIDGE_BURST_MAX];
	unsigned int got = 0;

	for (int round = 0; round < DP_ROUNDS; round++) {
		struct frame **in = dp.rxp;
		unsigned int m;
		int n;

		for (unsigned i = 0; i < BRIDGE_BURST_MAX; i++)
			frame_init(&dp.rx[i], dp.bufs + (size_t)i * FRAME_BUF_SIZE, FRAME_BUF_SIZE);
		n = p->be->ops->rx_burst(p->be, dp.rxp, BRIDGE_BURST_MAX);
		if (n < 0) {
			dp_port_failed(p, n);
			return got;
		}
		dp_sync_peer(p);
		if (n == 0)
			return got;
		got += (unsigned int)n;
		if (!p->link_up)
			switch_port_set_link(p, true);
		m = (unsigned int)n;
		/* capture and mirrors: the frames as received, before the core changes them */
		if (unlikely(p->copy & SWITCH_COPY_IN))
			switch_copy_frames(p, SWITCH_COPY_IN, dp.rxp, m);
		if (p->shape_rx.on) {
			/* a separate list: dp.rxp must keep every buffer for the next round */
			m = dp_shape(sw, p->no, &p->shape_rx, true, dp.rxp, m, now, pass);
			in = pass;
		}
		if (m) {
			bridge_input(sw->br, p->no, in, m, now, out);
			switch_port_bpdu_check(p);
			dp_send(sw, out, now, p);
			dp_control(sw, out, now);
			for (unsigned i = 0; i < out->n_clones; i++)
				out->spare[out->n_spare++] = out->clones[i];
			out->n_clones = 0;
		}
		if (n < BRIDGE_BURST_MAX || p->dp_paused)
			return got;
	}
	return got;
}

/*
 * Serve @p's input; a back-end that has frames buffered beyond what one wake-up takes (a
 * stream port reads up to 256 KiB at once) goes on the list to serve again without waiting:
 * its fd will not be readable for them.
 * Return: frames read
 */
static unsigned int dp_port_serve(struct kv_port *p, uint64_t now)
{
	unsigned int got;

	/* paused after its events were taken; dp_resume_all() lists it if it has more */
	if (p->dp_paused)
		return 0;
	got = dp_port_poll(p, now);
	/*
	 * A socket port's own queue drained on this wake-up; or it did not, but a wake-up
	 * with nothing to read was for room to write: the peer is slow, not stuck
	 */
	if (p->dp_busy_since && !p->be->tx_busy)
		dp_unbusy(p);
	else if (p->dp_busy_since && !got && !p->dp_stuck)
		p->dp_busy_since = now;

	if (p->be->rx_more && !p->dp_more) {
		p->dp_more = true;
		dp.more[dp.n_more++] = dp_token(p->dp_slot);
	}
	return got;
}

/* serve once each port that was on the list; those that fill it again wait a round */
static unsigned int dp_serve_more(uint64_t now)
{
	unsigned int n = dp.n_more, got = 0;

	memcpy(dp.serving, dp.more, n * sizeof(dp.more[0]));
	dp.n_more = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct kv_port *p = dp_port_of(dp.serving[i]);

		if (!p)
			continue;
		p->dp_more = false;
		got += dp_port_serve(p, now);
	}
	return got;
}

/*
 * A bridge's port on an interface that went away (or was missing at start) takes the next
 * interface of its name, as an Open vSwitch port does: a veth made again, a NIC whose driver
 * was reloaded. Its socket is bound to the old ifindex, so the back-end is opened anew and
 * takes the old one's place in the epoll set, slot and all. A few system calls, once, on the
 * datapath thread. VM ports are left to QEMU's scripts, which make them again themselves.
 */
static void dp_reattach(struct kv_port *p)
{
	static struct log_ratelimit rl = LOG_RATELIMIT_INIT;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = dp_token(p->dp_slot) };
	struct port *old = p->be, *be;
	unsigned int idx;
	char err[256];

	if (p->link_up || p->vm || p->netns[0])
		return;
	idx = if_nametoindex(p->name);
	if (!idx || (int)idx == old->ifindex)
		return;
	if (switch_backend_open(p->name, false, NULL, 0, NULL, &be, err, sizeof(err))) {
		if (log_ratelimit_ok(&rl))
			log_warn("port %s: interface %s is there again, but: %s", p->name, p->name,
				 err);
		return;
	}
	if (epoll_ctl(dp.epfd, EPOLL_CTL_ADD, be->fd, &ev)) {
		be->ops->destroy(be);
		return;
	}
	epoll_ctl(dp.epfd, EPOLL_CTL_DEL, old->fd, NULL);
	be->rx_errors = old->rx_errors;
	be->tx_errors = old->tx_errors;
	be->tx_full = old->tx_full;
	be->rx_overrun = old->rx_overrun;
	p->be = be;
	dp_rearm(p); /* paused or busy as the old one was */
	old->ops->destroy(old);
	log_info("port %s: interface %s (ifindex %d) attached again", p->name, p->name,
		 be->ifindex);
}

/*
 * An attached interface's link follows its carrier, as a Linux bridge port's does: without
 * carrier (its cable cut, the far end of a veth down, QEMU gone from its tap) the port is
 * down and the spanning tree hears of it; with carrier back, it comes back. An interface
 * that went away, or is another one under the same name, leaves it down until
 * dp_reattach() finds one of its name.
 */
static void dp_check_link(struct kv_port *p)
{
	bool carrier;

	if (p->type != KV_PORT_DEV)
		return;
	dp_reattach(p);
	carrier = dp_carrier(p);
	if (carrier != p->link_up)
		switch_port_set_link(p, carrier);
}

/* joins refused to a port by its mcast_max_groups this second: told once a burst */
static void dp_mcast_limit_log(struct kv_switch *sw, struct mdb *m)
{
	static struct log_ratelimit rl = LOG_RATELIMIT_INIT;

	for (struct kv_port *p = sw->ports; p; p = p->next) {
		uint64_t n = mdb_port_limited_news(m, p->no);

		if (n && log_ratelimit_ok(&rl))
			log_warn("port %s: %llu IGMP/MLD joins refused: it listens to %u groups, "
				 "its mcast_max_groups (counter mcast_group_limit)",
				 p->name, (unsigned long long)n, mdb_n_groups(m, p->no));
	}
}

/*
 * IGMP/MLD snooping's second: memberships that ran out go, and the bridge's querier sends
 * its general queries (mdb.h) out of every port but the host netdev's, as if the host sent
 * them. The first rx buffer is free between polls.
 */
static void dp_mcast_tick(struct kv_switch *sw, uint64_t now)
{
	struct mdb *m = bridge_mdb(sw->br);
	struct frame *f = &dp.rx[0];

	mdb_age(m, now);
	dp_mcast_limit_log(sw, m);
	if (!sw->host)
		return;
	for (int fam = 0; fam < MDB_FAMILY__MAX; fam++) {
		if (!mdb_query_due(m, (enum mdb_family)fam, now))
			continue;
		frame_init(f, dp.bufs, FRAME_BUF_SIZE);
		if (mdb_build_query(f, (enum mdb_family)fam, sw->mac))
			continue;
		bridge_inject(sw->br, sw->host->no, f, now, sw->out);
		dp_send(sw, sw->out, now, NULL); /* no port to pause: the bridge's own frame */
		for (unsigned i = 0; i < sw->out->n_clones; i++)
			sw->out->spare[sw->out->n_spare++] = sw->out->clones[i];
		sw->out->n_clones = 0;
	}
}

static void dp_tick(uint64_t now)
{
	switch_capture_tick();
	for (struct kv_switch *sw = switches; sw; sw = sw->next) {
		/* a slice a tick, so that a big table never holds up forwarding */
		fdb_age_slice(bridge_fdb(sw->br), now, DP_AGE_SLOTS);
		dp_mcast_tick(sw, now);
		if (sw->stp)
			stp_tick(sw->stp, now);
		for (struct kv_port *p = sw->ports; p; p = p->next) {
			dp_check_link(p);
			if (p->be->ops->tick) {
				p->be->ops->tick(p->be);
				dp_sync_peer(p);
			}
		}
	}
	dp.next_tick = now + DP_TICK_NS;
}

static void *dp_thread(void *arg)
{
	struct epoll_event ev[DP_EVENTS];

	(void)arg;
	for (;;) {
		uint64_t now = datapath_now();
		/* within the busy-poll window: look again at once, without sleeping */
		int timeout = now >= dp.next_tick || dp.n_more || now < dp.busy_until
				      ? 0
				      : (int)((dp.next_tick - now) / 1000000) + 1;
		unsigned int got = 0;
		int n;

		if (dp.n_busy && timeout > DP_BUSY_WAIT_MS)
			timeout = DP_BUSY_WAIT_MS;
		n = epoll_wait(dp.epfd, ev, DP_EVENTS, timeout);

		if (n < 0 && errno != EINTR) {
			log_err("datapath: epoll_wait: %s", strerror(errno));
			break;
		}
		pthread_mutex_lock(&dp.lock);
		now = datapath_now();
		for (int i = 0; i < n; i++) {
			struct kv_port *p;

			if (ev[i].data.u64 == DP_STOP_TOKEN) {
				pthread_mutex_unlock(&dp.lock);
				return NULL;
			}
			p = dp_port_of(ev[i].data.u64);
			if (!p)
				continue;
			if ((ev[i].events & EPOLLOUT) && p->dp_busy_since)
				dp_unbusy(p);
			if (ev[i].events & ~EPOLLOUT)
				got += dp_port_serve(p, now);
		}
		got += dp_serve_more(now);
		if (dp.n_busy)
			dp_check_busy(now);
		if (got)
			dp.busy_until = now + dp.busy_ns;
		if (now >= dp.next_tick)
			dp_tick(now);
		pthread_mutex_unlock(&dp.lock);
		while (atomic_load(&dp.ctl_waiting))
			sched_yield();
	}
	return NULL;
}

int datapath_start(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = DP_STOP_TOKEN };
	int err;

	/* rx burst, spares, and one for the spanning trees' BPDUs */
	dp.bufs = malloc((2u * BRIDGE_BURST_MAX + 1) * FRAME_BUF_SIZE);
	dp.epfd = epoll_create1(EPOLL_CLOEXEC);
	dp.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	dp.ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!dp.bufs || dp.epfd < 0 || dp.stop_fd < 0 || dp.ioctl_fd < 0) {
		err = dp.bufs ? -errno : -ENOMEM;
		goto err_free;
	}
	if (epoll_ctl(dp.epfd, EPOLL_CTL_ADD, dp.stop_fd, &ev)) {
		err = -errno;
		goto err_free;
	}
	for (unsigned i = 0; i < BRIDGE_BURST_MAX; i++) {
		dp.rxp[i] = &dp.rx[i];
		frame_init(&dp.spares[i], dp.bufs + (size_t)(BRIDGE_BURST_MAX + i) * FRAME_BUF_SIZE,
			   FRAME_BUF_SIZE);
	}
	dp.next_tick = datapath_now() + DP_TICK_NS;
	err = -pthread_create(&dp.thread, NULL, dp_thread, NULL);
	if (err)
		goto err_free;
	return 0;

err_free:
	datapath_stop();
	return err;
}

void datapath_give_spares(struct bridge_out *out)
{
	for (unsigned i = 0; i < BRIDGE_BURST_MAX; i++)
		out->spare[i] = &dp.spares[i];
	out->n_spare = BRIDGE_BURST_MAX;
}

void datapath_stop(void)
{
	if (dp.thread) {
		uint64_t one = 1;

		if (write(dp.stop_fd, &one, sizeof(one)) == sizeof(one))
			pthread_join(dp.thread, NULL);
		dp.thread = 0;
	}
	if (dp.epfd >= 0)
		close(dp.epfd);
	if (dp.stop_fd >= 0)
		close(dp.stop_fd);
	if (dp.ioctl_fd >= 0)
		close(dp.ioctl_fd);
	free(dp.bufs);
	dp.bufs = NULL;
	dp.epfd = dp.stop_fd = dp.ioctl_fd = -1;
}
