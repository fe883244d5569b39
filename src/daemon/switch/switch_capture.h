/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_capture.h - copies of a port's frames: packet captures to a socket, and mirrors
 *
 * Theory of Operation
 * A port whose frames somebody copies has bits in kv_port.copy (SWITCH_COPY_IN for what it
 * receives, SWITCH_COPY_OUT for what it sends); the datapath tests them once a burst and
 * calls switch_copy_frames() only when one is set, so a port nobody watches costs one
 * predictable branch. Two kinds of watcher set them: captures (here) and mirrors
 * (switch_mirror.h).
 *
 * A capture is one end of a SOCK_SEQPACKET pair, non-blocking, in a fixed table of
 * CTL_CAPTURE_MAX; the other end goes to the reader (kvnet capture, through the control
 * socket). Each copied frame is one message: a struct ctl_capture_rec, then the frame's
 * first snaplen bytes, as they are on the port's wire: received frames before the core
 * touches them (with the tag an attached interface's kernel stripped already put back by
 * the back-end), sent frames as the core tagged them for this port. A message the socket
 * cannot take now is dropped and counted, never waited for. The capture ends when its count
 * is reached (its end is closed: the reader reads what is queued, then end of file), when
 * the reader closes its end (seen at the next frame or the next tick), or with its port.
 * Everything runs under the datapath lock.
 */
#ifndef KVNET_DAEMON_SWITCH_SWITCH_CAPTURE_H
#define KVNET_DAEMON_SWITCH_SWITCH_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"
#include "ctl/vocab.h"

struct kv_port;

/* kv_port.copy's bits, the directions of enum ctl_capture_dir */
#define SWITCH_COPY_IN CTL_CAPTURE_IN
#define SWITCH_COPY_OUT CTL_CAPTURE_OUT

/**
 * struct switch_capture_info - one running capture, for capture.list
 * @id:		its number, unique while kvnetd runs
 * @port:	the port's name
 * @dir:	SWITCH_COPY_* bits it copies
 * @count:	frames it stops after, 0 for no limit
 * @snaplen:	bytes of each frame it copies, at most
 * @captured:	frames given to the reader's socket
 * @dropped:	frames dropped because the reader was slow
 */
struct switch_capture_info {
	uint64_t id;
	char port[16];
	unsigned int dir;
	uint64_t count;
	uint32_t snaplen;
	uint64_t captured;
	uint64_t dropped;
};

/**
 * switch_capture_add() - start a capture of @p's frames; under the datapath lock
 * @dir:	SWITCH_COPY_* bits, at least one
 * @count:	stop after this many frames, 0 for no limit
 * @snaplen:	CTL_CAPTURE_SNAPLEN_MIN..CTL_CAPTURE_SNAPLEN_MAX bytes of each frame
 * @reader:	gets the reader's end of the socket pair (the caller's to pass on and close)
 * @id:		gets the capture's number
 * Return: 0, or a negative errno with a sentence in @err: -ENOSPC (CTL_CAPTURE_PER_PORT
 * captures on the port already, or CTL_CAPTURE_MAX in the daemon), or the failing call's
 */
int switch_capture_add(struct kv_port *p, unsigned int dir, uint64_t count, uint32_t snaplen,
		       int *reader, uint64_t *id, char *err, size_t errlen);

/**
 * switch_capture_list() - the running captures, up to @max of them into @out
 * Return: how many there are (more than @max if some did not fit)
 */
size_t switch_capture_list(struct switch_capture_info *out, size_t max);

/**
 * switch_copy_frames() - the datapath's hook: copy @n frames that @p received
 * (SWITCH_COPY_IN) or is sending (SWITCH_COPY_OUT) to its captures and mirrors. The frames
 * are only read. Call it only when p->copy & @dir.
 */
void switch_copy_frames(struct kv_port *p, unsigned int dir, struct frame *const *frames,
			unsigned int n);

/** switch_capture_frames() - the captures' part of switch_copy_frames() (no mirrors) */
void switch_capture_frames(struct kv_port *p, unsigned int dir, struct frame *const *frames,
			   unsigned int n);

/** switch_capture_tick() - end the captures whose reader is gone; once a second */
void switch_capture_tick(void);

/**
 * switch_copy_port_del() - @p goes: end its captures, take it out of the mirrors (a mirror
 * whose output or last source it was goes too)
 */
void switch_copy_port_del(struct kv_port *p);

/** switch_copy_update() - set p->copy again from its captures and the mirrors */
void switch_copy_update(struct kv_port *p);

#endif
