/* SPDX-License-Identifier: MIT */
/* Time, random, task, string, probe-read and trace helpers. Semantic
 * tables call the helper functions directly with a hand-made run context;
 * the rest run programs. */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <unistd.h>

#include "test_helpers_util.h"

static struct uebpf_helper_set *set;

/* A run context whose only readable memory is [mem, mem + len) and whose
 * writable memory is [out, out + out_len). */
struct fake {
	struct uebpf_run_ctx rc;
	struct uebpf_region regions[2];
};

static void fake_init(struct fake *f, bool checked, const void *mem, size_t len, void *out,
		      size_t out_len)
{
	memset(f, 0, sizeof(*f));
	f->regions[0] = (struct uebpf_region){ (void *)mem, len, false };
	f->regions[1] = (struct uebpf_region){ out, out_len, true };
	f->rc.regions = f->regions;
	f->rc.nr_regions = 2;
	f->rc.checked = checked;
}

/* ------------------------------------------------------------- strings */

static int64_t strtox(bool is_signed, const char *s, size_t len, uint64_t flags, int64_t *res)
{
	struct fake f;
	uint64_t out = 0x5555;
	int64_t r;

	fake_init(&f, true, s, len, &out, sizeof(out));
	r = (int64_t)(is_signed ? helper_strtol : helper_strtoul)((uintptr_t)s, len, flags,
								  (uintptr_t)&out, 0, &f.rc);
	*res = (int64_t)out;
	return r;
}

#define STRTOL(s, flags, ret, val) do { \
		int64_t v_; \
		assert_int_equal(strtox(true, s, strlen(s), flags, &v_), ret); \
		assert_int_equal(v_, val); \
	} while (0)
#define STRTOUL(s, flags, ret, val) do { \
		int64_t v_; \
		assert_int_equal(strtox(false, s, strlen(s), flags, &v_), ret); \
		assert_int_equal(v_, val); \
	} while (0)

static void test_strtol(void **state)
{
	(void)state;
	STRTOL("123", 10, 3, 123);
	STRTOL("  -42xyz", 10, 5, -42);
	STRTOL("\t\n 7", 0, 4, 7);
	STRTOL("0x1f", 16, 4, 31);
	STRTOL("0x1f", 0, 4, 31);
	STRTOL("0X1F", 0, 4, 31);
	STRTOL("017", 0, 3, 15);
	STRTOL("0x", 0, 1, 0);         /* "0" in base 8, 'x' stops it */
	STRTOL("0x", 16, -EINVAL, 0x5555);
	STRTOL("19", 8, 1, 1);
	STRTOL("", 10, -EINVAL, 0x5555);
	STRTOL("   ", 10, -EINVAL, 0x5555);
	STRTOL("-", 10, -EINVAL, 0x5555);
	STRTOL("abc", 10, -EINVAL, 0x5555);
	STRTOL("12", 3, -EINVAL, 0x5555);      /* base */
	STRTOL("12", 0x20 | 10, -EINVAL, 0x5555); /* flags beyond the base */
	STRTOL("9223372036854775807", 10, 19, INT64_MAX);
	STRTOL("9223372036854775808", 10, -ERANGE, 0x5555);
	STRTOL("-9223372036854775808", 10, 20, INT64_MIN);
	STRTOL("-9223372036854775809", 10, -ERANGE, 0x5555);
	STRTOL("99999999999999999999", 10, -ERANGE, 0x5555);
	STRTOUL("18446744073709551615", 10, 20, -1);
	STRTOUL("18446744073709551616", 10, -ERANGE, 0x5555);
	STRTOUL("-1", 10, -EINVAL, 0x5555);
	STRTOUL("ff", 16, 2, 255);
	{ /* at most 63 characters after white space and sign are parsed */
		char buf[100];
		int64_t v;

		memset(buf, ' ', 10);
		memset(buf + 10, '0', 80);
		buf[89] = '7';
		assert_int_equal(strtox(false, buf, 90, 10, &v), 10 + 63);
		assert_int_equal(v, 0);
	}
	{ /* buf_len bounds the string, not a NUL */
		int64_t v;

		assert_int_equal(strtox(true, "12345", 2, 10, &v), 2);
		assert_int_equal(v, 12);
	}
}

static void test_strtol_refuses_bad_res(void **state)
{
	const char *s = "1";
	struct fake f;
	uint64_t out;

	(void)state;
	fake_init(&f, false, s, 1, &out, sizeof(out)); /* unchecked run: res still checked */
	assert_int_equal((int64_t)helper_strtol((uintptr_t)s, 1, 10, (uintptr_t)&out + 4, 0, &f.rc),
			 -EFAULT);
	assert_int_equal(f.rc.pending_error, -EFAULT);
}

