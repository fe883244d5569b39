/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_store_priv.h - the bridge store's state, shared by its writing side (ctl_store.c) and
 * its replay at start (ctl_store_replay.c); nothing else includes it */
#ifndef KVNET_DAEMON_RPC_CTL_STORE_PRIV_H
#define KVNET_DAEMON_RPC_CTL_STORE_PRIV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "daemon/switch/switch.h"

#define STORE_SUFFIX ".json"
#define STORE_FILE_MAX (16u << 20)

/*
 * struct store_entry - a stored bridge
 * @name:	the bridge
 * @written:	the document last written (malloc'ed), or NULL if unknown (a restored file)
 * @absent:	the request groups (arrays) of ports that could not be made again, or NULL
 * @seen:	the bridge is there, in this sync
 */
struct store_entry {
	char name[SWITCH_NAME_MAX];
	char *written;
	json_t *absent;
	bool seen;
};

/* STATE_DIR/bridges, its entries, and whether the files are being replayed */
struct ctl_store_state {
	char dir[4096];
	int dir_fd;
	struct store_entry *e;
	size_t n, cap;
	bool restoring;
};

extern struct ctl_store_state ctl_store_st;

/* the entry of bridge @name; made (empty) if @make and there is none. NULL: none, or no memory */
struct store_entry *ctl_store_entry(const char *name, bool make);

/* the port or bridge a stored request names, and which of the two it is; NULL if the store
 * writes no such request */
const char *ctl_store_target(const char *method, json_t *params, bool *is_bridge);

/* the port an absent group is for: its port.add's name */
const char *ctl_store_group_port(json_t *group);

#endif /* KVNET_DAEMON_RPC_CTL_STORE_PRIV_H */
