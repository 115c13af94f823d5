// SPDX-License-Identifier: GPL-2.0
/* KVM's MMU-notifier tracepoints counted over our guest memory. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "kernel/trace/kvm_trace.h"
#include "src/lib/util.h"

#define KT_SYS		"kvm"
#define KT_BUF		16384
#define KT_FORMAT_MAX	8192
#define KT_FILTER_MAX	4000		/* tracefs takes less than a page */
#define KT_POLL_MS	50

static const char *const kt_names[KVM_TRACE_NR_EVENTS] = {
	[KVM_TRACE_AGE_HVA] = "kvm_age_hva",
	[KVM_TRACE_TEST_AGE_HVA] = "kvm_test_age_hva",
	[KVM_TRACE_UNMAP_HVA_RANGE] = "kvm_unmap_hva_range",
};

const char *kvm_trace_event_name(enum kvm_trace_event ev)
{
	return (unsigned int)ev < KVM_TRACE_NR_EVENTS ? kt_names[ev] : "?";
}

/* ------------------------------------------------------------------ */
/* Formats */

void kvm_trace_fmt_default(enum kvm_trace_event ev, struct kvm_trace_fmt *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", kvm_trace_event_name(ev));
	switch (ev) {
	case KVM_TRACE_AGE_HVA:
	case KVM_TRACE_UNMAP_HVA_RANGE:
		f->range = true;
		snprintf(f->start_field, sizeof(f->start_field), "start");
		snprintf(f->end_field, sizeof(f->end_field), "end");
		snprintf(f->print, sizeof(f->print), "%s: %%#016lx -- %%#016lx",
			 ev == KVM_TRACE_AGE_HVA ? "mmu notifier age hva" :
						   "mmu notifier unmap range");
		f->nargs = 2;
		f->slot[0] = KVM_TRACE_SLOT_START;
		f->slot[1] = KVM_TRACE_SLOT_END;
		break;
	default:
		snprintf(f->start_field, sizeof(f->start_field), "hva");
		snprintf(f->print, sizeof(f->print), "mmu notifier test age hva: %%#016lx");
		f->nargs = 1;
		f->slot[0] = KVM_TRACE_SLOT_START;
		break;
	}
}

/* One conversion of a printf format at @p (just after '%'): its letter, and the end. */
static const char *kt_conv(const char *p, char *conv)
{
	while (*p && strchr("#0- +", *p))
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	while (*p && strchr("hlzjtL", *p))
		p++;
	*conv = *p;
	return *p ? p + 1 : p;
}

static bool kt_is_int_conv(char c)
{
	return c && strchr("diuxXo", c);
}

/* The identifier ending at @e (exclusive), after [s: copied into @out. */
static bool kt_copy_ident(const char *s, const char *e, char *out, size_t len)
{
	const char *b = e;

	while (b > s && (b[-1] == '_' || (b[-1] >= '0' && b[-1] <= '9') ||
			 (b[-1] >= 'a' && b[-1] <= 'z') || (b[-1] >= 'A' && b[-1] <= 'Z')))
		b--;
	if (b == e || (size_t)(e - b) >= len)
		return false;
	memcpy(out, b, e - b);
	out[e - b] = '\0';
	return true;
}

#define KT_MAX_FIELDS	32

