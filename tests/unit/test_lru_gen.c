// SPDX-License-Identifier: GPL-2.0
/*
 * The parser of MGLRU's debugfs lru_gen (kernel/mm/lru_gen.c) on text written
 * the way the kernel prints it (mm/vmscan.c lru_gen_seq_show(): "memcg %5hu
 * %s", " node %5d", then per generation " %10lu %10u" and per type
 * " %10lu%c"; lru_gen_full adds 'x' marks, tier lines and walk lines).
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "kernel/mm/lru_gen.h"
#include "kernel/mm/sysfs.h"

/* lru_gen: three memcgs, two nodes, up to four generations */
static const char plain[] =
	"memcg     1 /\n"
	" node     0\n"
	"         10      31415        120        5800 \n"
	"         11       9000         40        2100 \n"
	"         12       1200          7         300 \n"
	"         13         15          0          12 \n"
	" node     1\n"
	"          7      30000         60        1000 \n"
	"          8       8000         10          50 \n"
	"          9       1100          0           3 \n"
	"memcg     2 /system.slice\n"
	" node     0\n"
	"          4       5000          0           0 \n"
	"          5       4000         10         100 \n"
	"          6       3000         20         200 \n"
	"          7       2000         30         300 \n"
	" node     1\n"
	"          3        100          0           0 \n"
	"          4         50          0           0 \n"
	"memcg    37 /mmubench-1234\n"
	" node     0\n"
	"          5       2100       3000           0 \n"
	"          6       1050       1000           2 \n"
	"          7          4      12384           1 \n"
	" node     1\n"
	"          3       2100          0           0 \n"
	"          4       1050          0           0 \n"
	"          5          4          1           0 \n"
	"          6          0          4           0 \n";

/* lru_gen_full: max_seq 9, anon min_seq 7, file min_seq 8, with tier and walk lines */
static const char full[] =
	"memcg     5 /mmubench-77\n"
	" node     0\n"
	"          6       4000          0x          0x\n"
	"                     0          1r         20e          0p          0r          4e          0p\n"
	"                     1          1r         20e          3p          0r          4e          0p\n"
	"                     2          1r         20e          3p          0r          4e          0p\n"
	"                     3          1r         20e          3p          0r          4e          0p\n"
	"                                0           0           0           0           0           0 \n"
	"          7       3000       2048           0x\n"
	"                     0          1r         20e          0p          0r          4e          0p\n"
	"                     1          1r         20e          3p          0r          4e          0p\n"
	"                     2          1r         20e          3p          0r          4e          0p\n"
	"                     3          1r         20e          3p          0r          4e          0p\n"
	"                                0           0           0           0           0           0 \n"
	"          8       2000        512          17 \n"
	"                     0          1r         20e          0p          0r          4e          0p\n"
	"                     1          1r         20e          3p          0r          4e          0p\n"
	"                     2          1r         20e          3p          0r          4e          0p\n"
	"                     3          1r         20e          3p          0r          4e          0p\n"
	"                                0           0           0           0           0           0 \n"
	"          9         10        100           3 \n"
	"                     0          5R        100T          0           1R         10T          0 \n"
	"                     1          5R        100T          0           1R         10T          0 \n"
	"                     2          5R        100T          0           1R         10T          0 \n"
	"                     3          5R        100T          0           1R         10T          0 \n"
	"                           262144L     200000O      62144Y        512N        300F          2A\n";

