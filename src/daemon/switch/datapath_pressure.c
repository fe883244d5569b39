/* SPDX-License-Identifier: GPL-2.0-or-later */
/* datapath_pressure.c - backpressure: a busy output port stops the input that fills it
 * (see "Backpressure" in datapath.c)
 *
 * What is paused is a slot, the port's own back-end or one of its queues, always by the
 * thread that reads it. A busy port this thread reads is polled for EPOLLOUT in its set; one
 * another thread reads is watched from here instead: its back-end's tx_busy is looked at, under
 * its lock, on each wake-up (at most DP_REMOTE_WAIT_MS apart), and the inputs it holds up are
 * read again when it clears. A watched port busy for DP_STUCK_NS is stuck for this thread: no
 * input is paused for it again until it takes frames.
 */

#include <sys/epoll.h>

#include "daemon/switch/datapath_priv.h"
#include "util/log.h"

void dp_rearm(uint32_t slot)
{
	struct kv_port *p = dp.slots[slot];
	struct port *q = dp.slot_queue[slot];
	struct epoll_event ev = {
		.events = (dp.slot_paused[slot] ? 0u : EPOLLIN) |
			  (!q && p->dp_busy_since ? EPOLLOUT : 0u),
		.data.u64 = dp_token(slot),
	};

	/* ENOENT: a dead tap already taken out of the set */
	epoll_ctl(dp.t[dp.slot_thread[slot]].epfd, EPOLL_CTL_MOD, (q ? q : p->be)->fd, &ev);
}

/* read every paused slot again; a port with frames in a buffer of its own is served at once */
void dp_resume_all(struct dp_thread *t)
{
	for (unsigned int i = 0; i < t->n_paused; i++) {
		uint32_t slot = (uint32_t)t->paused[i];
		struct kv_port *p = dp_port_of(t->paused[i]);

		if (!p || !dp.slot_paused[slot])
			continue;
		dp.slot_paused[slot] = false;
		dp_rearm(slot);
		if (!dp.slot_queue[slot] && p->be->rx_more && !p->dp_more) {
			p->dp_more = true;
			t->more[t->n_more++] = dp_token(p->dp_slot);
		}
	}
	t->n_paused = 0;
}

/*
 * @q, which another thread reads, is busy: watch it from here. Return: false when it is stuck
 * for this thread (or there is no room to watch it): then nothing is paused for it
 */
static bool dp_watch_remote(struct dp_thread *t, struct kv_port *q, uint64_t now)
{
	uint64_t token = dp_token(q->dp_slot);

	for (unsigned int i = 0; i < t->n_remote; i++)
		if (t->remote[i].token == token)
			return !t->remote[i].stuck;
	if (t->n_remote == DP_REMOTE_MAX)
		return false;
	t->remote[t->n_remote++] = (struct dp_remote){ token, now, false };
	return true;
}

void dp_busy(struct dp_thread *t, struct kv_port *q, int in_slot, bool alone, uint64_t now)
{
	if (dp_owner(q) != t) {
		if (!dp_watch_remote(t, q, now))
			return;
	} else if (!q->dp_busy_since) {
		if (t->n_busy == DP_SLOTS)
			return;
		q->dp_busy_since = now;
		t->busy[t->n_busy++] = dp_token(q->dp_slot);
		dp_rearm(q->dp_slot);
	}
	if (!alone || q->dp_stuck || in_slot < 0 || dp.slots[in_slot] == q ||
	    dp.slot_paused[in_slot] || t->n_paused == DP_SLOTS)
		return;
	dp.slot_paused[in_slot] = true;
	t->paused[t->n_paused++] = dp_token((uint32_t)in_slot);
	dp_rearm((uint32_t)in_slot);
}

/* @q can take frames again: its inputs are read again */
void dp_unbusy(struct dp_thread *t, struct kv_port *q)
{
	uint64_t token = dp_token(q->dp_slot);

	q->dp_busy_since = 0;
	q->dp_stuck = false;
	for (unsigned int i = 0; i < t->n_busy; i++) {
		if (t->busy[i] == token) {
			t->busy[i] = t->busy[--t->n_busy];
			break;
		}
	}
	dp_rearm(q->dp_slot);
	dp_resume_all(t);
}

/*
 * Busy ports whose time is up are stuck: their inputs are read again. A busy port removed
 * leaves the list, and the ports it held up are read again.
 */
static void dp_check_own(struct dp_thread *t, uint64_t now)
{
	static struct log_ratelimit rl = LOG_RATELIMIT_INIT;

	for (unsigned int i = 0; i < t->n_busy;) {
		struct kv_port *q = dp_port_of(t->busy[i]);

		if (!q || !q->dp_busy_since) {
			t->busy[i] = t->busy[--t->n_busy];
			dp_resume_all(t);
			continue;
		}
		if (!q->dp_stuck && now - q->dp_busy_since >= DP_STUCK_NS) {
			q->dp_stuck = true;
			if (log_ratelimit_ok(&rl))
				log_warn("port %s: takes no frames for %llu ms: dropping what is "
					 "meant for it (tx-blocked) until it does",
					 q->name, DP_STUCK_NS / 1000000);
			dp_resume_all(t);
		}
		i++;
	}
}

/* the watched ports of other threads: one that has room, or is gone, frees what it held up */
static void dp_check_remote(struct dp_thread *t, uint64_t now)
{
	for (unsigned int i = 0; i < t->n_remote;) {
		struct dp_remote *r = &t->remote[i];
		struct kv_port *q = dp_port_of(r->token);
		bool busy = false;

		if (q) {
			datapath_port_lock(q);
			busy = q->be->tx_busy;
			datapath_port_unlock(q);
		}
		if (!busy) {
			*r = t->remote[--t->n_remote];
			dp_resume_all(t);
			continue;
		}
		if (!r->stuck && now - r->since >= DP_STUCK_NS) {
			r->stuck = true;
			dp_resume_all(t);
		}
		i++;
	}
}

void dp_check_busy(struct dp_thread *t, uint64_t now)
{
	if (t->n_busy)
		dp_check_own(t, now);
	if (t->n_remote)
		dp_check_remote(t, now);
}
