/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client.h - the client side of the kvnetd control protocol: connect, call, read the answer */
#ifndef KVNET_CTL_CLIENT_H
#define KVNET_CTL_CLIENT_H

#include <jansson.h>

/* longest error message kept from an answer, NUL included; longer ones are cut */
#define CTL_CLIENT_MSG_MAX 1024

struct ctl_client;

/**
 * struct ctl_client_error - why a call failed
 * @code:	the daemon's JSON-RPC error code when ctl_client_call() returned -EREMOTEIO,
 *		else 0
 * @message:	a sentence for a human: the daemon's own message for -EREMOTEIO, else what
 *		went wrong on this side (no "kvnet:" prefix, no newline)
 */
struct ctl_client_error {
	int code;
	char message[CTL_CLIENT_MSG_MAX];
};

/**
 * ctl_client_socket_path() - which socket to use
 * @opt:	the path given on the command line, or NULL
 *
 * Return: @opt if not NULL, else $KVNET_SOCKET if set and not empty, else
 * CTL_SOCKET_DEFAULT. The string is not copied.
 */
const char *ctl_client_socket_path(const char *opt);

/**
 * ctl_client_connect() - connect to kvnetd's control socket
 * @path:	the socket's path
 * @out:	set to a new client on success; free it with ctl_client_close()
 *
 * Return: 0, or a negative errno (-ENAMETOOLONG if @path does not fit in a
 * sockaddr_un, -ENOMEM, or connect()'s error such as -ENOENT or -ECONNREFUSED).
 */
int ctl_client_connect(const char *path, struct ctl_client **out);

/**
 * ctl_client_call() - send one request and wait for its answer
 * @c:		a connected client
 * @method:	the method's name, e.g. "bridge.add"
 * @params:	the params object, or NULL for none; borrowed, not changed
 * @result:	on success, set to the answer's result (always an object); the caller owns
 *		the reference and must json_decref() it
 * @err:	on failure, filled with the reason; may be NULL
 *
 * Requests on one client are numbered from 1 and the answer's id is checked.
 * The answer line is bounded by CTL_LINE_MAX; anything after it stays buffered
 * for the next call. An answer that is not a JSON-RPC 2.0 response object is
 * reported as -EBADMSG, never trusted.
 *
 * Return: 0; -EREMOTEIO if the daemon answered with an error (@err->code and
 * @err->message are the daemon's); -EBADMSG for a malformed answer;
 * -EMSGSIZE if the request or the answer is longer than CTL_LINE_MAX;
 * -ECONNRESET if the daemon closed the connection before answering; -ENOMEM;
 * or another negative errno from send() or recv().
 */
int ctl_client_call(struct ctl_client *c, const char *method, json_t *params, json_t **result,
		    struct ctl_client_error *err);

/**
 * ctl_client_take_fd() - the descriptor kvnetd sent with an answer (capture.start's), now
 * the caller's to close
 * Return: it, or -1 if none came
 */
int ctl_client_take_fd(struct ctl_client *c);

/** ctl_client_close() - close the connection and free @c; NULL is allowed */
void ctl_client_close(struct ctl_client *c);

/**
 * ctl_client_next_notification() - wait, with no time limit, for the next notification
 * (a message with a "method" and no "id") of a connection that subscribed to events
 * @c:		the connection
 * @msg:	gets the notification, checked: a string "method" and an object "params"
 *		(the caller releases it)
 * @err:	gets why, on failure; may be NULL
 *
 * Return: 0, or a negative errno (-ECONNRESET when kvnetd closes the connection, -EBADMSG
 * for a line that is not a notification)
 */
int ctl_client_next_notification(struct ctl_client *c, json_t **msg, struct ctl_client_error *err);

#endif
