/* SPDX-License-Identifier: GPL-2.0-or-later */
/* print.c - kvnet's output: one print path per object, aligned text or the result as JSON */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/kvnet.h"
#include "cli/print.h"

/* spaces between two columns of a table */
#define PRINT_GAP 2

/**
 * struct print_table - rows of text cells, printed with each column as wide as its widest
 * cell or header
 * @head:	the column headers
 * @ncols:	columns
 * @cells:	@nrows * @ncols cells, row by row; NULL is an empty cell
 * @nrows:	rows so far
 * @cap:	rows allocated
 */
struct print_table {
	const char *const *head;
	size_t ncols;
	char **cells;
	size_t nrows;
	size_t cap;
};

/* the types an answer's member may be required to have */
enum print_type {
	PRINT_STRING,
	PRINT_INT,
	PRINT_NUMBER,
	PRINT_BOOL,
	PRINT_ARRAY,
	PRINT_OBJECT,
	PRINT_INT_OR_NULL,
	PRINT_STRING_OR_NULL,
};

static const char *const print_type_names[] = {
	[PRINT_STRING] = "a string",
	[PRINT_INT] = "an integer",
	[PRINT_NUMBER] = "a number",
	[PRINT_BOOL] = "true or false",
	[PRINT_ARRAY] = "an array",
	[PRINT_OBJECT] = "an object",
	[PRINT_INT_OR_NULL] = "an integer or null",
	[PRINT_STRING_OR_NULL] = "a string or null",
};

void print_json(const json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
}

static bool print_type_ok(const json_t *v, enum print_type t)
{
	switch (t) {
	case PRINT_STRING:
		return json_is_string(v);
	case PRINT_INT:
		return json_is_integer(v);
	case PRINT_NUMBER:
		return json_is_number(v);
	case PRINT_BOOL:
		return json_is_boolean(v);
	case PRINT_ARRAY:
		return json_is_array(v);
	case PRINT_OBJECT:
		return json_is_object(v);
	case PRINT_INT_OR_NULL:
		return json_is_integer(v) || json_is_null(v);
	case PRINT_STRING_OR_NULL:
		return json_is_string(v) || json_is_null(v);
	}
	return false;
}

/*
 * Member @key of @obj, which must be of type @t; @ctx names @obj in the message
 * ("bridges[2]"). Return: the member, or NULL after reporting a bad answer.
 */
static const json_t *print_need(const json_t *obj, const char *ctx, const char *key,
				enum print_type t)
{
	const json_t *v = json_object_get(obj, key);

	if (!v) {
		kvnet_err("bad answer from kvnetd: %s%s\"%s\" is missing", ctx, *ctx ? "." : "",
			  key);
		return NULL;
	}
	if (!print_type_ok(v, t)) {
		kvnet_err("bad answer from kvnetd: %s%s\"%s\" is not %s", ctx, *ctx ? "." : "", key,
			  print_type_names[t]);
		return NULL;
	}
	return v;
}

/* element @i of array @arr must be an object; @what names the array */
static const json_t *print_need_elem(const json_t *arr, size_t i, const char *what, char *ctx,
				     size_t size)
{
	const json_t *v = json_array_get(arr, i);

	snprintf(ctx, size, "%s[%zu]", what, i);
	if (!json_is_object(v)) {
		kvnet_err("bad answer from kvnetd: %s is not an object", ctx);
		return NULL;
	}
	return v;
}

static int print_table_init(struct print_table *t, const char *const *head, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->head = head;
	t->ncols = ncols;
	return 0;
}