int kvm_trace_parse_format(const char *text, struct kvm_trace_fmt *f, char *err, size_t errlen)
{
	char fields[KT_MAX_FIELDS][32];
	int nfields = 0, nconv = 0;
	const char *p, *q, *e;
	char args[KVM_TRACE_MAX_ARGS][64];
	size_t n = 0;
	bool has_start = false, has_end = false;
	const char *addr = NULL;

	memset(f, 0, sizeof(*f));
	p = strstr(text, "name: ");
	if (p != text && (!p || p[-1] != '\n'))
		return errf(err, errlen, -EINVAL, "format: no name");
	p += 6;
	e = strchr(p, '\n');
	if (!e || e == p || (size_t)(e - p) >= sizeof(f->name))
		return errf(err, errlen, -EINVAL, "format: bad name");
	memcpy(f->name, p, e - p);
	f->name[e - p] = '\0';

	/* "\tfield:unsigned long start;\toffset:8;\tsize:8;\tsigned:0;" */
	for (p = strstr(text, "field:"); p; p = strstr(p, "field:")) {
		p += 6;
		e = strchr(p, ';');
		if (!e)
			break;
		q = e;
		if (q > p && q[-1] == ']')		/* an array: "char comm[16]" */
			while (q > p && *--q != '[')
				;
		if (nfields < KT_MAX_FIELDS &&
		    kt_copy_ident(p, q, fields[nfields], sizeof(fields[0])))
			nfields++;
		p = e;
	}
	for (int i = 0; i < nfields; i++) {
		has_start |= !strcmp(fields[i], "start");
		has_end |= !strcmp(fields[i], "end");
	}
	if (has_start && has_end) {
		f->range = true;
		snprintf(f->start_field, sizeof(f->start_field), "start");
		snprintf(f->end_field, sizeof(f->end_field), "end");
	} else {
		static const char *const one[] = { "hva", "address", "addr", "start" };

		for (size_t k = 0; k < ARRAY_SIZE(one) && !addr; k++)
			for (int i = 0; i < nfields && !addr; i++)
				if (!strcmp(fields[i], one[k]))
					addr = one[k];
		if (!addr)
			return errf(err, errlen, -EINVAL,
				    "format of %s: no host virtual address field (start/end, hva, "
				    "address)",
				    f->name);
		snprintf(f->start_field, sizeof(f->start_field), "%s", addr);
	}

	/* print fmt: "text %#016lx", REC->start */
	p = strstr(text, "print fmt: \"");
	if (!p)
		return errf(err, errlen, -EINVAL, "format of %s: no print fmt", f->name);
	for (p += 12; *p && *p != '"'; p++) {
		char c = *p;

		if (c == '\\') {
			switch (*++p) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '\\': c = '\\'; break;
			case '"': c = '"'; break;
			default:
				return errf(err, errlen, -EINVAL,
					    "format of %s: escape \\%c in print fmt", f->name,
					    *p ? *p : '0');
			}
		}
		if (n + 1 >= sizeof(f->print))
			return errf(err, errlen, -EINVAL, "format of %s: print fmt too long",
				    f->name);
		f->print[n++] = c;
	}
	if (*p != '"')
		return errf(err, errlen, -EINVAL, "format of %s: unterminated print fmt", f->name);
	f->print[n] = '\0';
	/* the arguments, split at top-level commas */
	for (p++; *p == ',';) {
		int depth = 0;

		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		for (q = p; *q && *q != '\n' && (depth || *q != ','); q++)
			if (*q == '(')
				depth++;
			else if (*q == ')')
				depth--;
		e = q;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (f->nargs >= KVM_TRACE_MAX_ARGS)
			return errf(err, errlen, -EINVAL,
				    "format of %s: more than %d print arguments", f->name,
				    KVM_TRACE_MAX_ARGS);
		snprintf(args[f->nargs], sizeof(args[0]), "%.*s", (int)(e - p), p);
		f->nargs++;
		p = q;
	}
	for (int i = 0; i < f->nargs; i++) {
		const char *a = args[i];

		f->slot[i] = KVM_TRACE_SLOT_NONE;
		if (strncmp(a, "REC->", 5))
			continue;
		if (!strcmp(a + 5, f->start_field))
			f->slot[i] = KVM_TRACE_SLOT_START;
		else if (f->range && !strcmp(a + 5, f->end_field))
			f->slot[i] = KVM_TRACE_SLOT_END;
	}
	/* conversions: integers only, one per argument */
	for (p = f->print; (p = strchr(p, '%'));) {
		char conv;

		if (p[1] == '%') {
			p += 2;
			continue;
		}
		q = kt_conv(p + 1, &conv);
		if (memchr(p, '*', q - p))
			return errf(err, errlen, -EINVAL, "format of %s: '*' width in \"%s\"",
				    f->name, f->print);
		if (!kt_is_int_conv(conv))
			return errf(err, errlen, -EINVAL,
				    "format of %s: %%%c in \"%s\": only integers can be matched",
				    f->name, conv ? conv : '?', f->print);
		nconv++;
		p = q;
	}
	if (nconv != f->nargs)
		return errf(err, errlen, -EINVAL, "format of %s: %d conversions for %d arguments",
			    f->name, nconv, f->nargs);
	{
		int ns = 0, ne = 0;

		for (int i = 0; i < f->nargs; i++) {
			ns += f->slot[i] == KVM_TRACE_SLOT_START;
			ne += f->slot[i] == KVM_TRACE_SLOT_END;
		}
		if (ns != 1 || ne != (f->range ? 1 : 0))
			return errf(err, errlen, -EINVAL,
				    "format of %s: the address fields (%s%s%s) are not printed as "
				    "REC-><field> once each",
				    f->name, f->start_field, f->range ? ", " : "", f->end_field);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Lines */

static int kt_digit(char c, int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < base ? d : -1;
}

/* A number as conversion @conv prints it (padding, sign, 0x); the end or NULL. */
static const char *kt_number(const char *p, char conv, uint64_t *v)
{
	int base = conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : 10, d;
	bool neg = false;
	uint64_t x = 0;
	const char *s;

	while (*p == ' ')
		p++;
	if ((conv == 'd' || conv == 'i') && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && kt_digit(p[2], 16) >= 0)
		p += 2;
	for (s = p; (d = kt_digit(*p, base)) >= 0; p++) {
		if (x > (UINT64_MAX - d) / base)
			return NULL;
		x = x * base + d;
	}
	if (p == s)
		return NULL;
	*v = neg ? -x : x;
	return p;
}

/* Matches @p against f->print; fills start/end. 0 or -EINVAL. */
static int kt_match(const struct kvm_trace_fmt *f, const char *p, uint64_t *start, uint64_t *end)
{
	const char *t = f->print;
	int arg = 0;

	while (*t) {
		char conv;
		uint64_t v;

		if (*t != '%' || t[1] == '%') {
			if (*p != *t)
				return -EINVAL;
			p++;
			t += *t == '%' ? 2 : 1;
			continue;
		}
		t = kt_conv(t + 1, &conv);
		p = kt_number(p, conv, &v);
		if (!p || arg >= f->nargs)
			return -EINVAL;
		if (f->slot[arg] == KVM_TRACE_SLOT_START)
			*start = v;
		else if (f->slot[arg] == KVM_TRACE_SLOT_END)
			*end = v;
		arg++;
	}
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return *p ? -EINVAL : 0;
}

int kvm_trace_parse_line(const struct kvm_trace_fmt *const fmts[KVM_TRACE_NR_EVENTS],
			 const char *line, struct kvm_trace_sample *s, uint64_t *lost)
{
	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++) {
		const struct kvm_trace_fmt *f = fmts[ev];
		const char *p;
		uint64_t start = 0, end = 0;

		if (!f)
			continue;
		p = tracefs_line_event(line, f->name, &s->pid, &s->ts_ns);
		if (!p)
			continue;
		if (kt_match(f, p, &start, &end))
			return -EINVAL;
		if (!f->range)
			end = start + 1;
		if (end <= start)
			return -EINVAL;
		s->ev = ev;
		s->start = start;
		s->end = end;
		return 0;
	}
	if (lost && tracefs_line_lost(line, lost))
		return -ENODATA;
	return -ENOENT;
}

