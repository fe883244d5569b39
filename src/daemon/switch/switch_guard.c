// SPDX-License-Identifier: GPL-2.0-or-later
/* switch_guard.c - a port's BPDU guard and root guard (see switch_guard.h) */

#include "core/stp.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch_guard.h"
#include "util/log.h"

void switch_port_bpdu_check(struct kv_port *p)
{
	if (!bridge_port_bpdu_tripped(p->sw->br, p->no) || p->bpdu_tripped)
		return;
	p->bpdu_tripped = true;
	log_warn("port %s: BPDU received with bpdu_guard on: port disabled "
		 "(`kvnet port set %s bpdu_guard on` enables it again)",
		 p->name, p->name);
	/* the tree must stop counting on the port, as the kernel's guard disables it */
	if (p->sw->stp)
		stp_port_set_link(p->sw->stp, p->no, false, datapath_now());
}

void switch_port_bpdu_reset(struct kv_port *p)
{
	if (!bridge_port_bpdu_tripped(p->sw->br, p->no))
		return;
	p->bpdu_tripped = false;
	bridge_port_bpdu_reset(p->sw->br, p->no);
	if (p->sw->stp && p->link_up)
		stp_port_set_link(p->sw->stp, p->no, true, datapath_now());
	log_info("port %s: re-enabled after its BPDU guard tripped", p->name);
}

void switch_port_set_root_guard(struct kv_port *p, bool on)
{
	p->root_guard = on;
	if (p->sw->stp)
		stp_port_set_root_guard(p->sw->stp, p->no, on, datapath_now());
}
