/* SPDX-License-Identifier: MIT */
/*
 * Running a program: options, the stack, the run context, the engine choice
 * (with lazy JIT compilation), and the run-context services helpers use.
 *
 * Stack: UEBPF_MAX_CALL_DEPTH frames of UEBPF_STACK_SIZE bytes in one
 * 16-byte aligned array on the caller's C stack; r10 starts at its top and
 * each local call moves it down one frame. Checked runs zero the array first:
 * an unverified program may read stack it never wrote, and must see zeros
 * rather than stale host data. Unchecked runs (verified programs, which never
 * read uninitialised stack) skip the 4 KiB clear, as the kernel does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "helpers/helpers_internal.h"
#include "interp/interp.h"
#include "jit/jit.h"
#include "prog/prog.h"
#include "uebpf/verifier.h"

#define RUN_STACK_BYTES (UEBPF_STACK_SIZE * UEBPF_MAX_CALL_DEPTH)

#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetof(typeof(*(opts)), field) + sizeof((opts)->field))
#define OPTS_GET(opts, field, fallback) (OPTS_HAS(opts, field) ? (opts)->field : (fallback))

void uebpf_run_ctx_exit(struct uebpf_run_ctx *rc, uint64_t retval)
{
	rc->exit_requested = true;
	rc->exit_value = retval;
}

void *uebpf_run_ctx_user(const struct uebpf_run_ctx *rc)
{
	return rc->user;
}

/* [lo, lo+len) holds all of [addr, addr+size), without any sum wrapping. */
static bool span_ok(uint64_t addr, uint32_t size, uintptr_t lo, size_t len)
{
	uint64_t rel = addr - lo;

	return rel < len && len - rel >= size;
}

static bool in_regions(const struct uebpf_region *regions, size_t nr, uint64_t addr,
		       uint32_t size, bool write)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if ((regions[i].writable || !write) &&
		    span_ok(addr, size, (uintptr_t)regions[i].addr, regions[i].len))
			return true;
	return false;
}

bool run_ctx_access_ok(const struct uebpf_run_ctx *rc, uint64_t addr,
		       uint32_t size, bool write)
{
	if (size == 0)
		return true;
	if (span_ok(addr, size, rc->stack_lo, rc->stack_hi - rc->stack_lo))
		return true;
	if ((rc->mem_writable || !write) &&
	    span_ok(addr, size, rc->mem_lo, rc->mem_hi - rc->mem_lo))
		return true;
	if (in_regions(rc->regions, rc->nr_regions, addr, size, write))
		return true;
	if (rc->prog &&
	    in_regions(rc->prog->static_regions, rc->prog->nr_static_regions, addr, size, write))
		return true;
	return in_regions(rc->grants, rc->nr_grants, addr, size, write);
}

int run_ctx_grant(struct uebpf_run_ctx *rc, void *addr, size_t len, bool writable)
{
	if (!rc || (!addr && len))
		return -EINVAL;
	if (rc->nr_grants == RUN_CTX_MAX_GRANTS)
		return -ENOSPC;
	rc->grants[rc->nr_grants].addr = addr;
	rc->grants[rc->nr_grants].len = len;
	rc->grants[rc->nr_grants].writable = writable;
	rc->nr_grants++;
	return 0;
}

/* ------------------------------------------------------------- options */

static int check_run_opts(const struct uebpf_run_opts *opts, struct uebpf_error *err)
{
	const unsigned char *bytes = (const unsigned char *)opts;
	size_t i;

	if (!opts)
		return 0;
	if (opts->sz < sizeof(opts->sz))
		return uebpf_err(err, -EINVAL,
				 "uebpf_prog_run: opts->sz is %zu; set it to sizeof(struct uebpf_run_opts)",
				 opts->sz);
	for (i = sizeof(*opts); i < opts->sz; i++)
		if (bytes[i])
			return uebpf_err(err, -EINVAL,
					 "uebpf_prog_run: opts has non-zero fields this library does "
					 "not know (byte %zu of %zu); upgrade the library", i, opts->sz);
	return 0;
}

/* ------------------------------------------------------------- the JIT */

/* The image for `checked`, compiled on first use; NULL when compiling
 * failed (now or on an earlier run), with the reason in `err`. */
