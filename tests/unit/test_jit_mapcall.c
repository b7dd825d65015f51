/* SPDX-License-Identifier: MIT */
/*
 * Direct map calls (src/jit/jit_mapcall.h): in unchecked JIT code,
 * bpf_map_{lookup,update,delete}_elem on a map r1 provably holds call the
 * map's op directly. Random verified programs over hash, lru_hash, array
 * (specialised) and a read-only array and a per-CPU array (whose updates,
 * deletes or lookups must keep the helper call) run in the interpreter and
 * in the JIT, each from fresh maps with identical contents: r0, the input
 * and every map's contents must match, and the image must hold exactly the
 * direct and helper calls the generator expects.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/bpf.h>

#include "helpers/helpers_internal.h"
#include "isa/isa.h"
#include "jit/jit.h"
#include "maps/map_internal.h"
#include "prog/prog.h"
#include "uebpf/helpers.h"
#include "uebpf/map.h"
#include "uebpf/uebpf.h"
#include "uebpf/verifier.h"

#define INSN(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (OFF), .imm = (IMM) })

#define MEM_SIZE 64
#define NR_KEYS 16          /* keys 0..15: more than the maps hold */
#define MAX_INSNS 1024
#define NR_PROGS 1000

enum test_map {
	M_HASH, M_LRU, M_ARRAY,   /* every op specialised */
	M_RDONLY,                 /* array, BPF_F_RDONLY_PROG: only lookups */
	M_PERCPU,                 /* percpu_array: nothing */
	NR_MAPS
};