static void print_table_free(struct print_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* start a new row of empty cells. Return: 0 or -ENOMEM */
static int print_table_row(struct print_table *t)
{
	size_t i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **p = realloc(t->cells, cap * t->ncols * sizeof(*p));

		if (!p)
			return -ENOMEM;
		t->cells = p;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = NULL;
	t->nrows++;
	return 0;
}

/* control characters as '?': text from the socket must not drive the terminal */
static void print_sanitize(char *s)
{
	unsigned char *p;

	for (p = (unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* a new string, as vsnprintf() formats it, control characters shown as '?'; NULL if no memory */
__attribute__((format(printf, 1, 0))) static char *print_vformat(const char *fmt, va_list ap)
{
	va_list again;
	char *s;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	print_sanitize(s);
	return s;
}

/*
 * Set cell @col of the last row, control characters shown as '?'. Return: 0 or -ENOMEM.
 */
__attribute__((format(printf, 3, 4))) static int print_table_set(struct print_table *t, size_t col,
								 const char *fmt, ...)
{
	char **cell = &t->cells[(t->nrows - 1) * t->ncols + col];
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = print_vformat(fmt, ap);
	va_end(ap);
	if (!s)
		return -ENOMEM;
	free(*cell);
	*cell = s;
	return 0;
}

static size_t print_cell_len(const char *s)
{
	return s ? strlen(s) : 0;
}

/* one line of cells, each but the last padded to its column's width, no trailing blanks */
static void print_table_line(const struct print_table *t, const char *const *cells,
			     const size_t *width)
{
	size_t last = 0, i;

	for (i = 0; i < t->ncols; i++)
		if (print_cell_len(cells[i]))
			last = i;
	for (i = 0; i <= last; i++) {
		const char *s = cells[i] ? cells[i] : "";

		if (i < last)
			printf("%-*s%*s", (int)width[i], s, PRINT_GAP, "");
		else
			fputs(s, stdout);
	}
	putchar('\n');
}

static int print_table_out(const struct print_table *t)
{
	size_t *width = calloc(t->ncols, sizeof(*width));
	size_t r, c;

	if (!width)
		return -ENOMEM;
	for (c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->head[c]);
		for (r = 0; r < t->nrows; r++) {
			size_t n = print_cell_len(t->cells[r * t->ncols + c]);

			if (n > width[c])
				width[c] = n;
		}
	}
	print_table_line(t, (const char *const *)t->head, width);
	for (r = 0; r < t->nrows; r++)
		print_table_line(t, (const char *const *)&t->cells[r * t->ncols], width);
	free(width);
	return 0;
}

/*
 * As virsh prints a table (vshTablePrint): each cell after a blank, padded to its column's
 * width and two more blanks (the last cell is not padded), and under the header a line of
 * dashes three longer than each column
 */
static int print_table_out_virsh(const struct print_table *t)
{
	size_t *width = calloc(t->ncols, sizeof(*width));
	size_t r, c, i;

	if (!width)
		return -ENOMEM;
	for (c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->head[c]);
		for (r = 0; r < t->nrows; r++) {
			size_t n = print_cell_len(t->cells[r * t->ncols + c]);

			if (n > width[c])
				width[c] = n;
		}
	}
	for (r = 0; r <= t->nrows; r++) {
		const char *const *cells = r ? (const char *const *)&t->cells[(r - 1) * t->ncols]
					     : t->head;

		for (c = 0; c < t->ncols; c++) {
			const char *s = cells[c] ? cells[c] : "";

			if (c + 1 < t->ncols)
				printf(" %-*s  ", (int)width[c], s);
			else
				printf(" %s", s);
		}
		putchar('\n');
		if (r)
			continue;
		for (c = 0; c < t->ncols; c++)
			for (i = 0; i < width[c] + 3; i++)
				putchar('-');
		putchar('\n');
	}
	free(width);
	return 0;
}

/* a JSON number as a person writes it: 300, 0.5 */
static int print_table_number(struct print_table *t, size_t col, const json_t *v)
{
	if (json_is_integer(v))
		return print_table_set(t, col, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return print_table_set(t, col, "%.15g", json_number_value(v));
}

int print_result(const struct kvnet *k, const json_t *result, int (*text)(const json_t *result))
{
	if (k->json) {
		print_json(result);
		return 0;
	}
	return text(result);
}

int print_done(const json_t *result)
{
	(void)result;
	return 0;
}

int print_version(const json_t *result)
{
	const json_t *version, *pid;

	version = print_need(result, "", "version", PRINT_STRING);
	pid = version ? print_need(result, "", "pid", PRINT_INT) : NULL;
	if (!pid)
		return -EBADMSG;
	printf("kvnetd %s (pid %" JSON_INTEGER_FORMAT ")\n", json_string_value(version),
	       json_integer_value(pid));
	return 0;
}

/*
 * The answer as JSON, or @key's array as a table of @n columns with heads @head,
 * one or more rows per element made by @rows. Return: 0 or a negative errno
 */
static int print_list_as(const json_t *result, const char *key, const char *const *head, unsigned n,
			 int (*rows)(struct print_table *t, const json_t *list), bool virsh)
{
	const json_t *list;
	struct print_table t;
	int ret;

	list = print_need(result, "", key, PRINT_ARRAY);
	if (!list)
		return -EBADMSG;
	print_table_init(&t, head, n);
	ret = rows(&t, list);
	if (!ret)
		ret = virsh ? print_table_out_virsh(&t) : print_table_out(&t);
	print_table_free(&t);
	return ret;
}

static int print_list(const json_t *result, const char *key, const char *const *head, unsigned n,
		      int (*rows)(struct print_table *t, const json_t *list))
{
	return print_list_as(result, key, head, n, rows, false);
}

static int print_bridge_rows(struct print_table *t, const json_t *bridges)
{
	static const char *const what = "bridges";
	const json_t *br, *name, *filt, *ageing, *ports, *port;
	char ctx[64];
	size_t i, j;

	for (i = 0; i < json_array_size(bridges); i++) {
		br = print_need_elem(bridges, i, what, ctx, sizeof(ctx));
		if (!br || !(name = print_need(br, ctx, "name", PRINT_STRING)) ||
		    !(filt = print_need(br, ctx, "vlan_filtering", PRINT_BOOL)) ||
		    !(ageing = print_need(br, ctx, "ageing_time", PRINT_NUMBER)) ||
		    !(ports = print_need(br, ctx, "ports", PRINT_ARRAY)))
			return -EBADMSG;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(name)) ||
		    print_table_set(t, 1, "%s", json_is_true(filt) ? "on" : "off") ||
		    print_table_number(t, 2, ageing))
			return -ENOMEM;
		for (j = 0; j < json_array_size(ports); j++) {
			port = json_array_get(ports, j);
			if (!json_is_string(port)) {
				kvnet_err("bad answer from kvnetd: %s.\"ports\"[%zu] is not a "
					  "string",
					  ctx, j);
				return -EBADMSG;
			}
			if ((j && print_table_row(t)) ||
			    print_table_set(t, 3, "%s", json_string_value(port)))
				return -ENOMEM;
		}
	}
	return 0;
}

int print_bridges(const json_t *result)
{
	static const char *const head[] = { "bridge name", "vlan filtering", "ageing",
					    "interfaces" };

	return print_list(result, "bridges", head, 4, print_bridge_rows);
}

/* the names of the flags that are on, comma-separated, or "-" */
static int print_port_flags(struct print_table *t, size_t col, const json_t *flags, const char *ctx)
{
	const char *key;
	json_t *v;
	char *s = NULL, *n;
	size_t len = 0;
	int ret;

	json_object_foreach((json_t *)flags, key, v)
	{
		if (!json_is_boolean(v)) {
			kvnet_err("bad answer from kvnetd: %s.\"flags\".\"%s\" is not true or "
				  "false",
				  ctx, key);
			free(s);
			return -EBADMSG;
		}
		if (!json_is_true(v))
			continue;
		n = realloc(s, len + strlen(key) + 2);
		if (!n) {
			free(s);
			return -ENOMEM;
		}
		s = n;
		len += (size_t)sprintf(s + len, "%s%s", len ? "," : "", key);
	}
	ret = print_table_set(t, col, "%s", s ? s : "-");
	free(s);
	return ret;
}

static int print_port_rows(struct print_table *t, const json_t *ports)
{
	static const char *const what = "ports";
	const json_t *p, *name, *bridge, *no, *type, *netns, *link, *state, *mtu, *flags;
	char ctx[64];
	size_t i;
	int ret;

	for (i = 0; i < json_array_size(ports); i++) {
		p = print_need_elem(ports, i, what, ctx, sizeof(ctx));
		if (!p || !(name = print_need(p, ctx, "name", PRINT_STRING)) ||
		    !(bridge = print_need(p, ctx, "bridge", PRINT_STRING)) ||
		    !(no = print_need(p, ctx, "port_no", PRINT_INT)) ||
		    !(type = print_need(p, ctx, "type", PRINT_STRING)) ||
		    !(netns = print_need(p, ctx, "netns", PRINT_STRING_OR_NULL)) ||
		    !(link = print_need(p, ctx, "link", PRINT_STRING)) ||
		    !(state = print_need(p, ctx, "state", PRINT_STRING)) ||
		    !(mtu = print_need(p, ctx, "mtu", PRINT_INT)) ||
		    !(flags = print_need(p, ctx, "flags", PRINT_OBJECT)))
			return -EBADMSG;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(name)) ||
		    print_table_set(t, 1, "%s", json_string_value(bridge)) ||
		    print_table_number(t, 2, no) ||
		    print_table_set(t, 3, "%s", json_string_value(type)) ||
		    print_table_set(t, 4, "%s",
				    json_is_string(netns) ? json_string_value(netns) : "-") ||
		    print_table_set(t, 5, "%s", json_string_value(link)) ||
		    print_table_set(t, 6, "%s", json_string_value(state)) ||
		    print_table_number(t, 7, mtu))
			return -ENOMEM;
		ret = print_port_flags(t, 8, flags, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

int print_ports(const json_t *result)
{
	static const char *const head[] = { "port", "bridge", "no",  "type", "netns",
					    "link", "state",  "mtu", "flags" };

	return print_list(result, "ports", head, 9, print_port_rows);
}

struct print_vlan {
	json_int_t vid;
	bool untagged;
};

static int print_vlan_cmp(const void *a, const void *b)
{
	const struct print_vlan *x = a, *y = b;

	return (x->vid > y->vid) - (x->vid < y->vid);
}

/* one port's VIDs, sorted, a run of consecutive VIDs with the same flags as N-M */
static int print_vlan_port(struct print_table *t, const char *port, json_int_t pvid,
			   const struct print_vlan *v, size_t n)
{
	size_t i = 0, j;

	if (print_table_row(t) || print_table_set(t, 0, "%s", port))
		return -ENOMEM;
	if (!n)
		return print_table_set(t, 1, "None");
	while (i < n) {
		bool is_pvid = v[i].vid == pvid;

		for (j = i; !is_pvid && j + 1 < n && v[j + 1].vid == v[j].vid + 1 &&
			    v[j + 1].untagged == v[i].untagged && v[j + 1].vid != pvid;
		     j++)
			;
		if (i && print_table_row(t))
			return -ENOMEM;
		if (j > i ? print_table_set(t, 1,
					    "%" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT "%s",
					    v[i].vid, v[j].vid,
					    v[i].untagged ? " Egress Untagged" : "")
			  : print_table_set(t, 1, "%" JSON_INTEGER_FORMAT "%s%s", v[i].vid,
					    is_pvid ? " PVID" : "",
					    v[i].untagged ? " Egress Untagged" : ""))
			return -ENOMEM;
		i = j + 1;
	}
	return 0;
}

/* a port's or an interface's "vlans" array, sorted by VID, into *@out (free() it) */
static int print_need_vlans(const json_t *vlans, const char *ctx, struct print_vlan **out,
			    size_t *count)
{
	const json_t *e, *vid, *untagged;
	char vctx[96], ectx[128];
	struct print_vlan *v;
	size_t j, n = json_array_size(vlans);

	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	snprintf(vctx, sizeof(vctx), "%s.\"vlans\"", ctx);
	for (j = 0; j < n; j++) {
		e = print_need_elem(vlans, j, vctx, ectx, sizeof(ectx));
		if (!e || !(vid = print_need(e, ectx, "vid", PRINT_INT)) ||
		    !(untagged = print_need(e, ectx, "untagged", PRINT_BOOL))) {
			free(v);
			return -EBADMSG;
		}
		v[j].vid = json_integer_value(vid);
		v[j].untagged = json_is_true(untagged);
	}
	qsort(v, n, sizeof(*v), print_vlan_cmp);
	*out = v;
	*count = n;
	return 0;
}

static int print_vlan_rows(struct print_table *t, const json_t *ports)
{
	static const char *const what = "ports";
	const json_t *p, *name, *pvid, *vlans;
	struct print_vlan *v;
	char ctx[64];
	size_t i, n;
	int ret;

	for (i = 0; i < json_array_size(ports); i++) {
		p = print_need_elem(ports, i, what, ctx, sizeof(ctx));
		if (!p || !(name = print_need(p, ctx, "port", PRINT_STRING)) ||
		    !(pvid = print_need(p, ctx, "pvid", PRINT_INT_OR_NULL)) ||
		    !(vlans = print_need(p, ctx, "vlans", PRINT_ARRAY)))
			return -EBADMSG;
		ret = print_need_vlans(vlans, ctx, &v, &n);
		if (ret)
			return ret;
		/* no VID is 0: with no PVID nothing is marked */
		ret = print_vlan_port(t, json_string_value(name),
				      json_is_integer(pvid) ? json_integer_value(pvid) : 0, v, n);
		free(v);
		if (ret)
			return ret;
	}
	return 0;
}

int print_vlans(const json_t *result)
{
	static const char *const head[] = { "port", "vlan-id" };

	return print_list(result, "ports", head, 2, print_vlan_rows);
}

static int print_fdb_rows(struct print_table *t, const json_t *entries)
{
	static const char *const what = "entries";
	const json_t *e, *mac, *vid, *port, *is_static, *age;
	char ctx[64];
	size_t i;

	for (i = 0; i < json_array_size(entries); i++) {
		e = print_need_elem(entries, i, what, ctx, sizeof(ctx));
		if (!e || !(mac = print_need(e, ctx, "mac", PRINT_STRING)) ||
		    !(vid = print_need(e, ctx, "vid", PRINT_INT)) ||
		    !(port = print_need(e, ctx, "port", PRINT_STRING)) ||
		    !(is_static = print_need(e, ctx, "static", PRINT_BOOL)) ||
		    !(age = print_need(e, ctx, "age", PRINT_NUMBER)))
			return -EBADMSG;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(mac)) ||
		    print_table_number(t, 1, vid) ||
		    print_table_set(t, 2, "%s", json_string_value(port)) ||
		    print_table_set(t, 3, "%s", json_is_true(is_static) ? "static" : "dynamic") ||
		    print_table_set(t, 4, "%.1f", json_number_value(age)))
			return -ENOMEM;
	}
	return 0;
}