static struct jit_image *get_jit(const struct uebpf_prog *cprog, bool checked,
				 struct uebpf_error *err)
{
	/* Programs are created mutable; const only promises callers that a run
	 * does not change what the program means. */
	struct uebpf_prog *prog = (struct uebpf_prog *)cprog;
	struct jit_image **slot = checked ? &prog->jit_checked : &prog->jit;
	struct jit_image *image = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	struct uebpf_error local;

	if (image)
		return image;

	pthread_mutex_lock(&prog->jit_lock);
	image = *slot;
	if (!image && !prog->jit_status[checked]) {
		uebpf_error_clear(&local);
		int ret = jit_compile(prog, checked, &image, &local);

		if (ret || !image) {
			prog->jit_status[checked] = ret ? ret : -EINVAL;
			prog->jit_errmsg[checked] = strdup(local.msg);
			image = NULL;
		} else {
			__atomic_store_n(slot, image, __ATOMIC_RELEASE);
			if (!checked)
				__atomic_store_n(&prog->jit_lean, jit_image_lean_entry(image),
						 __ATOMIC_RELEASE);
		}
	}
	if (!image)
		uebpf_err(err, prog->jit_status[checked], "program '%s': JIT compilation failed: %s",
			  prog->name, prog->jit_errmsg[checked] ? prog->jit_errmsg[checked] : "");
	pthread_mutex_unlock(&prog->jit_lock);
	return image;
}

/* ----------------------------------------------------------------- run */

/* Zeroes the run context except its arrays (RUN_CTX_CLEARED_SIZE), with
 * plain vector stores: gcc turns a memset (or a loop it recognises as one)
 * of this size into `rep stos`, whose start-up alone costs about 10 ns, a
 * third of a short run. The empty asm keeps the loop a loop. */
static inline void run_ctx_clear(struct uebpf_run_ctx *rc)
{
	typedef uint64_t chunk __attribute__((vector_size(16), aligned(8), may_alias));
	const size_t n = RUN_CTX_CLEARED_SIZE / sizeof(chunk);

	for (size_t i = 0; i < n; i++) {
		((chunk *)rc)[i] = (chunk){ 0 };
		__asm__("" : : "r"(rc) : "memory");
	}
	memset((char *)rc + n * sizeof(chunk), 0, RUN_CTX_CLEARED_SIZE % sizeof(chunk));
}

/* The image a run of `prog` uses, NULL for the interpreter. */
static int pick_engine(const struct uebpf_prog *prog, enum uebpf_engine engine, bool checked,
		       struct jit_image **image, struct uebpf_error *err)
{
	*image = NULL;
	if (engine == UEBPF_ENGINE_JIT ||
	    (engine == UEBPF_ENGINE_DEFAULT && prog->verified)) {
		struct uebpf_error jit_err;

		*image = get_jit(prog, checked, engine == UEBPF_ENGINE_JIT ? err : &jit_err);
		if (!*image && engine == UEBPF_ENGINE_JIT)
			return err ? err->code : -EOPNOTSUPP;
	}
	return 0;
}