/* ------------------------------------------------------------------ */
/* Ranges */

static int kt_range_cmp(const void *a, const void *b)
{
	const struct kvm_trace_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int kvm_trace_ranges_normalize(struct kvm_trace_range *r, int n)
{
	int out = 0;

	qsort(r, n, sizeof(*r), kt_range_cmp);
	for (int i = 0; i < n; i++) {
		if (r[i].end <= r[i].start)
			continue;
		if (out && r[i].start <= r[out - 1].end) {
			if (r[i].end > r[out - 1].end)
				r[out - 1].end = r[i].end;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

uint64_t kvm_trace_ranges_pages(const struct kvm_trace_range *r, int n,
				uint64_t start, uint64_t end)
{
	int lo = 0, hi = n;
	uint64_t pages = 0;

	/* the first range ending after start */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (r[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo; i < n && r[i].start < end; i++) {
		uint64_t a = start > r[i].start ? start : r[i].start;
		uint64_t b = end < r[i].end ? end : r[i].end;

		if (a < b)
			pages += (((b + 4095) & ~4095ull) - (a & ~4095ull)) / 4096;
	}
	return pages;
}

static int kt_filter_print(const struct kvm_trace_fmt *f, const struct kvm_trace_range *r, int n,
			   char *buf, size_t len)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		int w;

		if (f->range)
			w = snprintf(buf + off, len - off,
				     "%s(%s < 0x%" PRIx64 " && %s > 0x%" PRIx64 ")",
				     i ? " || " : "", f->start_field, r[i].end, f->end_field,
				     r[i].start);
		else
			w = snprintf(buf + off, len - off,
				     "%s(%s >= 0x%" PRIx64 " && %s < 0x%" PRIx64 ")",
				     i ? " || " : "", f->start_field, r[i].start, f->start_field,
				     r[i].end);
		if (w < 0 || (size_t)w >= len - off)
			return -ENOSPC;
		off += w;
	}
	return off;
}

int kvm_trace_filter(const struct kvm_trace_fmt *f, const struct kvm_trace_range *r, int n,
		     char *buf, size_t len)
{
	struct kvm_trace_range *c;
	int ret;

	if (!len || !n)
		return -ENOSPC;
	ret = kt_filter_print(f, r, n, buf, len);
	if (ret >= 0)
		return ret;
	c = malloc(n * sizeof(*c));
	if (!c)
		return -ENOMEM;
	memcpy(c, r, n * sizeof(*c));
	while (ret < 0 && n > 1) {
		/* coalesce the two ranges with the smallest gap */
		int best = 0;

		for (int i = 1; i < n - 1; i++)
			if (c[i + 1].start - c[i].end < c[best + 1].start - c[best].end)
				best = i;
		c[best].end = c[best + 1].end;
		memmove(c + best + 1, c + best + 2, (n - best - 2) * sizeof(*c));
		n--;
		ret = kt_filter_print(f, c, n, buf, len);
	}
	free(c);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Counting */

int kvm_trace_counter_init(struct kvm_trace_counter *c, const struct kvm_trace_range *ranges,
			   int nranges)
{
	memset(c, 0, sizeof(*c));
	if (nranges > 0) {
		c->ranges = malloc(nranges * sizeof(*c->ranges));
		if (!c->ranges)
			return -ENOMEM;
		memcpy(c->ranges, ranges, nranges * sizeof(*c->ranges));
		c->nranges = kvm_trace_ranges_normalize(c->ranges, nranges);
	}
	return 0;
}

void kvm_trace_counter_free(struct kvm_trace_counter *c)
{
	free(c->ranges);
	c->ranges = NULL;
	c->nranges = 0;
}

void kvm_trace_counter_add(struct kvm_trace_counter *c, const struct kvm_trace_sample *s)
{
	uint64_t pages = kvm_trace_ranges_pages(c->ranges, c->nranges, s->start, s->end);

	if (!pages) {
		c->counts.outside++;
		return;
	}
	c->counts.ev[s->ev].events++;
	c->counts.ev[s->ev].pages += pages;
}

static int kt_feed_line(void *ctx, const char *line)
{
	struct kvm_trace_counter *c = ctx;
	struct kvm_trace_sample s;
	uint64_t lost = 0;
	int ret;

	if (!line) {
		c->counts.rejected++;
		return 0;
	}
	ret = kvm_trace_parse_line(c->fmts, line, &s, &lost);
	if (!ret)
		kvm_trace_counter_add(c, &s);
	else if (ret == -ENODATA)
		c->counts.lost += lost;
	else
		c->counts.rejected++;
	return 0;
}

void kvm_trace_counter_feed(struct kvm_trace_counter *c, const char *buf, size_t len)
{
	tracefs_linebuf_feed(&c->lb, buf, len, kt_feed_line, c);
}

/* ------------------------------------------------------------------ */
/* Live */

struct kvm_trace {
	struct tracefs fs;
	struct kvm_trace_fmt fmt[KVM_TRACE_NR_EVENTS];
	bool enabled[KVM_TRACE_NR_EVENTS];
	bool filtered[KVM_TRACE_NR_EVENTS];
	pthread_mutex_t lock;		/* ctr, buf, reading trace_pipe */
	struct kvm_trace_counter ctr;
	int read_err;			/* the first trace_pipe error, -errno */
	char *buf;
	int stop_fd;			/* eventfd: the thread ends */
	pthread_t thread;
	bool thread_running;
};

/* Reads trace_pipe until it is empty. Under t->lock. */
static int kt_drain(struct kvm_trace *t)
{
	ssize_t n;

	while ((n = tracefs_pipe_read(&t->fs, t->buf, KT_BUF)) > 0)
		kvm_trace_counter_feed(&t->ctr, t->buf, n);
	if (n < 0 && !t->read_err)
		t->read_err = n;
	return n < 0 ? n : 0;
}

static void *kt_thread(void *arg)
{
	struct kvm_trace *t = arg;
	struct pollfd pfd[2] = {
		{ .fd = t->fs.pipe_fd, .events = POLLIN },
		{ .fd = t->stop_fd, .events = POLLIN },
	};

	for (;;) {
		int ret;

		/* short slices: trace_pipe wakeups are deferred and may be missed */
		poll(pfd, 2, KT_POLL_MS);
		if (pfd[1].revents)
			break;
		pthread_mutex_lock(&t->lock);
		ret = kt_drain(t);
		pthread_mutex_unlock(&t->lock);
		if (ret < 0)
			break;
	}
	return NULL;
}

static const char *kt_hint(const struct tracefs *fs)
{
	char path[64];

	snprintf(path, sizeof(path), "events/%s", KT_SYS);
	if (faccessat(fs->root_fd, path, F_OK, 0))
		return "no kvm:* events at all: load KVM (CONFIG_KVM, kvm.ko and "
		       "kvm_intel/kvm_amd/kvm_pvm) in a kernel with CONFIG_EVENT_TRACING";
	return "this kernel's KVM lacks it (include/trace/events/kvm.h; upstream since 2.6.38)";
}

int kvm_trace_open(struct kvm_trace **out, const struct kvm_trace_range *ranges, int nranges,
		   char *err, size_t errlen)
{
	char *text = NULL, filter[KT_FILTER_MAX + 1], why[256];
	struct kvm_trace *t;
	sigset_t all, old;
	int ret;

	*out = NULL;
	if (nranges <= 0)
		return errf(err, errlen, -EINVAL, "kvm_trace: no guest memory ranges");
	for (int i = 0; i < nranges; i++)
		if (ranges[i].end <= ranges[i].start)
			return errf(err, errlen, -EINVAL,
				    "kvm_trace: empty range [%#" PRIx64 ", %#" PRIx64 ")",
				    ranges[i].start, ranges[i].end);
	t = calloc(1, sizeof(*t));
	if (!t)
		return errf(err, errlen, -ENOMEM, "out of memory");
	tracefs_init(&t->fs);
	t->stop_fd = -1;
	pthread_mutex_init(&t->lock, NULL);
	ret = kvm_trace_counter_init(&t->ctr, ranges, nranges);
	t->buf = malloc(KT_BUF);
	text = malloc(KT_FORMAT_MAX);
	if (ret || !t->buf || !text) {
		ret = errf(err, errlen, -ENOMEM, "out of memory");
		goto fail;
	}
	ret = tracefs_open(&t->fs, "kvm:kvm_age_hva, kvm:kvm_test_age_hva, kvm:kvm_unmap_hva_range",
			   err, errlen);
	if (ret)
		goto fail;
	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++) {
		ssize_t n;

		if (!tracefs_has_event(&t->fs, KT_SYS, kt_names[ev])) {
			ret = errf(err, errlen, -EOPNOTSUPP, "no kvm:%s tracepoint: %s",
				   kt_names[ev], kt_hint(&t->fs));
			goto fail;
		}
		n = tracefs_event_format(&t->fs, KT_SYS, kt_names[ev], text, KT_FORMAT_MAX);
		if (n < 0) {
			ret = errf(err, errlen, n, "tracefs: events/kvm/%s/format: %s",
				   kt_names[ev], strerror(-n));
			goto fail;
		}
		ret = kvm_trace_parse_format(text, &t->fmt[ev], why, sizeof(why));
		if (ret) {
			ret = errf(err, errlen, -EOPNOTSUPP,
				   "kvm:%s cannot be counted by address on this kernel: %s",
				   kt_names[ev], why);
			goto fail;
		}
		t->ctr.fmts[ev] = &t->fmt[ev];
	}
	ret = tracefs_instance_create(&t->fs, "kvm", err, errlen);
	if (ret)
		goto fail;
	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++) {
		/* without a filter in the kernel, the counting still clips to our ranges */
		if (kvm_trace_filter(&t->fmt[ev], t->ctr.ranges, t->ctr.nranges, filter,
				     sizeof(filter)) >= 0)
			t->filtered[ev] =
				!tracefs_event_filter(&t->fs, KT_SYS, kt_names[ev], filter);
	}
	ret = tracefs_pipe_open(&t->fs, err, errlen);
	if (ret)
		goto fail;
	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++) {
		ret = tracefs_event_enable(&t->fs, KT_SYS, kt_names[ev], true);
		if (ret) {
			ret = errf(err, errlen, ret,
				   "tracefs: instances/%s/events/kvm/%s/enable: %s", t->fs.name,
				   kt_names[ev], strerror(-ret));
			goto fail;
		}
		t->enabled[ev] = true;
	}
	t->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->stop_fd < 0) {
		ret = errf(err, errlen, -errno, "eventfd: %s", strerror(errno));
		goto fail;
	}
	/* signals are for the main thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = -pthread_create(&t->thread, NULL, kt_thread, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		ret = errf(err, errlen, ret, "kvm_trace: thread: %s", strerror(-ret));
		goto fail;
	}
	t->thread_running = true;
	free(text);
	*out = t;
	return 0;
fail:
	free(text);
	kvm_trace_close(t);
	return ret;
}

int kvm_trace_read(struct kvm_trace *t, struct kvm_trace_counts *c)
{
	const struct kvm_trace_counts *n = &t->ctr.counts;
	int ret;

	pthread_mutex_lock(&t->lock);
	kt_drain(t);
	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++) {
		c->ev[ev].events += n->ev[ev].events;
		c->ev[ev].pages += n->ev[ev].pages;
	}
	c->outside += n->outside;
	c->lost += n->lost;
	c->rejected += n->rejected;
	memset(&t->ctr.counts, 0, sizeof(t->ctr.counts));
	ret = t->read_err;
	pthread_mutex_unlock(&t->lock);
	return ret;
}

bool kvm_trace_filtered(const struct kvm_trace *t, enum kvm_trace_event ev)
{
	return (unsigned int)ev < KVM_TRACE_NR_EVENTS && t->filtered[ev];
}

const struct kvm_trace_fmt *kvm_trace_format(const struct kvm_trace *t, enum kvm_trace_event ev)
{
	return (unsigned int)ev < KVM_TRACE_NR_EVENTS ? &t->fmt[ev] : NULL;
}

void kvm_trace_close(struct kvm_trace *t)
{
	if (!t)
		return;
	if (t->thread_running) {
		uint64_t one = 1;

		if (write(t->stop_fd, &one, sizeof(one)) != sizeof(one))
			/* not expected: poll is a cancellation point */
			pthread_cancel(t->thread);
		pthread_join(t->thread, NULL);
		t->thread_running = false;
	}
	if (t->stop_fd >= 0)
		close(t->stop_fd);
	for (int ev = 0; ev < KVM_TRACE_NR_EVENTS; ev++)
		if (t->enabled[ev])
			tracefs_event_enable(&t->fs, KT_SYS, kt_names[ev], false);
	tracefs_close(&t->fs);
	kvm_trace_counter_free(&t->ctr);
	pthread_mutex_destroy(&t->lock);
	free(t->buf);
	free(t);
}