int print_fdb(const json_t *result)
{
	static const char *const head[] = { "mac", "vlan", "port", "flags", "age" };

	return print_list(result, "entries", head, 5, print_fdb_rows);
}

int print_flushed(const json_t *result)
{
	const json_t *n;

	n = print_need(result, "", "flushed", PRINT_INT);
	if (!n)
		return -EBADMSG;
	printf("flushed %" JSON_INTEGER_FORMAT " %s\n", json_integer_value(n),
	       json_integer_value(n) == 1 ? "entry" : "entries");
	return 0;
}

/*
 * A block of counters: a title line, then "  NAME  VALUE" per counter, names padded to
 * the widest and values right-aligned. Built as a two-column table without a header.
 */
struct print_block {
	struct print_table t;
	size_t name_w, value_w;
};

__attribute__((format(printf, 3, 4))) static int print_block_add(struct print_block *b,
								 json_int_t value, const char *fmt,
								 ...)
{
	char **cell;
	va_list ap;
	int ret;

	ret = print_table_row(&b->t);
	if (ret)
		return ret;
	cell = &b->t.cells[(b->t.nrows - 1) * 2];
	va_start(ap, fmt);
	cell[0] = print_vformat(fmt, ap);
	va_end(ap);
	if (!cell[0])
		return -ENOMEM;
	if (print_table_set(&b->t, 1, "%" JSON_INTEGER_FORMAT, value))
		return -ENOMEM;
	if (strlen(cell[0]) > b->name_w)
		b->name_w = strlen(cell[0]);
	if (strlen(cell[1]) > b->value_w)
		b->value_w = strlen(cell[1]);
	return 0;
}

