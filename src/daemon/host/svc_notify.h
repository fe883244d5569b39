/* SPDX-License-Identifier: GPL-2.0-or-later */
/* svc_notify.h - tell the service manager (systemd, Type=notify) how kvnetd is doing
 *
 * Theory of Operation
 * systemd gives a Type=notify service the path of a datagram socket in $NOTIFY_SOCKET (a
 * file path, or "@name" in the abstract namespace) and waits for "READY=1" on it before it
 * starts the units ordered after the service. Each message is one datagram of
 * newline-separated VAR=value lines. kvnetd speaks this protocol itself, so it needs no
 * libsystemd and runs as before where there is no service manager: without $NOTIFY_SOCKET
 * every call here does nothing. The variable is read once and removed from the environment,
 * so the dnsmasq processes kvnetd starts do not talk to systemd in its name.
 */
#ifndef KVNET_DAEMON_HOST_SVC_NOTIFY_H
#define KVNET_DAEMON_HOST_SVC_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

/**
 * svc_notify_init() - read and unset $NOTIFY_SOCKET; call once at start, before any thread
 * or child process is made
 * Return: 0 (also without the variable), or -EINVAL with a message in @err if it is set to
 * something that is not a socket address
 */
int svc_notify_init(char *err, size_t errlen);

/**
 * svc_notify() - send @state (one or more "VAR=value" lines) to the service manager
 * Return: 0, also when there is none; a negative errno if the datagram could not be sent
 * (the caller may log it: the service manager is then the one to act)
 */
int svc_notify(const char *state);

/** svc_notify_status() - send "STATUS=" and @fmt's text: what `systemctl status` shows */
int svc_notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** svc_notify_active() - is there a service manager to tell */
bool svc_notify_active(void);

#endif
