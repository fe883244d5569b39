/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dnsmasq.h - one dnsmasq process per network: started, watched, restarted, reloaded, stopped
 *
 * kvnetd runs Debian's dnsmasq as libvirt does: it daemonizes once its sockets are bound, so
 * the exit status of the process kvnetd starts tells whether it could start (and its stderr
 * why not); the daemon's pid comes from the pid file, and a pidfd says when it dies. A dead
 * dnsmasq is restarted with back-off (1 s, doubling up to a minute). A dnsmasq left running
 * by a kvnetd that was killed is found by its pid file in the run dir and stopped at the
 * next start.
 */
#ifndef KVNET_SERVICES_DNSMASQ_H
#define KVNET_SERVICES_DNSMASQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define DNSMASQ_PATH_MAX 4096

enum dnsmasq_state {
	DNSMASQ_NOT_NEEDED, /* the network has nothing for it to do */
	DNSMASQ_STOPPED,
	DNSMASQ_RUNNING,
	DNSMASQ_FAILED, /* the last start failed or it died; a restart is due at @retry_ns */
};

/**
 * struct dnsmasq_proc - a network's dnsmasq
 * @conf_path:	its configuration file (the daemon writes it)
 * @pid_path:	its pid file (pid-file= in the configuration)
 * @pid:	its pid while running
 * @pidfd:	readable once it has exited; -1 when not running
 * @state:	see enum dnsmasq_state
 * @restarts:	times it was restarted after dying or failing
 * @retry_ns:	when the next start is due (FAILED)
 * @backoff_s:	the wait after the next failure
 * @started_ns:	when it last started running
 * @error:	why the last start failed or why it died, "" if it did not
 */
struct dnsmasq_proc {
	char conf_path[DNSMASQ_PATH_MAX];
	char pid_path[DNSMASQ_PATH_MAX];
	pid_t pid;
	int pidfd;
	enum dnsmasq_state state;
	unsigned int restarts;
	uint64_t retry_ns;
	unsigned int backoff_s;
	uint64_t started_ns;
	char error[256];
};

/**
 * dnsmasq_set_user() - the user dnsmasq drops to (--user=), or NULL for its own default
 * (nobody); kvnetd asks for root only when that user could not read the files it is given
 */
void dnsmasq_set_user(const char *user);

/** dnsmasq_init() - an idle process record for @conf_path and @pid_path */
void dnsmasq_init(struct dnsmasq_proc *d, const char *conf_path, const char *pid_path);

/**
 * dnsmasq_start() - run dnsmasq on its configuration and wait until it has daemonized
 * @now_ns:	the monotonic clock, for the back-off on failure
 * Return: 0; or a negative errno, with the reason in @d->error (dnsmasq's own message, or
 * "dnsmasq is not installed (Debian package dnsmasq-base)"); @d is then FAILED
 */
int dnsmasq_start(struct dnsmasq_proc *d, uint64_t now_ns);

/** dnsmasq_stop() - stop it (SIGTERM, then SIGKILL after a second) and remove its pid file */
void dnsmasq_stop(struct dnsmasq_proc *d);

/** dnsmasq_reload() - SIGHUP: dnsmasq re-reads its hosts files. Return: 0 or -errno */
int dnsmasq_reload(const struct dnsmasq_proc *d);

/**
 * dnsmasq_check() - notice a dnsmasq that died, and start it again when its back-off is over
 * Return: true if its state changed (for the log)
 */
bool dnsmasq_check(struct dnsmasq_proc *d, uint64_t now_ns);

/** dnsmasq_state_name() - "running", "stopped", "failed", "not needed" */
const char *dnsmasq_state_name(enum dnsmasq_state s);

/**
 * dnsmasq_stop_stale() - stop every dnsmasq whose pid file is in @dir and whose command line
 * names a configuration in @dir (left by a kvnetd that was killed), and remove the pid files
 * Return: how many were stopped
 */
int dnsmasq_stop_stale(const char *dir);

#endif /* KVNET_SERVICES_DNSMASQ_H */