static void print_block_out(const struct print_block *b)
{
	size_t r;

	for (r = 0; r < b->t.nrows; r++)
		printf("  %-*s%*s%*s\n", (int)b->name_w, b->t.cells[r * 2], PRINT_GAP, "",
		       (int)b->value_w, b->t.cells[r * 2 + 1]);
}

/* every member of @obj, which must all be integers, as "PREFIX KEY" lines */
static int print_block_counters(struct print_block *b, const json_t *obj, const char *prefix,
				const char *ctx, const char *objname)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v)
	{
		if (!json_is_integer(v)) {
			kvnet_err("bad answer from kvnetd: %s.\"%s\".\"%s\" is not an integer", ctx,
				  objname, key);
			return -EBADMSG;
		}
		if (print_block_add(b, json_integer_value(v), "%s %s", prefix, key))
			return -ENOMEM;
	}
	return 0;
}

static int print_stats_bridge(const json_t *br, const char *ctx, bool out, bool *first)
{
	const json_t *name, *fdb;
	struct print_block b = { 0 };
	int ret;

	if (!(name = print_need(br, ctx, "name", PRINT_STRING)) ||
	    !(fdb = print_need(br, ctx, "fdb", PRINT_OBJECT)))
		return -EBADMSG;
	print_table_init(&b.t, NULL, 2);
	ret = print_block_counters(&b, fdb, "fdb", ctx, "fdb");
	if (!ret && out) {
		if (!*first)
			putchar('\n');
		*first = false;
		printf("bridge %s\n", json_string_value(name));
		print_block_out(&b);
	}
	print_table_free(&b.t);
	return ret;
}

static int print_stats_port(const json_t *p, const char *ctx, bool out, bool *first)
{
	static const char *const counters[] = { "rx_frames", "rx_bytes",   "tx_frames",
						"tx_bytes",  "rx_control", "learn_refused",
						"rx_errors", "tx_errors" };
	const json_t *name, *bridge, *drops, *v;
	struct print_block b = { 0 };
	size_t i;
	int ret = -EBADMSG;

	if (!(name = print_need(p, ctx, "name", PRINT_STRING)) ||
	    !(bridge = print_need(p, ctx, "bridge", PRINT_STRING)) ||
	    !(drops = print_need(p, ctx, "drops", PRINT_OBJECT)))
		return -EBADMSG;
	print_table_init(&b.t, NULL, 2);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		v = print_need(p, ctx, counters[i], PRINT_INT);
		if (!v)
			goto free_block;
		ret = print_block_add(&b, json_integer_value(v), "%s", counters[i]);
		if (ret)
			goto free_block;
	}
	ret = print_block_counters(&b, drops, "drop", ctx, "drops");
	if (ret || !out)
		goto free_block;
	if (!*first)
		putchar('\n');
	*first = false;
	printf("port %s (bridge %s)\n", json_string_value(name), json_string_value(bridge));
	print_block_out(&b);
