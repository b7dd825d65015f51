/* SPDX-License-Identifier: MIT */
/* Linking one program, as libbpf's bpf_object__relocate does: start from the
 * program's function, append every function it calls or takes the address
 * of (once, recursively), point calls and code addresses at the copies and
 * turn map and global-data references into map indexes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "loader/loader.h"

#ifndef R_BPF_64_64
#define R_BPF_64_64 1
#endif
#ifndef R_BPF_64_32
#define R_BPF_64_32 10
#endif
#ifndef BPF_PSEUDO_MAP_IDX
#define BPF_PSEUDO_MAP_IDX 5
#endif

struct placed_func {
	const struct obj_func *func;
	size_t new_start;
};

struct linker {
	struct uebpf_object *obj;
	struct uebpf_object_prog *prog;
	struct bpf_insn *insns;
	struct obj_insn_origin *origin;
	size_t cnt, cap;
	struct placed_func *placed;
	size_t nr_placed;
	struct uebpf_error *err;
};

/* Every message names the object, program, section and instruction as
 * llvm-objdump numbers it. */
static int link_err(const struct linker *l, size_t i, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int link_err(const struct linker *l, size_t i, int code, const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return uebpf_err(l->err, code, "%s: program '%s': section '%s' insn %u (offset %#x): %s",
			 l->obj->name, l->prog->name, obj_sec_name(l->obj, l->origin[i].shndx),
			 l->origin[i].idx, l->origin[i].idx * LOADER_INSN_SZ, what);
}

/* Appends `func` unless already there; returns its first linked index. */
static int place(struct linker *l, const struct obj_func *func, size_t *new_start)
{
	const struct obj_section *sec = &l->obj->secs[func->shndx];
	struct placed_func *pl;
	size_t k;

	for (k = 0; k < l->nr_placed; k++) {
		if (l->placed[k].func == func) {
			*new_start = l->placed[k].new_start;
			return 0;
		}
	}
	if (l->cnt + func->cnt > (1u << 20))
		return uebpf_err(l->err, -E2BIG, "%s: program '%s' exceeds 1M instructions with "
				 "its sub-programs", l->obj->name, l->prog->name);
	if (l->cnt + func->cnt > l->cap) {
		size_t cap = (l->cnt + func->cnt) * 2;
		struct bpf_insn *insns = realloc(l->insns, cap * sizeof(*insns));
		struct obj_insn_origin *origin;

		if (!insns)
			return uebpf_err(l->err, -ENOMEM, "%s: out of memory", l->obj->name);
		l->insns = insns;
		origin = realloc(l->origin, cap * sizeof(*origin));
		if (!origin)
			return uebpf_err(l->err, -ENOMEM, "%s: out of memory", l->obj->name);
		l->origin = origin;
		l->cap = cap;
	}
	pl = realloc(l->placed, (l->nr_placed + 1) * sizeof(*pl));
	if (!pl)
		return uebpf_err(l->err, -ENOMEM, "%s: out of memory", l->obj->name);
	l->placed = pl;
	pl[l->nr_placed++] = (struct placed_func){ func, l->cnt };
	memcpy(l->insns + l->cnt, sec->data + func->start * LOADER_INSN_SZ,
	       func->cnt * LOADER_INSN_SZ);
	for (k = 0; k < func->cnt; k++)
		l->origin[l->cnt + k] = (struct obj_insn_origin){
			(uint32_t)func->shndx, (uint32_t)(func->start + k) };
	*new_start = l->cnt;
	l->cnt += func->cnt;
	return 0;
}

/* Makes instruction i (a call or lddw src=4) refer to instruction `target`
 * of section `shndx`, appending the function holding it. */
static int point_at_code(struct linker *l, size_t i, size_t shndx, int64_t target,
			 const char *what)
{
	const struct obj_section *sec = &l->obj->secs[shndx];
	const struct obj_func *func;
	size_t start;
	int ret;

	if (target < 0 || (uint64_t)target >= sec->size / LOADER_INSN_SZ)
		return link_err(l, i, -EINVAL, "%s targets instruction %lld of '%s', outside its "
				"%zu instructions", what, (long long)target, sec->name,
				sec->size / LOADER_INSN_SZ);
	func = obj_func_at(l->obj, shndx, (size_t)target);
	if (!func)
		return link_err(l, i, -EINVAL, "%s targets instruction %lld of '%s', which is in "
				"no function", what, (long long)target, sec->name);
	ret = place(l, func, &start);
	if (ret)
		return ret;
	/* place() may have moved l->insns: index, never keep pointers. */
	l->insns[i].imm = (int32_t)((int64_t)(start + ((size_t)target - func->start)) -
				    (int64_t)i - 1);
	return 0;
}

static int reloc_call(struct linker *l, size_t i, const struct obj_reloc *rel)
{
	const struct obj_symbol *sym = &l->obj->syms[rel->sym];
	struct bpf_insn *insn = &l->insns[i];

	if (sym->shndx == SHN_UNDEF || insn->src_reg == BPF_PSEUDO_KFUNC_CALL)
		return link_err(l, i, -EOPNOTSUPP, "call to extern function '%s' (a kfunc): "
				"uebpf runs outside the kernel and has no kfuncs; use a helper "
				"or a function defined in the object", sym->name);
	if (rel->type != R_BPF_64_32)
		return link_err(l, i, -EINVAL, "call with relocation type %u, expected "
				"R_BPF_64_32 (10)", rel->type);
	if (insn->src_reg != BPF_PSEUDO_CALL)
		return link_err(l, i, -EINVAL, "relocated call to '%s' is not a bpf-to-bpf call "
				"(src_reg %u, expected 1)", sym->name, insn->src_reg);
	if (sym->shndx >= l->obj->nr_secs || l->obj->secs[sym->shndx].kind != OBJ_SEC_CODE ||
	    sym->value % LOADER_INSN_SZ)
		return link_err(l, i, -EINVAL, "call to '%s' in section '%s', which is not code",
				sym->name, obj_sec_name(l->obj, sym->shndx));
	/* libbpf: target = symbol's instruction + imm + 1. */
	return point_at_code(l, i, sym->shndx,
			     (int64_t)(sym->value / LOADER_INSN_SZ) + insn->imm + 1,
			     "call");
}

static int reloc_lddw(struct linker *l, size_t i, const struct obj_reloc *rel)
{
	struct uebpf_object *obj = l->obj;
	const struct obj_symbol *sym = &obj->syms[rel->sym];
	const struct obj_section *sec;
	struct bpf_insn *insn = &l->insns[i];
	int64_t addend = isa_lddw_imm(insn);
	int64_t off;
	int map;

	if (rel->type != R_BPF_64_64)
		return link_err(l, i, -EINVAL, "lddw with relocation type %u against '%s', "
				"expected R_BPF_64_64 (1)", rel->type, sym->name);
	if (sym->shndx == SHN_UNDEF)
		return link_err(l, i, -EOPNOTSUPP, "reference to extern '%s' (__kconfig or "
				"__ksym): uebpf has no kernel symbols or config; define the "
				"value as a `const volatile` global set before load", sym->name);
	if (sym->shndx >= obj->nr_secs)
		return link_err(l, i, -EINVAL, "reference to '%s', which is in no section "
				"(absolute or common symbol)", sym->name);
	sec = &obj->secs[sym->shndx];
	off = (int64_t)sym->value + addend;
	switch (sec->kind) {
	case OBJ_SEC_CODE:
		if (off % LOADER_INSN_SZ)
			return link_err(l, i, -EINVAL, "code address of '%s'+%lld is not on an "
					"instruction", sym->name, (long long)addend);
		l->insns[i + 1].imm = 0;
		insn->src_reg = BPF_PSEUDO_FUNC;
		return point_at_code(l, i, sym->shndx, off / (int64_t)LOADER_INSN_SZ,
				     "code address");
	case OBJ_SEC_MAPS_BTF:
	case OBJ_SEC_MAPS_LEGACY:
		map = off < 0 ? -1 : obj_map_find_def(obj, sym->shndx, (uint64_t)off);
		if (map < 0)
			return link_err(l, i, -EINVAL, "'%s'+%lld in section '%s' is not the start "
					"of a map definition", sym->name, (long long)addend,
					sec->name);
		insn->src_reg = BPF_PSEUDO_MAP_IDX;
		insn->imm = map;
		l->insns[i + 1].imm = 0;
		return 0;
	case OBJ_SEC_DATA:
	case OBJ_SEC_RODATA:
	case OBJ_SEC_BSS:
		if (sec->map_idx < 0 || off < 0 || (uint64_t)off >= sec->size)
			return link_err(l, i, -EINVAL, "'%s'+%lld points outside global data "
					"section '%s' (%zu bytes)", sym->name, (long long)addend,
					sec->name, sec->size);
		insn->src_reg = BPF_PSEUDO_MAP_IDX_VALUE;
		insn->imm = sec->map_idx;
		l->insns[i + 1].imm = (int32_t)off;
		return 0;
	default:
		return link_err(l, i, -EINVAL, "reference to '%s' in section '%s', which is "
				"neither code, a map nor global data (.data/.rodata/.bss)",
				sym->name, sec->name);
	}
}

static int link_insn(struct linker *l, size_t i)
{
	struct obj_insn_origin org = l->origin[i];
	const struct obj_reloc *rel = obj_reloc_at(l->obj, org.shndx, org.idx * LOADER_INSN_SZ);
	struct bpf_insn *insn = &l->insns[i];
	bool lddw = isa_is_lddw(insn);
	bool call = insn->code == (BPF_JMP | BPF_CALL);

	if (lddw) {
		if (i + 1 >= l->cnt || l->origin[i + 1].shndx != org.shndx ||
		    l->origin[i + 1].idx != org.idx + 1)
			return link_err(l, i, -EINVAL, "lddw is cut in half by the end of its function");
		if (obj_reloc_at(l->obj, org.shndx, (org.idx + 1) * LOADER_INSN_SZ))
			return link_err(l, i, -EINVAL, "relocation on the second half of a lddw");
	}
	if (rel) {
		if (call)
			return reloc_call(l, i, rel);
		if (lddw)
			return reloc_lddw(l, i, rel);
		return link_err(l, i, -EINVAL, "relocation (type %u, symbol '%s') on an "
				"instruction that is neither a call nor a lddw (opcode %#x)",
				rel->type, l->obj->syms[rel->sym].name, insn->code);
	}
	if (call && insn->src_reg == BPF_PSEUDO_KFUNC_CALL)
		return link_err(l, i, -EOPNOTSUPP, "kfunc call (id %d): uebpf runs outside the "
				"kernel and has no kfuncs; use a helper", insn->imm);
	/* Calls and code addresses inside their own section need no relocation
	 * but still move when the target function is appended. */
	if (call && insn->src_reg == BPF_PSEUDO_CALL)
		return point_at_code(l, i, org.shndx, (int64_t)org.idx + insn->imm + 1, "call");
	if (lddw && insn->src_reg == BPF_PSEUDO_FUNC)
		return point_at_code(l, i, org.shndx, (int64_t)org.idx + insn->imm + 1,
				     "code address");
	if (lddw && insn->src_reg != 0)
		return link_err(l, i, -EINVAL, "lddw kind src=%u without a relocation: the map or "
				"value it names cannot be known; reference maps by symbol",
				insn->src_reg);
	return 0;
}

int obj_link_prog(struct uebpf_object *obj, struct uebpf_object_prog *prog,
		  struct uebpf_error *err)
{
	struct linker l = { .obj = obj, .prog = prog, .err = err };
	size_t i, start;
	int ret;

	ret = place(&l, &obj->funcs[prog->func], &start);
	for (i = 0; !ret && i < l.cnt; i++) {
		ret = link_insn(&l, i);
		if (!ret && isa_is_lddw(&l.insns[i]))
			i++;
	}
	free(l.placed);
	if (ret) {
		free(l.insns);
		free(l.origin);
		return ret;
	}
	prog->insns = l.insns;
	prog->origin = l.origin;
	prog->insn_cnt = l.cnt;
	return 0;
}
