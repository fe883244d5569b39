/* SPDX-License-Identifier: GPL-2.0-or-later */
/* datapath.c - the forwarding threads: epoll over the ports' back-ends, bursts through the core
 *
 * Theory of Operation
 * Each thread owns its frame buffers: a burst's worth for receiving and a
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
 *
 * Threads (kvnetd --threads N, 1 by default). Each thread has its own epoll set, buffers,
 * lists and part of the datapath lock; a port is read by one thread, the one with the fewest
 * ports when it was made (VXLAN ports all by the first: ports on one endpoint hand each other
 * datagrams), so one port's bursts stay in order. A burst is still handled start to end by the
 * thread that read it: its switch's lock is held for the core (bridge_input(), the shapers,
 * STP) and for deciding what goes where, then dropped; each output port's lock is held only
 * for its send, so two threads forward through one switch at once and meet only in the core,
 * never across a system call. The FDB is shared under the switch's lock: a lookup or a learn
 * is tens of nanoseconds against the microseconds of the reads and writes around it.
 * Backpressure pauses the slot (a port's back-end, or one of its queues) a burst was read
 * from, by the thread that read it; a busy port of another thread is watched from that thread
 * (datapath_pressure.c), since its EPOLLOUT is in its own reader's set. The first thread also runs the switches'
 * second (ageing, STP, multicast queries, captures); each thread checks its own ports' links.
 * With one thread none of the locks between threads is taken.
 *
 * Queues. A tap kvnetd makes, or a `dev:` port's AF_PACKET sockets, have one queue a thread
 * when there are several (port.h's queues: a multiqueue tap, a PACKET_FANOUT_HASH group): the
 * port's own back-end is read by its thread, each other queue by one other thread in its own
 * slot, and a thread sends on the port through its own queue without a lock (dp_txq). The
 * kernel spreads the flows over the queues, a flow always to the same one, so one VM's or
 * namespace's streams are read by several threads and each stays in order. A queue is paused
 * like the port's own back-end, in its own slot. A `dev:` port whose interface
 * comes back is attached again by the control thread under the whole lock
 * (datapath_reattach()), as its queues are in every thread's set.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/switch/datapath.h"
#include "daemon/switch/datapath_priv.h"
#include "core/eth.h"
#include "core/stp.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_capture.h"
#include "daemon/switch/switch_guard.h"
#include "util/compiler.h"
#include "util/log.h"

#define DP_THREAD_INIT                                                                             \
	{                                                                                          \
		.lock = PTHREAD_MUTEX_INITIALIZER, .epfd = -1, .stop_fd = -1                       \
	}

struct dp_state dp = { .t = { DP_THREAD_INIT, DP_THREAD_INIT, DP_THREAD_INIT, DP_THREAD_INIT,
			      DP_THREAD_INIT, DP_THREAD_INIT, DP_THREAD_INIT, DP_THREAD_INIT },
		       .n_threads = 1,
		       .copy_lock = PTHREAD_MUTEX_INITIALIZER,
		       .tunnel_lock = PTHREAD_MUTEX_INITIALIZER,
		       .ioctl_fd = -1,
		       .busy_ns = DP_BUSY_POLL_US_DEFAULT * 1000ull };

_Static_assert(DATAPATH_THREADS_MAX == 8, "DP_THREAD_INIT once a thread");

_Thread_local struct dp_thread *dp_self;

/*
 * A VXLAN port's is every VXLAN port's: a port reading an endpoint learns into, and queues
 * for, the other ports on it (port/vxlan.c), whose sends another thread may be making.
 */
static inline pthread_mutex_t *dp_port_mutex(struct kv_port *p)
{
	return p->type == KV_PORT_TUNNEL ? &dp.tunnel_lock : &p->lock;
}

void datapath_port_lock(struct kv_port *p)
{
	if (dp.shared)
		pthread_mutex_lock(dp_port_mutex(p));
}

void datapath_port_unlock(struct kv_port *p)
{
	if (dp.shared)
		pthread_mutex_unlock(dp_port_mutex(p));
}