free_block:
	print_table_free(&b.t);
	return ret;
}

/* one pass over the answer: checks it all, and prints it with @out */
static int print_stats_pass(const json_t *bridges, const json_t *ports, bool out)
{
	bool first = true;
	char ctx[64];
	size_t i;
	int ret;

	for (i = 0; i < json_array_size(bridges); i++) {
		const json_t *br = print_need_elem(bridges, i, "bridges", ctx, sizeof(ctx));

		if (!br)
			return -EBADMSG;
		ret = print_stats_bridge(br, ctx, out, &first);
		if (ret)
			return ret;
	}
	for (i = 0; i < json_array_size(ports); i++) {
		const json_t *p = print_need_elem(ports, i, "ports", ctx, sizeof(ctx));

		if (!p)
			return -EBADMSG;
		ret = print_stats_port(p, ctx, out, &first);
		if (ret)
			return ret;
	}
	return 0;
}

int print_stats(const json_t *result)
{
	const json_t *bridges, *ports;
	int ret;

	if (!(bridges = print_need(result, "", "bridges", PRINT_ARRAY)) ||
	    !(ports = print_need(result, "", "ports", PRINT_ARRAY)))
		return -EBADMSG;
	/* check everything before printing anything */
	ret = print_stats_pass(bridges, ports, false);
	if (!ret)
		ret = print_stats_pass(bridges, ports, true);
	return ret;
}

int print_xml(const json_t *result)
{
	const json_t *xml;

	xml = print_need(result, "", "xml", PRINT_STRING);
	if (!xml)
		return -EBADMSG;
	fwrite(json_string_value(xml), 1, json_string_length(xml), stdout);
	return 0;
}

static const char *print_yes_no(const json_t *b)
{
	return json_is_true(b) ? "yes" : "no";
}

/* the members of one network object (net.list, net.info) that the text output uses */
struct print_net {
	const json_t *name, *uuid, *active, *autostart, *persistent, *bridge;
};

static int print_net_need(const json_t *n, const char *ctx, struct print_net *out)
{
	if (!(out->name = print_need(n, ctx, "name", PRINT_STRING)) ||
	    !(out->uuid = print_need(n, ctx, "uuid", PRINT_STRING)) ||
	    !(out->active = print_need(n, ctx, "active", PRINT_BOOL)) ||
	    !(out->autostart = print_need(n, ctx, "autostart", PRINT_BOOL)) ||
	    !(out->persistent = print_need(n, ctx, "persistent", PRINT_BOOL)) ||
	    !(out->bridge = print_need(n, ctx, "bridge", PRINT_STRING_OR_NULL)))
		return -EBADMSG;
	return 0;
}

static int print_network_rows(struct print_table *t, const json_t *networks)
{
	struct print_net net;
	const json_t *n;
	char ctx[64];
	size_t i;

	for (i = 0; i < json_array_size(networks); i++) {
		n = print_need_elem(networks, i, "networks", ctx, sizeof(ctx));
		if (!n || print_net_need(n, ctx, &net))
			return -EBADMSG;
		if (print_table_row(t) ||
		    print_table_set(t, 0, "%s", json_string_value(net.name)) ||
		    print_table_set(t, 1, "%s", json_is_true(net.active) ? "active" : "inactive") ||
		    print_table_set(t, 2, "%s", print_yes_no(net.autostart)) ||
		    print_table_set(t, 3, "%s", print_yes_no(net.persistent)))
			return -ENOMEM;
	}
	return 0;
}

int print_networks(const json_t *result)
{
	static const char *const head[] = { "Name", "State", "Autostart", "Persistent" };

	return print_list_as(result, "networks", head, 4, print_network_rows, true);
}

int print_field(const char *label, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = print_vformat(fmt, ap);
	va_end(ap);
	if (!s)
		return -ENOMEM;
	printf("%-15s %s\n", label, s);
	free(s);
	return 0;
}

/* kvnet's addition to virsh's net-info: how the network's dnsmasq is doing, when it runs */
static int print_net_dnsmasq(const json_t *d)
{
	const json_t *pid = json_object_get(d, "pid"), *err = json_object_get(d, "error");
	const char *state = json_string_value(json_object_get(d, "state"));
	json_int_t restarts = json_integer_value(json_object_get(d, "restarts"));

	if (!state || !strcmp(state, "not needed"))
		return 0;
	if (json_is_integer(pid)
		    ? print_field("DHCP/DNS:", "dnsmasq %s (pid %lld, %lld restarts)", state,
				  (long long)json_integer_value(pid), (long long)restarts)
		    : print_field("DHCP/DNS:", "dnsmasq %s", state))
		return -ENOMEM;
	if (json_is_string(err) && print_field("DHCP/DNS error:", "%s", json_string_value(err)))
		return -ENOMEM;
	return 0;
}

int print_net_info(const json_t *result)
{
	struct print_net net;

	if (print_net_need(result, "", &net))
		return -EBADMSG;
	if (print_field("Name:", "%s", json_string_value(net.name)) ||
	    print_field("UUID:", "%s", json_string_value(net.uuid)) ||
	    print_field("Active:", "%s", print_yes_no(net.active)) ||
	    print_field("Persistent:", "%s", print_yes_no(net.persistent)) ||
	    print_field("Autostart:", "%s", print_yes_no(net.autostart)) ||
	    (json_is_string(net.bridge) &&
	     print_field("Bridge:", "%s", json_string_value(net.bridge))))
		return -ENOMEM;
	return print_net_dnsmasq(json_object_get(result, "dnsmasq"));
}

/* a string member, or "-" for null */
static const char *print_or_dash(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "-";
}

