/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dnsmasq.c - one dnsmasq process per network: started, watched, restarted, reloaded, stopped */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "services/dnsmasq.h"

#define DNSMASQ_BIN "/usr/sbin/dnsmasq"
#define DNSMASQ_BACKOFF_MAX_S 60
/* a dnsmasq that ran this long before dying is not failing in a loop */
#define DNSMASQ_STABLE_S 30
#define NS_PER_S 1000000000ull

static char dnsmasq_user[64];

void dnsmasq_set_user(const char *user)
{
	snprintf(dnsmasq_user, sizeof(dnsmasq_user), "%s", user ? user : "");
}

void dnsmasq_init(struct dnsmasq_proc *d, const char *conf_path, const char *pid_path)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->conf_path, sizeof(d->conf_path), "%s", conf_path);
	snprintf(d->pid_path, sizeof(d->pid_path), "%s", pid_path);
	d->pidfd = -1;
	d->state = DNSMASQ_STOPPED;
	d->backoff_s = 1;
}

const char *dnsmasq_state_name(enum dnsmasq_state s)
{
	switch (s) {
	case DNSMASQ_NOT_NEEDED:
		return "not needed";
	case DNSMASQ_STOPPED:
		return "stopped";
	case DNSMASQ_RUNNING:
		return "running";
	case DNSMASQ_FAILED:
		return "failed";
	}
	return "unknown";
}

static int dnsmasq_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static pid_t dnsmasq_read_pid(const char *path)
{
	char buf[32];
	ssize_t n;
	long v;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	v = strtol(buf, NULL, 10);
	return v > 1 && v < (1 << 22) ? (pid_t)v : -1;
}

/* the failure: state FAILED, the reason kept, the next start after the back-off */
static int dnsmasq_failed(struct dnsmasq_proc *d, uint64_t now_ns, int ret)
{
	d->state = DNSMASQ_FAILED;
	d->pid = 0;
	d->retry_ns = now_ns + (uint64_t)d->backoff_s * NS_PER_S;
	d->backoff_s = d->backoff_s * 2 > DNSMASQ_BACKOFF_MAX_S ? DNSMASQ_BACKOFF_MAX_S
								: d->backoff_s * 2;
	return ret;
}

/* dnsmasq's last stderr line, without its "dnsmasq: " prefix and newline, into @d->error */
static void dnsmasq_take_stderr(struct dnsmasq_proc *d, int fd)
{
	char buf[1024], *line;
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	if (!strncmp(line, "dnsmasq: ", 9))
		line += 9;
	snprintf(d->error, sizeof(d->error), "%.255s", *line ? line : "no message");
}

