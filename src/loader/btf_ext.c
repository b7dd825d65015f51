/* SPDX-License-Identifier: MIT */
/* .BTF.ext: func info, line info and CO-RE relocations, per code section.
 * libbpf keeps its parser internal, and the format is small, so it is read
 * here; every length and offset is checked before use. Layout (kernel
 * Documentation/bpf/btf.rst): a header, then per kind a record size and
 * blocks of { sec_name_off, num_info, records[num_info] }. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "common/error.h"
#include "loader/loader.h"

#define BTF_EXT_MAGIC 0xeB9F

struct btf_ext_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len;
	uint32_t line_info_off, line_info_len;
	uint32_t core_relo_off, core_relo_len;   /* optional */
};

struct ext_func_rec { uint32_t insn_off, type_id; };
struct ext_line_rec { uint32_t insn_off, file_name_off, line_off, line_col; };
struct ext_core_rec { uint32_t insn_off, type_id, access_str_off, kind; };

/* One kind's subsection, bounds-checked. */
struct ext_sub {
	const uint8_t *data;
	size_t len;
	uint32_t rec_size;
};

typedef int (*ext_rec_fn)(struct uebpf_object *obj, size_t shndx, const uint8_t *rec,
			  void *arg, struct uebpf_error *err);

static int ext_sub_get(const struct uebpf_object *obj, const struct btf_ext_hdr *h,
		       uint32_t off, uint32_t len, uint32_t min_rec, const char *what,
		       struct ext_sub *sub, struct uebpf_error *err)
{
	size_t base = h->hdr_len;

	memset(sub, 0, sizeof(*sub));
	if (len == 0)
		return 0;
	if (off > obj->btf_ext_size - base || len > obj->btf_ext_size - base - off || len < 4)
		return uebpf_err(err, -EINVAL, "%s: .BTF.ext %s (offset %u, %u bytes) lies outside "
				 "the section (%zu bytes)", obj->name, what, off, len,
				 obj->btf_ext_size);
	sub->data = obj->btf_ext + base + off;
	sub->len = len;
	memcpy(&sub->rec_size, sub->data, 4);
	if (sub->rec_size < min_rec || sub->rec_size > 1024 || sub->rec_size % 4)
		return uebpf_err(err, -EINVAL, "%s: .BTF.ext %s record size %u is invalid (at "
				 "least %u, multiple of 4)", obj->name, what, sub->rec_size, min_rec);
	return 0;
}

static size_t code_sec_by_name(const struct uebpf_object *obj, const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_secs; i++)
		if (obj->secs[i].kind == OBJ_SEC_CODE && strcmp(obj->secs[i].name, name) == 0)
			return i;
	return 0;
}

