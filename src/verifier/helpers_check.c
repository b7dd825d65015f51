/* SPDX-License-Identifier: MIT */
/*
 * Helper calls: each argument against the helper's prototype, the map
 * behind map arguments, the return value, references taken and released,
 * spin locks, and which helpers a program type may call at all.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>

#include "helpers/protos.h"
#include "verifier/vstate.h"

const struct uebpf_helper_proto *vhelper_proto(const struct venv *env, uint32_t id,
					       uint32_t *flags)
{
	const struct helper_linux_proto *lp = helper_linux_proto(id);
	const struct uebpf_helper_proto *p = env->helpers ? uebpf_helper_set_find(env->helpers, id) : NULL;

	*flags = lp ? lp->flags : 0;
	if (p)
		return p;
	return lp ? &lp->proto : NULL;
}

struct call_meta {
	uint32_t helper_id;
	int32_t map;               /* map index from a CONST_MAP_PTR argument, -1: none */
	uint32_t map_regno;
	uint64_t alloc_size;
	uint32_t release_id;
	uint32_t lock_regno;
};

static const char *helper_name(const struct uebpf_helper_proto *p, char *buf, size_t len)
{
	if (p && p->name)
		return p->name;
	snprintf(buf, len, "helper");
	return buf;
}

/* Which helpers a map type works with, and the other way round
 * (the kernel's check_map_func_compatibility, in short). */
static int check_map_compat(struct venv *env, uint32_t helper_id, const char *hname,
			    const struct call_meta *meta)
{
	const struct uebpf_verify_map *map;
	uint32_t t;
	bool ok = true;
	char name[80];

	if (meta->map < 0)
		return 0;
	map = &env->maps[meta->map];
	t = map->type;
	switch (t) {
	case BPF_MAP_TYPE_RINGBUF:
		ok = helper_id == BPF_FUNC_ringbuf_output || helper_id == BPF_FUNC_ringbuf_reserve ||
		     helper_id == BPF_FUNC_ringbuf_query;
		break;
	case BPF_MAP_TYPE_PROG_ARRAY:
		ok = helper_id == BPF_FUNC_tail_call;
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		ok = helper_id == BPF_FUNC_perf_event_read || helper_id == BPF_FUNC_perf_event_output ||
		     helper_id == BPF_FUNC_perf_event_read_value;
		break;
	case BPF_MAP_TYPE_STACK_TRACE:
		ok = helper_id == BPF_FUNC_get_stackid;
		break;
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
		/* Programs only read devmaps (the kernel makes them BPF_F_RDONLY_PROG). */
		ok = helper_id == BPF_FUNC_redirect_map || helper_id == BPF_FUNC_map_lookup_elem;
		break;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		ok = helper_id == BPF_FUNC_map_push_elem || helper_id == BPF_FUNC_map_pop_elem ||
		     helper_id == BPF_FUNC_map_peek_elem;
		break;
	default:
		break;
	}
	if (ok) {
		switch (helper_id) {
		case BPF_FUNC_ringbuf_output: case BPF_FUNC_ringbuf_reserve: case BPF_FUNC_ringbuf_query:
			ok = t == BPF_MAP_TYPE_RINGBUF;
			break;
		case BPF_FUNC_tail_call:
			ok = t == BPF_MAP_TYPE_PROG_ARRAY;
			break;
		case BPF_FUNC_perf_event_read: case BPF_FUNC_perf_event_output:
		case BPF_FUNC_perf_event_read_value:
			ok = t == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
			break;
		case BPF_FUNC_get_stackid:
			ok = t == BPF_MAP_TYPE_STACK_TRACE;
			break;
		case BPF_FUNC_map_push_elem: case BPF_FUNC_map_pop_elem: case BPF_FUNC_map_peek_elem:
			ok = t == BPF_MAP_TYPE_QUEUE || t == BPF_MAP_TYPE_STACK ||
			     (t == BPF_MAP_TYPE_BLOOM_FILTER && helper_id != BPF_FUNC_map_pop_elem);
			break;
		case BPF_FUNC_redirect_map:
			ok = t == BPF_MAP_TYPE_DEVMAP || t == BPF_MAP_TYPE_DEVMAP_HASH ||
			     t == BPF_MAP_TYPE_CPUMAP || t == BPF_MAP_TYPE_XSKMAP;
			break;
		case BPF_FUNC_map_lookup_percpu_elem:
			ok = t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH ||
			     t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
			break;
		case BPF_FUNC_for_each_map_elem:
			/* the map types with a for_each operation */
			ok = t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_LRU_HASH ||
			     t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
			     t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY;
			break;
		default:
			break;
		}
	}
	if (!ok)
		return verr(env, 1u << meta->map_regno, NULL,
			    "%s cannot be used with map %s of type %u", hname,
			    vmap_name(env, (uint32_t)meta->map, name, sizeof(name)), t);
	return 0;
}