int dnsmasq_start(struct dnsmasq_proc *d, uint64_t now_ns)
{
	char conf_arg[DNSMASQ_PATH_MAX + 16], user_arg[sizeof(dnsmasq_user) + 8];
	int pipefd[2], status, ret;
	pid_t child;

	if (access(DNSMASQ_BIN, X_OK)) {
		snprintf(d->error, sizeof(d->error),
			 "dnsmasq is not installed (%s; Debian package dnsmasq-base)", DNSMASQ_BIN);
		return dnsmasq_failed(d, now_ns, -ENOENT);
	}
	snprintf(conf_arg, sizeof(conf_arg), "--conf-file=%s", d->conf_path);
	snprintf(user_arg, sizeof(user_arg), "--user=%s", dnsmasq_user);
	unlink(d->pid_path);
	if (pipe2(pipefd, O_CLOEXEC))
		return dnsmasq_failed(d, now_ns, -errno);
	child = fork();
	if (child < 0) {
		ret = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return dnsmasq_failed(d, now_ns, ret);
	}
	if (!child) {
		/* only the async-signal-safe from here: stdin from /dev/null, stderr to us */
		int null = open("/dev/null", O_RDWR);
		sigset_t all;

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		dup2(pipefd[1], 2);
		/* no tap, socket or lock of kvnetd's may live on in dnsmasq */
		close_range(3, ~0u, 0);
		if (dnsmasq_user[0])
			execl(DNSMASQ_BIN, "dnsmasq", conf_arg, user_arg, (char *)NULL);
		else
			execl(DNSMASQ_BIN, "dnsmasq", conf_arg, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	/* dnsmasq exits here once its daemon runs, or with a message if it cannot start */
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	dnsmasq_take_stderr(d, pipefd[0]);
	close(pipefd[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char why[sizeof(d->error)];

		snprintf(why, sizeof(why), "%s", d->error);
		snprintf(d->error, sizeof(d->error), "dnsmasq failed to start (exit %d): %.200s",
			 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), why);
		return dnsmasq_failed(d, now_ns, -EIO);
	}
	d->pid = dnsmasq_read_pid(d->pid_path);
	d->pidfd = d->pid > 0 ? dnsmasq_pidfd_open(d->pid) : -1;
	if (d->pidfd < 0) {
		snprintf(d->error, sizeof(d->error),
			 "dnsmasq started but its pid file %.150s gives no running process",
			 d->pid_path);
		if (d->pid > 0)
			kill(d->pid, SIGTERM);
		return dnsmasq_failed(d, now_ns, -ESRCH);
	}
	d->state = DNSMASQ_RUNNING;
	d->started_ns = now_ns;
	d->error[0] = '\0';
	return 0;
}

static bool dnsmasq_exited(int pidfd, int timeout_ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) > 0;
}

void dnsmasq_stop(struct dnsmasq_proc *d)
{
	if (d->pidfd >= 0) {
		kill(d->pid, SIGTERM);
		if (!dnsmasq_exited(d->pidfd, 1000)) {
			kill(d->pid, SIGKILL);
			dnsmasq_exited(d->pidfd, 1000);
		}
		close(d->pidfd);
	}
	d->pidfd = -1;
	d->pid = 0;
	if (d->state != DNSMASQ_NOT_NEEDED)
		d->state = DNSMASQ_STOPPED;
	unlink(d->pid_path);
}

int dnsmasq_reload(const struct dnsmasq_proc *d)
{
	if (d->state != DNSMASQ_RUNNING)
		return 0;
	return kill(d->pid, SIGHUP) ? -errno : 0;
}

bool dnsmasq_check(struct dnsmasq_proc *d, uint64_t now_ns)
{
	if (d->state == DNSMASQ_RUNNING && dnsmasq_exited(d->pidfd, 0)) {
		close(d->pidfd);
		d->pidfd = -1;
		snprintf(d->error, sizeof(d->error), "dnsmasq (pid %d) died", (int)d->pid);
		/* one that ran a while is restarted at once; one that dies as it starts waits */
		if (now_ns - d->started_ns >= DNSMASQ_STABLE_S * NS_PER_S)
			d->backoff_s = 1;
		dnsmasq_failed(d, now_ns, 0);
		if (d->backoff_s == 2)
			d->retry_ns = now_ns;
		return true;
	}
	if (d->state == DNSMASQ_FAILED && now_ns >= d->retry_ns) {
		d->restarts++;
		dnsmasq_start(d, now_ns);
		return true;
	}
	return false;
}

/* does /proc/PID/cmdline say dnsmasq with a --conf-file= in @dir? */
static bool dnsmasq_is_ours(pid_t pid, const char *dir)
{
	char path[64], buf[DNSMASQ_PATH_MAX + 64], want[DNSMASQ_PATH_MAX + 16];
	bool ours = false;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	snprintf(want, sizeof(want), "--conf-file=%s/", dir);
	/* cmdline is NUL-separated: argv[0], then the arguments */
	if (!strstr(buf, "dnsmasq"))
		return false;
	for (char *a = buf; a < buf + n; a += strlen(a) + 1)
		if (!strncmp(a, want, strlen(want)))
			ours = true;
	return ours;
}

int dnsmasq_stop_stale(const char *dir)
{
	char path[DNSMASQ_PATH_MAX + 256];
	struct dirent *de;
	int stopped = 0;
	DIR *dp = opendir(dir);

	if (!dp)
		return 0;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		pid_t pid;
		int pidfd;

		if (len < 5 || strcmp(de->d_name + len - 4, ".pid"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		pid = dnsmasq_read_pid(path);
		if (pid > 0 && dnsmasq_is_ours(pid, dir)) {
			pidfd = dnsmasq_pidfd_open(pid);
			if (pidfd >= 0) {
				kill(pid, SIGTERM);
				if (!dnsmasq_exited(pidfd, 1000))
					kill(pid, SIGKILL);
				close(pidfd);
				stopped++;
			}
		}
		unlink(path);
	}
	closedir(dp);
	return stopped;
}