static void test_strncmp(void **state)
{
	const struct { const char *a; uint32_t n; const char *b; int64_t ret; } cases[] = {
		{ "abc", 3, "abc", 0 }, { "abd", 3, "abc", 1 }, { "abb", 3, "abc", -1 },
		{ "abc", 2, "abd", 0 }, { "ab", 3, "abc", -1 }, { "abc", 0, "x", 0 },
		{ "\xff", 1, "a", 1 }, /* unsigned bytes */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct fake f;
		char buf[8] = { 0 };

		memcpy(buf, cases[i].a, strlen(cases[i].a));
		fake_init(&f, false, NULL, 0, NULL, 0);
		assert_int_equal((int64_t)helper_strncmp((uintptr_t)buf, cases[i].n,
							 (uintptr_t)cases[i].b, 0, 0, &f.rc),
				 cases[i].ret);
	}
}

/* --------------------------------------------------------------- probe */

static void test_probe_read(void **state)
{
	char granted[8] = "granted", secret[8] = "secret!", dst[8];
	struct fake f;

	(void)state;
	fake_init(&f, true, granted, sizeof(granted), dst, sizeof(dst));
	memset(dst, 'x', sizeof(dst));
	assert_int_equal(helper_probe_read((uintptr_t)dst, 8, (uintptr_t)granted, 0, 0, &f.rc), 0);
	assert_memory_equal(dst, "granted", 8);
	memset(dst, 'x', sizeof(dst));
	assert_int_equal((int64_t)helper_probe_read((uintptr_t)dst, 8, (uintptr_t)secret, 0, 0,
						    &f.rc), -EFAULT);
	assert_memory_equal(dst, "\0\0\0\0\0\0\0\0", 8);
	/* partly outside: also a fault */
	memset(dst, 'x', sizeof(dst));
	assert_int_equal((int64_t)helper_probe_read((uintptr_t)dst, 8, (uintptr_t)granted + 1, 0, 0,
						    &f.rc), -EFAULT);
	assert_memory_equal(dst, "\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(helper_probe_read((uintptr_t)dst, 0, (uintptr_t)secret, 0, 0, &f.rc), 0);
	/* unchecked runs too read only granted memory */
	f.rc.checked = false;
	assert_int_equal((int64_t)helper_probe_read((uintptr_t)dst, 8, (uintptr_t)secret, 0, 0,
						    &f.rc), -EFAULT);
}

static void test_probe_read_str(void **state)
{
	char src[8] = "abc\0zzz", nonul[4] = { 'w', 'x', 'y', 'z' }, dst[8];
	struct fake f;

	(void)state;
	fake_init(&f, true, src, sizeof(src), dst, sizeof(dst));
	memset(dst, 'q', sizeof(dst));
	assert_int_equal(helper_probe_read_str((uintptr_t)dst, 8, (uintptr_t)src, 0, 0, &f.rc), 4);
	assert_string_equal(dst, "abc");
	assert_int_equal(dst[4], 'q');  /* no padding */
	assert_int_equal(helper_probe_read_str((uintptr_t)dst, 3, (uintptr_t)src, 0, 0, &f.rc), 3);
	assert_string_equal(dst, "ab");  /* truncated: size, last byte NUL */
	assert_int_equal(helper_probe_read_str((uintptr_t)dst, 0, (uintptr_t)src, 0, 0, &f.rc), 0);
	/* runs off the granted memory before a NUL */
	fake_init(&f, true, nonul, sizeof(nonul), dst, sizeof(dst));
	memset(dst, 'q', sizeof(dst));
	assert_int_equal((int64_t)helper_probe_read_str((uintptr_t)dst, 8, (uintptr_t)nonul, 0, 0,
							&f.rc), -EFAULT);
	assert_memory_equal(dst, "\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(helper_probe_read_str((uintptr_t)dst, 4, (uintptr_t)nonul, 0, 0, &f.rc), 4);
	assert_string_equal(dst, "wxy");
}

/* A program reading 8 bytes at `addr` with bpf_probe_read into its stack:
 * returns the helper's result + the first byte read. */
static void test_probe_read_program(void **state)
{
	static char host_secret[8] = "SECRET";
	uint8_t mem[8] = { 7, 1, 2, 3, 4, 5, 6, 7 };
	const struct bpf_insn insns[] = {
		MOV64_REG(3, 1), LDDW(4, (uintptr_t)host_secret),
		JMP_IMM(BPF_JEQ, 2, 8, 1), MOV64_REG(3, 4),
		MOV64_REG(1, 10), ADD64_IMM(1, -8), MOV64_IMM(2, 8),
		CALL(BPF_FUNC_probe_read),
		LDX(BPF_B, 1, 10, -8), ADD64_REG(0, 1), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);

	(void)state;
	assert_int_equal(run_ok(prog, mem, 8, NULL), 7);               /* input memory */
	assert_int_equal((int64_t)run_ok(prog, mem, 7, NULL), -EFAULT); /* host memory */
	uebpf_prog_destroy(prog);
}

/* ------------------------------------------------------- time and task */

static uint64_t call0(uint32_t id, struct uebpf_env *env)
{
	const struct bpf_insn insns[] = { CALL(id), EXIT() };
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	uint64_t r0 = run_checked(prog, NULL, 0, env);

	uebpf_prog_destroy(prog);
	return r0;
}

static void test_time(void **state)
{
	struct timespec ts;
	uint64_t a, b, now;

	(void)state;
	a = call0(BPF_FUNC_ktime_get_ns, NULL);
	b = call0(BPF_FUNC_ktime_get_ns, NULL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	assert_true(a > 0 && a <= b && b <= now);
	assert_true(call0(BPF_FUNC_ktime_get_boot_ns, NULL) >= a);
	assert_true(call0(BPF_FUNC_ktime_get_coarse_ns, NULL) > 0);
	a = call0(BPF_FUNC_jiffies64, NULL);
	b = call0(BPF_FUNC_jiffies64, NULL);
	assert_true(a > 4294892296ull - 1 && a <= b);
}

static void test_task(void **state)
{
	char comm[16];
	const struct bpf_insn insns[] = {
		MOV64_REG(1, 10), ADD64_IMM(1, -16), MOV64_IMM(2, 16),
		CALL(BPF_FUNC_get_current_comm), JMP_IMM(BPF_JNE, 0, 0, 1),
		LDX(BPF_DW, 0, 10, -16), EXIT(),
	};
	const struct bpf_insn small[] = {
		ST(BPF_DW, 10, -8, -1),
		MOV64_REG(1, 10), ADD64_IMM(1, -8), MOV64_IMM(2, 4),
		CALL(BPF_FUNC_get_current_comm), LDX(BPF_DW, 0, 10, -8), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	struct uebpf_prog *prog_small = load_prog(small, N(small), set, NULL, 0);
	uint64_t r0, expect = 0;

	(void)state;
	assert_int_equal(call0(BPF_FUNC_get_current_pid_tgid, NULL),
			 (uint64_t)getpid() << 32 | (uint32_t)gettid());
	assert_int_equal(call0(BPF_FUNC_get_current_uid_gid, NULL),
			 (uint64_t)getgid() << 32 | getuid());
	prctl(PR_SET_NAME, "helpertest", 0, 0, 0);
	memset(comm, 0, sizeof(comm));
	r0 = run_ok(prog, NULL, 0, NULL);
	memcpy(&expect, "helperte", 8);
	assert_int_equal(r0, expect);
	/* size 4: "hel" + NUL, the rest of the slot untouched */
	r0 = run_ok(prog_small, NULL, 0, NULL);
	assert_int_equal(r0, 0xffffffff006c6568ull);
	uebpf_prog_destroy(prog);
	uebpf_prog_destroy(prog_small);
}

static void test_misc_ids(void **state)
{
	struct uebpf_env_opts opts = { .sz = sizeof(opts), .prandom_seed = 42 };
	struct uebpf_env *e1 = NULL, *e2 = NULL;
	uint64_t seq1[4], seq2[4];
	int i, distinct = 0;

	(void)state;
	assert_int_equal(uebpf_env_create(&opts, &e1, NULL), 0);
	assert_int_equal(uebpf_env_create(&opts, &e2, NULL), 0);
	for (i = 0; i < 4; i++) {
		seq1[i] = call0(BPF_FUNC_get_prandom_u32, e1);
		seq2[i] = call0(BPF_FUNC_get_prandom_u32, e2);
		assert_true(seq1[i] <= UINT32_MAX);
		assert_int_equal(seq1[i], seq2[i]);   /* same seed, same sequence */
		if (i && seq1[i] != seq1[i - 1])
			distinct++;
	}
	assert_true(distinct >= 2);
	assert_true(call0(BPF_FUNC_get_prandom_u32, NULL) <= UINT32_MAX);
	uebpf_env_destroy(e1);
	uebpf_env_destroy(e2);
	assert_true(call0(BPF_FUNC_get_smp_processor_id, NULL) < 4096);
	assert_true(call0(BPF_FUNC_get_numa_node_id, NULL) < 1024);
	{
		const struct bpf_insn insns[] = {
			MOV64_REG(6, 1), CALL(BPF_FUNC_get_func_ip), MOV64_REG(7, 0),
			MOV64_REG(1, 6), CALL(BPF_FUNC_get_attach_cookie), ADD64_REG(0, 7), EXIT(),
		};
		struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
		struct prog_run_extra extra = { .func_ip = 0x1000, .attach_cookie = 0x22 };
		struct uebpf_run_opts ro = { .sz = sizeof(ro), .engine = UEBPF_ENGINE_INTERP };
		uint64_t r0 = 0;

		assert_int_equal(prog_run_ex(prog, &ro, &extra, &r0, NULL), 0);
		assert_int_equal(r0, 0x1022);
		assert_int_equal(run_checked(prog, NULL, 0, NULL), 0);
		uebpf_prog_destroy(prog);
	}
}

/* --------------------------------------------------------------- trace */

struct captured {
	char text[4096];
	size_t len;
	int calls;
};

static void capture(void *ctx, const char *msg, size_t len)
{
	struct captured *c = ctx;

	memcpy(c->text + c->len, msg, len);
	c->len += len;
	c->text[c->len] = '\0';
	c->calls++;
}

/* Strings the formats may read through: the only memory granted. */
static char pool[32] = "str\0\x0a\x00\x00\x01";

static int64_t snp(char *out, uint32_t size, const char *fmt, const uint64_t *data, uint32_t n)
{
	struct fake f;

	fake_init(&f, false, pool, sizeof(pool), NULL, 0);
	return (int64_t)helper_snprintf((uintptr_t)out, size, (uintptr_t)fmt, (uintptr_t)data,
					n * 8, &f.rc);
}

static void test_snprintf(void **state)
{
	const uint64_t ints[] = { (uint64_t)-5, 0xabcdef, 0x1ffffffffull };
	const uint64_t mixed[] = { (uint64_t)-5, 0xabcdef, (uintptr_t)pool, 'c' };
	const uint64_t ips[] = { (uintptr_t)pool + 4, (uintptr_t)pool + 4 };
	const uint64_t strs[] = { (uintptr_t)pool, (uintptr_t)pool, (uintptr_t)"not granted" };
	const uint64_t many[13] = { 0 };
	char out[128];

	(void)state;
	assert_int_equal(snp(out, sizeof(out), "%d %x %u", ints, 3), 21);
	assert_string_equal(out, "-5 abcdef 4294967295");
	assert_int_equal(snp(out, sizeof(out), "%lld|%llx|%5s|%-4c|", mixed, 4), 22);
	assert_string_equal(out, "-5|abcdef|  str|c   |");
	assert_int_equal(snp(out, sizeof(out), "%ld %li %lX %+d % d %03d", ints, 3), -EINVAL);
	assert_int_equal(snp(out, sizeof(out), "%ld %li %lX", ints, 3), 22);
	assert_string_equal(out, "-5 11259375 1FFFFFFFF");
	/* more conversions than u64 arguments is -EINVAL, str untouched */
	strcpy(out, "keep");
	assert_int_equal(snp(out, sizeof(out), "%d %d", ints, 1), -EINVAL);
	assert_string_equal(out, "keep");
	assert_int_equal(snp(out, sizeof(out), "%pI4 %pi4", ips, 2), 25);
	assert_string_equal(out, "10.0.0.1 010.000.000.001");
	assert_int_equal(snp(out, 5, "%s-%s", strs, 2), 8);
	assert_string_equal(out, "str-");               /* truncated, NUL-terminated */
	assert_int_equal(snp(out, sizeof(out), "[%s]", strs + 2, 1), 3);
	assert_string_equal(out, "[]");                 /* unreadable string: "" */
	assert_int_equal(snp(out, 0, "abc", NULL, 0), 4);
	assert_int_equal(snp(out, sizeof(out), "100%%", NULL, 0), 5);
	assert_string_equal(out, "100%");
	assert_int_equal(snp(out, sizeof(out), "%.2d", ints, 1), -EINVAL);  /* precision */
	assert_int_equal(snp(out, sizeof(out), "%f", ints, 1), -EINVAL);
	assert_int_equal(snp(out, sizeof(out), "%hd", ints, 1), -EINVAL);
	assert_int_equal(snp(out, sizeof(out), "%pZ", ints, 1), -EINVAL);
	assert_int_equal(snp(out, sizeof(out), "\x01", NULL, 0), -EINVAL);  /* non-printable */
	assert_int_equal(snp(out, sizeof(out), "%d", many, 13), -EINVAL);   /* > 12 args */
	{
		struct fake f;

		fake_init(&f, false, NULL, 0, NULL, 0);
		assert_int_equal((int64_t)helper_snprintf((uintptr_t)out, 8, (uintptr_t)"x",
							  (uintptr_t)ints, 12, &f.rc), -EINVAL);
	}
	/* checked run: a format the program may not read fails the run */
	{
		struct fake f;
		uint64_t a = 1;

		fake_init(&f, true, &a, sizeof(a), out, sizeof(out));
		assert_int_equal((int64_t)helper_snprintf((uintptr_t)out, sizeof(out),
							  (uintptr_t)"[%d]", (uintptr_t)&a, 8, &f.rc),
				 -EFAULT);
		assert_int_equal(f.rc.pending_error, -EFAULT);
	}
}

static void test_trace_printk_program(void **state)
{
	/* "n=%d %s\n" on the stack, args 42 and a pointer to "ok" */
	const struct bpf_insn insns[] = {
		LDDW(1, 0x73252064253d6eull), STX(BPF_DW, 10, 1, -16),  /* "n=%d %s" */
		ST(BPF_H, 10, -9, 0x000a),                                /* "\n\0" */
		ST(BPF_W, 10, -24, 0x6b6f),                               /* "ok" */
		MOV64_REG(1, 10), ADD64_IMM(1, -16), MOV64_IMM(2, 9),
		MOV64_IMM(3, 42), MOV64_REG(4, 10), ADD64_IMM(4, -24),
		CALL(BPF_FUNC_trace_printk), EXIT(),
	};
	const struct bpf_insn bad[] = {
		ST(BPF_DW, 10, -8, 0x7825), /* "%x" */
		MOV64_REG(1, 10), ADD64_IMM(1, -8), MOV64_IMM(2, 2),   /* no NUL within 2 */
		CALL(BPF_FUNC_trace_printk), EXIT(),
	};
	struct captured cap = { .len = 0 };
	struct uebpf_env_opts opts = { .sz = sizeof(opts), .trace_fn = capture, .trace_ctx = &cap };
	struct uebpf_env *env = NULL;
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	struct uebpf_prog *badp = load_prog(bad, N(bad), set, NULL, 0);

	(void)state;
	assert_int_equal(uebpf_env_create(&opts, &env, NULL), 0);
	assert_int_equal(run_ok(prog, NULL, 0, env), 8);
	assert_int_equal(cap.calls, 2);
	assert_string_equal(cap.text, "n=42 ok\nn=42 ok\n");
	assert_int_equal(run_ok(prog, NULL, 0, NULL), 8);     /* no sink: dropped */
	assert_int_equal((int64_t)run_ok(badp, NULL, 0, env), -EINVAL);
	assert_int_equal(cap.calls, 2);
	uebpf_env_destroy(env);
	uebpf_prog_destroy(prog);
	uebpf_prog_destroy(badp);
}

static void test_trace_vprintk(void **state)
{
	const uint64_t args[4] = { 1, 2, 3, 4 };
	struct captured cap = { .len = 0 };
	struct uebpf_env_opts opts = { .sz = sizeof(opts), .trace_fn = capture, .trace_ctx = &cap };
	struct uebpf_env *env = NULL;
	struct fake f;

	(void)state;
	assert_int_equal(uebpf_env_create(&opts, &env, NULL), 0);
	fake_init(&f, false, NULL, 0, NULL, 0);
	f.rc.env = env;
	assert_int_equal(helper_trace_vprintk((uintptr_t)"%d%d%d%d", 9, (uintptr_t)args, 32, 0,
					      &f.rc), 4);
	assert_string_equal(cap.text, "1234");
	assert_int_equal((int64_t)helper_trace_vprintk((uintptr_t)"%d", 3, (uintptr_t)args, 12, 0,
						       &f.rc), -EINVAL);
	uebpf_env_destroy(env);
}

static int setup(void **state)
{
	(void)state;
	set = all_helpers(UEBPF_PROG_TYPE_RAW);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	uebpf_helper_set_destroy(set);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strtol),
		cmocka_unit_test(test_strtol_refuses_bad_res),
		cmocka_unit_test(test_strncmp),
		cmocka_unit_test(test_probe_read),
		cmocka_unit_test(test_probe_read_str),
		cmocka_unit_test(test_probe_read_program),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_task),
		cmocka_unit_test(test_misc_ids),
		cmocka_unit_test(test_snprintf),
		cmocka_unit_test(test_trace_printk_program),
		cmocka_unit_test(test_trace_vprintk),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