static int check_size_arg(struct venv *env, uint32_t regno, enum uebpf_arg_kind kind,
			  const char *hname)
{
	const struct vreg *r = &cur_regs(env)[regno];
	uint32_t mask = 1u << regno;

	if (r->type != REG_SCALAR)
		return verr(env, mask, NULL, "%s: r%u must be a size (a number), not %s", hname,
			    regno, vreg_type_name(r));
	if (r->smin < 0)
		return verr(env, mask, "use an unsigned size or 'if (n < 0) return' before the call",
			    "%s: the size in r%u may be negative", hname, regno);
	if (r->umin == 0 && kind == UEBPF_ARG_CONST_SIZE)
		return verr(env, mask, "check 'if (n == 0) return' or pass at least 1",
			    "%s: the size in r%u may be zero, which this helper does not accept",
			    hname, regno);
	if (r->umax >= V_MAX_VAR_SIZE)
		return verr(env, mask, "bound it: 'n &= 0xff' or 'if (n > sizeof(buf)) return'",
			    "%s: the size in r%u is unbounded", hname, regno);
	return 0;
}

static int check_arg(struct venv *env, const struct uebpf_helper_proto *proto, uint32_t flags,
		     int argi, struct call_meta *meta, const char *hname, uint32_t insn_idx,
		     bool *skip_next)
{
	uint32_t regno = (uint32_t)argi + 1, mask = 1u << regno;
	struct vreg *reg = &cur_regs(env)[regno];
	enum uebpf_arg_kind kind = proto->args[argi];
	char name[80];
	int ret;

	(void)insn_idx;
	if (kind == UEBPF_ARG_NONE)
		return 0;
	if (reg->type == REG_NOT_INIT)
		return verr(env, mask, regno <= 5 ? "set the argument registers r1-r5 before the call" : NULL,
			    "%s: argument %d (r%u) was never given a value", hname, argi + 1, regno);
	if (vcallback_find(meta->helper_id) && vcallback_find(meta->helper_id)->ctx_regno == regno)
		return vcheck_callback_ctx_arg(env, regno, hname);

	switch (kind) {
	case UEBPF_ARG_ANYTHING:
		if (env->strict && vreg_is_pointer(reg))
			return verr(env, mask, NULL,
				    "%s: passing a pointer as a plain number in r%u leaks an address (strict mode)",
				    hname, regno);
		return 0;
	case UEBPF_ARG_SCALAR:
		if (reg->type != REG_SCALAR)
			return verr(env, mask, NULL, "%s: r%u must be a number, not %s", hname, regno,
				    vreg_type_name(reg));
		return 0;
	case UEBPF_ARG_CONST_MAP_PTR:
		if (reg->type != CONST_PTR_TO_MAP)
			return verr(env, mask, "load the map with lddw (r1 = map ll)",
				    "%s: r%u must be a map pointer, not %s", hname, regno, vreg_type_name(reg));
		if (reg->flags & REG_MAYBE_NULL)
			return verr(env, mask, "check the inner map against 0 first",
				    "%s: the map pointer in r%u may be NULL", hname, regno);
		meta->map = (int32_t)reg->aux;
		meta->map_regno = regno;
		return check_map_compat(env, meta->helper_id, hname, meta);
	case UEBPF_ARG_PTR_TO_MAP_KEY:
	case UEBPF_ARG_PTR_TO_MAP_VALUE: {
		bool key = kind == UEBPF_ARG_PTR_TO_MAP_KEY;
		const struct uebpf_verify_map *map;

		if (meta->map < 0)
			return verr(env, mask, NULL, "%s: the map argument must come before the %s",
				    hname, key ? "key" : "value");
		map = &env->maps[meta->map];
		if ((key ? map->key_size : map->value_size) == 0)
			return verr(env, mask, NULL, "%s: map %s has no %s", hname,
				    vmap_name(env, (uint32_t)meta->map, name, sizeof(name)),
				    key ? "keys" : "values");
		snprintf(name, sizeof(name), "the map %s (%u bytes)", key ? "key" : "value",
			 key ? map->key_size : map->value_size);
		return vcheck_helper_mem(env, regno, reg, key ? map->key_size : map->value_size,
					 !key && (flags & HELPER_VALUE_IS_OUTPUT), name);
	}
	case UEBPF_ARG_PTR_TO_MEM:
	case UEBPF_ARG_PTR_TO_UNINIT_MEM: {
		enum uebpf_arg_kind next = argi < 4 ? proto->args[argi + 1] : UEBPF_ARG_NONE;
		const struct vreg *size;

		if (next != UEBPF_ARG_CONST_SIZE && next != UEBPF_ARG_CONST_SIZE_OR_ZERO)
			return verr(env, 0, NULL, "%s: malformed prototype, a memory argument needs a size after it",
				    hname);
		*skip_next = true;
		ret = check_size_arg(env, regno + 1, next, hname);
		if (ret)
			return ret;
		size = &cur_regs(env)[regno + 1];
		if ((flags & HELPER_MEM_MAYBE_NULL) && reg->type == REG_SCALAR &&
		    tnum_equals_const(reg->var_off, 0)) {
			if (size->umax != 0)
				return verr(env, mask | 1u << (regno + 1), NULL,
					    "%s: a NULL buffer in r%u needs a size of 0", hname, regno);
			return 0;
		}
		if (size->umax == 0 && vreg_is_pointer(reg))
			return 0;
		snprintf(name, sizeof(name), "%s: the buffer in r%u", hname, regno);
		return vcheck_helper_mem(env, regno, reg, size->umax,
					 kind == UEBPF_ARG_PTR_TO_UNINIT_MEM, name);
	}
	case UEBPF_ARG_CONST_SIZE:
	case UEBPF_ARG_CONST_SIZE_OR_ZERO:
		return check_size_arg(env, regno, kind, hname);
	case UEBPF_ARG_PTR_TO_CTX:
		if (reg->type != PTR_TO_CTX)
			return verr(env, mask, "pass the program's context (r1 at entry)",
				    "%s: r%u must be the context pointer, not %s", hname, regno,
				    vreg_type_name(reg));
		if (reg->off || !tnum_equals_const(reg->var_off, 0))
			return verr(env, mask, NULL, "%s: r%u must point to the start of the context",
				    hname, regno);
		return 0;
	case UEBPF_ARG_PTR_TO_LONG:
		snprintf(name, sizeof(name), "%s: the 8-byte result in r%u", hname, regno);
		return vcheck_helper_mem(env, regno, reg, 8, true, name);
	case UEBPF_ARG_PTR_TO_STACK:
		if (reg->type != PTR_TO_STACK)
			return verr(env, mask, NULL, "%s: r%u must point to the stack, not %s", hname,
				    regno, vreg_type_name(reg));
		return 0;
	case UEBPF_ARG_PTR_TO_CONST_STR:
		if (reg->type != PTR_TO_MAP_VALUE || reg->flags ||
		    !(env->maps[reg->aux].map_flags & BPF_F_RDONLY_PROG) ||
		    !tnum_is_const(reg->var_off) || reg->off < 0 ||
		    (uint32_t)reg->off >= env->maps[reg->aux].value_size)
			return verr(env, mask, "put the string in a read-only global (const char fmt[] = ...)",
				    "%s: r%u must point to a constant string in a read-only map value",
				    hname, regno);
		return 0;
	case UEBPF_ARG_PTR_TO_RINGBUF_MEM:
		if (reg->type != PTR_TO_MEM || !(reg->flags & REG_RINGBUF))
			return verr(env, mask, "pass the pointer bpf_ringbuf_reserve() returned",
				    "%s: r%u must be a ring buffer reservation, not %s", hname, regno,
				    vreg_type_name(reg));
		if (reg->flags & REG_MAYBE_NULL)
			return verr(env, mask, "check the reservation against 0 first",
				    "%s: the reservation in r%u may be NULL", hname, regno);
		if (reg->off || !tnum_equals_const(reg->var_off, 0))
			return verr(env, mask, "pass the pointer exactly as reserved",
				    "%s: r%u points %d bytes into the reservation; it must point to its start",
				    hname, regno, reg->off);
		if (!reg->ref_obj_id || !vref_held(env, reg->ref_obj_id))
			return verr(env, mask, NULL, "%s: the reservation in r%u was already released",
				    hname, regno);
		meta->release_id = reg->ref_obj_id;
		return 0;
	case UEBPF_ARG_PTR_TO_SPIN_LOCK:
	case UEBPF_ARG_PTR_TO_TIMER:
		if (reg->type != PTR_TO_MAP_VALUE || (reg->flags & REG_MAYBE_NULL))
			return verr(env, mask, "pass &value->lock of a looked-up, null-checked map value",
				    "%s: r%u must point into a map value, not %s", hname, regno,
				    vreg_type_name(reg));
		if (!tnum_is_const(reg->var_off) || reg->off < 0 || reg->off % 4 ||
		    (uint64_t)reg->off + (kind == UEBPF_ARG_PTR_TO_SPIN_LOCK ? 4 : 16) >
			    env->maps[reg->aux].value_size)
			return verr(env, mask, NULL, "%s: r%u must point to an aligned %s inside the map value",
				    hname, regno, kind == UEBPF_ARG_PTR_TO_SPIN_LOCK ? "struct bpf_spin_lock" :
				    "struct bpf_timer");
		meta->lock_regno = regno;
		return 0;
	case UEBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO:
		if (!vreg_is_const(reg))
			return verr(env, mask, "reserve a size known when the program is verified",
				    "%s: the size in r%u must be a constant", hname, regno);
		meta->alloc_size = reg->var_off.value;
		if (meta->alloc_size >= V_MAX_VAR_SIZE)
			return verr(env, mask, NULL, "%s: size %llu is too large", hname,
				    (unsigned long long)meta->alloc_size);
		return 0;
	case UEBPF_ARG_PTR_TO_FUNC:
		return vcheck_callback_fn_arg(env, vcallback_find(meta->helper_id), regno, hname);
	default:
		return verr(env, mask, NULL, "%s: unknown argument kind %d", hname, kind);
	}
}