static int run(const struct uebpf_prog *prog, const struct uebpf_run_opts *opts,
	       const struct prog_run_extra *extra, uint64_t *retval, struct uebpf_error *err)
{
	unsigned char stack[RUN_STACK_BYTES] __attribute__((aligned(16)));
	struct uebpf_run_ctx rc;
	void *mem = OPTS_GET(opts, mem, NULL);
	size_t mem_len = OPTS_GET(opts, mem_len, 0);
	const struct uebpf_region *regions = OPTS_GET(opts, regions, NULL);
	size_t nr_regions = OPTS_GET(opts, nr_regions, 0);
	uint64_t budget = OPTS_GET(opts, insn_budget, 0);
	enum uebpf_engine engine = OPTS_GET(opts, engine, UEBPF_ENGINE_DEFAULT);
	uint32_t flags = OPTS_GET(opts, flags, 0);
	bool checked = !(flags & UEBPF_RUN_UNCHECKED);
	struct jit_image *image = NULL;
	uint64_t r0 = 0, r1 = (uintptr_t)mem;
	int ret;

	if (!prog)
		return uebpf_err(err, -EINVAL, "uebpf_prog_run: prog is NULL");
	ret = check_run_opts(opts, err);
	if (ret)
		return ret;
	if (flags & ~(uint32_t)UEBPF_RUN_UNCHECKED)
		return uebpf_err(err, -EINVAL, "uebpf_prog_run: unknown flags 0x%x",
				 flags & ~(uint32_t)UEBPF_RUN_UNCHECKED);
	if (!checked && !prog->verified)
		return uebpf_err(err, -EPERM,
				 "program '%s' is not verified, so it may only run with runtime "
				 "checks: drop UEBPF_RUN_UNCHECKED, or have the verifier accept it first",
				 prog->name);
	/* A raw program is proven safe for one buffer size only: r2 is taken as
	 * that constant, so any other size would make its proofs meaningless. */
	if (!checked && prog->verified_prog_type == UEBPF_PROG_TYPE_RAW &&
	    mem_len != prog->verified_mem_size)
		return uebpf_err(err, -EPERM,
				 "program '%s' was verified for a %zu-byte input but is run on %zu "
				 "bytes without checks: pass exactly %zu bytes, verify it again for "
				 "this size, or drop UEBPF_RUN_UNCHECKED",
				 prog->name, prog->verified_mem_size, mem_len, prog->verified_mem_size);
	if (engine != UEBPF_ENGINE_DEFAULT && engine != UEBPF_ENGINE_INTERP &&
	    engine != UEBPF_ENGINE_JIT)
		return uebpf_err(err, -EINVAL, "uebpf_prog_run: unknown engine %d", (int)engine);
	if (!mem && mem_len)
		return uebpf_err(err, -EINVAL, "uebpf_prog_run: mem is NULL but mem_len is %zu",
				 mem_len);
	if (!regions && nr_regions)
		return uebpf_err(err, -EINVAL, "uebpf_prog_run: regions is NULL but nr_regions is %zu",
				 nr_regions);

	ret = pick_engine(prog, engine, checked, &image, err);
	if (ret)
		return ret;

	run_ctx_clear(&rc);
	rc.prog = prog;
	rc.user = OPTS_GET(opts, user, NULL);
	rc.env = OPTS_GET(opts, env, NULL);
	rc.stack_lo = (uintptr_t)stack;
	rc.stack_hi = (uintptr_t)stack + sizeof(stack);
	rc.mem_lo = (uintptr_t)mem;
	rc.mem_hi = (uintptr_t)mem + mem_len;
	rc.mem_writable = !OPTS_GET(opts, mem_readonly, false);
	rc.regions = regions;
	rc.nr_regions = nr_regions;
	rc.budget_left = rc.budget_total = budget ? budget : UEBPF_DEFAULT_INSN_BUDGET;
	rc.pkt_data = mem;
	rc.pkt_len = mem_len;
	rc.checked = checked;
	rc.err = err;
	if (extra) {
		if (extra->use_pkt || extra->pkt_data) {
			rc.pkt_data = extra->pkt_data;
			rc.pkt_len = extra->pkt_len;
		}
		rc.xdp = extra->xdp;
		rc.redirect = extra->redirect;
		rc.func_ip = extra->func_ip;
		rc.attach_cookie = extra->attach_cookie;
	}

	/* Each pass runs one program of a tail-call chain (bpf_tail_call
	 * stores the next one and asks the current one to exit). */
	for (;;) {
		if (checked)
			memset(stack, 0, sizeof(stack));
		rc.engine = image ? RUN_CTX_ENGINE_JIT : RUN_CTX_ENGINE_INTERP;
		rc.jit_image = image;
		if (image)
			ret = jit_run(image, &rc, r1, mem_len, &r0, err);
		else
			ret = interp_run(rc.prog, &rc, checked, r1, mem_len, &r0, err);
		if (!ret && rc.pending_error)
			ret = rc.pending_error;
		if (ret || !rc.tail_target)
			break;
		rc.prog = rc.tail_target;
		rc.tail_target = NULL;
		rc.exit_requested = false;
		rc.exit_value = 0;
		rc.cur_fp = 0;
		rc.nr_inner_maps = 0;
		r1 = rc.tail_ctx;
		ret = pick_engine(rc.prog, engine, checked, &image, err);
		if (ret)
			break;
	}
	helpers_run_end(&rc);
	if (ret)
		return ret;
	if (retval)
		*retval = r0;
	return 0;
}

/* A hook's hot loop runs a verified program unchecked, over and over: when
 * its machine code needs nothing from the host (a lean entry: no helper, no
 * local call, no packet load), the run context, the state and the 4 KiB
 * stack of run() are all unused, and the run is a plain call. Options this
 * path would have to judge (invalid ones, the interpreter, checked runs)
 * take run(), which has the messages. NULL when it does not apply. */
typedef uint64_t lean_entry_fn(uint64_t r1, uint64_t r2, uint64_t fp);

