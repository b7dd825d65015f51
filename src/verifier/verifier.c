/* SPDX-License-Identifier: MIT */
/*
 * The verifier's driver: sets up the first state from the program type,
 * walks every path instruction by instruction (calls and exits included)
 * and turns the outcome into a result object. See docs/verifier.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/error.h"
#include "prog/prog.h"
#include "uebpf/map.h"
#include "verifier/vstate.h"

struct uebpf_verify_result {
	bool accepted;
	uint32_t prog_type;
	struct uebpf_verify_refusal refusal;
	struct uebpf_verify_stats stats;
	char *insn_text, *source, *reg_state, *reason, *hint;
	char *log;
	char *message;
};

/* ------------------------------------------------------------ calls, exit */

static int enter_function(struct venv *env, const struct bpf_insn *insn, uint32_t idx,
			  uint32_t *next)
{
	struct vstate *st = env->cur;
	struct vframe *caller = st->frames[st->curframe], *f;
	uint32_t target = (uint32_t)((int64_t)idx + 1 + insn->imm);

	if (st->curframe + 1 >= V_MAX_FRAMES)
		return verr(env, 0, "flatten the call chain (mark small functions always_inline)",
			    "the call chain is deeper than %u frames", V_MAX_FRAMES);
	if (st->lock_held)
		return verr(env, 0, "call bpf_spin_unlock() first",
			    "function calls are not allowed while holding a spin lock");
	f = malloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	memset(f, 0, offsetof(struct vframe, stack));
	for (uint32_t r = 1; r <= 5; r++)
		f->regs[r] = caller->regs[r];
	vreg_mark_const(&f->regs[ISA_REG_FP], 0);
	f->regs[ISA_REG_FP].type = PTR_TO_STACK;
	f->regs[ISA_REG_FP].frameno = (uint8_t)(st->curframe + 1);
	f->callsite = (int32_t)idx;
	f->subprog = env->insn_subprog[target];
	st->frames[++st->curframe] = f;
	*next = target;
	return 0;
}

struct frame_arg {
	uint32_t curframe;
};

static void drop_dead_stack_ptr(struct vreg *reg, void *arg)
{
	struct frame_arg *a = arg;

	if (reg->type == PTR_TO_STACK && reg->frameno > a->curframe)
		vreg_mark_not_init(reg);
}

bool vret_range_applies(const struct venv *env)
{
	if (!env->desc->has_ret_range)
		return false;
	if (env->prog_type == BPF_PROG_TYPE_TRACING &&
	    (env->attach_type == BPF_TRACE_RAW_TP || env->attach_type == BPF_MODIFY_RETURN ||
	     env->attach_type == BPF_TRACE_ITER))
		return false;
	return true;
}

static int check_return(struct venv *env)
{
	const struct vreg *r0 = &cur_regs(env)[0];
	const struct progtype_desc *d = env->desc;
	char buf[160];

	if (vreg_is_pointer(r0)) {
		if (env->strict)
			return verr(env, 1, "return a number", "returning a pointer leaks an address (strict mode)");
		if (vret_range_applies(env))
			return verr(env, 1, NULL, "%s programs must return a number in [%lld, %lld], not %s",
				    d->name, (long long)d->ret_min, (long long)d->ret_max,
				    vreg_type_name(r0));
		return 0;
	}
	if (vret_range_applies(env) && (r0->smin < d->ret_min || r0->smax > d->ret_max)) {
		vreg_snprint(env, buf, sizeof(buf), r0);
		return verr(env, 1, d->ret_hint,
			    "r0 may be %s at exit, but %s programs must return a value in [%lld, %lld]",
			    buf, d->name, (long long)d->ret_min, (long long)d->ret_max);
	}
	return 0;
}

