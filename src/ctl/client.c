/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client.c - the client side of the kvnetd control protocol: connect, call, read the answer */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/client.h"
#include "ctl/protocol.h"

#define CLIENT_BUF_MIN 4096

/**
 * struct ctl_client - one connection to kvnetd
 * @fd:		the connected socket
 * @next_id:	id of the next request
 * @buf:	bytes received and not yet consumed (answer lines may arrive in pieces, or
 *		several at once)
 * @len:	bytes in @buf
 * @size:	bytes allocated for @buf, at most CTL_LINE_MAX
 * @passed_fd:	a descriptor kvnetd sent with an answer (SCM_RIGHTS), not taken yet, or -1
 */
struct ctl_client {
	int fd;
	json_int_t next_id;
	char *buf;
	size_t len;
	size_t size;
	int passed_fd;
};

__attribute__((format(printf, 3, 4))) static int client_fail(struct ctl_client_error *err, int ret,
							     const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = 0;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return ret;
}

const char *ctl_client_socket_path(const char *opt)
{
	const char *env;

	if (opt)
		return opt;
	env = getenv(CTL_SOCKET_ENV);
	if (env && *env)
		return env;
	return CTL_SOCKET_DEFAULT;
}

static const struct timeval answer_timeout = { .tv_sec = 60 };

int ctl_client_connect(const char *path, struct ctl_client **out)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ctl_client *c;
	size_t n = strlen(path);
	int ret;

	if (n == 0)
		return -ENOENT;
	if (n >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, n + 1);

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->next_id = 1;
	c->passed_fd = -1;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		ret = -errno;
		goto free_client;
	}
	while (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		if (errno == EINTR)
			continue;
		ret = -errno;
		goto close_fd;
	}
	/* a daemon that accepted but hangs must not hang every script that calls kvnet */
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &answer_timeout, sizeof(answer_timeout))) {
		ret = -errno;
		goto close_fd;
	}
	*out = c;
	return 0;

close_fd:
	close(c->fd);
free_client:
	free(c);
	return ret;
}

void ctl_client_close(struct ctl_client *c)
{
	if (!c)
		return;
	close(c->fd);
	if (c->passed_fd >= 0)
		close(c->passed_fd);
	free(c->buf);
	free(c);
}

int ctl_client_take_fd(struct ctl_client *c)
{
	int fd = c->passed_fd;

	c->passed_fd = -1;
	return fd;
}

/*
 * recv() that keeps a descriptor kvnetd attached (capture.start's answer) in c->passed_fd;
 * any more than one is closed, never left open unseen
 */
static ssize_t client_recv(struct ctl_client *c, char *buf, size_t len)
{
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { buf, len };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = ctrl.buf,
			      .msg_controllen = sizeof(ctrl.buf) };
	ssize_t n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);

	if (n < 0)
		return n;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		size_t nfd;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < nfd; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (c->passed_fd < 0)
				c->passed_fd = fd;
			else
				close(fd);
		}
	}
	return n;
}

/* write all of @len bytes, however the kernel splits them; never raises SIGPIPE */
static int client_send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Read until @c->buf holds a whole line. Return: its length without the newline (the
 * newline is at c->buf[ret]), or a negative errno.
 */
static long client_read_line(struct ctl_client *c, struct ctl_client_error *err)
{
	size_t scanned = 0;

	for (;;) {
		char *nl = c->len > scanned ? memchr(c->buf + scanned, '\n', c->len - scanned)
					    : NULL;
		ssize_t n;

		if (nl)
			return nl - c->buf;
		scanned = c->len;
		if (c->len == CTL_LINE_MAX)
			return client_fail(err, -EMSGSIZE,
					   "the answer from kvnetd is longer than %u bytes",
					   CTL_LINE_MAX);
		if (c->len == c->size) {
			size_t size = c->size ? c->size * 2 : CLIENT_BUF_MIN;
			char *p;

			if (size > CTL_LINE_MAX)
				size = CTL_LINE_MAX;
			p = realloc(c->buf, size);
			if (!p)
				return client_fail(err, -ENOMEM, "out of memory");
			c->buf = p;
			c->size = size;
		}
		n = client_recv(c, c->buf + c->len, c->size - c->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return client_fail(err, -ETIMEDOUT,
						   "kvnetd did not answer within %d seconds",
						   (int)answer_timeout.tv_sec);
			return client_fail(err, -errno, "cannot read from kvnetd: %s",
					   strerror(errno));
		}
		if (n == 0) {
			if (c->len)
				return client_fail(err, -ECONNRESET,
						   "kvnetd closed the connection in the middle of "
						   "an answer");
			return client_fail(err, -ECONNRESET,
					   "kvnetd closed the connection without answering");
		}
		c->len += (size_t)n;
	}
}