static inline __attribute__((always_inline)) lean_entry_fn *
lean_entry_for(const struct uebpf_prog *prog, const struct uebpf_run_opts *opts)
{
	lean_entry_fn *lean;

	if (!prog || !opts || opts->sz != sizeof(*opts) || opts->flags != UEBPF_RUN_UNCHECKED ||
	    (opts->engine != UEBPF_ENGINE_DEFAULT && opts->engine != UEBPF_ENGINE_JIT))
		return NULL;
	lean = __atomic_load_n(&prog->jit_lean, __ATOMIC_ACQUIRE);
	if (!lean || !prog->verified || (!opts->mem && opts->mem_len) ||
	    (!opts->regions && opts->nr_regions) ||
	    (prog->verified_prog_type == UEBPF_PROG_TYPE_RAW &&
	     opts->mem_len != prog->verified_mem_size))
		return NULL;
	return lean;
}

/* Out of line, so that uebpf_prog_run reaches it (and run()) by a jump,
 * without a frame of its own. Without local calls, code uses one frame. */
static JIT_CALLS_GENERATED_CODE __attribute__((noinline)) int run_lean(lean_entry_fn *lean,
					      const struct uebpf_run_opts *opts,
					      uint64_t *retval)
{
	unsigned char frame[UEBPF_STACK_SIZE] __attribute__((aligned(16)));
	uint64_t r0 = lean((uintptr_t)opts->mem, opts->mem_len, (uintptr_t)frame + sizeof(frame));

	if (retval)
		*retval = r0;
	return 0;
}

int uebpf_prog_run(const struct uebpf_prog *prog,
		   const struct uebpf_run_opts *opts, uint64_t *retval,
		   struct uebpf_error *err)
{
	lean_entry_fn *lean = lean_entry_for(prog, opts);

	if (lean)
		return run_lean(lean, opts, retval);
	return run(prog, opts, NULL, retval, err);
}

int prog_run_with_packet(const struct uebpf_prog *prog,
			 const struct uebpf_run_opts *opts,
			 const void *pkt_data, size_t pkt_len,
			 uint64_t *retval, struct uebpf_error *err)
{
	const struct prog_run_extra extra = {
		.use_pkt = true, .pkt_data = pkt_data, .pkt_len = pkt_len,
	};

	if (!pkt_data && pkt_len)
		return uebpf_err(err, -EINVAL, "prog_run_with_packet: pkt_data is NULL but pkt_len is %zu",
				 pkt_len);
	return run(prog, opts, &extra, retval, err);
}

int prog_run_ex(const struct uebpf_prog *prog, const struct uebpf_run_opts *opts,
		const struct prog_run_extra *extra, uint64_t *retval,
		struct uebpf_error *err)
{
	if (extra && !extra->pkt_data && extra->pkt_len)
		return uebpf_err(err, -EINVAL, "prog_run_ex: pkt_data is NULL but pkt_len is %zu",
				 extra->pkt_len);
	return run(prog, opts, extra, retval, err);
}

int prog_run_callback(const struct uebpf_prog *prog, uint64_t code_addr,
		      const uint64_t args[5], bool checked, bool jit, struct uebpf_env *env,
		      const struct uebpf_region *regions, size_t nr_regions,
		      uint64_t *retval, struct uebpf_error *err)
{
	unsigned char stack[RUN_STACK_BYTES] __attribute__((aligned(16)));
	struct uebpf_run_ctx rc;
	struct jit_image *image;
	struct uebpf_error jit_err;
	uint64_t r0 = 0;
	size_t idx;
	int ret;

	if (!prog)
		return uebpf_err(err, -EINVAL, "prog_run_callback: prog is NULL");
	if (!checked && !prog->verified)
		return uebpf_err(err, -EPERM, "program '%s' is not verified: callbacks must run checked",
				 prog->name);
	if (!prog_code_addr_index(prog, code_addr, &idx) || !interp_is_func_entry(prog, idx))
		return uebpf_err(err, -EINVAL, "program '%s': callback 0x%llx is not the code address "
				 "of a sub-program", prog->name, (unsigned long long)code_addr);
	run_ctx_clear(&rc);
	rc.prog = prog;
	rc.env = env;
	rc.stack_lo = (uintptr_t)stack;
	rc.stack_hi = (uintptr_t)stack + sizeof(stack);
	rc.regions = regions;
	rc.nr_regions = nr_regions;
	rc.budget_left = rc.budget_total = UEBPF_DEFAULT_INSN_BUDGET;
	rc.checked = checked;
	rc.err = err;
	if (checked)
		memset(stack, 0, sizeof(stack));
	image = jit ? get_jit(prog, checked, &jit_err) : NULL;
	if (image)   /* callbacks of callbacks follow it there (run_ctx_call) */
		ret = jit_call(image, &rc, idx, args, rc.stack_hi, UEBPF_MAX_CALL_DEPTH, &r0, err);
	else
		ret = interp_call(prog, &rc, checked, idx, args, rc.stack_hi, UEBPF_MAX_CALL_DEPTH,
				  &r0, err);
	if (!ret && rc.pending_error)
		ret = rc.pending_error;
	/* Callbacks may not tail call (the kernel's verifier refuses it):
	 * a request is dropped with the callback's end. */
	helpers_run_end(&rc);
	if (ret)
		return ret;
	if (retval)
		*retval = r0;
	return 0;
}