struct builder {
	struct bpf_insn insn[MAX_INSNS];
	size_t n;
	/* expected calls in the unchecked image, by op (lookup, update, delete) */
	unsigned direct[3], helper[3];
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned rnd_below(unsigned n) { return (unsigned)(rnd() % n); }

static void emit(struct builder *p, struct bpf_insn insn)
{
	assert_true(p->n < MAX_INSNS);
	p->insn[p->n++] = insn;
}

static void emit_ld_map(struct builder *p, unsigned reg, enum test_map m)
{
	emit(p, INSN(BPF_LD | BPF_DW | BPF_IMM, reg, BPF_PSEUDO_MAP_IDX, 0, (int32_t)m));
	emit(p, INSN(0, 0, 0, 0, 0));
}

/* *(u32 *)(fp - 8) = a key read from the input, in 0..NR_KEYS-1 */
static void emit_key(struct builder *p)
{
	emit(p, INSN(BPF_LDX | BPF_MEM | BPF_W, 3, 6, (int16_t)(4 * rnd_below(MEM_SIZE / 4)), 0));
	emit(p, INSN(BPF_ALU64 | BPF_K | BPF_AND, 3, 0, 0, NR_KEYS - 1));
	emit(p, INSN(BPF_STX | BPF_MEM | BPF_W, 10, 3, -8, 0));
}

/* r7 = r7 * 31 + r0: every result counts */
static void emit_mix_r0(struct builder *p)
{
	emit(p, INSN(BPF_ALU64 | BPF_K | BPF_MUL, 7, 0, 0, 31));
	emit(p, INSN(BPF_ALU64 | BPF_X | BPF_ADD, 7, 0, 0, 0));
}

static bool specialised(enum test_map m, int op)
{
	switch (m) {
	case M_HASH: case M_LRU: return true;
	case M_ARRAY: return true;   /* array delete: the op exists, it refuses */
	case M_RDONLY: return op == 0;
	default: return false;
	}
}

/* One map call. How r1 gets the map varies: right before the call, before
 * the key setup (the proof must see through it), through another register
 * after a first map reference (no proof: helper call), or chosen on a
 * branch that joins after the key setup or before it (no proof: a jump
 * target in between). */
static void emit_map_op(struct builder *p, enum test_map m, int op)
{
	unsigned how = rnd_below(6);
	enum test_map other = (enum test_map)rnd_below(NR_MAPS);
	bool direct;

	/* percpu_array: lookups only (an update's slot depends on the CPU) */
	if (m == M_PERCPU)
		op = op == 1 ? 0 : op;
	if (other == M_PERCPU || other == M_RDONLY)
		other = M_ARRAY;    /* the joined maps must accept the same ops */
	direct = specialised(m, op);
	if (how == 1) {
		emit_ld_map(p, 1, m);
		emit_key(p);
	} else if (how == 2) {
		/* r1 = another map, then overwritten: the proof must stop at the write */
		emit_ld_map(p, 1, (enum test_map)rnd_below(NR_MAPS));
		emit_key(p);
		emit_ld_map(p, 9, m);
		emit(p, INSN(BPF_ALU64 | BPF_X | BPF_MOV, 1, 9, 0, 0));
		direct = false;
	} else if (how == 3 && m != M_PERCPU && m != M_RDONLY) {
		/* if r3 & 1 goto +2; r1 = other; then the key pointer: a target */
		emit_ld_map(p, 1, m);
		emit_key(p);
		emit(p, INSN(BPF_JMP | BPF_K | BPF_JSET, 3, 0, 2, 1));
		emit_ld_map(p, 1, other);
		direct = false;
	} else if (how == 4 && m != M_PERCPU && m != M_RDONLY) {
		/* the map chosen on a branch that joins at the key setup */
		emit(p, INSN(BPF_LDX | BPF_MEM | BPF_W, 3, 6, 0, 0));
		emit_ld_map(p, 1, m);
		emit(p, INSN(BPF_JMP | BPF_K | BPF_JSET, 3, 0, 2, 2));
		emit_ld_map(p, 1, other);
		emit_key(p);
		direct = false;
	} else {
		emit_key(p);
		emit_ld_map(p, 1, m);
	}
	emit(p, INSN(BPF_ALU64 | BPF_X | BPF_MOV, 2, 10, 0, 0));
	emit(p, INSN(BPF_ALU64 | BPF_K | BPF_ADD, 2, 0, 0, -8));
	if (op == 1) {
		static const int32_t flags[] = { BPF_ANY, BPF_NOEXIST, BPF_EXIST, 3, BPF_F_LOCK };

		/* value: r7 or an input word */
		if (rnd_below(2))
			emit(p, INSN(BPF_STX | BPF_MEM | BPF_DW, 10, 7, -16, 0));
		else {
			emit(p, INSN(BPF_LDX | BPF_MEM | BPF_DW, 3, 6, (int16_t)(8 * rnd_below(MEM_SIZE / 8)), 0));
			emit(p, INSN(BPF_STX | BPF_MEM | BPF_DW, 10, 3, -16, 0));
		}
		emit(p, INSN(BPF_ALU64 | BPF_X | BPF_MOV, 3, 10, 0, 0));
		emit(p, INSN(BPF_ALU64 | BPF_K | BPF_ADD, 3, 0, 0, -16));
		emit(p, INSN(BPF_ALU64 | BPF_K | BPF_MOV, 4, 0, 0, flags[rnd_below(5)]));
	}
	emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, op == 0 ? BPF_FUNC_map_lookup_elem :
		     op == 1 ? BPF_FUNC_map_update_elem : BPF_FUNC_map_delete_elem));
	if (direct)
		p->direct[op]++;
	else
		p->helper[op]++;
	if (op != 0) {
		emit_mix_r0(p);
		return;
	}
	/* if r0 != 0 goto found; r7 += 1000; ja out; found: read (and write) */
	bool write = m != M_RDONLY && m != M_PERCPU && rnd_below(2);

	emit(p, INSN(BPF_JMP | BPF_K | BPF_JNE, 0, 0, 2, 0));
	emit(p, INSN(BPF_ALU64 | BPF_K | BPF_ADD, 7, 0, 0, 1000));
	emit(p, INSN(BPF_JMP | BPF_JA, 0, 0, write ? 4 : 3, 0));
	emit(p, INSN(BPF_LDX | BPF_MEM | BPF_DW, 3, 0, 0, 0));
	emit(p, INSN(BPF_ALU64 | BPF_K | BPF_MUL, 7, 0, 0, 31));
	emit(p, INSN(BPF_ALU64 | BPF_X | BPF_ADD, 7, 3, 0, 0));
	if (write)
		emit(p, INSN(BPF_STX | BPF_MEM | BPF_DW, 0, 7, 0, 0));
}