/* captures and mirrors (switch_capture.h): one test when nobody watches */
void dp_copy(struct kv_port *p, unsigned int dir, struct frame *const *frames, unsigned int n)
{
	if (likely(!(p->copy & dir)))
		return;
	dp_copy_lock();
	switch_copy_frames(p, dir, frames, n);
	dp_copy_unlock();
}

int datapath_set_threads(unsigned long n)
{
	if (!n || n > DATAPATH_THREADS_MAX)
		return -EINVAL;
	dp.n_threads = (unsigned int)n;
	dp.shared = n > 1;
	return 0;
}

unsigned int datapath_threads(void)
{
	return dp.n_threads;
}

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
	for (unsigned int i = 0; i < dp.n_threads; i++) {
		atomic_fetch_add(&dp.t[i].ctl_waiting, 1);
		pthread_mutex_lock(&dp.t[i].lock);
		atomic_fetch_sub(&dp.t[i].ctl_waiting, 1);
	}
}

void datapath_unlock(void)
{
	for (unsigned int i = dp.n_threads; i-- > 0;)
		pthread_mutex_unlock(&dp.t[i].lock);
}

/* @p's link, under its switch's lock: the core, STP and the FDB hear of it */
void dp_set_link(struct kv_port *p, bool up)
{
	if (p->link_up == up)
		return;
	dp_sw_lock(p->sw);
	switch_port_set_link(p, up);
	dp_sw_unlock(p->sw);
}

/*
 * A back-end said its port is unusable: -ENXIO is for good (the tap is gone), and its reader
 * takes it out of its set (another thread's send leaves that to the reader's next read).
 * @q: the queue that failed (a tap's, a fanout socket), NULL for @p's be.
 */
static void dp_port_failed(struct kv_port *p, struct port *q, int err)
{
	static struct log_ratelimit rl = LOG_RATELIMIT_INIT;

	if (p->link_up && log_ratelimit_ok(&rl))
		log_warn("port %s: %s", p->name, strerror(-err));
	dp_set_link(p, false);
	if (err != -ENXIO || !dp_self)
		return;
	if (q && p->dp_txq[dp_self->index] == q)
		epoll_ctl(dp_self->epfd, EPOLL_CTL_DEL, q->fd, NULL);
	else if (!q && dp_owner(p) == dp_self)
		epoll_ctl(dp_self->epfd, EPOLL_CTL_DEL, p->be->fd, NULL);
}

/*
 * A socket port's link is its peer: up while QEMU is connected, down (which flushes the
 * port's learned addresses) when it hangs up, is killed or breaks the framing.
 */
void dp_sync_peer(struct kv_port *p)
{
	bool up;
	int err;

	if (p->type != KV_PORT_SOCKET)
		return;
	datapath_port_lock(p);
	up = !p->be->no_peer;
	err = p->be->peer_err;
	datapath_port_unlock(p);
	if (up == p->link_up)
		return;
	if (up)
		log_info("port %s: peer connected", p->name);
	else if (err == -EPROTO)
		log_warn("port %s: peer broke the framing (a length of 0 or over 65535): "
			 "connection dropped",
			 p->name);
	else
		log_info("port %s: peer gone (%s)", p->name, strerror(-err));
	dp_set_link(p, up);
}

/*
 * The frames of @in (@n of them) that @s lets pass at @now, into @pass; the others are counted
 * on port @no (received and not forwarded for @rx, else listed and not sent). Under the
 * switch's lock.
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

/*
 * What @out lists goes to which port, after the ports' tx shapers (which drop from @out's
 * lists in place), into @t's plan; under the switch's lock (the shapers and the counters are
 * the switch's).
 * Return: entries in the plan
 */
unsigned int dp_plan(struct dp_thread *t, struct kv_switch *sw, const struct bridge_out *out,
		     uint64_t now)
{
	unsigned int k = 0;

	for (unsigned i = 0; i < out->n_active; i++) {
		const struct bridge_tx *tx = &out->tx[out->active[i]];
		struct kv_port *q = sw->by_no[out->active[i]];
		struct frame **frames = (struct frame **)tx->frames;
		unsigned int n = tx->n;

		if (!q || !q->link_up)
			continue;
		if (q->shape_tx.on) {
			n = dp_shape(sw, q->no, &q->shape_tx, false, frames, n, now, frames);
			if (!n)
				continue;
		}
		t->plan[k++] = (struct dp_tx_plan){ q, frames, n };
	}
	return k;
}