static int ext_walk(struct uebpf_object *obj, const struct ext_sub *sub, const char *what,
		    ext_rec_fn fn, void *arg, struct uebpf_error *err)
{
	size_t pos = 4;

	while (sub->data && pos < sub->len) {
		uint32_t name_off, num;
		const char *name;
		size_t shndx, k;
		int ret;

		if (sub->len - pos < 8)
			return uebpf_err(err, -EINVAL, "%s: .BTF.ext %s: truncated block header",
					 obj->name, what);
		memcpy(&name_off, sub->data + pos, 4);
		memcpy(&num, sub->data + pos + 4, 4);
		pos += 8;
		name = btf__name_by_offset(obj->btf, name_off);
		if (!name)
			return uebpf_err(err, -EINVAL, "%s: .BTF.ext %s: section name offset %u is "
					 "outside the BTF strings", obj->name, what, name_off);
		if (num == 0 || (sub->len - pos) / sub->rec_size < num)
			return uebpf_err(err, -EINVAL, "%s: .BTF.ext %s: section '%s' claims %u "
					 "records; %zu bytes are left", obj->name, what, name, num,
					 sub->len - pos);
		shndx = code_sec_by_name(obj, name);
		if (!shndx)
			return uebpf_err(err, -EINVAL, "%s: .BTF.ext %s names section '%s', which "
					 "is not a code section of the object", obj->name, what, name);
		for (k = 0; k < num; k++, pos += sub->rec_size) {
			ret = fn(obj, shndx, sub->data + pos, arg, err);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int read_header(const struct uebpf_object *obj, struct btf_ext_hdr *h,
		       struct uebpf_error *err)
{
	memset(h, 0, sizeof(*h));
	if (obj->btf_ext_size < offsetof(struct btf_ext_hdr, core_relo_off))
		return uebpf_err(err, -EINVAL, "%s: .BTF.ext is %zu bytes, too short for its header",
				 obj->name, obj->btf_ext_size);
	memcpy(h, obj->btf_ext, offsetof(struct btf_ext_hdr, core_relo_off));
	if (h->magic != BTF_EXT_MAGIC)
		return uebpf_err(err, -EINVAL, "%s: .BTF.ext magic %#x, expected %#x (big-endian "
				 "object?)", obj->name, h->magic, BTF_EXT_MAGIC);
	if (h->version != 1)
		return uebpf_err(err, -EOPNOTSUPP, "%s: .BTF.ext version %u; uebpf reads version 1",
				 obj->name, h->version);
	if (h->hdr_len < offsetof(struct btf_ext_hdr, core_relo_off) ||
	    h->hdr_len > obj->btf_ext_size)
		return uebpf_err(err, -EINVAL, "%s: .BTF.ext header length %u is invalid",
				 obj->name, h->hdr_len);
	if (h->hdr_len >= sizeof(*h))
		memcpy(h, obj->btf_ext, sizeof(*h));
	if (!obj->btf)
		return uebpf_err(err, -EINVAL, "%s: .BTF.ext without .BTF", obj->name);
	return 0;
}

/* ------------------------------------------------------- per program */

struct origin_key {
	uint32_t shndx, idx;
	size_t linked;
};

struct prog_index {
	struct uebpf_object_prog *prog;
	struct origin_key *keys;   /* sorted by (shndx, idx) */
	size_t nr;
};

static int cmp_key(const void *a, const void *b)
{
	const struct origin_key *x = a, *y = b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static bool linked_index(const struct prog_index *pi, size_t shndx, uint32_t insn_off,
			 size_t *out)
{
	struct origin_key key = { (uint32_t)shndx, insn_off / LOADER_INSN_SZ, 0 };
	const struct origin_key *hit;

	if (insn_off % LOADER_INSN_SZ)
		return false;
	hit = bsearch(&key, pi->keys, pi->nr, sizeof(key), cmp_key);
	if (!hit)
		return false;
	*out = hit->linked;
	return true;
}

static int add_func_rec(struct uebpf_object *obj, size_t shndx, const uint8_t *rec,
			void *arg, struct uebpf_error *err)
{
	struct prog_index *pi = arg;
	struct uebpf_object_prog *p = pi->prog;
	struct ext_func_rec r;
	const struct btf_type *t;
	struct uebpf_func_info *fi;
	size_t idx;

	memcpy(&r, rec, sizeof(r));
	if (!linked_index(pi, shndx, r.insn_off, &idx))
		return 0;
	t = btf__type_by_id(obj->btf, r.type_id);
	if (!t || !btf_is_func(t))
		return uebpf_err(err, -EINVAL, "%s: .BTF.ext func info for section '%s' offset %u "
				 "names BTF type %u, which is not a function", obj->name,
				 obj_sec_name(obj, shndx), r.insn_off, r.type_id);
	fi = realloc(p->func_info, (p->nr_func_info + 1) * sizeof(*fi));
	if (!fi)
		return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
	p->func_info = fi;
	fi[p->nr_func_info++] = (struct uebpf_func_info){
		.insn_idx = idx, .btf_type_id = r.type_id,
		.name = btf__name_by_offset(obj->btf, t->name_off),
	};
	if (!fi[p->nr_func_info - 1].name)
		fi[p->nr_func_info - 1].name = "";
	return 0;
}

static int add_line_rec(struct uebpf_object *obj, size_t shndx, const uint8_t *rec,
			void *arg, struct uebpf_error *err)
{
	struct prog_index *pi = arg;
	struct uebpf_object_prog *p = pi->prog;
	struct ext_line_rec r;
	struct uebpf_line_info *li;
	const char *file, *source;
	size_t idx;

	memcpy(&r, rec, sizeof(r));
	if (!linked_index(pi, shndx, r.insn_off, &idx))
		return 0;
	file = btf__name_by_offset(obj->btf, r.file_name_off);
	source = btf__name_by_offset(obj->btf, r.line_off);
	if (!file || !source)
		return uebpf_err(err, -EINVAL, "%s: .BTF.ext line info for section '%s' offset %u "
				 "has string offsets outside the BTF strings", obj->name,
				 obj_sec_name(obj, shndx), r.insn_off);
	li = realloc(p->line_info, (p->nr_line_info + 1) * sizeof(*li));
	if (!li)
		return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
	p->line_info = li;
	li[p->nr_line_info++] = (struct uebpf_line_info){
		.insn_idx = idx, .file = file, .source = source,
		.line = r.line_col >> 10, .col = r.line_col & 0x3ff,
	};
	return 0;
}

static int cmp_func_info(const void *a, const void *b)
{
	const struct uebpf_func_info *x = a, *y = b;

	return x->insn_idx < y->insn_idx ? -1 : x->insn_idx > y->insn_idx;
}

static int cmp_line_info(const void *a, const void *b)
{
	const struct uebpf_line_info *x = a, *y = b;

	return x->insn_idx < y->insn_idx ? -1 : x->insn_idx > y->insn_idx;
}

int obj_btf_ext_apply(struct uebpf_object *obj, struct uebpf_error *err)
{
	struct btf_ext_hdr h;
	struct ext_sub funcs, lines;
	size_t i, k;
	int ret;

	if (!obj->btf_ext)
		return 0;
	ret = read_header(obj, &h, err);
	if (!ret)
		ret = ext_sub_get(obj, &h, h.func_info_off, h.func_info_len,
				  sizeof(struct ext_func_rec), "func info", &funcs, err);
	if (!ret)
		ret = ext_sub_get(obj, &h, h.line_info_off, h.line_info_len,
				  sizeof(struct ext_line_rec), "line info", &lines, err);
	for (i = 0; !ret && i < obj->nr_progs; i++) {
		struct uebpf_object_prog *p = &obj->progs[i];
		struct prog_index pi = { .prog = p, .nr = p->insn_cnt };

		pi.keys = malloc((p->insn_cnt ? p->insn_cnt : 1) * sizeof(*pi.keys));
		if (!pi.keys)
			return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
		for (k = 0; k < p->insn_cnt; k++)
			pi.keys[k] = (struct origin_key){ p->origin[k].shndx, p->origin[k].idx, k };
		qsort(pi.keys, pi.nr, sizeof(*pi.keys), cmp_key);
		ret = ext_walk(obj, &funcs, "func info", add_func_rec, &pi, err);
		if (!ret)
			ret = ext_walk(obj, &lines, "line info", add_line_rec, &pi, err);
		free(pi.keys);
		if (p->func_info)
			qsort(p->func_info, p->nr_func_info, sizeof(*p->func_info), cmp_func_info);
		if (p->line_info)
			qsort(p->line_info, p->nr_line_info, sizeof(*p->line_info), cmp_line_info);
	}
	return ret;
}

/* ------------------------------------------------------------- CO-RE */

static const char *core_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		"field_byte_offset", "field_byte_size", "field_exists", "field_signed",
		"field_lshift_u64", "field_rshift_u64", "type_id_local", "type_id_target",
		"type_exists", "type_size", "enumval_exists", "enumval_value", "type_matches",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

static int refuse_core_rec(struct uebpf_object *obj, size_t shndx, const uint8_t *rec,
			   void *arg, struct uebpf_error *err)
{
	struct ext_core_rec r;
	const struct btf_type *t;
	const char *type_name = NULL, *access;

	(void)arg;
	memcpy(&r, rec, sizeof(r));
	t = btf__type_by_id(obj->btf, r.type_id);
	if (t)
		type_name = btf__name_by_offset(obj->btf, t->name_off);
	access = btf__name_by_offset(obj->btf, r.access_str_off);
	return uebpf_err(err, -EOPNOTSUPP, "%s: section '%s' insn %u: CO-RE relocation %s of "
			 "'%s' (access \"%s\") needs the running kernel's BTF, which uebpf "
			 "does not have; read the field without BPF_CORE_READ/"
			 "preserve_access_index (e.g. use UAPI headers instead of vmlinux.h)",
			 obj->name, obj_sec_name(obj, shndx), r.insn_off / LOADER_INSN_SZ,
			 core_kind_name(r.kind), type_name && *type_name ? type_name : "?",
			 access ? access : "?");
}

int obj_btf_ext_check_core(struct uebpf_object *obj, struct uebpf_error *err)
{
	struct btf_ext_hdr h;
	struct ext_sub core;
	int ret;

	if (!obj->btf_ext)
		return 0;
	ret = read_header(obj, &h, err);
	if (ret || h.hdr_len < sizeof(h))
		return ret;
	ret = ext_sub_get(obj, &h, h.core_relo_off, h.core_relo_len,
			  sizeof(struct ext_core_rec), "CO-RE relocations", &core, err);
	if (ret)
		return ret;
	return ext_walk(obj, &core, "CO-RE relocations", refuse_core_rec, NULL, err);
}
