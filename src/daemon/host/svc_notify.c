/* SPDX-License-Identifier: GPL-2.0-or-later */
/* svc_notify.c - systemd's notification protocol ($NOTIFY_SOCKET datagrams), without libsystemd */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/host/svc_notify.h"

static struct sockaddr_un svc_addr;
static socklen_t svc_addr_len; /* 0: no service manager */

int svc_notify_init(char *err, size_t errlen)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t len;

	svc_addr_len = 0;
	if (!path)
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len < 2 || len >= sizeof(svc_addr.sun_path)) {
		snprintf(err, errlen,
			 "NOTIFY_SOCKET '%s' is not a socket address (expected an absolute path, "
			 "or @NAME for an abstract socket, of at most %zu bytes)",
			 path, sizeof(svc_addr.sun_path) - 1);
		return -EINVAL;
	}
	memset(&svc_addr, 0, sizeof(svc_addr));
	svc_addr.sun_family = AF_UNIX;
	memcpy(svc_addr.sun_path, path, len);
	/* an abstract name starts with a NUL byte and is as long as it says, with no NUL after */
	if (path[0] == '@')
		svc_addr.sun_path[0] = '\0';
	svc_addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
				   (path[0] == '@' ? 0 : 1));
	unsetenv("NOTIFY_SOCKET");
	return 0;
}

bool svc_notify_active(void)
{
	return svc_addr_len != 0;
}

int svc_notify(const char *state)
{
	int fd, ret = 0;

	if (!svc_addr_len)
		return 0;
	/* a socket per message: they are few, and none is kept open across a fork */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&svc_addr,
		   svc_addr_len) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int svc_notify_status(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n = snprintf(msg, sizeof(msg), "STATUS=");

	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	/* one line: a newline would start another VAR= */
	msg[strcspn(msg, "\n")] = '\0';
	return svc_notify(msg);
}