/* send the @k entries dp_plan() decided, each port under its own lock; @in_slot: whose burst */
void dp_transmit(struct dp_thread *t, unsigned int k, uint64_t now, int in_slot)
{
	const struct dp_tx_plan *plan = t->plan;

	for (unsigned int i = 0; i < k; i++) {
		struct kv_port *q = plan[i].q;
		struct port *txq = q->dp_txq[t->index];
		bool busy = false;
		int r;

		if (q->dp_stuck) {
			q->dp_tx_blocked += plan[i].n;
			continue;
		}
		dp_copy(q, SWITCH_COPY_OUT, plan[i].frames, plan[i].n);
		if (txq) {
			/*
			 * this thread's queue of the port: its own, no lock. One that is full
			 * drops (tx-full) and is not waited for: taps and AF_PACKET sockets,
			 * the ports with queues, rarely refuse a write
			 */
			r = txq->ops->tx_burst(txq, plan[i].frames, plan[i].n);
		} else {
			datapath_port_lock(q);
			r = q->be->ops->tx_burst(q->be, plan[i].frames, plan[i].n);
			busy = q->be->tx_busy;
			datapath_port_unlock(q);
		}
		if (r < 0)
			dp_port_failed(q, txq, r);
		else if (busy)
			dp_busy(t, q, in_slot, k == 1, now);
		dp_sync_peer(q);
	}
}

/* the clones the core made for a burst are spares again */
void dp_return_spares(struct bridge_out *out)
{
	for (unsigned i = 0; i < out->n_clones; i++)
		out->spare[out->n_spare++] = out->clones[i];
	out->n_clones = 0;
}

