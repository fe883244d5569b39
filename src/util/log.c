/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.c - leveled logging to stderr, with syslog priorities when stderr is the journal */

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/log.h"

static enum log_level log_level_max = LOG_LVL_INFO;
static bool log_journal;

/* the journal's priorities (syslog's): err, warning, info, debug */
static const char log_syslog_prio[] = {
	[LOG_LVL_ERROR] = '3',
	[LOG_LVL_WARN] = '4',
	[LOG_LVL_INFO] = '6',
	[LOG_LVL_DEBUG] = '7',
};

static const char *const log_level_names[] = {
	[LOG_LVL_ERROR] = "error",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

void log_set_level(enum log_level level)
{
	log_level_max = level;
}

bool log_journal_detect(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char end;

	/*
	 * systemd sets it to stderr's device and inode when it connects stderr to the
	 * journal; a child that inherits it but has its stderr elsewhere must not match
	 */
	log_journal = env && sscanf(env, "%llu:%llu%c", &dev, &ino, &end) == 2 && !fstat(2, &st) &&
		      st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
	return log_journal;
}

int log_level_parse(const char *s, enum log_level *level)
{
	for (unsigned i = 0; i < sizeof(log_level_names) / sizeof(log_level_names[0]); i++) {
		if (!strcmp(s, log_level_names[i])) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (level > log_level_max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* one write per line, so lines from two threads never interleave */
	if (log_journal)
		/* the journal names the process itself and reads the priority from <N> */
		fprintf(stderr, "<%c>%s: %s\n", log_syslog_prio[level], log_level_names[level],
			line);
	else
		fprintf(stderr, "kvnetd: %s: %s\n", log_level_names[level], line);
}

static uint64_t log_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* the limiters are static in their callers, which several datapath threads share */
static pthread_mutex_t log_ratelimit_lock = PTHREAD_MUTEX_INITIALIZER;

bool log_ratelimit_ok(struct log_ratelimit *rl)
{
	uint64_t now = log_now(), missed = 0;
	bool ok = false;

	pthread_mutex_lock(&log_ratelimit_lock);
	if (!rl->start || now - rl->start >= rl->interval_ns) {
		missed = rl->missed;
		rl->start = now;
		rl->count = 0;
		rl->missed = 0;
	}
	if (rl->count < rl->burst) {
		rl->count++;
		ok = true;
	} else {
		rl->missed++;
	}
	pthread_mutex_unlock(&log_ratelimit_lock);
	if (missed)
		log_warn("%llu messages suppressed", (unsigned long long)missed);
	return ok;
}
