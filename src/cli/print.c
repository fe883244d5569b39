/* SPDX-License-Identifier: GPL-2.0-or-later */
/* print.c - kvnet's output engine: a result as JSON, or checked members laid out as text */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kvnet.h"
#include "cli/print.h"

/* spaces between two columns of a table */
#define PRINT_GAP 2

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

int print_result(const struct kvnet *k, const json_t *result, int (*text)(const json_t *result))
{
	if (k->json) {
		print_json(result);
		return 0;
	}
	return text(result);
}

void print_json(const json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
}

int print_done(const json_t *result)
{
	(void)result;
	return 0;
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

const json_t *print_need(const json_t *obj, const char *ctx, const char *key, enum print_type t)
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

const json_t *print_need_elem(const json_t *arr, size_t i, const char *what, char *ctx, size_t size)
{
	const json_t *v = json_array_get(arr, i);

	snprintf(ctx, size, "%s[%zu]", what, i);
	if (!json_is_object(v)) {
		kvnet_err("bad answer from kvnetd: %s is not an object", ctx);
		return NULL;
	}
	return v;
}

const char *print_or_dash(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "-";
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

void print_table_init(struct print_table *t, const char *const *head, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->head = head;
	t->ncols = ncols;
}

void print_table_free(struct print_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

int print_table_row(struct print_table *t)
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

/* a new string, as vsnprintf() formats it, control characters shown as '?'; NULL if no memory */
__attribute__((format(printf, 1, 0))) static char *print_vformat(const char *fmt, va_list ap)
{
	unsigned char *p;
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
	/* text from the socket must not drive the terminal */
	for (p = (unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

int print_table_set(struct print_table *t, size_t col, const char *fmt, ...)
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

int print_table_number(struct print_table *t, size_t col, const json_t *v)
{
	if (json_is_integer(v))
		return print_table_set(t, col, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return print_table_set(t, col, "%.15g", json_number_value(v));
}

static size_t print_cell_len(const char *s)
{
	return s ? strlen(s) : 0;
}

/* each column's width: its widest cell or header. Return: a new array, or NULL */
static size_t *print_table_widths(const struct print_table *t)
{
	size_t *width = calloc(t->ncols, sizeof(*width));
	size_t r, c, n;

	if (!width)
		return NULL;
	for (c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->head[c]);
		for (r = 0; r < t->nrows; r++) {
			n = print_cell_len(t->cells[r * t->ncols + c]);
			if (n > width[c])
				width[c] = n;
		}
	}
	return width;
}

/* the cells of row @r */
static const char *const *print_table_cells(const struct print_table *t, size_t r)
{
	return (const char *const *)&t->cells[r * t->ncols];
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
	size_t *width = print_table_widths(t);
	size_t r;

	if (!width)
		return -ENOMEM;
	print_table_line(t, t->head, width);
	for (r = 0; r < t->nrows; r++)
		print_table_line(t, print_table_cells(t, r), width);
	free(width);
	return 0;
}

/* one line as virsh prints it: each cell after a blank, all but the last padded */
static void print_virsh_line(const struct print_table *t, const char *const *cells,
			     const size_t *width)
{
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		const char *s = cells[c] ? cells[c] : "";

		if (c + 1 < t->ncols)
			printf(" %-*s  ", (int)width[c], s);
		else
			printf(" %s", s);
	}
	putchar('\n');
}

static int print_table_out_virsh(const struct print_table *t)
{
	size_t *width = print_table_widths(t);
	size_t r, c, i;

	if (!width)
		return -ENOMEM;
	print_virsh_line(t, t->head, width);
	for (c = 0; c < t->ncols; c++)
		for (i = 0; i < width[c] + 3; i++)
			putchar('-');
	putchar('\n');
	for (r = 0; r < t->nrows; r++)
		print_virsh_line(t, print_table_cells(t, r), width);
	free(width);
	return 0;
}

/* @key's array as a table, one or more rows per element made by @rows */
static int print_list_as(const json_t *result, const char *key, const char *const *head,
			 size_t ncols, int (*rows)(struct print_table *t, const json_t *list),
			 int (*out)(const struct print_table *t))
{
	const json_t *list;
	struct print_table t;
	int ret;

	list = print_need(result, "", key, PRINT_ARRAY);
	if (!list)
		return -EBADMSG;
	print_table_init(&t, head, ncols);
	ret = rows(&t, list);
	if (!ret)
		ret = out(&t);
	print_table_free(&t);
	return ret;
}

int print_list(const json_t *result, const char *key, const char *const *head, size_t ncols,
	       int (*rows)(struct print_table *t, const json_t *list))
{
	return print_list_as(result, key, head, ncols, rows, print_table_out);
}

int print_list_virsh(const json_t *result, const char *key, const char *const *head, size_t ncols,
		     int (*rows)(struct print_table *t, const json_t *list))
{
	return print_list_as(result, key, head, ncols, rows, print_table_out_virsh);
}

void print_block_init(struct print_block *b)
{
	print_table_init(&b->t, NULL, 2);
	b->name_w = 0;
	b->value_w = 0;
}

void print_block_free(struct print_block *b)
{
	print_table_free(&b->t);
}

int print_block_add(struct print_block *b, json_int_t value, const char *fmt, ...)
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

int print_block_counters(struct print_block *b, const json_t *obj, const char *prefix,
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

void print_block_out(const struct print_block *b)
{
	size_t r;

	for (r = 0; r < b->t.nrows; r++)
		printf("  %-*s%*s%*s\n", (int)b->name_w, b->t.cells[r * 2], PRINT_GAP, "",
		       (int)b->value_w, b->t.cells[r * 2 + 1]);
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