int datapath_tx_copy(struct kv_port *p, const uint8_t *data, size_t len)
{
	struct dp_thread *t = dp_cur();
	struct frame *f = &t->ctl_tx;
	int r;

	if (!t->bufs)
		return -ENETDOWN;
	if (len > FRAME_MAX_LEN)
		return -EMSGSIZE;
	frame_init(f, t->bufs + (size_t)2 * BRIDGE_BURST_MAX * FRAME_BUF_SIZE, FRAME_BUF_SIZE);
	memcpy(f->data, data, len);
	f->len = (uint32_t)len;
	dp_copy(p, SWITCH_COPY_OUT, &f, 1);
	datapath_port_lock(p);
	r = p->be->ops->tx_burst(p->be, &f, 1);
	datapath_port_unlock(p);
	return r;
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

/*
 * @m frames @p received (@in, read from @slot) through its switch: the core under the
 * switch's lock, then the sends without it
 */
static void dp_forward(struct dp_thread *t, struct kv_port *p, uint32_t slot, struct frame **in,
		       unsigned int m, uint64_t now)
{
	struct kv_switch *sw = p->sw;
	struct bridge_out *out = sw->out[t->index];
	struct frame *pass[BRIDGE_BURST_MAX];
	unsigned int k = 0;

	dp_sw_lock(sw);
	if (p->shape_rx.on) {
		/* a separate list: t->rxp must keep every buffer for the next round */
		m = dp_shape(sw, p->no, &p->shape_rx, true, in, m, now, pass);
		in = pass;
	}
	if (m) {
		bridge_input(sw->br, p->no, in, m, now, out);
		switch_port_bpdu_check(p);
		k = dp_plan(t, sw, out, now);
		dp_control(sw, out, now);
	}
	dp_sw_unlock(sw);
	if (!m)
		return;
	dp_transmit(t, k, now, (int)slot);
	dp_return_spares(out);
}

/*
 * Read @p's be, or with @q this thread's queue of @p's (its own: no lock), until it has no more
 * or is paused. Return: frames read
 */
static unsigned int dp_port_poll(struct dp_thread *t, struct kv_port *p, struct port *q,
				 uint64_t now)
{
	uint32_t slot = q ? p->dp_qslot[t->index] : p->dp_slot;
	unsigned int got = 0;

	for (int round = 0; round < DP_ROUNDS; round++) {
		int n;

		for (unsigned i = 0; i < BRIDGE_BURST_MAX; i++)
			frame_init(&t->rx[i], t->bufs + (size_t)i * FRAME_BUF_SIZE, FRAME_BUF_SIZE);
		if (q) {
			n = q->ops->rx_burst(q, t->rxp, BRIDGE_BURST_MAX);
		} else {
			datapath_port_lock(p);
			n = p->be->ops->rx_burst(p->be, t->rxp, BRIDGE_BURST_MAX);
			datapath_port_unlock(p);
		}
		if (n < 0) {
			dp_port_failed(p, q, n);
			return got;
		}
		dp_sync_peer(p);
		if (n == 0)
			return got;
		got += (unsigned int)n;
		dp.slot_rx[slot] += (unsigned int)n;
		if (!p->link_up)
			dp_set_link(p, true);
		/* capture and mirrors: the frames as received, before the core changes them */
		dp_copy(p, SWITCH_COPY_IN, t->rxp, (unsigned int)n);
		dp_forward(t, p, slot, t->rxp, (unsigned int)n, now);
		if (n < BRIDGE_BURST_MAX || dp.slot_paused[slot])
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
static unsigned int dp_port_serve(struct dp_thread *t, struct kv_port *p, uint64_t now)
{
	unsigned int got;

	/* paused after its events were taken; dp_resume_all() lists it if it has more */
	if (dp.slot_paused[p->dp_slot])
		return 0;
	got = dp_port_poll(t, p, NULL, now);
	/*
	 * A socket port's own queue drained on this wake-up; or it did not, but a wake-up
	 * with nothing to read was for room to write: the peer is slow, not stuck
	 */
	if (p->dp_busy_since && !p->be->tx_busy)
		dp_unbusy(t, p);
	else if (p->dp_busy_since && !got && !p->dp_stuck)
		p->dp_busy_since = now;

	if (p->be->rx_more && !p->dp_more) {
		p->dp_more = true;
		t->more[t->n_more++] = dp_token(p->dp_slot);
	}
	return got;
}

/* serve once each port that was on the list; those that fill it again wait a round */
static unsigned int dp_serve_more(struct dp_thread *t, uint64_t now)
{
	unsigned int n = t->n_more, got = 0;

	memcpy(t->serving, t->more, n * sizeof(t->more[0]));
	t->n_more = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct kv_port *p = dp_port_of(t->serving[i]);

		if (!p)
			continue;
		p->dp_more = false;
		got += dp_port_serve(t, p, now);
	}
	return got;
}

static void *dp_thread(void *arg)
{
	struct dp_thread *t = arg;
	struct epoll_event ev[DP_EVENTS];

	dp_self = t;
	for (;;) {
		uint64_t now = datapath_now();
		/* within the busy-poll window: look again at once, without sleeping */
		int timeout = now >= t->next_tick || t->n_more || now < t->busy_until
				      ? 0
				      : (int)((t->next_tick - now) / 1000000) + 1;
		unsigned int got = 0;
		int n;

		if (t->n_busy && timeout > DP_BUSY_WAIT_MS)
			timeout = DP_BUSY_WAIT_MS;
		if (t->n_remote && timeout > DP_REMOTE_WAIT_MS)
			timeout = DP_REMOTE_WAIT_MS;
		n = epoll_wait(t->epfd, ev, DP_EVENTS, timeout);

		if (n < 0 && errno != EINTR) {
			log_err("datapath: epoll_wait: %s", strerror(errno));
			break;
		}
		pthread_mutex_lock(&t->lock);
		now = datapath_now();
		for (int i = 0; i < n; i++) {
			struct kv_port *p;
			struct port *q;

			if (ev[i].data.u64 == DP_STOP_TOKEN) {
				pthread_mutex_unlock(&t->lock);
				return NULL;
			}
			p = dp_port_of(ev[i].data.u64);
			if (!p)
				continue;
			q = dp.slot_queue[(uint32_t)ev[i].data.u64];
			if (q) {
				/* paused after its events were taken */
				if (!dp.slot_paused[(uint32_t)ev[i].data.u64])
					got += dp_port_poll(t, p, q, now);
				continue;
			}
			if ((ev[i].events & EPOLLOUT) && p->dp_busy_since)
				dp_unbusy(t, p);
			if (ev[i].events & ~EPOLLOUT)
				got += dp_port_serve(t, p, now);
		}
		got += dp_serve_more(t, now);
		if (t->n_busy || t->n_remote)
			dp_check_busy(t, now);
		if (got)
			t->busy_until = now + dp.busy_ns;
		if (now >= t->next_tick)
			dp_tick(t, now);
		pthread_mutex_unlock(&t->lock);
		while (atomic_load(&t->ctl_waiting))
			sched_yield();
	}
	return NULL;
}

/* @t's buffers, epoll set and stop eventfd. Return: 0 or -errno */
static int dp_thread_init(struct dp_thread *t, unsigned int index)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = DP_STOP_TOKEN };

	t->index = index;
	/* rx burst, spares, and one for the spanning trees' BPDUs */
	t->bufs = malloc((2u * BRIDGE_BURST_MAX + 1) * FRAME_BUF_SIZE);
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	t->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!t->bufs || t->epfd < 0 || t->stop_fd < 0)
		return t->bufs ? -errno : -ENOMEM;
	if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->stop_fd, &ev))
		return -errno;
	for (unsigned i = 0; i < BRIDGE_BURST_MAX; i++) {
		t->rxp[i] = &t->rx[i];
		frame_init(&t->spares[i], t->bufs + (size_t)(BRIDGE_BURST_MAX + i) * FRAME_BUF_SIZE,
			   FRAME_BUF_SIZE);
	}
	t->next_tick = datapath_now() + DP_TICK_NS;
	return 0;
}

