/* SPDX-License-Identifier: GPL-2.0-or-later */
/* guest_mem_guard.h - survive a front-end shrinking the guest memory file kvnet mapped
 *
 * Theory of Operation
 * A vhost-user front-end shares its guest's memory as file descriptors that kvnet maps.
 * If the front-end truncates such a file afterwards, the first touch of a page past the
 * new end raises SIGBUS in the kvnetd thread that touched it, and the default action ends
 * the daemon and every network with it. QEMU seals its memfd against shrinking
 * (F_SEAL_SHRINK); nothing obliges another front-end (a DPDK application, any local user
 * allowed on the socket) to, and checking the seals would refuse front-ends that work.
 *
 * So each mapping of guest memory is registered here, and a SIGBUS handler looks up the
 * faulting address: inside a registered mapping, it maps anonymous zeroed memory over the
 * whole of it (MAP_FIXED: the same addresses stay valid, nothing shared is left) and sets
 * the owner's flag; the faulting access is restarted and finds zeros. The owner sees the
 * flag after the call that touched the memory, drops what it read and closes the
 * connection. An address outside every mapping is a fault of kvnet's own: the handler
 * restores the default action and the fault repeats, with its core dump.
 *
 * The handler reads the table without a lock: a slot is filled, then published by a
 * release store of its address; it is emptied before its mapping goes. Guest memory is
 * mapped, touched and unmapped on the datapath thread, or by the control thread while it
 * holds the datapath still, so no slot changes under a handler that is reading it.
 */
#ifndef KVNET_PORT_GUEST_MEM_GUARD_H
#define KVNET_PORT_GUEST_MEM_GUARD_H

#include <stdatomic.h>
#include <stddef.h>

/* mappings the table holds: eight regions each for 512 vhost-user ports */
#define GUEST_MEM_GUARD_SLOTS 4096

/**
 * guest_mem_guard_add() - watch @len bytes mapped at @addr; a fault in them sets *@lost
 * @addr:	the start of a mapping (page-aligned, as mmap() returns it)
 *
 * Installs the SIGBUS handler if it is not installed.
 * Return: 0; -ENOSPC when every slot is taken; a negative errno if the handler could not
 * be installed
 */
int guest_mem_guard_add(void *addr, size_t len, atomic_bool *lost);

/** guest_mem_guard_del() - stop watching the mapping at @addr, before it is unmapped */
void guest_mem_guard_del(void *addr);

#endif
