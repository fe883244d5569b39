/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_server.h - the control socket: JSON-RPC 2.0, one request per line (docs/protocol.md) */
#ifndef KVNET_DAEMON_RPC_CTL_SERVER_H
#define KVNET_DAEMON_RPC_CTL_SERVER_H

#include <stddef.h>
#include <sys/types.h>

/* the control socket's limits (ctl_conn.c, docs/protocol.md) */
#define CTL_CLIENTS_MAX 64     /* connections at once */
#define CTL_CLIENTS_RESERVED 8 /* of them, kept for root and kvnetd's own user */
#define CTL_CLIENTS_PER_UID 16 /* for any other uid */
#define CTL_STALL_SECONDS 10   /* to finish a request line, or to read an answer */
#define CTL_IDLE_SECONDS 60    /* a connection with nothing going on */

/**
 * ctl_server_init() - hook the control side into the layers below it (a network's start
 * replays the VM-port requests recorded for it); call it before any network starts
 */
void ctl_server_init(void);

/**
 * ctl_store_open() - open (and make) STATE_DIR/bridges, where bridges made with bridge.add
 * are kept with their configuration (ctl_store.c)
 * Return: 0, or a negative errno with a message in @err
 */
int ctl_store_open(const char *state_dir, char *err, size_t errlen);

/**
 * ctl_store_restore() - make again the stored bridges, their ports and settings. The caller
 * holds the datapath lock; call it before the networks load (one may join such a bridge).
 * A file that cannot be used is logged with its name and skipped.
 */
void ctl_store_restore(void);

/** ctl_store_close() - let go of the store, at exit */
void ctl_store_close(void);

/**
 * ctl_server_open() - create the listening socket at @path, mode 0660, group @group
 * @group:	group allowed besides root and the daemon's user; (gid_t)-1 for none
 * Return: the socket, or a negative errno with a message in @err
 */
int ctl_server_open(const char *path, gid_t group, char *err, size_t errlen);

/**
 * ctl_server_run() - serve clients on @listen_fd until @signal_fd (a signalfd) fires, and
 * call @tick (if not NULL) about once a second between requests
 * Return: the signal that ended it
 */
int ctl_server_run(int listen_fd, int signal_fd, void (*tick)(void));

/**
 * ctl_handle_line() - answer one request line; also used by the tests and the fuzzer
 * Return: the answer line (malloc'ed, no newline), or NULL for a notification
 */
char *ctl_handle_line(const char *line, size_t len);

/**
 * ctl_answer_error() - a JSON-RPC error answer with no id, for a client turned away
 * Return: the line (malloc'ed, no newline), or NULL if out of memory
 */
char *ctl_answer_error(int code, const char *msg);

#endif
