/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_store.h - persistent network definitions in the state dir, in libvirt's layout
 *
 * STATE_DIR/networks/NAME.xml holds a network's definition;
 * STATE_DIR/networks/autostart/NAME.xml, a symbolic link to ../NAME.xml, marks it to be
 * started with the daemon. Every change is atomic and durable: the new file is written
 * under a temporary name, synced, renamed over the old one, and the directory synced, so a
 * crash at any point leaves the old definition or the new one, never a torn file.
 * Temporary files (".NAME.xml.XXXXXX") left by a crash are removed at the next load.
 */
#ifndef KVNET_DAEMON_NETWORK_NET_STORE_H
#define KVNET_DAEMON_NETWORK_NET_STORE_H

#include <stdbool.h>
#include <stddef.h>

/**
 * net_store_open() - use @state_dir, creating networks/ and networks/autostart/ in it
 * Return: 0, or a negative errno with a message in @err
 */
int net_store_open(const char *state_dir, char *err, size_t errlen);

/** net_store_close() - forget the state dir (at shutdown) */
void net_store_close(void);

/**
 * net_store_save() - write network @name's definition @xml atomically
 * Return: 0, or a negative errno with a message in @err (the old file is then untouched)
 */
int net_store_save(const char *name, const char *xml, char *err, size_t errlen);

/**
 * net_store_remove() - remove network @name's definition and autostart link
 * Return: 0, or a negative errno with a message in @err
 */
int net_store_remove(const char *name, char *err, size_t errlen);

/**
 * net_store_set_autostart() - create or remove network @name's autostart link
 * Return: 0, or a negative errno with a message in @err
 */
int net_store_set_autostart(const char *name, bool on, char *err, size_t errlen);

/**
 * net_store_load() - call @fn for every stored definition, in name order
 * @fn:	gets the file name's network name, the file's path, whether it is autostarted,
 *	and @opaque
 *
 * Return: the number of definitions found, or a negative errno with a message in @err
 */
int net_store_load(void (*fn)(const char *name, const char *path, bool autostart, void *opaque),
		   void *opaque, char *err, size_t errlen);

/** net_store_fresh() - net_store_open() created STATE_DIR/networks: this is a first start */
bool net_store_fresh(void);

/** net_store_enabled() - is there a state dir (there is none in the unit tests) */
bool net_store_enabled(void);

#endif /* KVNET_DAEMON_NETWORK_NET_STORE_H */
