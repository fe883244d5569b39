/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_guard.h - a port's BPDU guard and root guard, between the core and the tree
 *
 * The core trips a port's BPDU guard on the datapath (bridge_input()); this side logs it
 * once, takes the port out of the spanning tree as if its link were down, and brings it
 * back when the admin resets it. Root guard is the tree's (stp_port_set_root_guard()),
 * kept here while STP is off.
 */
#ifndef KVNET_DAEMON_SWITCH_GUARD_H
#define KVNET_DAEMON_SWITCH_GUARD_H

#include <stdbool.h>

#include "daemon/switch/switch.h"

/**
 * switch_port_bpdu_check() - after a burst from @p: act on a BPDU guard the core tripped
 * (log once, tell the tree). Cheap when nothing happened; datapath thread, lock held.
 */
void switch_port_bpdu_check(struct kv_port *p);

/**
 * switch_port_bpdu_reset() - the admin re-enables a port its BPDU guard disabled: back to
 * the state the link, the admin and the tree give it. Nothing happens if it was not tripped.
 */
void switch_port_bpdu_reset(struct kv_port *p);

/** switch_port_set_root_guard() - root guard on or off, kept while STP is off */
void switch_port_set_root_guard(struct kv_port *p, bool on);

#endif
