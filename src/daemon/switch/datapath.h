/* SPDX-License-Identifier: GPL-2.0-or-later */
/* datapath.h - the forwarding thread: polls the ports, feeds the core bursts, sends */
#ifndef KVNET_DAEMON_SWITCH_DATAPATH_H
#define KVNET_DAEMON_SWITCH_DATAPATH_H

#include <stddef.h>
#include <stdint.h>

struct bridge_out;
struct kv_port;

/**
 * datapath_start() - allocate the frame buffers and start the forwarding threads
 * Return: 0, or a negative errno
 */
int datapath_start(void);

/* the most forwarding threads datapath_set_threads() takes */
#define DATAPATH_THREADS_MAX 8

/**
 * datapath_set_threads() - forward with @n threads (1 by default); before datapath_start()
 * and before the first switch is made
 * Return: 0, or -EINVAL for 0 or more than DATAPATH_THREADS_MAX (nothing changed)
 */
int datapath_set_threads(unsigned long n);

/** datapath_threads() - how many forwarding threads there are (or will be) */
unsigned int datapath_threads(void);

/* the longest busy-poll window datapath_set_busy_poll() takes: 10 ms */
#define DATAPATH_BUSY_POLL_MAX_US 10000

/**
 * datapath_set_busy_poll() - after a wake-up that found frames, poll the ports again without
 * sleeping for @usec microseconds (0: never); before datapath_start()
 * Return: 0, or -EINVAL for more than DATAPATH_BUSY_POLL_MAX_US (nothing changed)
 */
int datapath_set_busy_poll(unsigned long usec);

/** datapath_stop() - stop the threads and free their buffers; ports stay */
void datapath_stop(void);

/* Hold this to read or change switches and ports (see switch.h): it stops every thread. */
void datapath_lock(void);
void datapath_unlock(void);

/**
 * datapath_port_add() - start polling @p's back-end on the thread with the fewest ports (a
 * VXLAN port on the first: ports on one endpoint hand each other datagrams); under the lock
 * Return: 0, or a negative errno
 */
int datapath_port_add(struct kv_port *p);

/**
 * struct datapath_queue - what a datapath thread reads of a port
 * @thread:	the thread, from 0
 * @rx_frames:	frames it read from the port (through its own queue, for a port with queues)
 */
struct datapath_queue {
	unsigned int thread;
	uint64_t rx_frames;
};

/**
 * datapath_port_queues() - who reads @p: its be's thread first, then each of its other
 * queues' (a tap's, a fanout group's; DATAPATH_THREADS_MAX at most); under the lock
 * Return: entries in @out
 */
unsigned int datapath_port_queues(const struct kv_port *p, struct datapath_queue *out);

/**
 * datapath_reattach() - a bridge's `dev:` port whose interface went away takes a new one of
 * its name, when there is one; once a second, under the lock (datapath_tick.c)
 */
void datapath_reattach(void);

/** datapath_port_del() - stop polling @p; called under the lock */
void datapath_port_del(struct kv_port *p);

/**
 * datapath_give_spares() - give a new switch's output lists for thread @thread that thread's
 * spare frames (its switches share one set: a thread has one burst in the core at a time)
 */
void datapath_give_spares(struct bridge_out *out, unsigned int thread);

/**
 * datapath_tx_copy() - send a copy of @len bytes of @data (a whole frame) on @p's back-end now,
 * from the calling thread's own buffer; under the lock, or by a datapath thread under @p's
 * switch's lock (switch.h). Return: as the back-end's tx_burst
 */
int datapath_tx_copy(struct kv_port *p, const uint8_t *data, size_t len);

/*
 * datapath_port_lock() - take @p's back-end for a send from outside the datapath's own sends
 * (a mirror's); between datapath threads only, nothing with one (switch.h)
 */
void datapath_port_lock(struct kv_port *p);
void datapath_port_unlock(struct kv_port *p);

/** datapath_now() - the monotonic clock in nanoseconds, as the core is given it */
uint64_t datapath_now(void);

#endif