/* drop the first @n bytes of the buffer (an answer line and its newline) */
static void client_consume(struct ctl_client *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* check an answer's envelope; on success *result gets a new reference to its result */
static int client_check_answer(json_t *ans, json_int_t id, json_t **result,
			       struct ctl_client_error *err)
{
	json_t *v, *res, *error, *code, *msg;

	if (!json_is_object(ans))
		return client_fail(err, -EBADMSG, "bad answer from kvnetd: not a JSON object");
	v = json_object_get(ans, "jsonrpc");
	if (!json_is_string(v) || strcmp(json_string_value(v), "2.0"))
		return client_fail(err, -EBADMSG,
				   "bad answer from kvnetd: \"jsonrpc\" is not \"2.0\"");
	res = json_object_get(ans, "result");
	error = json_object_get(ans, "error");
	if (!res == !error)
		return client_fail(err, -EBADMSG,
				   "bad answer from kvnetd: it must have exactly one of "
				   "\"result\" and \"error\"");

	v = json_object_get(ans, "id");
	/* an error about a request the daemon could not read carries id null */
	if (!(json_is_integer(v) && json_integer_value(v) == id) && !(error && json_is_null(v)))
		return client_fail(err, -EBADMSG,
				   "bad answer from kvnetd: its \"id\" is not that of the request "
				   "(%" JSON_INTEGER_FORMAT ")",
				   id);

	if (error) {
		if (!json_is_object(error))
			return client_fail(err, -EBADMSG,
					   "bad answer from kvnetd: \"error\" is not an object");
		code = json_object_get(error, "code");
		msg = json_object_get(error, "message");
		if (!json_is_integer(code) || json_integer_value(code) < -2147483647 - 1 ||
		    json_integer_value(code) > 2147483647)
			return client_fail(err, -EBADMSG,
					   "bad answer from kvnetd: the error has no integer "
					   "\"code\"");
		if (msg && !json_is_string(msg))
			return client_fail(err, -EBADMSG,
					   "bad answer from kvnetd: the error's \"message\" is "
					   "not a string");
		if (err) {
			err->code = (int)json_integer_value(code);
			if (msg && *json_string_value(msg))
				snprintf(err->message, sizeof(err->message), "%s",
					 json_string_value(msg));
			else
				snprintf(err->message, sizeof(err->message), "%s (error %d)",
					 ctl_error_name(err->code), err->code);
		}
		return -EREMOTEIO;
	}
	if (!json_is_object(res))
		return client_fail(err, -EBADMSG,
				   "bad answer from kvnetd: \"result\" is not an "
				   "object");
	*result = json_incref(res);
	return 0;
}

int ctl_client_call(struct ctl_client *c, const char *method, json_t *params, json_t **result,
		    struct ctl_client_error *err)
{
	json_int_t id = c->next_id++;
	json_error_t jerr;
	json_t *req, *ans;
	char *line;
	size_t n;
	long len;
	int ret;

	if (err) {
		err->code = 0;
		err->message[0] = '\0';
	}
	if (params)
		req = json_pack("{s:s, s:I, s:s, s:O}", "jsonrpc", "2.0", "id", id, "method",
				method, "params", params);
	else
		req = json_pack("{s:s, s:I, s:s}", "jsonrpc", "2.0", "id", id, "method", method);
	if (!req)
		return client_fail(err, -ENOMEM, "cannot build the request for %s", method);
	line = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!line)
		return client_fail(err, -ENOMEM, "out of memory");
	/* json_dumps() escapes control characters, so the line holds no newline yet */
	n = strlen(line);
	if (n + 1 > CTL_LINE_MAX) {
		free(line);
		return client_fail(err, -EMSGSIZE, "the request is longer than %u bytes",
				   CTL_LINE_MAX);
	}
	line[n] = '\n';
	ret = client_send_all(c->fd, line, n + 1);
	free(line);
	if (ret < 0) {
		struct ctl_client_error ignored;

		/* kvnetd may have refused us and hung up: its answer, if any, says why */
		len = ret == -EPIPE || ret == -ECONNRESET ? client_read_line(c, &ignored) : -1;
		if (len < 0)
			return client_fail(err, ret, "cannot send to kvnetd: %s", strerror(-ret));
	} else {
		len = client_read_line(c, err);
		if (len < 0)
			return (int)len;
	}
	ans = json_loadb(c->buf, (size_t)len, 0, &jerr);
	client_consume(c, (size_t)len + 1);
	if (!ans)
		return client_fail(err, -EBADMSG, "bad answer from kvnetd: not JSON (%s)",
				   jerr.text);
	ret = client_check_answer(ans, id, result, err);
	json_decref(ans);
	return ret;
}

int ctl_client_next_notification(struct ctl_client *c, json_t **out, struct ctl_client_error *err)
{
	static const struct timeval forever = { 0 };
	json_error_t jerr;
	json_t *msg;
	long len;

	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof(forever)))
		return client_fail(err, -errno, "cannot wait for kvnetd: %s", strerror(errno));
	len = client_read_line(c, err);
	if (len < 0)
		return (int)len;
	msg = json_loadb(c->buf, (size_t)len, 0, &jerr);
	client_consume(c, (size_t)len + 1);
	if (!msg)
		return client_fail(err, -EBADMSG, "bad notification from kvnetd: %s", jerr.text);
	if (!json_is_string(json_object_get(msg, "method")) ||
	    !json_is_object(json_object_get(msg, "params")) || json_object_get(msg, "id")) {
		json_decref(msg);
		return client_fail(err, -EBADMSG,
				   "bad notification from kvnetd: expected a method, params and "
				   "no id");
	}
	*out = msg;
	return 0;
}
