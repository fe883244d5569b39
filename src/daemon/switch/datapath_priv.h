/* SPDX-License-Identifier: GPL-2.0-or-later */
/* datapath_priv.h - what datapath.c and its datapath_*.c share: the threads' state and the
 * steps of a burst (see datapath.c) */
#ifndef KVNET_DAEMON_SWITCH_DATAPATH_PRIV_H
#define KVNET_DAEMON_SWITCH_DATAPATH_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/bridge.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"

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
/* the longest sleep while a port another thread reads is watched: how late its inputs resume */
#define DP_REMOTE_WAIT_MS 1
/* ports of other threads one thread watches at once (datapath_pressure.c) */
#define DP_REMOTE_MAX 64

/* a busy port another thread reads, watched by this one: since when, stuck for it */
struct dp_remote {
	uint64_t token;
	uint64_t since;
	bool stuck;
};

/* what a burst sends to one port, decided under the switch's lock and sent after it */
struct dp_tx_plan {
	struct kv_port *q;
	struct frame **frames;
	unsigned int n;
};

/* one forwarding thread; its fields are its own, but for ctl_waiting */
struct dp_thread {
	pthread_t thread;
	pthread_mutex_t lock;
	atomic_uint ctl_waiting;
	unsigned int index;
	unsigned int n_ports;
	int epfd;
	int stop_fd;
	uint64_t more[DP_SLOTS];
	uint64_t serving[DP_SLOTS];
	unsigned int n_more;
	uint64_t busy[DP_SLOTS];
	unsigned int n_busy;
	uint64_t paused[DP_SLOTS];
	unsigned int n_paused;
	struct dp_remote remote[DP_REMOTE_MAX];
	unsigned int n_remote;
	uint8_t *bufs;
	struct frame rx[BRIDGE_BURST_MAX];
	struct frame *rxp[BRIDGE_BURST_MAX];
	struct frame spares[BRIDGE_BURST_MAX];
	struct frame ctl_tx;
	struct dp_tx_plan plan[BRIDGE_PORTS_MAX];
	uint64_t next_tick;
	uint64_t busy_until;
};

struct dp_state {
	struct dp_thread t[DATAPATH_THREADS_MAX];
	unsigned int n_threads;
	bool shared; /* more than one thread: the locks between them are taken */
	pthread_mutex_t copy_lock;
	pthread_mutex_t tunnel_lock; /* every VXLAN port's own lock (dp_port_mutex()) */
	int ioctl_fd;
	struct kv_port *slots[DP_SLOTS];
	struct port *slot_queue[DP_SLOTS]; /* the queue a slot reads, NULL: its port's be */
	uint8_t slot_thread[DP_SLOTS];	   /* the thread that reads a slot */
	bool slot_paused[DP_SLOTS];	   /* backpressure: not read now (datapath_pressure.c) */
	uint64_t slot_rx[DP_SLOTS];	   /* frames read through a slot, by its thread */
	uint32_t gen[DP_SLOTS];
	uint64_t busy_ns;
};

extern struct dp_state dp;

/* the datapath thread this is, or the first one's buffers for the control thread, which
 * holds every thread's lock whenever it uses them */
extern _Thread_local struct dp_thread *dp_self;

static inline struct dp_thread *dp_cur(void)
{
	return dp_self ? dp_self : &dp.t[0];
}

static inline void dp_sw_lock(struct kv_switch *sw)
{
	if (dp.shared)
		pthread_mutex_lock(&sw->lock);
}

static inline void dp_sw_unlock(struct kv_switch *sw)
{
	if (dp.shared)
		pthread_mutex_unlock(&sw->lock);
}

/* captures and mirrors (switch_capture.h), between threads */
static inline void dp_copy_lock(void)
{
	if (dp.shared)
		pthread_mutex_lock(&dp.copy_lock);
}

static inline void dp_copy_unlock(void)
{
	if (dp.shared)
		pthread_mutex_unlock(&dp.copy_lock);
}

static inline struct dp_thread *dp_owner(const struct kv_port *p)
{
	return &dp.t[p->dp_thread];
}

static inline uint64_t dp_token(uint32_t slot)
{
	return (uint64_t)dp.gen[slot] << 32 | slot;
}

static inline struct kv_port *dp_port_of(uint64_t token)
{
	uint32_t slot = (uint32_t)token;

	if (slot >= DP_SLOTS || dp.gen[slot] != (uint32_t)(token >> 32))
		return NULL;
	return dp.slots[slot];
}

/* datapath.c */
void dp_copy(struct kv_port *p, unsigned int dir, struct frame *const *frames, unsigned int n);
void dp_set_link(struct kv_port *p, bool up);
void dp_sync_peer(struct kv_port *p);
unsigned int dp_plan(struct dp_thread *t, struct kv_switch *sw, const struct bridge_out *out,
		     uint64_t now);
void dp_transmit(struct dp_thread *t, unsigned int k, uint64_t now, int in_slot);
void dp_return_spares(struct bridge_out *out);
/* under the lock: @be replaces @p's back-end in every thread's set (datapath_reattach()) */
int datapath_port_swap(struct kv_port *p, struct port *be);

/* datapath_pressure.c: backpressure */
/* what @slot is polled for: input unless paused, output room while its port is busy */
void dp_rearm(uint32_t slot);
void dp_resume_all(struct dp_thread *t);
/*
 * @q's back-end is busy after a burst read from @in_slot (-1: none, the bridge's own frames);
 * @alone: the burst went to @q only. Poll or watch @q for room and, unless @q is stuck or the
 * burst was a flood, stop reading @in_slot.
 */
void dp_busy(struct dp_thread *t, struct kv_port *q, int in_slot, bool alone, uint64_t now);
void dp_unbusy(struct dp_thread *t, struct kv_port *q);
/* busy ports this thread polls or watches: stuck ones, and ones with room again */
void dp_check_busy(struct dp_thread *t, uint64_t now);

/* datapath_tick.c: each second */
bool dp_carrier(const struct kv_port *p);
void dp_tick(struct dp_thread *t, uint64_t now);

#endif