static int spin_lock_op(struct venv *env, uint32_t id, uint32_t insn_idx, uint32_t regno)
{
	struct vstate *st = env->cur;
	const struct vreg *reg = &cur_regs(env)[regno];

	if (id == BPF_FUNC_spin_lock) {
		if (st->lock_held)
			return verr(env, 0, "release the first lock before taking another",
				    "bpf_spin_lock while the lock taken at insn %u is still held",
				    st->lock_insn);
		st->lock_held = true;
		st->lock_map = reg->aux;
		st->lock_id = reg->id;
		st->lock_off = reg->off;
		st->lock_insn = insn_idx;
		return 0;
	}
	if (!st->lock_held)
		return verr(env, 0, NULL, "bpf_spin_unlock without a held lock");
	if (st->lock_map != reg->aux || st->lock_id != reg->id || st->lock_off != reg->off)
		return verr(env, 1u << regno, NULL,
			    "bpf_spin_unlock of a different lock than the one taken at insn %u",
			    st->lock_insn);
	st->lock_held = false;
	return 0;
}

int vcheck_helper_call(struct venv *env, const struct bpf_insn *insn, uint32_t idx)
{
	uint32_t id = (uint32_t)insn->imm, flags;
	const struct uebpf_helper_proto *proto = vhelper_proto(env, id, &flags);
	struct call_meta meta = { .helper_id = id, .map = -1 };
	struct vreg *regs = cur_regs(env);
	char nbuf[32];
	const char *hname;
	const struct vcallback_desc *cb;
	bool from_set = env->helpers && uebpf_helper_set_find(env->helpers, id);
	int ret;

	if (!proto)
		return verr(env, 0, "add the helper to the program's helper set",
			    "call to unknown helper %u", id);
	hname = helper_name(proto, nbuf, sizeof(nbuf));
	if (!(env->desc->ctx_model == CTX_MODEL_RAW_MEM && from_set) &&
	    !progtype_helper_allowed(env->desc, id) && !(from_set && !helper_linux_proto(id)))
		return verr(env, 0, NULL, "%s (helper %u) cannot be called from %s programs",
			    hname, id, env->desc->name);
	cb = vcallback_find(id);
	if ((flags & HELPER_TAKES_CALLBACK) && !cb)
		return verr(env, 0, "write the loop as a bounded loop instead",
			    "%s takes a callback, which the uebpf verifier does not support", hname);
	if (id == BPF_FUNC_tail_call && vcallback_frame(env))
		return verr(env, 0, "make the tail call from the program itself, after the helper returns",
			    "bpf_tail_call cannot be called from a callback");
	if (env->cur->lock_held && id != BPF_FUNC_spin_unlock)
		return verr(env, 0, "call bpf_spin_unlock() first",
			    "%s is called while holding a spin lock; only bpf_spin_unlock is allowed",
			    hname);

	for (int i = 0; i < 5; i++) {
		bool skip = false;

		ret = check_arg(env, proto, flags, i, &meta, hname, idx, &skip);
		if (ret)
			return ret;
		if (skip)
			i++;
	}

	if (id == BPF_FUNC_spin_lock || id == BPF_FUNC_spin_unlock) {
		ret = spin_lock_op(env, id, idx, meta.lock_regno);
		if (ret)
			return ret;
	}
	if (id == BPF_FUNC_tail_call && env->cur->nrefs)
		return verr(env, 0, "release references before bpf_tail_call",
			    "bpf_tail_call would leak the reference taken at insn %u",
			    env->cur->refs[0].insn_idx);
	if (meta.release_id) {
		ret = vcheck_callback_release(env, meta.release_id, hname);
		if (ret)
			return ret;
		vref_release(env, meta.release_id);
	}
	if (flags & HELPER_CHANGES_PKT_DATA)
		vclear_packet_pointers(env);
	if (cb) {
		ret = vpush_callback(env, cb, idx, hname);
		if (ret)
			return ret;
	}

	for (int r = 1; r <= 5; r++)
		vreg_mark_not_init(&regs[r]);
	switch (proto->ret) {
	case UEBPF_RET_VOID:
		vreg_mark_not_init(&regs[0]);
		break;
	case UEBPF_RET_PTR_TO_MAP_VALUE_OR_NULL:
		if (meta.map < 0)
			return verr(env, 0, NULL, "%s returns a map value but takes no map", hname);
		vreg_mark_const(&regs[0], 0);
		regs[0].type = PTR_TO_MAP_VALUE;
		regs[0].flags = REG_MAYBE_NULL;
		regs[0].aux = (uint32_t)meta.map;
		regs[0].id = vnew_id(env);
		if ((env->maps[meta.map].type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		     env->maps[meta.map].type == BPF_MAP_TYPE_HASH_OF_MAPS) &&
		    !(env->inner_of && env->inner_of[meta.map]))
			return verr(env, 0, "describe the inner maps (uebpf_verify_map.inner_map)",
				    "%s on a map of maps whose inner map shape is unknown", hname);
		if (env->inner_of && env->inner_of[meta.map]) {
			/* a map-in-map lookup yields the inner map */
			regs[0].type = CONST_PTR_TO_MAP;
			regs[0].aux = env->inner_of[meta.map] - 1;
		}
		break;
	case UEBPF_RET_PTR_TO_MEM_OR_NULL: {
		uint32_t ref;

		ret = vref_acquire(env, idx, &ref);
		if (ret)
			return ret;
		vreg_mark_const(&regs[0], 0);
		regs[0].type = PTR_TO_MEM;
		regs[0].flags = REG_MAYBE_NULL | REG_RINGBUF;
		regs[0].aux = (uint32_t)meta.alloc_size;
		regs[0].id = ref;
		regs[0].ref_obj_id = ref;
		break;
	}
	default:
		vreg_mark_unknown(&regs[0]);
		break;
	}
	return 0;
}