/* ------------------------------------------------------------ callbacks */

int run_ctx_fail(struct uebpf_run_ctx *rc, int code, const char *fmt, ...)
{
	char what[UEBPF_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!rc->pending_error) {
		rc->pending_error = code;
		uebpf_err(rc->err, code, "program '%s': %s",
			  rc->prog && rc->prog->name ? rc->prog->name : "", what);
	}
	uebpf_run_ctx_exit(rc, 0);
	return code;
}

int run_ctx_call(struct uebpf_run_ctx *rc, uint64_t code_addr, const uint64_t args[5],
		 uint64_t *ret)
{
	const struct uebpf_prog *prog = rc->prog;
	uint64_t fp = rc->cur_fp ? rc->cur_fp : rc->stack_hi;
	uint64_t saved_fp = rc->cur_fp;
	unsigned frame;
	size_t idx;
	int code;

	*ret = 0;
	if (rc->pending_error || rc->exit_requested)
		return rc->pending_error ? rc->pending_error : -ECANCELED;
	if (!prog_code_addr_index(prog, code_addr, &idx) || !interp_is_func_entry(prog, idx))
		return run_ctx_fail(rc, -EINVAL,
				    "callback 0x%llx is not the code address of a sub-program "
				    "(lddw src=4 of a function entry)", (unsigned long long)code_addr);
	if (fp < rc->stack_lo || fp > rc->stack_hi)
		return run_ctx_fail(rc, -EFAULT, "internal error: frame pointer 0x%llx outside the stack",
				    (unsigned long long)fp);
	frame = (unsigned)((rc->stack_hi - fp) / UEBPF_STACK_SIZE) + 1;
	if (frame >= UEBPF_MAX_CALL_DEPTH)
		return run_ctx_fail(rc, -E2BIG,
				    "callback needs a frame but all %d are in use (the entry frame "
				    "included): reduce the depth of local calls around the helper",
				    UEBPF_MAX_CALL_DEPTH);
	/* The callback runs in the engine that runs the caller, on the same
	 * rc (stack, regions, budget); both engines give the same results. */
	if (rc->engine == RUN_CTX_ENGINE_JIT && rc->jit_image)
		code = jit_call(rc->jit_image, rc, idx, args, fp - UEBPF_STACK_SIZE,
				UEBPF_MAX_CALL_DEPTH - frame, ret, rc->err);
	else
		code = interp_call(prog, rc, rc->checked, idx, args, fp - UEBPF_STACK_SIZE,
				   UEBPF_MAX_CALL_DEPTH - frame, ret, rc->err);
	rc->cur_fp = saved_fp;
	if (code) {
		if (!rc->pending_error)
			rc->pending_error = code;
		uebpf_run_ctx_exit(rc, 0);
	}
	return code;
}

int run_ctx_revoke(struct uebpf_run_ctx *rc, const void *addr)
{
	size_t i;

	for (i = rc->nr_grants; i-- > 0;) {
		if (rc->grants[i].addr != addr)
			continue;
		rc->grants[i] = rc->grants[--rc->nr_grants];
		return 0;
	}
	return -ENOENT;
}

/* ------------------------------------------------------------ preparing */

int prog_prepare_engine(const struct uebpf_prog *prog, enum uebpf_engine engine,
			bool checked, struct uebpf_error *err)
{
	struct jit_image *image;

	return pick_engine(prog, engine, checked, &image, err);
}
