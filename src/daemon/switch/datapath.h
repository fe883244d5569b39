/* SPDX-License-Identifier: GPL-2.0-or-later */
/* datapath.h - the forwarding thread: polls the ports, feeds the core bursts, sends */
#ifndef KVNET_DAEMON_SWITCH_DATAPATH_H
#define KVNET_DAEMON_SWITCH_DATAPATH_H

#include <stddef.h>
#include <stdint.h>

struct bridge_out;
struct kv_port;

/**
 * datapath_start() - allocate the frame buffers and start the forwarding thread
 * Return: 0, or a negative errno
 */
int datapath_start(void);

/* the longest busy-poll window datapath_set_busy_poll() takes: 10 ms */
#define DATAPATH_BUSY_POLL_MAX_US 10000

/**
 * datapath_set_busy_poll() - after a wake-up that found frames, poll the ports again without
 * sleeping for @usec microseconds (0: never); before datapath_start()
 * Return: 0, or -EINVAL for more than DATAPATH_BUSY_POLL_MAX_US (nothing changed)
 */
int datapath_set_busy_poll(unsigned long usec);

/** datapath_stop() - stop the thread and free its buffers; ports stay */
void datapath_stop(void);

/* Hold this to read or change switches and ports (see switch.h). */
void datapath_lock(void);
void datapath_unlock(void);

/**
 * datapath_port_add() - start polling @p's back-end; called under the lock
 * Return: 0, or a negative errno
 */
int datapath_port_add(struct kv_port *p);

/** datapath_port_del() - stop polling @p; called under the lock */
void datapath_port_del(struct kv_port *p);

/**
 * datapath_give_spares() - give a new switch's output lists the datapath's spare frames
 * (all switches share one set: only one burst is in the core at a time)
 */
void datapath_give_spares(struct bridge_out *out);

/**
 * datapath_tx_copy() - send a copy of @len bytes of @data (a whole frame) on @p's back-end now,
 * from the datapath's own buffer; under the lock. Return: as the back-end's tx_burst
 */
int datapath_tx_copy(struct kv_port *p, const uint8_t *data, size_t len);

/** datapath_now() - the monotonic clock in nanoseconds, as the core is given it */
uint64_t datapath_now(void);

#endif