static int print_net_port_rows(struct print_table *t, const json_t *ports)
{
	const json_t *p, *uuid, *name, *owner, *mac, *group;
	char ctx[64];
	size_t i;

	for (i = 0; i < json_array_size(ports); i++) {
		p = print_need_elem(ports, i, "ports", ctx, sizeof(ctx));
		if (!p || !(uuid = print_need(p, ctx, "uuid", PRINT_STRING)) ||
		    !(name = print_need(p, ctx, "name", PRINT_STRING_OR_NULL)) ||
		    !(owner = print_need(p, ctx, "owner", PRINT_STRING_OR_NULL)) ||
		    !(mac = print_need(p, ctx, "mac", PRINT_STRING)) ||
		    !(group = print_need(p, ctx, "group", PRINT_STRING_OR_NULL)))
			return -EBADMSG;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(uuid)) ||
		    print_table_set(t, 1, "%s", print_or_dash(owner)) ||
		    print_table_set(t, 2, "%s", json_string_value(mac)) ||
		    print_table_set(t, 3, "%s", print_or_dash(group)) ||
		    print_table_set(t, 4, "%s", print_or_dash(name)))
			return -ENOMEM;
	}
	return 0;
}

int print_net_ports(const json_t *result)
{
	static const char *const head[] = { "UUID", "Owner", "MAC", "Group", "Interface" };

	return print_list_as(result, "ports", head, 5, print_net_port_rows, true);
}

/* one lease of net.dhcp_leases, checked, and where it came in the answer */
struct print_lease {
	const json_t *expiry, *mac, *protocol, *address, *prefix, *hostname, *client_id;
	size_t index;
};

