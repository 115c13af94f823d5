// SPDX-License-Identifier: GPL-2.0
/* MGLRU's debugfs lru_gen: parser of its text and its commands. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/mm/lru_gen.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/jsonobj.h"
#include "src/lib/util.h"

#define LRU_GEN_MAX_TOKS	8	/* more than any line shape has */

struct lru_gen_tok {
	uint64_t val;
	char mark;		/* the character glued after the number, 0 if none */
};

/* Line @no of the text, for messages: at most 80 characters of it. */
static int lru_gen_bad(char *err, size_t errlen, int no, const char *line, size_t len,
		       const char *why)
{
	return errf(err, errlen, -EINVAL, "lru_gen line %d: %s: \"%.*s%s\"", no, why,
		    (int)(len > 80 ? 80 : len), line, len > 80 ? "..." : "");
}

/*
 * Splits a line of figures into tokens "123" or "123x" (one non-digit glued
 * to the number: lru_gen_full's marks). Returns the number of tokens (also
 * past LRU_GEN_MAX_TOKS, storing only the first ones), or -1 when a token is
 * not of that shape.
 */
static int lru_gen_split(const char *s, const char *end, struct lru_gen_tok *t)
{
	int n = 0;

	for (;;) {
		uint64_t v = 0;
		const char *p;

		while (s < end && isspace((unsigned char)*s))
			s++;
		if (s == end)
			return n;
		if (!isdigit((unsigned char)*s))
			return -1;
		for (p = s; p < end && isdigit((unsigned char)*p); p++) {
			if (v > (UINT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (*p - '0');
		}
		if (n < LRU_GEN_MAX_TOKS) {
			t[n].val = v;
			t[n].mark = 0;
		}
		if (p < end && !isspace((unsigned char)*p)) {
			if (!isalpha((unsigned char)*p))
				return -1;
			if (n < LRU_GEN_MAX_TOKS)
				t[n].mark = *p;
			p++;
			if (p < end && !isspace((unsigned char)*p))
				return -1;
		}
		n++;
		s = p;
	}
}

/* "WORD" at the start of the line (after blanks), followed by a blank or the end. */
static const char *lru_gen_word(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if ((size_t)(end - s) < n || memcmp(s, word, n))
		return NULL;
	s += n;
	if (s < end && *s != ' ' && *s != '\t')
		return NULL;
	return s;
}

/* A decimal number after blanks; NULL when there is none. */
static const char *lru_gen_number(const char *s, const char *end, uint64_t *v)
{
	const char *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end || !isdigit((unsigned char)*s))
		return NULL;
	*v = 0;
	for (p = s; p < end && isdigit((unsigned char)*p); p++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return NULL;
		*v = *v * 10 + (*p - '0');
	}
	if (p < end && *p != ' ' && *p != '\t')
		return NULL;
	return p;
}

static int lru_gen_add_memcg(struct lru_gen_state *s, uint64_t id, const char *path, size_t len)
{
	struct lru_gen_memcg *m = realloc(s->memcgs, (s->nr_memcgs + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	s->memcgs = m;
	m = &s->memcgs[s->nr_memcgs];
	memset(m, 0, sizeof(*m));
	m->id = id;
	m->path = strndup(path, len);
	if (!m->path)
		return -ENOMEM;
	s->nr_memcgs++;
	return 0;
}

static struct lru_gen_node *lru_gen_add_node(struct lru_gen_memcg *m, int nid)
{
	struct lru_gen_node *n = realloc(m->nodes, (m->nr_nodes + 1) * sizeof(*n));

	if (!n)
		return NULL;
	m->nodes = n;
	n = &m->nodes[m->nr_nodes++];
	memset(n, 0, sizeof(*n));
	n->nid = nid;
	return n;
}

int lru_gen_parse(const char *text, struct lru_gen_state *out, char *err, size_t errlen)
{
	struct lru_gen_tok t[LRU_GEN_MAX_TOKS];
	struct lru_gen_memcg *m = NULL;
	struct lru_gen_node *node = NULL;
	const char *line, *next, *end, *p;
	int no = 0, ntok, ret;
	uint64_t v;

	memset(out, 0, sizeof(*out));
	for (line = text; *line; line = next) {
		end = strchrnul(line, '\n');
		next = *end ? end + 1 : end;
		no++;
		/* trailing blanks and a CR are not part of the line */
		while (end > line && isspace((unsigned char)end[-1]))
			end--;
		for (p = line; p < end && isspace((unsigned char)*p); p++)
			;
		if (p == end)
			continue;

		if ((p = lru_gen_word(line, end, "memcg"))) {
			p = lru_gen_number(p, end, &v);
			if (!p)
				return lru_gen_bad(err, errlen, no, line, end - line,
						   "expected \"memcg ID PATH\"");
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p < end && *p != '/')
				return lru_gen_bad(err, errlen, no, line, end - line,
						   "a memcg path starts with '/'");
			ret = lru_gen_add_memcg(out, v, p, end - p);
			if (ret)
				return errf(err, errlen, ret, "lru_gen: out of memory");
			m = &out->memcgs[out->nr_memcgs - 1];
			node = NULL;
		} else if ((p = lru_gen_word(line, end, "node"))) {
			p = lru_gen_number(p, end, &v);
			if (!p || p != end || v > INT32_MAX)
				return lru_gen_bad(err, errlen, no, line, end - line,
						   "expected \"node NID\"");
			if (!m)
				return lru_gen_bad(err, errlen, no, line, end - line,
						   "node before any memcg line");
			if (lru_gen_find_node(m, (int)v))
				return lru_gen_bad(err, errlen, no, line, end - line,
						   "node listed twice for this memcg");
			node = lru_gen_add_node(m, (int)v);
			if (!node)
				return errf(err, errlen, -ENOMEM, "lru_gen: out of memory");
		} else {
			struct lru_gen_gen *g;

			ntok = lru_gen_split(line, end, t);
			if (ntok < 0)
				return lru_gen_bad(err, errlen, no, line, end - line,
						   "expected figures, \"memcg\" or \"node\"");
			if (!node)
				return lru_gen_bad(err, errlen, no, line, end - line,
						   "generation before any node line");
			g = node->nr_gens ? &node->gens[node->nr_gens - 1] : NULL;
			switch (ntok) {
			case 4:	/* SEQ AGE_MS NR_ANON[x] NR_FILE[x] */
				if (t[0].mark || t[1].mark || (t[2].mark && t[2].mark != 'x') ||
				    (t[3].mark && t[3].mark != 'x'))
					return lru_gen_bad(err, errlen, no, line, end - line,
							   "only page counts may carry a mark "
							   "('x')");
				if (g && t[0].val <= g->seq)
					return lru_gen_bad(err, errlen, no, line, end - line,
							   "generations out of order");
				if (node->nr_gens == LRU_GEN_MAX_GENS)
					return lru_gen_bad(err, errlen, no, line, end - line,
							   "more than 16 generations in a node");
				g = &node->gens[node->nr_gens++];
				g->seq = t[0].val;
				g->age_ms = t[1].val;
				g->nr_anon = t[2].val;
				g->nr_file = t[3].val;
				g->anon_gone = t[2].mark == 'x';
				g->file_gone = t[3].mark == 'x';
				break;
			case 7:	/* lru_gen_full: TIER and refault figures of each type */
				if (!g || t[0].mark)
					return lru_gen_bad(err, errlen, no, line, end - line,
							   "tier line outside a generation");
				break;
			case LRU_GEN_MM_STATS:	/* lru_gen_full: page-table walk figures */
				if (!g || g->has_mm_stats)
					return lru_gen_bad(err, errlen, no, line, end - line,
							   "walk statistics outside a generation");
				g->has_mm_stats = true;
				for (int i = 0; i < LRU_GEN_MM_STATS; i++) {
					g->mm_stats[i] = t[i].val;
					g->mm_marks[i] = t[i].mark ? t[i].mark : ' ';
				}
				break;
			default:
				return lru_gen_bad(err, errlen, no, line, end - line,
						   "expected \"SEQ AGE_MS NR_ANON NR_FILE\"");
			}
		}
	}
	return 0;
}

void lru_gen_state_free(struct lru_gen_state *s)
{
	for (int i = 0; i < s->nr_memcgs; i++) {
		free(s->memcgs[i].path);
		free(s->memcgs[i].nodes);
	}
	free(s->memcgs);
	memset(s, 0, sizeof(*s));
}

int lru_gen_read_file(const char *path, char **text, char *err, size_t errlen)
{
	size_t cap = 64 * 1024, len = 0;
	char *buf = malloc(cap), *nb;
	int fd, e;
	ssize_t r;

	*text = NULL;
	if (!buf)
		return errf(err, errlen, -ENOMEM, "%s: out of memory", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		free(buf);
		return errf(err, errlen, -e, "cannot open %s: %s%s", path, strerror(e),
			    e == ENOENT ? " (CONFIG_LRU_GEN=y; mount -t debugfs nodev "
					  "/sys/kernel/debug)" : "");
	}
	for (;;) {
		if (len + 1 == cap) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				return errf(err, errlen, -ENOMEM, "%s: out of memory", path);
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			free(buf);
			close(fd);
			return errf(err, errlen, -e, "reading %s: %s", path, strerror(e));
		}
		if (!r)
			break;
		len += r;
	}
	close(fd);
	buf[len] = '\0';
	*text = buf;
	return 0;
}

int lru_gen_snapshot(struct lru_gen_state *out, char *err, size_t errlen)
{
	char *text;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = lru_gen_read_file(LRU_GEN_DEBUGFS, &text, err, errlen);
	if (ret)
		return ret;
	ret = lru_gen_parse(text, out, err, errlen);
	free(text);
	if (ret)
		lru_gen_state_free(out);
	return ret;
}

const struct lru_gen_memcg *lru_gen_find_memcg(const struct lru_gen_state *s, const char *path)
{
	for (int i = 0; i < s->nr_memcgs; i++)
		if (!strcmp(s->memcgs[i].path, path))
			return &s->memcgs[i];
	return NULL;
}

const struct lru_gen_node *lru_gen_find_node(const struct lru_gen_memcg *m, int nid)
{
	for (int i = 0; i < m->nr_nodes; i++)
		if (m->nodes[i].nid == nid)
			return &m->nodes[i];
	return NULL;
}

uint64_t lru_gen_min_seq(const struct lru_gen_node *n)
{
	for (int i = 0; i < n->nr_gens; i++)
		if (!n->gens[i].anon_gone)
			return n->gens[i].seq;
	return n->nr_gens ? n->gens[n->nr_gens - 1].seq : 0;
}

uint64_t lru_gen_max_seq(const struct lru_gen_node *n)
{
	return n->nr_gens ? n->gens[n->nr_gens - 1].seq : 0;
}

uint64_t lru_gen_node_pages(const struct lru_gen_node *n)
{
	uint64_t sum = 0;

	for (int i = 0; i < n->nr_gens; i++)
		sum += (n->gens[i].anon_gone ? 0 : n->gens[i].nr_anon) +
		       (n->gens[i].file_gone ? 0 : n->gens[i].nr_file);
	return sum;
}

const char *lru_gen_format_node(const struct lru_gen_node *n, char *buf, size_t len)
{
	size_t off;

	if (!len)
		return buf;
	off = snprintf(buf, len, "node %d:", n->nid);
	for (int i = 0; i < n->nr_gens && off < len; i++) {
		const struct lru_gen_gen *g = &n->gens[i];

		off += snprintf(buf + off, len - off,
				"%s %" PRIu64 "(%" PRIu64 "ms) %" PRIu64 "+%" PRIu64, i ? " |" : "",
				g->seq, g->age_ms, g->nr_anon, g->nr_file);
	}
	return buf;
}

int lru_gen_command(const char *cmd, char *err, size_t errlen)
{
	size_t n = strlen(cmd);
	const char *why = "";
	ssize_t r;
	int fd, e;

	fd = open(LRU_GEN_DEBUGFS, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		return errf(err, errlen, -e, "lru_gen command \"%s\": cannot open %s: %s%s", cmd,
			    LRU_GEN_DEBUGFS, strerror(e),
			    e == ENOENT ? " (CONFIG_LRU_GEN=y; mount -t debugfs nodev "
					  "/sys/kernel/debug)" : "");
	}
	do {
		r = write(fd, cmd, n);
	} while (r < 0 && errno == EINTR);
	e = r < 0 ? errno : (size_t)r != n ? EIO : 0;
	close(fd);
	if (!e)
		return 0;
	switch (e) {
	case EINVAL:
		why = " (usually a stale generation number: the generations moved since lru_gen "
		      "was read; else no such memcg or node, or a malformed command)";
		break;
	case EEXIST:
		why = " (another aging pass created that generation first)";
		break;
	case ERANGE:
		why = " (already MAX_NR_GENS generations: aging needs force_scan)";
		break;
	case EINTR:
		why = " (interrupted by a signal)";
		break;
	}
	return errf(err, errlen, -e, "lru_gen command \"%s\": %s%s", cmd, strerror(e), why);
}

int lru_gen_probe(struct json_object *o)
{
	bool present = sysfs_exists(LRU_GEN_ENABLED);
	uint64_t caps;

	jsonobj_put_bool(o, "present", present);
	if (!present) {
		jsonobj_put_str(o, "hint", LRU_GEN_HINT);
		return 0;
	}
	sysfs_json_put_file(o, "enabled", LRU_GEN_ENABLED);
	sysfs_json_put_file(o, "min_ttl_ms", LRU_GEN_MIN_TTL);
	if (sysfs_read_u64(LRU_GEN_ENABLED, &caps) == 0 && !caps)
		jsonobj_put_str(o, "hint", "MGLRU is off: " LRU_GEN_ON_HINT);
	return 0;
}
