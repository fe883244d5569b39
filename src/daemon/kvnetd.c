/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvnetd.c - the daemon: options, run dir and lock, signals, start-up and shutdown */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/protocol.h"
#include "daemon/ctl_server.h"
#include "daemon/datapath.h"
#include "daemon/net_services.h"
#include "daemon/net_store.h"
#include "daemon/network.h"
#include "daemon/switch.h"
#include "util/log.h"

#define STATE_DIR_DEFAULT "/var/lib/kvnet"

struct kvnetd_opts {
	const char *run_dir;
	const char *state_dir;
	const char *group;
	bool no_default;
};

static void kvnetd_usage(FILE *f)
{
	fprintf(f,
		"usage: kvnetd [--run-dir DIR] [--state-dir DIR] [--group NAME]\n"
		"              [--log-level error|warn|info|debug] [--no-default-network]\n"
		"\n"
		"The kvnet daemon. It runs in the foreground and logs to stderr.\n"
		"  --run-dir DIR     control socket, pid/lock file (default %s)\n"
		"  --state-dir DIR   network definitions: DIR/networks/NAME.xml (default %s)\n"
		"  --group NAME      members of this group may use the control socket too\n"
		"  --log-level L     default info\n"
		"  --no-default-network\n"
		"                    on a first start (no DIR/networks yet), do not define\n"
		"                    libvirt's default network (NAT, DHCP, DNS; autostarted)\n",
		CTL_RUN_DIR_DEFAULT, STATE_DIR_DEFAULT);
}

/* mkdir -p for one or two levels, as the run and state dirs need */
static int kvnetd_mkdir(const char *path, mode_t mode)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Return: the lock file's fd, held for the daemon's life, or -1 after saying why */
static int kvnetd_lock(const char *path, const char *run_dir)
{
	char pid[32];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "kvnetd: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		ssize_t n = read(fd, pid, sizeof(pid) - 1);

		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		fprintf(stderr,
			"kvnetd: another kvnetd (pid %s) is running with run dir %s; "
			"stop it first or use --run-dir\n",
			pid[0] ? pid : "unknown", run_dir);
		close(fd);
		return -1;
	}
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || write(fd, pid, strlen(pid)) < 0) {
		fprintf(stderr, "kvnetd: cannot write %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int kvnetd_parse(int argc, char **argv, struct kvnetd_opts *o)
{
	static const struct option longopts[] = {
		{ "run-dir", required_argument, NULL, 'r' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "group", required_argument, NULL, 'g' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "no-default-network", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum log_level level;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->run_dir = optarg;
			break;
		case 's':
			o->state_dir = optarg;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 'n':
			o->no_default = true;
			break;
		case 'l':
			if (log_level_parse(optarg, &level)) {
				fprintf(stderr,
					"kvnetd: log level '%s' is not known (expected error, "
					"warn, "
					"info or debug)\n",
					optarg);
				return -1;
			}
			log_set_level(level);
			break;
		case 'h':
			kvnetd_usage(stdout);
			exit(0);
		default:
			kvnetd_usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kvnetd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* once a second on the control thread: supervise what networks run (dnsmasq) */
static void kvnetd_tick(void)
{
	datapath_lock();
	net_services_tick(datapath_now());
	datapath_unlock();
}

int main(int argc, char **argv)
{
	struct kvnetd_opts o = { CTL_RUN_DIR_DEFAULT, STATE_DIR_DEFAULT, NULL, false };
	char sock_path[4096], lock_path[4096], err[512];
	int lock_fd, sig_fd, listen_fd, signo, err_no, ret = 1;
	gid_t group = (gid_t)-1;
	sigset_t sigs;

	if (kvnetd_parse(argc, argv, &o))
		return 2;
	if (o.group) {
		struct group *g = getgrnam(o.group);

		if (!g) {
			fprintf(stderr, "kvnetd: group '%s' does not exist\n", o.group);
			return 2;
		}
		group = g->gr_gid;
	}
	if ((err_no = kvnetd_mkdir(o.run_dir, 0755)) ||
	    (err_no = kvnetd_mkdir(o.state_dir, 0755))) {
		fprintf(stderr, "kvnetd: cannot create %s: %s\n",
			kvnetd_mkdir(o.run_dir, 0755) ? o.run_dir : o.state_dir, strerror(-err_no));
		return 1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/%s", o.run_dir, CTL_SOCKET_NAME);
	snprintf(lock_path, sizeof(lock_path), "%s/kvnetd.pid", o.run_dir);
	lock_fd = kvnetd_lock(lock_path, o.run_dir);
	if (lock_fd < 0)
		return 1;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	/* blocked before the datapath thread starts, so it inherits the mask */
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sig_fd < 0) {
		fprintf(stderr, "kvnetd: signalfd: %s\n", strerror(errno));
		goto out_unlock;
	}
	err_no = datapath_start();
	if (err_no) {
		fprintf(stderr, "kvnetd: cannot start the datapath: %s\n", strerror(-err_no));
		goto out_sig;
	}
	err_no = net_store_open(o.state_dir, err, sizeof(err));
	if (!err_no)
		err_no = net_services_init(o.run_dir, err, sizeof(err));
	if (err_no) {
		fprintf(stderr, "kvnetd: %s\n", err);
		goto out_datapath;
	}
	listen_fd = ctl_server_open(sock_path, group, err, sizeof(err));
	if (listen_fd < 0) {
		fprintf(stderr, "kvnetd: %s\n", err);
		goto out_datapath;
	}
	/* defined networks, and the autostarted ones running, before the first request */
	datapath_lock();
	network_load_all();
	if (net_store_fresh() && !o.no_default)
		network_define_default();
	datapath_unlock();
	log_info("listening on %s (pid %d)", sock_path, (int)getpid());

	signo = ctl_server_run(listen_fd, sig_fd, kvnetd_tick);
	log_info("%s: shutting down", strsignal(signo));
	ret = 0;

	close(listen_fd);
	unlink(sock_path);
out_datapath:
	datapath_stop();
	/* the thread is gone, but the lock is still what network code lets go around slow work */
	datapath_lock();
	network_shutdown();
	switch_del_all();
	datapath_unlock();
	net_services_fini();
	net_store_close();
out_sig:
	close(sig_fd);
out_unlock:
	unlink(lock_path);
	close(lock_fd);
	return ret;
}