/* virsh lists leases by MAC address, case aside; equal ones keep the daemon's order */
static int print_lease_cmp(const void *a, const void *b)
{
	const struct print_lease *x = a, *y = b;
	int c = strcasecmp(json_string_value(x->mac), json_string_value(y->mac));

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int print_lease_row(struct print_table *t, const struct print_lease *l)
{
	time_t when = (time_t)json_integer_value(l->expiry);
	char expiry[64] = "infinite";
	struct tm tm;

	if (when && (!localtime_r(&when, &tm) ||
		     !strftime(expiry, sizeof(expiry), "%Y-%m-%d %H:%M:%S", &tm)))
		snprintf(expiry, sizeof(expiry), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(l->expiry));
	if (print_table_row(t) || print_table_set(t, 0, "%s", expiry) ||
	    print_table_set(t, 1, "%s", json_string_value(l->mac)) ||
	    print_table_set(t, 2, "%s", json_string_value(l->protocol)) ||
	    print_table_set(t, 3, "%s/%" JSON_INTEGER_FORMAT, json_string_value(l->address),
			    json_integer_value(l->prefix)) ||
	    print_table_set(t, 4, "%s", print_or_dash(l->hostname)) ||
	    print_table_set(t, 5, "%s", print_or_dash(l->client_id)))
		return -ENOMEM;
	return 0;
}

static int print_lease_rows(struct print_table *t, const json_t *leases)
{
	size_t n = json_array_size(leases), i;
	struct print_lease *l;
	char ctx[64];
	int ret = 0;

	l = calloc(n ? n : 1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const json_t *e = print_need_elem(leases, i, "leases", ctx, sizeof(ctx));

		if (!e || !(l[i].expiry = print_need(e, ctx, "expiry", PRINT_INT)) ||
		    !(l[i].mac = print_need(e, ctx, "mac", PRINT_STRING)) ||
		    !(l[i].protocol = print_need(e, ctx, "protocol", PRINT_STRING)) ||
		    !(l[i].address = print_need(e, ctx, "address", PRINT_STRING)) ||
		    !(l[i].prefix = print_need(e, ctx, "prefix", PRINT_INT)) ||
		    !(l[i].hostname = print_need(e, ctx, "hostname", PRINT_STRING_OR_NULL)) ||
		    !(l[i].client_id = print_need(e, ctx, "client_id", PRINT_STRING_OR_NULL))) {
			ret = -EBADMSG;
			goto out_free;
		}
		l[i].index = i;
	}
	qsort(l, n, sizeof(*l), print_lease_cmp);
	for (i = 0; i < n && !ret; i++)
		ret = print_lease_row(t, &l[i]);
out_free:
	free(l);
	return ret;
}

int print_net_dhcp_leases(const json_t *result)
{
	static const char *const head[] = { "Expiry Time", "MAC address", "Protocol",
					    "IP address",  "Hostname",	  "Client ID or DUID" };

	return print_list_as(result, "leases", head, 6, print_lease_rows, true);
}

/* append ",N" or ",N-M" (or without the comma first) to @buf; the run is v[i]..v[j] */
static void print_vid_run(char *buf, size_t size, const struct print_vlan *v, size_t i, size_t j)
{
	size_t n = strlen(buf);

	if (j > i)
		snprintf(buf + n, size - n, "%s%" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT,
			 n ? "," : "", v[i].vid, v[j].vid);
	else
		snprintf(buf + n, size - n, "%s%" JSON_INTEGER_FORMAT, n ? "," : "", v[i].vid);
}

/* the VIDs of @v other than @pvid whose untagged flag is @untagged, runs as N-M */
static void print_vid_list(char *buf, size_t size, const struct print_vlan *v, size_t n,
			   json_int_t pvid, bool untagged)
{
	size_t i = 0, j;

	buf[0] = '\0';
	while (i < n) {
		if (v[i].vid == pvid || v[i].untagged != untagged) {
			i++;
			continue;
		}
		for (j = i; j + 1 < n && v[j + 1].vid == v[j].vid + 1 && v[j + 1].vid != pvid &&
			    v[j + 1].untagged == untagged;
		     j++)
			;
		print_vid_run(buf, size, v, i, j);
		i = j + 1;
	}
}

/*
 * An interface's VLANs in one cell: "10 pvid untagged" for an access port, "trunk 42,48"
 * for tagged members, "untagged 5" for untagged ones that are not the PVID, joined by
 * "; "; "-" for none
 */
static int print_iface_vlans(struct print_table *t, size_t col, json_int_t pvid,
			     const struct print_vlan *v, size_t n)
{
	char cell[512] = "", tagged[200], untagged[200];
	size_t i, len;

	for (i = 0; i < n; i++)
		if (v[i].vid == pvid)
			snprintf(cell, sizeof(cell), "%" JSON_INTEGER_FORMAT " pvid%s", pvid,
				 v[i].untagged ? " untagged" : "");
	print_vid_list(tagged, sizeof(tagged), v, n, pvid, false);
	print_vid_list(untagged, sizeof(untagged), v, n, pvid, true);
	if (tagged[0]) {
		len = strlen(cell);
		snprintf(cell + len, sizeof(cell) - len, "%strunk %s", len ? "; " : "", tagged);
	}
	if (untagged[0]) {
		len = strlen(cell);
		snprintf(cell + len, sizeof(cell) - len, "%suntagged %s", len ? "; " : "",
			 untagged);
	}
	return print_table_set(t, col, "%s", cell[0] ? cell : "-");
}

static int print_iface_rows(struct print_table *t, const json_t *ifaces)
{
	const json_t *p, *name, *type, *network, *portgroup, *bridge, *mac, *state, *pvid, *vlans;
	struct print_vlan *v;
	char ctx[64];
	size_t i, n;
	int ret;

	for (i = 0; i < json_array_size(ifaces); i++) {
		p = print_need_elem(ifaces, i, "interfaces", ctx, sizeof(ctx));
		if (!p || !(name = print_need(p, ctx, "name", PRINT_STRING)) ||
		    !(type = print_need(p, ctx, "type", PRINT_STRING)) ||
		    !(network = print_need(p, ctx, "network", PRINT_STRING_OR_NULL)) ||
		    !(portgroup = print_need(p, ctx, "portgroup", PRINT_STRING_OR_NULL)) ||
		    !(bridge = print_need(p, ctx, "bridge", PRINT_STRING)) ||
		    !(mac = print_need(p, ctx, "mac", PRINT_STRING)) ||
		    !(state = print_need(p, ctx, "state", PRINT_STRING)) ||
		    !(pvid = print_need(p, ctx, "pvid", PRINT_INT_OR_NULL)) ||
		    !(vlans = print_need(p, ctx, "vlans", PRINT_ARRAY)))
			return -EBADMSG;
		ret = print_need_vlans(vlans, ctx, &v, &n);
		if (ret)
			return ret;
		if (print_table_row(t) || print_table_set(t, 0, "%s", json_string_value(name)) ||
		    print_table_set(t, 1, "%s", json_string_value(type)) ||
		    print_table_set(t, 2, "%s",
				    !strcmp(json_string_value(type), "network") &&
						    json_is_string(network)
					    ? json_string_value(network)
					    : json_string_value(bridge)) ||
		    print_table_set(t, 3, "%s", print_or_dash(portgroup)) ||
		    print_table_set(t, 4, "%s", json_string_value(mac)) ||
		    print_iface_vlans(t, 5, json_is_integer(pvid) ? json_integer_value(pvid) : 0, v,
				      n) ||
		    print_table_set(t, 6, "%s", json_string_value(state))) {
			free(v);
			return -ENOMEM;
		}
		free(v);
	}
	return 0;
}

int print_domain_interfaces(const json_t *result)
{
	static const char *const head[] = { "Interface", "Type",  "Source", "Portgroup",
					    "MAC",	 "VLANs", "State" };

	return print_list_as(result, "interfaces", head, 7, print_iface_rows, true);
}

int print_attached(const json_t *result)
{
	return print_port_fields(result, "Interface attached successfully");
}

int print_port_fields(const json_t *result, const char *header)
{
	const json_t *name, *mac, *network, *bridge;

	if (!(name = print_need(result, "", "name", PRINT_STRING)) ||
	    !(mac = print_need(result, "", "mac", PRINT_STRING)) ||
	    !(network = print_need(result, "", "network", PRINT_STRING_OR_NULL)) ||
	    !(bridge = print_need(result, "", "bridge", PRINT_STRING)))
		return -EBADMSG;
	printf("%s\n", header);
	if (print_field("Interface:", "%s", json_string_value(name)) ||
	    print_field("MAC:", "%s", json_string_value(mac)) ||
	    (json_is_string(network) &&
	     print_field("Network:", "%s", json_string_value(network))) ||
	    print_field("Bridge:", "%s", json_string_value(bridge)))
		return -ENOMEM;
	return 0;
}

/* brctl showstp's two-column lines: " label    value    label    value" */
static void print_stp_line(const char *l1, const char *v1, const char *l2, const char *v2)
{
	if (l2)
		printf(" %-22s%-24s%-22s%s\n", l1, v1, l2, v2);
	else
		printf(" %-22s%s\n", l1, v1);
}

static const char *print_stp_secs(char *buf, size_t size, const json_t *v)
{
	snprintf(buf, size, "%7.2f", (double)json_integer_value(v));
	return buf;
}

static const char *print_stp_int(char *buf, size_t size, const json_t *v)
{
	snprintf(buf, size, "%4" JSON_INTEGER_FORMAT, json_integer_value(v));
	return buf;
}

/* one port of stp.show; with !@out only checks its members */
static int print_stp_port(const json_t *p, const char *ctx, bool out)
{
	static const char *const keys[] = { "name",
					    "port_no",
					    "port_id",
					    "state",
					    "designated_root",
					    "path_cost",
					    "designated_bridge",
					    "message_age_timer",
					    "designated_port",
					    "forward_delay_timer",
					    "designated_cost",
					    "hello_timer",
					    "role",
					    "version",
					    "admin_edge",
					    "oper_edge",
					    "topology_change_timer",
					    "topology_change_ack" };
	static const enum print_type types[] = {
		PRINT_STRING, PRINT_INT,    PRINT_STRING, PRINT_STRING, PRINT_STRING, PRINT_INT,
		PRINT_STRING, PRINT_INT,    PRINT_STRING, PRINT_INT,	PRINT_INT,    PRINT_INT,
		PRINT_STRING, PRINT_STRING, PRINT_BOOL,	  PRINT_BOOL,	PRINT_INT,    PRINT_BOOL,
	};
	const json_t *v[sizeof(keys) / sizeof(keys[0])];
	char a[32], b[32];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!(v[i] = print_need(p, ctx, keys[i], types[i])))
			return -EBADMSG;
	if (!out)
		return 0;
	printf("\n%s (%" JSON_INTEGER_FORMAT ")\n", json_string_value(v[0]),
	       json_integer_value(v[1]) + 1);
	snprintf(b, sizeof(b), "%15s", json_string_value(v[3]));
	print_stp_line("port id", json_string_value(v[2]), "state", b);
	print_stp_line("designated root", json_string_value(v[4]), "path cost",
		       print_stp_int(a, sizeof(a), v[5]));
	print_stp_line("designated bridge", json_string_value(v[6]), "message age timer",
		       print_stp_secs(a, sizeof(a), v[7]));
	print_stp_line("designated port", json_string_value(v[8]), "forward delay timer",
		       print_stp_secs(a, sizeof(a), v[9]));
	print_stp_line("designated cost", print_stp_int(b, sizeof(b), v[10]), "hello timer",
		       print_stp_secs(a, sizeof(a), v[11]));
	snprintf(b, sizeof(b), "%15s", json_string_value(v[13]));
	print_stp_line("role", json_string_value(v[12]), "version", b);
	print_stp_line("edge", json_is_true(v[15]) ? "yes" : "no", "topology change timer",
		       print_stp_secs(a, sizeof(a), v[16]));
	print_stp_line("flags",
		       json_is_true(v[17]) && json_is_true(v[14]) ? "TOPOLOGY_CHANGE_ACK ADMIN_EDGE"
		       : json_is_true(v[17])			  ? "TOPOLOGY_CHANGE_ACK"
		       : json_is_true(v[14])			  ? "ADMIN_EDGE"
								  : "",
		       NULL, NULL);
	return 0;
}

