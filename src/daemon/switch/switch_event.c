/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_event.c - the events ring between the threads that make events and the subscribers */

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "daemon/switch/switch_event.h"

/* a burst of FDB learning fills it; the subscribers hear how many were lost */
#define EVENT_RING 4096

static struct {
	pthread_mutex_t lock;
	struct switch_event ring[EVENT_RING];
	unsigned int head, len; /* the oldest record, how many */
	uint64_t lost;
	atomic_uint want;
	int efd;
} ev = { .lock = PTHREAD_MUTEX_INITIALIZER, .efd = -1 };

unsigned int switch_event_class_of(enum switch_event_kind kind)
{
	switch (kind) {
	case SWITCH_EV_BRIDGE_ADDED:
	case SWITCH_EV_BRIDGE_REMOVED:
		return SWITCH_EVENT_BRIDGE;
	case SWITCH_EV_PORT_ADDED:
	case SWITCH_EV_PORT_REMOVED:
	case SWITCH_EV_LINK_UP:
	case SWITCH_EV_LINK_DOWN:
		return SWITCH_EVENT_PORT;
	case SWITCH_EV_NET_DEFINED:
	case SWITCH_EV_NET_UNDEFINED:
	case SWITCH_EV_NET_STARTED:
	case SWITCH_EV_NET_STOPPED:
		return SWITCH_EVENT_NETWORK;
	case SWITCH_EV_STP_STATE:
		return SWITCH_EVENT_STP;
	case SWITCH_EV_FDB_LEARNED:
	case SWITCH_EV_FDB_MOVED:
	case SWITCH_EV_FDB_AGED:
		return SWITCH_EVENT_FDB;
	case SWITCH_EV_LOST:
		break;
	}
	/* every subscriber hears of lost events */
	return ~0u;
}

int switch_event_init(void)
{
	if (ev.efd < 0)
		ev.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return ev.efd < 0 ? -errno : ev.efd;
}

void switch_event_want(unsigned int classes)
{
	atomic_store_explicit(&ev.want, classes, memory_order_relaxed);
}

bool switch_event_wanted(unsigned int classes)
{
	return atomic_load_explicit(&ev.want, memory_order_relaxed) & classes;
}

void switch_event_post(const struct switch_event *e)
{
	uint64_t one = 1;
	bool wake;

	if (!switch_event_wanted(switch_event_class_of(e->kind)) || ev.efd < 0)
		return;
	pthread_mutex_lock(&ev.lock);
	if (ev.len == EVENT_RING) {
		ev.lost++;
		wake = false;
	} else {
		ev.ring[(ev.head + ev.len) % EVENT_RING] = *e;
		wake = !ev.len++;
	}
	pthread_mutex_unlock(&ev.lock);
	/* once per batch: the control thread drains all that waits */
	if (wake && write(ev.efd, &one, sizeof(one)) < 0) {
		/* the counter is far from full: nothing to do */
	}
}

void switch_event_bridge(enum switch_event_kind kind, const char *bridge)
{
	switch_event_port(kind, bridge, NULL);
}

void switch_event_port(enum switch_event_kind kind, const char *bridge, const char *port)
{
	struct switch_event e = { .kind = kind };

	if (!switch_event_wanted(switch_event_class_of(kind)))
		return;
	snprintf(e.bridge, sizeof(e.bridge), "%s", bridge ? bridge : "");
	snprintf(e.port, sizeof(e.port), "%s", port ? port : "");
	switch_event_post(&e);
}

void switch_event_network(enum switch_event_kind kind, const char *network, const char *bridge)
{
	struct switch_event e = { .kind = kind };

	if (!switch_event_wanted(SWITCH_EVENT_NETWORK))
		return;
	snprintf(e.network, sizeof(e.network), "%s", network);
	snprintf(e.bridge, sizeof(e.bridge), "%s", bridge ? bridge : "");
	switch_event_post(&e);
}

unsigned int switch_event_drain(struct switch_event *out, unsigned int max)
{
	unsigned int n = 0;
	uint64_t v;

	if (ev.efd < 0 || !max)
		return 0;
	if (read(ev.efd, &v, sizeof(v)) < 0) {
		/* EAGAIN: nothing was signalled, records may still wait */
	}
	pthread_mutex_lock(&ev.lock);
	if (ev.lost) {
		out[n] = (struct switch_event){ .kind = SWITCH_EV_LOST, .count = ev.lost };
		n++;
		ev.lost = 0;
	}
	while (n < max && ev.len) {
		out[n++] = ev.ring[ev.head];
		ev.head = (ev.head + 1) % EVENT_RING;
		ev.len--;
	}
	pthread_mutex_unlock(&ev.lock);
	return n;
}
