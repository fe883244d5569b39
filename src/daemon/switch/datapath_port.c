/* SPDX-License-Identifier: GPL-2.0-or-later */
/* datapath_port.c - ports into and out of the forwarding threads: the thread that reads a
 * port, the slots of its back-end and queues in the threads' epoll sets, and a back-end
 * swapped for a new one (see datapath.c, "Threads" and "Queues") */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/epoll.h>

#include "daemon/switch/datapath_priv.h"
#include "util/log.h"

/* the thread with the fewest ports; every VXLAN port on the first (see the top) */
static unsigned int dp_pick_thread(const struct kv_port *p)
{
	unsigned int best = 0;

	if (p->type == KV_PORT_TUNNEL)
		return 0;
	for (unsigned int i = 1; i < dp.n_threads; i++)
		if (dp.t[i].n_ports < dp.t[best].n_ports)
			best = i;
	return best;
}

/* a slot for @p reading @q (NULL: @p's be) in thread @t's set. Return: the slot, or -errno */
static int dp_slot_add(struct kv_port *p, struct port *q, unsigned int t)
{
	struct epoll_event ev = { .events = EPOLLIN };
	uint32_t slot;

	for (slot = 0; slot < DP_SLOTS && dp.slots[slot]; slot++)
		;
	if (slot == DP_SLOTS)
		return -ENOSPC;
	dp.gen[slot]++;
	ev.data.u64 = dp_token(slot);
	if (epoll_ctl(dp.t[t].epfd, EPOLL_CTL_ADD, (q ? q : p->be)->fd, &ev))
		return -errno;
	dp.slots[slot] = p;
	dp.slot_queue[slot] = q;
	dp.slot_thread[slot] = (uint8_t)t;
	dp.slot_paused[slot] = false;
	dp.slot_rx[slot] = 0;
	return (int)slot;
}

/* the fd may already be out of the set (a dead tap): ENOENT is fine */
static void dp_slot_del(uint32_t slot, unsigned int t, int fd)
{
	epoll_ctl(dp.t[t].epfd, EPOLL_CTL_DEL, fd, NULL);
	dp.slots[slot] = NULL;
	dp.slot_queue[slot] = NULL;
	dp.gen[slot]++;
}

/* the thread that reads queue @k of @p's be's queues: one after another after @p's own */
static unsigned int dp_queue_thread(const struct kv_port *p, unsigned int k)
{
	return (p->dp_thread + 1 + k) % dp.n_threads;
}

/* @fd replaces @old_fd in thread @t's set under @slot's token. Return: 0 or -errno */
static int dp_slot_swap(uint32_t slot, unsigned int t, int fd, int old_fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = dp_token(slot) };

	if (epoll_ctl(dp.t[t].epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	/* the old one may be out already (a dead socket): ENOENT is fine */
	epoll_ctl(dp.t[t].epfd, EPOLL_CTL_DEL, old_fd, NULL);
	return 0;
}

/*
 * Queue @k of @p's new back-end @be (NULL: it has none) takes the old one's place in the
 * thread that reads it; a queue the old one did not have gets a slot, one it had and the new
 * one has not loses it. Return: 0 or -errno
 */
static int dp_queue_swap(struct kv_port *p, unsigned int k, struct port *q)
{
	unsigned int qt = dp_queue_thread(p, k);
	struct port *old = p->dp_txq[qt];
	int slot;

	if (q && old) {
		slot = dp_slot_swap(p->dp_qslot[qt], qt, q->fd, old->fd);
		if (slot) {
			/* the old queue goes with its back-end: nothing may point at it */
			dp_slot_del(p->dp_qslot[qt], qt, old->fd);
			p->dp_txq[qt] = NULL;
			return slot;
		}
		dp.slot_queue[p->dp_qslot[qt]] = q;
		dp_rearm(p->dp_qslot[qt]); /* paused as the old one was */
	} else if (q) {
		slot = dp_slot_add(p, q, qt);
		if (slot < 0)
			return slot;
		p->dp_qslot[qt] = (uint32_t)slot;
	} else if (old) {
		dp_slot_del(p->dp_qslot[qt], qt, old->fd);
	}
	p->dp_txq[qt] = q;
	return 0;
}

int datapath_port_swap(struct kv_port *p, struct port *be)
{
	int ret = dp_slot_swap(p->dp_slot, p->dp_thread, be->fd, p->be->fd);

	if (ret)
		return ret;
	for (unsigned int k = 0; k + 1 < dp.n_threads; k++) {
		struct port *q = k < be->n_queues ? be->queues[k] : NULL;

		ret = dp_queue_swap(p, k, q);
		if (ret)
			/* its flows that hash to this queue are not read until the next attach */
			log_warn("port %s: queue %u of interface %s not read: %s", p->name, k + 1,
				 p->name, strerror(-ret));
	}
	p->be = be;
	dp_rearm(p->dp_slot); /* paused or busy as the old one was */
	return 0;
}

int datapath_port_add(struct kv_port *p)
{
	unsigned int t = dp_pick_thread(p);
	int slot = dp_slot_add(p, NULL, t);

	if (slot < 0)
		return slot;
	p->dp_slot = (uint32_t)slot;
	p->dp_thread = t;
	dp.t[t].n_ports++;
	/* a multiqueue tap's other queues, one to each of the other threads */
	for (unsigned int k = 0; k < p->be->n_queues && k + 1 < dp.n_threads; k++) {
		unsigned int qt = dp_queue_thread(p, k);

		slot = dp_slot_add(p, p->be->queues[k], qt);
		if (slot < 0) {
			datapath_port_del(p);
			return slot;
		}
		p->dp_txq[qt] = p->be->queues[k];
		p->dp_qslot[qt] = (uint32_t)slot;
	}
	/* a tap no QEMU holds yet has no carrier: down from the start, not until the tick */
	if (p->type == KV_PORT_DEV)
		p->link_up = dp_carrier(p);
	return 0;
}

unsigned int datapath_port_queues(const struct kv_port *p, struct datapath_queue *out)
{
	unsigned int n = 1;

	out[0] = (struct datapath_queue){ p->dp_thread, dp.slot_rx[p->dp_slot] };
	for (unsigned int qt = 0; qt < DATAPATH_THREADS_MAX; qt++)
		if (p->dp_txq[qt])
			out[n++] = (struct datapath_queue){ qt, dp.slot_rx[p->dp_qslot[qt]] };
	return n;
}

void datapath_port_del(struct kv_port *p)
{
	for (unsigned int qt = 0; qt < DATAPATH_THREADS_MAX; qt++) {
		if (!p->dp_txq[qt])
			continue;
		dp_slot_del(p->dp_qslot[qt], qt, p->dp_txq[qt]->fd);
		p->dp_txq[qt] = NULL;
	}
	dp_slot_del(p->dp_slot, p->dp_thread, p->be->fd);
	dp_owner(p)->n_ports--;
}