int datapath_start(void)
{
	int err = 0;

	dp.ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (dp.ioctl_fd < 0) {
		err = -errno;
		goto err_free;
	}
	for (unsigned int i = 0; i < dp.n_threads && !err; i++)
		err = dp_thread_init(&dp.t[i], i);
	for (unsigned int i = 0; i < dp.n_threads && !err; i++) {
		char name[16];

		err = -pthread_create(&dp.t[i].thread, NULL, dp_thread, &dp.t[i]);
		/* as top -H and /proc/PID/task show it */
		snprintf(name, sizeof(name), "kvnet-dp%u", i % DATAPATH_THREADS_MAX);
		if (!err)
			pthread_setname_np(dp.t[i].thread, name);
	}
	if (err)
		goto err_free;
	if (dp.n_threads > 1)
		log_info("datapath: %u forwarding threads", dp.n_threads);
	return 0;

err_free:
	datapath_stop();
	return err;
}

void datapath_give_spares(struct bridge_out *out, unsigned int thread)
{
	for (unsigned i = 0; i < BRIDGE_BURST_MAX; i++)
		out->spare[i] = &dp.t[thread].spares[i];
	out->n_spare = BRIDGE_BURST_MAX;
}

void datapath_stop(void)
{
	for (unsigned int i = 0; i < dp.n_threads; i++) {
		struct dp_thread *t = &dp.t[i];

		if (t->thread) {
			uint64_t one = 1;

			if (write(t->stop_fd, &one, sizeof(one)) == sizeof(one))
				pthread_join(t->thread, NULL);
			t->thread = 0;
		}
		if (t->epfd >= 0)
			close(t->epfd);
		if (t->stop_fd >= 0)
			close(t->stop_fd);
		free(t->bufs);
		t->bufs = NULL;
		t->epfd = t->stop_fd = -1;
	}
	if (dp.ioctl_fd >= 0)
		close(dp.ioctl_fd);
	dp.ioctl_fd = -1;
}