/* stp.show in brctl showstp's layout; with !@out only checks the members */
static int print_stp_pass(const json_t *r, bool out)
{
	static const char *const keys[] = { "bridge",
					    "bridge_id",
					    "designated_root",
					    "root_port",
					    "root_path_cost",
					    "max_age",
					    "bridge_max_age",
					    "hello_time",
					    "bridge_hello_time",
					    "forward_delay",
					    "bridge_forward_delay",
					    "topology_change",
					    "topology_change_count",
					    "force_version",
					    "priority",
					    "ports" };
	static const enum print_type types[] = {
		PRINT_STRING, PRINT_STRING, PRINT_STRING, PRINT_STRING_OR_NULL,
		PRINT_INT,    PRINT_INT,    PRINT_INT,	  PRINT_INT,
		PRINT_INT,    PRINT_INT,    PRINT_INT,	  PRINT_BOOL,
		PRINT_INT,    PRINT_STRING, PRINT_INT,	  PRINT_ARRAY,
	};
	const json_t *v[sizeof(keys) / sizeof(keys[0])], *en;
	char a[32], b[32], ctx[32];
	size_t i;

	if (!(en = print_need(r, "", "enabled", PRINT_BOOL)))
		return -EBADMSG;
	if (!json_is_true(en)) {
		const json_t *name = print_need(r, "", "bridge", PRINT_STRING);

		if (!name)
			return -EBADMSG;
		if (out)
			printf("%s\n stp is off: BPDUs are forwarded like any other frame\n",
			       json_string_value(name));
		return 0;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!(v[i] = print_need(r, "", keys[i], types[i])))
			return -EBADMSG;
	if (out) {
		printf("%s\n", json_string_value(v[0]));
		print_stp_line("bridge id", json_string_value(v[1]), NULL, NULL);
		print_stp_line("designated root", json_string_value(v[2]), NULL, NULL);
		snprintf(b, sizeof(b), "%-4s",
			 json_is_null(v[3]) ? "none" : json_string_value(v[3]));
		print_stp_line("root port", b, "path cost", print_stp_int(a, sizeof(a), v[4]));
		print_stp_line("max age", print_stp_secs(b, sizeof(b), v[5]), "bridge max age",
			       print_stp_secs(a, sizeof(a), v[6]));
		print_stp_line("hello time", print_stp_secs(b, sizeof(b), v[7]),
			       "bridge hello time", print_stp_secs(a, sizeof(a), v[8]));
		print_stp_line("forward delay", print_stp_secs(b, sizeof(b), v[9]),
			       "bridge forward delay", print_stp_secs(a, sizeof(a), v[10]));
		snprintf(b, sizeof(b), "%15s", json_string_value(v[13]));
		print_stp_line("priority", print_stp_int(a, sizeof(a), v[14]), "force version", b);
		print_stp_line("topology changes", print_stp_int(a, sizeof(a), v[12]), NULL, NULL);
		print_stp_line("flags", json_is_true(v[11]) ? "TOPOLOGY_CHANGE" : "", NULL, NULL);
	}
	for (i = 0; i < json_array_size(v[15]); i++) {
		const json_t *p = print_need_elem(v[15], i, "ports", ctx, sizeof(ctx));

		if (!p || print_stp_port(p, ctx, out))
			return -EBADMSG;
	}
	return 0;
}

int print_stp(const json_t *result)
{
	int ret;

	ret = print_stp_pass(result, false);
	return ret ? ret : print_stp_pass(result, true);
}