static void generate(struct builder *p)
{
	unsigned nr_ops = 1 + rnd_below(12);

	memset(p, 0, sizeof(*p));
	emit(p, INSN(BPF_ALU64 | BPF_X | BPF_MOV, 6, 1, 0, 0));
	emit(p, INSN(BPF_ALU64 | BPF_K | BPF_MOV, 7, 0, 0, 0));
	for (unsigned k = 0; k < nr_ops; k++) {
		emit_map_op(p, (enum test_map)rnd_below(NR_MAPS), (int)rnd_below(3));
		if (rnd_below(3) == 0)   /* the input is compared too */
			emit(p, INSN(BPF_STX | BPF_MEM | BPF_DW, 6, 7,
				     (int16_t)(8 * rnd_below(MEM_SIZE / 8)), 0));
	}
	emit(p, INSN(BPF_ALU64 | BPF_X | BPF_MOV, 0, 7, 0, 0));
	emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* ------------------------------------------------------------ maps */

static struct uebpf_map *create_map(enum test_map m)
{
	static const uint32_t types[NR_MAPS] = {
		BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_ARRAY,
		BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PERCPU_ARRAY,
	};
	/* zero seed: the two runs' fresh maps hash (and evict) alike */
	static const uint32_t flags[NR_MAPS] = {
		BPF_F_ZERO_SEED, BPF_F_ZERO_SEED, 0, BPF_F_RDONLY_PROG, 0,
	};
	struct uebpf_map_spec spec = { .sz = sizeof(spec), .name = "m", .type = types[m],
				       .key_size = 4, .value_size = 8, .max_entries = 8,
				       .map_flags = flags[m] };
	struct uebpf_error err = { 0 };
	struct uebpf_map *map = NULL;

	if (uebpf_map_create(&spec, &map, &err))
		fail_msg("map create: %s", err.msg);
	return map;
}

/* The same starting contents in every fresh set of maps. */
static void populate(struct uebpf_map **maps, uint64_t salt)
{
	struct uebpf_error err = { 0 };

	for (unsigned m = 0; m < NR_MAPS; m++) {
		uint64_t value[64];   /* enough for every CPU slot */
		unsigned slots = uebpf_map_nr_slots(maps[m]);

		assert_true(slots <= 64);
		for (uint32_t key = 0; key < 8; key++) {
			if (m <= M_LRU && (key + salt) % 3 == 0)
				continue;
			for (unsigned s = 0; s < slots; s++)
				value[s] = salt * 1000 + m * 100 + key;
			if (uebpf_map_update(maps[m], &key, value, BPF_ANY, &err))
				fail_msg("populate: %s", err.msg);
		}
	}
}

static void create_maps(struct uebpf_map **maps, uint64_t salt)
{
	for (unsigned m = 0; m < NR_MAPS; m++)
		maps[m] = create_map((enum test_map)m);
	populate(maps, salt);
}

static void destroy_maps(struct uebpf_map **maps)
{
	for (unsigned m = 0; m < NR_MAPS; m++)
		uebpf_map_destroy(maps[m]);
}

static void assert_same_contents(struct uebpf_map **a, struct uebpf_map **b)
{
	for (unsigned m = 0; m < NR_MAPS; m++) {
		for (uint32_t key = 0; key < NR_KEYS; key++) {
			uint64_t va[64] = { 0 }, vb[64] = { 0 };
			struct uebpf_error err = { 0 };
			int ra = uebpf_map_lookup(a[m], &key, va, &err);
			int rb = uebpf_map_lookup(b[m], &key, vb, &err);

			if (ra != rb || memcmp(va, vb, sizeof(va)))
				fail_msg("map %u key %u: interpreter %d/%llu, JIT %d/%llu", m, key, ra,
					 (unsigned long long)va[0], rb, (unsigned long long)vb[0]);
		}
	}
}

/* ------------------------------------------------------------ running */

static struct uebpf_helper_set *helpers;

static int setup(void **state)
{
	struct uebpf_error err = { 0 };

	(void)state;
	return uebpf_helper_set_create_linux(UEBPF_PROG_TYPE_RAW, &helpers, &err);
}

static int teardown(void **state)
{
	(void)state;
	uebpf_helper_set_destroy(helpers);
	return 0;
}

static void dump(const struct builder *p)
{
	char text[128];

	for (size_t i = 0; i < p->n; i++) {
		isa_format_insn(p->insn, p->n, i, text, sizeof(text));
		print_message("%5zu: %s\n", i, text);
	}
}

static struct uebpf_prog *load_verified(const struct builder *p, struct uebpf_map **maps)
{
	struct uebpf_prog_opts popts = { .sz = sizeof(popts), .name = "mapcall",
					 .helpers = helpers, .maps = maps, .nr_maps = NR_MAPS };
	struct uebpf_verify_opts vopts = {
		.sz = sizeof(vopts), .prog_type = UEBPF_PROG_TYPE_RAW, .mem_size = MEM_SIZE,
	};
	struct uebpf_error err = { 0 };
	struct uebpf_prog *prog = NULL;

	if (uebpf_prog_load(p->insn, p->n, &popts, &prog, &err))
		fail_msg("load: %s", err.msg);
	if (uebpf_prog_verify(prog, &vopts, NULL, &err)) {
		dump(p);
		fail_msg("the verifier refused a generated program: %s", err.msg);
	}
	return prog;
}

static uint64_t run(struct uebpf_prog *prog, enum uebpf_engine engine, uint8_t *mem)
{
	struct uebpf_run_opts opts = { .sz = sizeof(opts), .mem = mem, .mem_len = MEM_SIZE,
				       .engine = engine, .flags = UEBPF_RUN_UNCHECKED };
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;

	if (uebpf_prog_run(prog, &opts, &r0, &err))
		fail_msg("run (%s): %s", engine == UEBPF_ENGINE_JIT ? "JIT" : "interpreter", err.msg);
	return r0;
}

static unsigned count_address(const uint8_t *code, size_t len, const void *fn)
{
	uint64_t addr = (uint64_t)(uintptr_t)fn;
	unsigned n = 0;

	for (size_t i = 0; i + 8 <= len; i++)
		if (memcmp(code + i, &addr, 8) == 0)
			n++;
	return n;
}

/* Exactly the expected calls are direct: the addresses of the ops are in
 * the image once per direct call, the helpers' once per helper call. The
 * ops are shared between types (hash, lru_hash: htab_*; array,
 * percpu_array: array_*), so counts are summed per operation. */
static void assert_calls(const struct builder *p, struct uebpf_prog *prog,
			 struct uebpf_map **maps)
{
	const void *helper_fn[3] = { (const void *)helper_map_lookup_elem,
				     (const void *)helper_map_update_elem,
				     (const void *)helper_map_delete_elem };
	const struct jit_image *image = prog->jit;
	const uint8_t *code;
	size_t len;

	assert_non_null(image);
	code = jit_image_code(image, &len);
	for (int op = 0; op < 3; op++) {
		const void *seen[NR_MAPS];
		unsigned nr_seen = 0, direct = 0;

		for (unsigned m = 0; m < NR_MAPS; m++) {
			const struct map_ops *ops = maps[m]->ops;
			const void *fn = op == 0 ? (const void *)ops->lookup :
					 op == 1 ? (const void *)ops->update : (const void *)ops->delete;
			bool dup = false;

			for (unsigned k = 0; k < nr_seen; k++)
				dup |= seen[k] == fn;
			if (!dup) {
				seen[nr_seen++] = fn;
				direct += count_address(code, len, fn);
			}
		}
		if (direct != p->direct[op] || count_address(code, len, helper_fn[op]) != p->helper[op]) {
			dump(p);
			fail_msg("op %d: %u direct calls (want %u), %u helper calls (want %u)", op, direct,
				 p->direct[op], count_address(code, len, helper_fn[op]), p->helper[op]);
		}
	}
}

static void random_programs_match_the_interpreter(void **state)
{
	unsigned total_direct = 0, total_helper = 0;

	(void)state;
	rng_state = 0x6d617063616c6c31ull;   /* fixed: a failure reproduces */
	for (unsigned k = 0; k < NR_PROGS; k++) {
		struct uebpf_map *maps_interp[NR_MAPS], *maps_jit[NR_MAPS];
		struct uebpf_prog *prog_interp, *prog_jit;
		uint8_t mem_interp[MEM_SIZE], mem_jit[MEM_SIZE];
		struct builder *p = malloc(sizeof(*p));
		uint64_t r0_interp, r0_jit;

		assert_non_null(p);
		generate(p);
		for (size_t i = 0; i < MEM_SIZE; i++)
			mem_interp[i] = (uint8_t)rnd();
		memcpy(mem_jit, mem_interp, MEM_SIZE);

		/* Each engine gets its own fresh maps: the program binds its
		 * maps at load, the JIT compiles their addresses in. */
		create_maps(maps_interp, k);
		create_maps(maps_jit, k);
		prog_interp = load_verified(p, maps_interp);
		prog_jit = load_verified(p, maps_jit);
		r0_interp = run(prog_interp, UEBPF_ENGINE_INTERP, mem_interp);
		r0_jit = run(prog_jit, UEBPF_ENGINE_JIT, mem_jit);
		if (r0_interp != r0_jit)
			dump(p);
		assert_int_equal(r0_interp, r0_jit);
		assert_memory_equal(mem_interp, mem_jit, MEM_SIZE);
		assert_same_contents(maps_interp, maps_jit);
		assert_calls(p, prog_jit, maps_jit);
		for (int op = 0; op < 3; op++) {
			total_direct += p->direct[op];
			total_helper += p->helper[op];
		}
		uebpf_prog_destroy(prog_interp);
		uebpf_prog_destroy(prog_jit);
		destroy_maps(maps_interp);
		destroy_maps(maps_jit);
		free(p);
	}
	/* both kinds of call were exercised */
	assert_true(total_direct > NR_PROGS);
	assert_true(total_helper > NR_PROGS / 2);
}

/* The checked image never specialises: checked runs keep the helper's
 * argument checks. */
static void checked_code_keeps_helper_calls(void **state)
{
	struct uebpf_map *maps[NR_MAPS];
	struct builder p = { 0 };
	struct uebpf_prog *prog;
	uint8_t mem[MEM_SIZE] = { 0 };
	struct uebpf_run_opts opts = { .sz = sizeof(opts), .mem = mem, .mem_len = MEM_SIZE,
				       .engine = UEBPF_ENGINE_JIT };
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;
	const uint8_t *code;
	size_t len;

	(void)state;
	rng_state = 99;
	emit(&p, INSN(BPF_ALU64 | BPF_X | BPF_MOV, 6, 1, 0, 0));
	emit(&p, INSN(BPF_ALU64 | BPF_K | BPF_MOV, 7, 0, 0, 0));
	emit_key(&p);
	emit_ld_map(&p, 1, M_HASH);
	emit(&p, INSN(BPF_ALU64 | BPF_X | BPF_MOV, 2, 10, 0, 0));
	emit(&p, INSN(BPF_ALU64 | BPF_K | BPF_ADD, 2, 0, 0, -8));
	emit(&p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_delete_elem));
	emit(&p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	create_maps(maps, 1);
	prog = load_verified(&p, maps);
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), 0);
	assert_non_null(prog->jit_checked);
	code = jit_image_code(prog->jit_checked, &len);
	assert_int_equal(count_address(code, len, (const void *)maps[M_HASH]->ops->delete), 0);
	assert_int_equal(count_address(code, len, (const void *)helper_map_delete_elem), 1);
	uebpf_prog_destroy(prog);
	destroy_maps(maps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_programs_match_the_interpreter),
		cmocka_unit_test(checked_code_keeps_helper_calls),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
