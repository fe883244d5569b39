/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stub_libvirt.h - a libvirtd in memory behind libvirt's client functions, for tests of the
 * libvirt mirror (services/libvirt.c) without libvirt
 *
 * Its networks behave as libvirt 9.0's do for the calls the mirror makes: a persistent one
 * has a definition and, while active, a live one (virNetworkDefineXML on an active network
 * changes only the next start's); a transient one is gone once destroyed; a name or UUID is
 * taken once; virNetworkUpdate edits the live portgroups (conf/network_update.c, so one
 * default portgroup at most, as libvirt). It can be stopped (every call fails, no
 * connection) and restarted (open connections die, the networks stay).
 */
#ifndef KVNET_TESTS_STUB_LIBVIRT_H
#define KVNET_TESTS_STUB_LIBVIRT_H

#include <stdbool.h>

#include "services/libvirt.h"

/* the functions to hand to libvirt_set_api() */
extern const struct libvirt_api stub_libvirt_api;

/** stub_libvirt_reset() - no networks, running, every counter 0 */
void stub_libvirt_reset(void);

/** stub_libvirt_set_up() - libvirtd runs (true) or is stopped (false: connections die) */
void stub_libvirt_set_up(bool up);

/** stub_libvirt_restart() - libvirtd restarts: open connections die, networks stay */
void stub_libvirt_restart(void);

/** stub_libvirt_define() - define a network as someone else would (virsh net-define) */
int stub_libvirt_define(const char *xml, bool start);

/** stub_libvirt_destroy() - stop a network as someone else would (virsh net-destroy) */
int stub_libvirt_destroy(const char *name);

/**
 * stub_libvirt_xml() - network @name's XML as `virsh net-dumpxml [--inactive]` prints it;
 * NULL if there is none. The caller frees it.
 */
char *stub_libvirt_xml(const char *name, bool inactive);

/** stub_libvirt_is() - "active", "inactive" (defined, stopped), or "none" */
const char *stub_libvirt_is(const char *name);

/** stub_libvirt_persistent() - is network @name persistent */
bool stub_libvirt_persistent(const char *name);

/** stub_libvirt_count() - how many networks it has */
int stub_libvirt_count(void);

/** stub_libvirt_calls() - how many times function @fn (libvirt's name) was called */
int stub_libvirt_calls(const char *fn);

#endif /* KVNET_TESTS_STUB_LIBVIRT_H */