static int do_exit(struct venv *env, uint32_t *next)
{
	struct vstate *st = env->cur;
	struct vreg *regs = cur_regs(env);
	struct vframe *callee, *caller;
	struct frame_arg a;
	int ret;

	if (regs[0].type == REG_NOT_INIT)
		return verr(env, 1, st->curframe ? "set r0 to the function's result before exit" :
			    "set r0 to the program's return value before exit",
			    "%s exits without setting r0", st->curframe ? "the function" : "the program");
	if (st->lock_held)
		return verr(env, 0, "call bpf_spin_unlock() on every path before exit",
			    "exit while holding the spin lock taken at insn %u", st->lock_insn);
	if (cur_frame(env)->cb_helper)
		return vcallback_exit(env, next);
	if (!st->curframe) {
		ret = vcheck_refs_at_exit(env);
		if (ret)
			return ret;
		ret = check_return(env);
		if (ret)
			return ret;
		*next = UINT32_MAX;
		return 0;
	}
	if (regs[0].type == PTR_TO_STACK && regs[0].frameno == st->curframe)
		return verr(env, 1, "return data through a pointer the caller passes in",
			    "the function returns a pointer to its own stack, which is gone after the return");
	callee = st->frames[st->curframe];
	caller = st->frames[st->curframe - 1];
	caller->regs[0] = callee->regs[0];
	for (uint32_t r = 1; r <= 5; r++)
		vreg_mark_not_init(&caller->regs[r]);
	*next = (uint32_t)callee->callsite + 1;
	free(callee);
	st->frames[st->curframe] = NULL;
	st->curframe--;
	a.curframe = st->curframe;
	vfor_each_reg(st, drop_dead_stack_ptr, &a);
	return 0;
}

/* ---------------------------------------------------------------- walk */