TEST(plain_memcgs_nodes_generations)
{
	struct lru_gen_state s;
	const struct lru_gen_memcg *m;
	const struct lru_gen_node *n;
	char err[256] = "";

	ASSERT_EQ(0, lru_gen_parse(plain, &s, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(3, s.nr_memcgs);
	EXPECT_EQ(1, s.memcgs[0].id);
	EXPECT_STREQ("/", s.memcgs[0].path);
	EXPECT_EQ(2, s.memcgs[1].id);
	EXPECT_STREQ("/system.slice", s.memcgs[1].path);

	m = lru_gen_find_memcg(&s, "/mmubench-1234");
	ASSERT_NE(NULL, m);
	EXPECT_EQ(37, m->id);
	ASSERT_EQ(2, m->nr_nodes);
	n = lru_gen_find_node(m, 0);
	ASSERT_NE(NULL, n);
	ASSERT_EQ(3, n->nr_gens);
	EXPECT_EQ(5, n->gens[0].seq);
	EXPECT_EQ(2100, n->gens[0].age_ms);
	EXPECT_EQ(3000, n->gens[0].nr_anon);
	EXPECT_EQ(0, n->gens[0].nr_file);
	EXPECT_EQ(12384, n->gens[2].nr_anon);
	EXPECT_EQ(1, n->gens[2].nr_file);
	EXPECT_FALSE(n->gens[0].anon_gone);
	EXPECT_FALSE(n->gens[0].has_mm_stats);
	EXPECT_EQ(5, lru_gen_min_seq(n));
	EXPECT_EQ(7, lru_gen_max_seq(n));
	EXPECT_EQ(3000 + 1000 + 2 + 12384 + 1, lru_gen_node_pages(n));
	n = lru_gen_find_node(m, 1);
	ASSERT_NE(NULL, n);
	ASSERT_EQ(4, n->nr_gens);
	EXPECT_EQ(3, lru_gen_min_seq(n));
	EXPECT_EQ(6, lru_gen_max_seq(n));
	EXPECT_EQ(5, lru_gen_node_pages(n));
	EXPECT_EQ(NULL, lru_gen_find_node(m, 2));

	m = lru_gen_find_memcg(&s, "/");
	ASSERT_NE(NULL, m);
	n = lru_gen_find_node(m, 1);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(3, n->nr_gens);
	EXPECT_EQ(7, lru_gen_min_seq(n));
	EXPECT_EQ(9, lru_gen_max_seq(n));

	EXPECT_EQ(NULL, lru_gen_find_memcg(&s, "/mmubench-123"));
	EXPECT_EQ(NULL, lru_gen_find_memcg(&s, "/system.slice/"));
	lru_gen_state_free(&s);
	EXPECT_EQ(0, s.nr_memcgs);
}

TEST(full_output_marks_tiers_walk)
{
	struct lru_gen_state s;
	const struct lru_gen_node *n;
	char err[256] = "";

	ASSERT_EQ(0, lru_gen_parse(full, &s, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(1, s.nr_memcgs);
	EXPECT_EQ(5, s.memcgs[0].id);
	EXPECT_STREQ("/mmubench-77", s.memcgs[0].path);
	ASSERT_EQ(1, s.memcgs[0].nr_nodes);
	n = &s.memcgs[0].nodes[0];
	ASSERT_EQ(4, n->nr_gens);
	EXPECT_TRUE(n->gens[0].anon_gone);
	EXPECT_TRUE(n->gens[0].file_gone);
	EXPECT_FALSE(n->gens[1].anon_gone);
	EXPECT_TRUE(n->gens[1].file_gone);
	EXPECT_FALSE(n->gens[2].file_gone);
	EXPECT_EQ(7, lru_gen_min_seq(n));
	EXPECT_EQ(9, lru_gen_max_seq(n));
	EXPECT_EQ(2048 + 512 + 17 + 100 + 3, lru_gen_node_pages(n));
	for (int i = 0; i < 4; i++) {
		EXPECT_TRUE(n->gens[i].has_mm_stats);
	}
	EXPECT_EQ(262144, n->gens[3].mm_stats[0]);
	EXPECT_EQ(62144, n->gens[3].mm_stats[2]);
	EXPECT_EQ(2, n->gens[3].mm_stats[5]);
	EXPECT_EQ(0, memcmp(n->gens[3].mm_marks, "LOYNFA", 6));
	EXPECT_EQ(0, memcmp(n->gens[0].mm_marks, "      ", 6));
	lru_gen_state_free(&s);
}

/* A kernel without CONFIG_MEMCG prints "memcg     0 " and no path. */
TEST(no_memcg_kernel)
{
	static const char text[] =
		"memcg     0 \n"
		" node     0\n"
		"          0       1000         10         20 \n"
		"          1          5          1          2 \n";
	struct lru_gen_state s;
	char err[256] = "";

	ASSERT_EQ(0, lru_gen_parse(text, &s, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(1, s.nr_memcgs);
	EXPECT_STREQ("", s.memcgs[0].path);
	EXPECT_NE(NULL, lru_gen_find_memcg(&s, ""));
	EXPECT_EQ(33, lru_gen_node_pages(&s.memcgs[0].nodes[0]));
	lru_gen_state_free(&s);
}

TEST(empty_and_crlf)
{
	static const char crlf[] =
		"memcg     3 /a b\r\n"
		" node     0\r\n"
		"          4          0          1          0 \r\n"
		"\r\n";
	struct lru_gen_state s;
	char err[256] = "";

	ASSERT_EQ(0, lru_gen_parse("", &s, err, sizeof(err)));
	EXPECT_EQ(0, s.nr_memcgs);
	lru_gen_state_free(&s);
	ASSERT_EQ(0, lru_gen_parse(crlf, &s, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(1, s.nr_memcgs);
	EXPECT_STREQ("/a b", s.memcgs[0].path);
	EXPECT_EQ(4, lru_gen_max_seq(&s.memcgs[0].nodes[0]));
	lru_gen_state_free(&s);
}

TEST(sixteen_generations_and_no_more)
{
	char text[4096], err[256] = "";
	struct lru_gen_state s;
	size_t off;
	int i;

	off = snprintf(text, sizeof(text), "memcg     1 /\n node     0\n");
	for (i = 0; i < 16; i++)
		off += snprintf(text + off, sizeof(text) - off, " %10d %10d %10d  %10d \n", 100 + i,
				1000 - i, i, 2 * i);
	ASSERT_EQ(0, lru_gen_parse(text, &s, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	EXPECT_EQ(16, s.memcgs[0].nodes[0].nr_gens);
	EXPECT_EQ(115, lru_gen_max_seq(&s.memcgs[0].nodes[0]));
	lru_gen_state_free(&s);

	snprintf(text + off, sizeof(text) - off, " %10d %10d %10d  %10d \n", 116, 0, 0, 0);
	EXPECT_EQ(-EINVAL, lru_gen_parse(text, &s, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "line 19:")) {
		TH_LOG("%s", err);
	}
	EXPECT_NE(NULL, strstr(err, "more than 16")) {
		TH_LOG("%s", err);
	}
	lru_gen_state_free(&s);
}

static const struct {
	const char *text;
	const char *line;	/* "line N:" the message must name */
	const char *why;	/* and a part of the reason */
} bad[] = {
	{ "hello\n", "line 1:", "expected figures" },
	{ "memcg abc /x\n", "line 1:", "memcg ID PATH" },
	{ "memcg     1 x\n", "line 1:", "starts with '/'" },
	{ " node     0\n", "line 1:", "before any memcg" },
	{ "memcg     1 /\n node\n", "line 2:", "node NID" },
	{ "memcg     1 /\n node   zero\n", "line 2:", "node NID" },
	{ "memcg     1 /\n node     0\n node     0\n", "line 3:", "twice" },
	{ "memcg     1 /\n          1          2          3          4 \n", "line 2:", "before any node" },
	{ "memcg     1 /\n node     0\n          1          2          3 \n", "line 3:", "SEQ AGE_MS" },
	{ "memcg     1 /\n node     0\n          1          2          3          4          5 \n",
	  "line 3:", "SEQ AGE_MS" },
	{ "memcg     1 /\n node     0\n          1          2          3y         4 \n", "line 3:", "mark" },
	{ "memcg     1 /\n node     0\n          1x         2          3          4 \n", "line 3:", "mark" },
	{ "memcg     1 /\n node     0\n          1          2          -3         4 \n", "line 3:",
	  "expected figures" },
	{ "memcg     1 /\n node     0\n          1          2        3.5          4 \n", "line 3:",
	  "expected figures" },
	{ "memcg     1 /\n node     0\n          5          2          3          4 \n"
	  "          5          1          3          4 \n", "line 4:", "out of order" },
	{ "memcg     1 /\n node     0\n                     0          1r         20e          0p"
	  "          0r          4e          0p\n", "line 3:", "tier line outside" },
	{ "memcg     1 /\n node     0\n          1          2          3          4 \n"
	  "                                0           0           0           0           0           0 \n"
	  "                                0           0           0           0           0           0 \n",
	  "line 5:", "walk statistics" },
	{ "memcg     1 /\n node     0\n          1          2          3          4 \n"
	  "          2          2 99999999999999999999999          4 \n", "line 4:", "expected figures" },
};

TEST(malformed_input_names_the_line)
{
	struct lru_gen_state s;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, lru_gen_parse(bad[i].text, &s, err, sizeof(err))) {
			TH_LOG("case %zu accepted", i);
		}
		EXPECT_NE(NULL, strstr(err, bad[i].line)) {
			TH_LOG("case %zu: %s", i, err);
		}
		EXPECT_NE(NULL, strstr(err, bad[i].why)) {
			TH_LOG("case %zu: %s", i, err);
		}
		lru_gen_state_free(&s);
	}
}

TEST(format_node)
{
	struct lru_gen_state s;
	char err[256], buf[256];

	ASSERT_EQ(0, lru_gen_parse(plain, &s, err, sizeof(err)));
	EXPECT_STREQ("node 1: 3(2100ms) 0+0 | 4(1050ms) 0+0 | 5(4ms) 1+0 | 6(0ms) 4+0",
		     lru_gen_format_node(&s.memcgs[2].nodes[1], buf, sizeof(buf)));
	lru_gen_format_node(&s.memcgs[2].nodes[1], buf, 12);
	EXPECT_STREQ("node 1: 3(2", buf);
	lru_gen_state_free(&s);
}

/* Without MGLRU (the development machine) the error names the command and the cause. */
TEST(command_without_lru_gen)
{
	char err[256] = "";

	if (sysfs_exists(LRU_GEN_DEBUGFS))
		SKIP(return, "%s exists: commands would act on this kernel; the error path is checked "
		     "where CONFIG_LRU_GEN is off or debugfs is not mounted", LRU_GEN_DEBUGFS);
	EXPECT_EQ(-ENOENT, lru_gen_command("+ 1 0 7 1 1", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "\"+ 1 0 7 1 1\"")) {
		TH_LOG("%s", err);
	}
	EXPECT_NE(NULL, strstr(err, "CONFIG_LRU_GEN")) {
		TH_LOG("%s", err);
	}
}

TEST_HARNESS_MAIN