static int do_check(struct venv *env)
{
	for (;;) {
		uint32_t idx = env->cur->insn_idx, next = idx + 1;
		const struct bpf_insn *insn = &env->insns[idx];
		int ret = 0;

		if (++env->stats.insns_processed > env->budget)
			return verr_at(env, -E2BIG, idx, 0,
				       "simplify the program: fewer branches, smaller loop bounds",
				       "the program is too complex to verify: %llu instructions were "
				       "processed without exhausting all paths",
				       (unsigned long long)env->budget);
		env->insn_flags[idx] |= INSN_SEEN;
		if (env->insn_flags[idx] & INSN_PRUNE_POINT) {
			ret = vis_state_visited(env, idx);
			if (ret < 0)
				return ret;
			if (ret == 1) {
				if (env->log_level >= UEBPF_VERIFY_LOG_FULL)
					vbuf_printf(&env->log, "%u: safe (a state already proven covers this one)\n", idx);
				next = UINT32_MAX;
				goto advance;
			}
		}
		env->cur->cb_revisit = 0;
		if (env->log_level >= UEBPF_VERIFY_LOG_FULL) {
			vlog_insn(env, idx);
			vlog_state(env, env->cur);
		}

		switch (isa_class(insn->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			ret = vcheck_alu(env, insn);
			break;
		case BPF_LDX:
			ret = vcheck_load(env, insn);
			break;
		case BPF_ST:
			ret = vcheck_store(env, insn);
			break;
		case BPF_STX:
			ret = isa_mode(insn->code) == BPF_ATOMIC ? vcheck_atomic(env, insn) :
								   vcheck_store(env, insn);
			break;
		case BPF_LD:
			if (isa_is_lddw(insn)) {
				ret = vcheck_lddw(env, insn);
				next = idx + 2;
			} else {
				ret = vcheck_ld_pkt(env, insn);
			}
			break;
		default:
			env->jmps_processed++;
			if (isa_is_ja(insn->code))
				next = (uint32_t)isa_branch_target(insn, idx);
			else if (isa_is_helper_call(insn))
				ret = vcheck_helper_call(env, insn, idx);
			else if (isa_is_local_call(insn))
				ret = enter_function(env, insn, idx, &next);
			else if (isa_is_exit(insn->code))
				ret = do_exit(env, &next);
			else if (isa_op(insn->code) == BPF_CALL)
				ret = verr(env, 0, NULL, "indirect calls (callx) cannot be verified");
			else
				ret = vcheck_cond_jmp(env, insn, idx, &next);
			break;
		}
		if (ret)
			return ret;
advance:
		if (next == UINT32_MAX) {
			if (!vpop_branch(env))
				return 0;
			if (env->log_level >= UEBPF_VERIFY_LOG_FULL)
				vbuf_printf(&env->log, "-- next path from insn %u\n", env->cur->insn_idx);
			continue;
		}
		env->cur->insn_idx = next;
	}
}

static int init_state(struct venv *env)
{
	struct vstate *st = vstate_new(env);
	struct vreg *regs;

	if (!st)
		return -ENOMEM;
	env->cur = st;
	st->frames[0]->callsite = -1;
	regs = st->frames[0]->regs;
	for (int r = 0; r < ISA_NR_REGS; r++)
		vreg_mark_not_init(&regs[r]);
	vreg_mark_const(&regs[ISA_REG_FP], 0);
	regs[ISA_REG_FP].type = PTR_TO_STACK;
	if (env->desc->ctx_model == CTX_MODEL_RAW_MEM) {
		/* Without a buffer the engines pass r1 = r2 = 0. */
		vreg_mark_const(&regs[1], 0);
		if (env->mem_size) {
			regs[1].type = PTR_TO_MEM;
			regs[1].aux = (uint32_t)env->mem_size;
		}
		vreg_mark_const(&regs[2], env->mem_size);
	} else {
		vreg_mark_const(&regs[1], 0);
		regs[1].type = PTR_TO_CTX;
	}
	return 0;
}

/* --------------------------------------------------------------- result */

static char *dupstr(const char *s)
{
	return strdup(s ? s : "");
}

static void json_str(struct vbuf *b, const char *s)
{
	vbuf_printf(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			vbuf_printf(b, "\\%c", c);
		else if (c == '\n')
			vbuf_printf(b, "\\n");
		else if (c == '\t')
			vbuf_printf(b, "\\t");
		else if (c < 0x20)
			vbuf_printf(b, "\\u%04x", c);
		else
			vbuf_printf(b, "%c", c);
	}
	vbuf_printf(b, "\"");
}

static char *human_message(const struct uebpf_verify_result *r)
{
	const struct uebpf_verify_refusal *f = &r->refusal;
	struct vbuf b = { 0 };

	if (r->accepted)
		return dupstr("accepted");
	if (f->insn_idx >= 0)
		vbuf_printf(&b, "refused at insn %ld: %s\n", f->insn_idx, f->insn_text);
	else
		vbuf_printf(&b, "refused:\n");
	if (f->source[0])
		vbuf_printf(&b, "  source: %s\n", f->source);
	if (f->reg_state[0])
		vbuf_printf(&b, "  state:  %s\n", f->reg_state);
	vbuf_printf(&b, "  why:    %s\n", f->reason);
	if (f->hint[0])
		vbuf_printf(&b, "  hint:   %s\n", f->hint);
	if (b.failed) {
		vbuf_free(&b);
		return NULL;
	}
	return b.data;
}

static struct uebpf_verify_result *make_result(struct venv *env, bool accepted)
{
	struct uebpf_verify_result *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->accepted = accepted;
	r->prog_type = env->prog_type;
	r->stats = env->stats;
	r->insn_text = dupstr(accepted ? "" : env->insn_text);
	r->source = dupstr(accepted ? "" : env->source);
	r->reg_state = dupstr(accepted ? "" : env->reg_state);
	r->reason = dupstr(accepted ? "" : env->reason);
	r->hint = dupstr(accepted ? "" : env->hint);
	r->log = dupstr(env->log.data);
	if (!r->insn_text || !r->source || !r->reg_state || !r->reason || !r->hint || !r->log) {
		uebpf_verify_result_destroy(r);
		return NULL;
	}
	r->refusal.code = accepted ? 0 : env->refusal_code;
	r->refusal.insn_idx = accepted ? -1 : env->refusal_insn;
	r->refusal.insn_text = r->insn_text;
	r->refusal.source = r->source;
	r->refusal.reg_state = r->reg_state;
	r->refusal.reason = r->reason;
	r->refusal.hint = r->hint;
	r->message = human_message(r);
	if (!r->message) {
		uebpf_verify_result_destroy(r);
		return NULL;
	}
	return r;
}

void uebpf_verify_result_destroy(struct uebpf_verify_result *r)
{
	if (!r)
		return;
	free(r->insn_text);
	free(r->source);
	free(r->reg_state);
	free(r->reason);
	free(r->hint);
	free(r->log);
	free(r->message);
	free(r);
}

bool uebpf_verify_result_accepted(const struct uebpf_verify_result *r)
{
	return r && r->accepted;
}

const struct uebpf_verify_refusal *uebpf_verify_result_refusal(const struct uebpf_verify_result *r)
{
	return r && !r->accepted ? &r->refusal : NULL;
}

const struct uebpf_verify_stats *uebpf_verify_result_stats(const struct uebpf_verify_result *r)
{
	return r ? &r->stats : NULL;
}

const char *uebpf_verify_result_log(const struct uebpf_verify_result *r)
{
	return r ? r->log : "";
}

const char *uebpf_verify_result_message(const struct uebpf_verify_result *r)
{
	return r ? r->message : "";
}

int uebpf_verify_result_json(const struct uebpf_verify_result *r, char **json,
			     struct uebpf_error *err)
{
	struct vbuf b = { 0 };
	const char *tn = uebpf_prog_type_name(r->prog_type);

	vbuf_printf(&b, "{\"accepted\":%s,\"prog_type\":", r->accepted ? "true" : "false");
	json_str(&b, tn ? tn : "unknown");
	if (!r->accepted) {
		const struct uebpf_verify_refusal *f = &r->refusal;

		vbuf_printf(&b, ",\"refusal\":{\"code\":%d,\"insn\":%ld,\"insn_text\":", f->code,
			    f->insn_idx);
		json_str(&b, f->insn_text);
		vbuf_printf(&b, ",\"source\":");
		json_str(&b, f->source);
		vbuf_printf(&b, ",\"reg_state\":");
		json_str(&b, f->reg_state);
		vbuf_printf(&b, ",\"reason\":");
		json_str(&b, f->reason);
		vbuf_printf(&b, ",\"hint\":");
		json_str(&b, f->hint);
		vbuf_printf(&b, "}");
	}
	vbuf_printf(&b, ",\"stats\":{\"insns_processed\":%llu,\"states_explored\":%llu,"
		    "\"states_pruned\":%llu,\"peak_states\":%llu,\"max_stack_depth\":%u,"
		    "\"time_ns\":%llu}",
		    (unsigned long long)r->stats.insns_processed,
		    (unsigned long long)r->stats.states_explored,
		    (unsigned long long)r->stats.states_pruned,
		    (unsigned long long)r->stats.peak_states, r->stats.max_stack_depth,
		    (unsigned long long)r->stats.time_ns);
	if (r->log[0]) {
		vbuf_printf(&b, ",\"log\":");
		json_str(&b, r->log);
	}
	vbuf_printf(&b, "}");
	if (b.failed) {
		vbuf_free(&b);
		return uebpf_err(err, -ENOMEM, "out of memory rendering the verifier result as JSON");
	}
	*json = b.data;
	return 0;
}

/* ---------------------------------------------------------------- entry */

/* The caller's maps, followed by the inner-map shapes of map-in-maps so a
 * lookup in the outer map can name its result by index. */
static int collect_maps(struct venv *env, const struct uebpf_verify_opts *o)
{
	size_t extra = 0, n = o->nr_maps;

	for (size_t i = 0; i < o->nr_maps; i++)
		extra += o->maps[i].inner_map != NULL;
	env->maps = o->maps;
	env->nr_maps = o->nr_maps;
	env->nr_user_maps = o->nr_maps;
	if (!extra)
		return 0;
	env->owned_maps = calloc(n + extra, sizeof(*env->owned_maps));
	env->inner_of = calloc(n + extra, sizeof(*env->inner_of));
	if (!env->owned_maps || !env->inner_of) {
		free(env->owned_maps);
		free(env->inner_of);
		return -ENOMEM;
	}
	memcpy(env->owned_maps, o->maps, n * sizeof(*o->maps));
	for (size_t i = 0; i < o->nr_maps; i++) {
		if (!o->maps[i].inner_map)
			continue;
		env->owned_maps[n] = *o->maps[i].inner_map;
		env->owned_maps[n].inner_map = NULL;
		env->inner_of[i] = (uint32_t)n + 1;
		n++;
	}
	env->maps = env->owned_maps;
	env->nr_maps = n;
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int verify(const struct bpf_insn *insns, size_t cnt, const struct uebpf_verify_opts *user,
		  const struct uebpf_helper_set *helpers, const char *name,
		  struct uebpf_verify_result **result, struct uebpf_error *err)
{
	struct uebpf_verify_opts o = { .sz = sizeof(o) };
	struct venv *env;
	struct uebpf_error verr_msg;
	uint64_t t0 = now_ns();
	int ret;

	if (result)
		*result = NULL;
	if (user) {
		if (user->sz < offsetof(struct uebpf_verify_opts, prog_type) + sizeof(user->prog_type))
			return uebpf_err(err, -EINVAL, "uebpf_verify_opts.sz is %zu; set it to sizeof(struct uebpf_verify_opts)",
					 user->sz);
		memcpy(&o, user, user->sz < sizeof(o) ? user->sz : sizeof(o));
		o.sz = sizeof(o);
	}
	if (!o.prog_type)
		o.prog_type = UEBPF_PROG_TYPE_RAW;
	if (o.nr_maps && !o.maps)
		return uebpf_err(err, -EINVAL, "uebpf_verify_opts: nr_maps is %zu but maps is NULL", o.nr_maps);

	env = calloc(1, sizeof(*env));
	if (!env)
		return uebpf_err(err, -ENOMEM, "out of memory starting the verifier");
	env->insns = insns;
	env->cnt = (uint32_t)cnt;
	env->prog_type = o.prog_type;
	env->attach_type = o.expected_attach_type;
	env->strict = o.strict;
	env->log_level = o.log_level;
	env->mem_size = o.mem_size;
	env->budget = o.insn_budget ? o.insn_budget : UEBPF_VERIFY_DEFAULT_BUDGET;
	env->helpers = helpers;
	ret = collect_maps(env, &o);
	if (ret) {
		free(env);
		return uebpf_err(err, ret, "out of memory starting the verifier");
	}
	env->lines = o.lines;
	env->nr_lines = o.nr_lines;
	env->desc = progtype_find(o.prog_type);
	env->refusal_insn = -1;

	uebpf_error_clear(&verr_msg);
	if (!env->desc) {
		ret = verr_at(env, -EINVAL, -1, 0, "use one of: raw, socket_filter, sched_cls, sched_act, "
			      "xdp, kprobe, tracepoint, raw_tracepoint, perf_event, tracing",
			      "program type %u is not supported by uebpf", o.prog_type);
		goto done;
	}
	if (env->desc->ctx_model == CTX_MODEL_RAW_MEM && o.mem_size > UINT32_MAX) {
		ret = verr_at(env, -EINVAL, -1, 0, NULL, "mem_size %zu is too large", o.mem_size);
		goto done;
	}
	if (isa_validate_prog(insns, cnt, &verr_msg)) {
		ret = verr_at(env, verr_msg.code, -1, 0, NULL, "%s", verr_msg.msg);
		goto done;
	}
	env->insn_subprog = calloc(cnt, sizeof(*env->insn_subprog));
	env->insn_flags = calloc(cnt, sizeof(*env->insn_flags));
	env->live_in = calloc(cnt, sizeof(*env->live_in));
	env->relevant_in = calloc(cnt, sizeof(*env->relevant_in));
	env->explored = calloc(cnt, sizeof(*env->explored));
	if (!env->insn_subprog || !env->insn_flags || !env->live_in || !env->relevant_in ||
	    !env->explored) {
		ret = -ENOMEM;
		goto done;
	}
	ret = vcheck_cfg(env);
	if (ret)
		goto done;
	vcompute_liveness(env);
	env->prune_by_relevance = true;
	for (size_t i = 0; i < cnt; i++)
		if (env->insn_flags[i] & INSN_CALLBACK_CALL)
			env->prune_by_relevance = false;
	env->relevance_stale = true;
	ret = init_state(env);
	if (ret)
		goto done;
	ret = do_check(env);
	if (!ret)
		ret = vcheck_stack_depth(env);
done:
	vfree_all_states(env);
	env->stats.time_ns = now_ns() - t0;
	if (ret == -ENOMEM && !env->refused) {
		uebpf_err(err, -ENOMEM, "out of memory while verifying%s%s", name ? " " : "", name ? name : "");
	} else {
		if (env->log_level >= UEBPF_VERIFY_LOG_BRIEF)
			vbuf_printf(&env->log, "%s: %llu insns processed, %llu states stored, %llu pruned, "
				    "stack %u bytes, %llu us\n", ret ? "refused" : "accepted",
				    (unsigned long long)env->stats.insns_processed,
				    (unsigned long long)env->stats.states_explored,
				    (unsigned long long)env->stats.states_pruned,
				    env->stats.max_stack_depth,
				    (unsigned long long)(env->stats.time_ns / 1000));
		if (ret) {
			ret = env->refusal_code ? env->refusal_code : ret;
			if (env->refusal_insn >= 0)
				uebpf_err(err, ret, "%s%sinsn %ld (%s): %s%s%s%s%s", name ? name : "",
					  name ? ": " : "", env->refusal_insn, env->insn_text, env->reason,
					  env->reg_state[0] ? " [" : "", env->reg_state,
					  env->reg_state[0] ? "]" : "",
					  env->hint[0] ? "" : "");
			else
				uebpf_err(err, ret, "%s%s%s", name ? name : "", name ? ": " : "", env->reason);
			if (env->hint[0] && err) {
				size_t n = strlen(err->msg);

				snprintf(err->msg + n, sizeof(err->msg) - n, "; hint: %s", env->hint);
			}
		}
		if (result) {
			*result = make_result(env, ret == 0);
			if (!*result)
				ret = uebpf_err(err, -ENOMEM, "out of memory building the verifier result");
		}
	}
	vbuf_free(&env->log);
	free(env->insn_subprog);
	free(env->insn_flags);
	free(env->live_in);
	free(env->relevant_in);
	free(env->explored);
	free(env->subprogs);
	free(env->cb_edges);
	free(env->owned_maps);
	free(env->inner_of);
	free(env);
	return ret;
}

int uebpf_verify_insns(const struct bpf_insn *insns, size_t insn_cnt,
		       const struct uebpf_verify_opts *opts,
		       struct uebpf_verify_result **result, struct uebpf_error *err)
{
	return verify(insns, insn_cnt, opts, NULL, NULL, result, err);
}

int uebpf_prog_verify(struct uebpf_prog *prog, const struct uebpf_verify_opts *opts,
		      struct uebpf_verify_result **result, struct uebpf_error *err)
{
	struct uebpf_verify_opts o = { .sz = sizeof(o) };
	struct uebpf_verify_map *maps = NULL;
	int ret;

	if (!prog)
		return uebpf_err(err, -EINVAL, "uebpf_prog_verify: prog is NULL");
	if (opts) {
		if (opts->sz < offsetof(struct uebpf_verify_opts, prog_type) + sizeof(opts->prog_type))
			return uebpf_err(err, -EINVAL, "uebpf_verify_opts.sz is %zu; set it to sizeof(struct uebpf_verify_opts)",
					 opts->sz);
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
		o.sz = sizeof(o);
	}
	if (!o.nr_maps && prog->nr_maps) {
		/* the program's own map table (uebpf_prog_opts.maps) */
		maps = calloc(prog->nr_maps, sizeof(*maps));
		if (!maps)
			return uebpf_err(err, -ENOMEM, "out of memory starting the verifier");
		for (size_t i = 0; i < prog->nr_maps; i++) {
			const struct uebpf_map *m = prog->maps[i];

			maps[i].name = uebpf_map_name(m);
			maps[i].type = uebpf_map_type(m);
			maps[i].key_size = uebpf_map_key_size(m);
			maps[i].value_size = uebpf_map_value_size(m);
			maps[i].max_entries = uebpf_map_max_entries(m);
			maps[i].map_flags = uebpf_map_flags(m);
		}
		o.maps = maps;
		o.nr_maps = prog->nr_maps;
	}
	ret = verify(prog->insns, prog->insn_cnt, &o, prog->helpers, prog->name, result, err);
	free(maps);
	if (!ret) {
		prog->verified_prog_type = o.prog_type ? o.prog_type : UEBPF_PROG_TYPE_RAW;
		prog->verified_mem_size = o.mem_size;
		prog->verified = true;
	}
	return ret;
}

const char *uebpf_prog_type_name(uint32_t prog_type)
{
	const struct progtype_desc *d = progtype_find(prog_type);

	return d ? d->name : NULL;
}

uint32_t uebpf_prog_type_from_name(const char *name)
{
	const struct progtype_desc *d = progtype_find_name(name);

	return d ? d->type : 0;
}
