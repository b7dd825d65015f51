/* SPDX-License-Identifier: MIT */
/* Map definitions: BTF-defined maps in `.maps` (libbpf's __uint/__type/
 * __array encoding) and the legacy `struct bpf_map_def` in `maps`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <linux/bpf.h>

#include "common/error.h"
#include "loader/loader.h"

#ifndef R_BPF_64_ABS64
#define R_BPF_64_ABS64 2
#endif

/* Deep enough for any real typedef chain; stops BTF loops. */
#define BTF_MAX_CHAIN 32

void obj_map_free(struct uebpf_object_map *map)
{
	if (!map)
		return;
	obj_map_free(map->inner);
	free(map->name);
	free(map->inits);
	free(map->initial);
	free(map);
}

int obj_map_add(struct uebpf_object *obj, struct uebpf_object_map *map,
		struct uebpf_error *err)
{
	struct uebpf_object_map **maps;

	maps = realloc(obj->maps, (obj->nr_maps + 1) * sizeof(*maps));
	if (!maps) {
		obj_map_free(map);
		return uebpf_err(err, -ENOMEM, "%s: out of memory for maps", obj->name);
	}
	obj->maps = maps;
	maps[obj->nr_maps++] = map;
	map->obj = obj;
	return 0;
}

int obj_map_find_def(const struct uebpf_object *obj, size_t shndx, uint64_t offset)
{
	size_t i;

	for (i = 0; i < obj->nr_maps; i++) {
		const struct uebpf_object_map *m = obj->maps[i];

		if (m->origin != UEBPF_MAP_ORIGIN_GLOBAL_DATA && m->shndx == shndx &&
		    m->sec_offset == offset)
			return (int)i;
	}
	return -1;
}

/* Map names become file names when pinned: keep libbpf's character set. */
static bool valid_map_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 63)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.") == n;
}

static struct uebpf_object_map *map_new(const char *name)
{
	struct uebpf_object_map *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->name = strdup(name);
	if (!m->name) {
		free(m);
		return NULL;
	}
	return m;
}

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int depth;

	for (depth = 0; t && depth < BTF_MAX_CHAIN; depth++) {
		if (!btf_is_mod(t) && !btf_is_typedef(t)) {
			if (res_id)
				*res_id = id;
			return t;
		}
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	return NULL;
}

struct def_ctx {
	struct uebpf_object *obj;
	const char *map_name;
	struct uebpf_error *err;
};

#define DEF_ERR(c, code, fmt, ...) \
	uebpf_err((c)->err, code, "%s: map '%s': " fmt, (c)->obj->name, (c)->map_name, \
		  ##__VA_ARGS__)

/* __uint(name, val) is `int (*name)[val]`. */
static int member_uint(const struct def_ctx *c, const struct btf_member *m,
		       const char *field, uint32_t *out)
{
	const struct btf *btf = c->obj->btf;
	const struct btf_type *ptr = skip_mods(btf, m->type, NULL);
	const struct btf_type *arr;

	if (!ptr)
		return DEF_ERR(c, -EINVAL, "field '%s': BTF type %u is missing or its "
			       "modifier/typedef chain loops: the BTF is corrupt", field, m->type);
	if (!btf_is_ptr(ptr))
		return DEF_ERR(c, -EINVAL, "field '%s' is not declared with __uint()", field);
	arr = skip_mods(btf, ptr->type, NULL);
	if (!arr || !btf_is_array(arr))
		return DEF_ERR(c, -EINVAL, "field '%s' is not declared with __uint()", field);
	*out = btf_array(arr)->nelems;
	return 0;
}

/* __type(name, T) is `typeof(T) *name`. */
static int member_type(const struct def_ctx *c, const struct btf_member *m,
		       const char *field, uint32_t *type_id, uint32_t *size)
{
	const struct btf *btf = c->obj->btf;
	const struct btf_type *ptr = skip_mods(btf, m->type, NULL);
	long long sz;

	if (!ptr || !btf_is_ptr(ptr))
		return DEF_ERR(c, -EINVAL, "field '%s' is not declared with __type()", field);
	sz = btf__resolve_size(btf, ptr->type);
	if (sz < 0 || sz > UINT32_MAX)
		return DEF_ERR(c, -EINVAL, "the size of the %s type (BTF id %u) cannot be "
			       "resolved: the BTF is corrupt or the type is incomplete",
			       field, ptr->type);
	*type_id = ptr->type;
	*size = (uint32_t)sz;
	return 0;
}

static int set_size(const struct def_ctx *c, const char *what, uint32_t *dst, uint32_t v)
{
	if (*dst && *dst != v)
		return DEF_ERR(c, -EINVAL, "%s given twice with different values (%u and %u)",
			       what, *dst, v);
	*dst = v;
	return 0;
}

static int parse_btf_def(const struct def_ctx *c, uint32_t type_id,
			 struct uebpf_object_map *map, bool is_inner);

/* __array(values, T) is `typeof(T) *values[]`: T is the inner map's
 * definition (map-in-map) or a function prototype (prog array). */
static int member_values(const struct def_ctx *c, const struct btf_member *m,
			 struct uebpf_object_map *map, bool is_inner)
{
	const struct btf *btf = c->obj->btf;
	const struct btf_type *arr = skip_mods(btf, m->type, NULL), *ptr, *t;
	uint32_t inner_id;
	struct def_ctx ic = *c;
	char inner_name[80];
	int ret;

	if (is_inner)
		return DEF_ERR(c, -EOPNOTSUPP, "an inner map cannot itself hold maps (`values`)");
	if (!arr || !btf_is_array(arr) || btf_array(arr)->nelems != 0)
		return DEF_ERR(c, -EINVAL, "field 'values' is not declared with __array()");
	ptr = skip_mods(btf, btf_array(arr)->type, NULL);
	if (!ptr || !btf_is_ptr(ptr))
		return DEF_ERR(c, -EINVAL, "field 'values' is not declared with __array()");
	t = skip_mods(btf, ptr->type, &inner_id);
	if (!t)
		return DEF_ERR(c, -EINVAL, "field 'values' has a broken BTF type");
	map->has_values = true;
	if (btf_is_func_proto(t)) {
		if (map->type != BPF_MAP_TYPE_PROG_ARRAY)
			return DEF_ERR(c, -EINVAL, "`values` of functions needs type "
				       "BPF_MAP_TYPE_PROG_ARRAY (put __uint(type, ...) first)");
		return 0;
	}
	if (!btf_is_struct(t))
		return DEF_ERR(c, -EINVAL, "`values` must be an inner map definition (struct) "
			       "or a function prototype");
	if (map->type != BPF_MAP_TYPE_ARRAY_OF_MAPS && map->type != BPF_MAP_TYPE_HASH_OF_MAPS)
		return DEF_ERR(c, -EINVAL, "inner map definitions need type ARRAY_OF_MAPS or "
			       "HASH_OF_MAPS (put __uint(type, ...) before __array(values, ...))");
	snprintf(inner_name, sizeof(inner_name), "%s.inner", map->name);
	map->inner = map_new(inner_name);
	if (!map->inner)
		return DEF_ERR(c, -ENOMEM, "out of memory");
	map->inner->obj = c->obj;
	map->inner->origin = map->origin;
	ic.map_name = inner_name;
	ret = parse_btf_def(&ic, inner_id, map->inner, true);
	return ret;
}

static int parse_btf_def(const struct def_ctx *c, uint32_t type_id,
			 struct uebpf_object_map *map, bool is_inner)
{
	const struct btf *btf = c->obj->btf;
	const struct btf_type *st = skip_mods(btf, type_id, NULL);
	const struct btf_member *m;
	uint32_t v, sz, id;
	int i, ret;

	if (!st || !btf_is_struct(st))
		return DEF_ERR(c, -EINVAL, "definition is not a struct: declare maps as "
			       "`struct { __uint(type, ...); ... } name SEC(\".maps\")`");
	m = btf_members(st);
	for (i = 0; i < btf_vlen(st); i++, m++) {
		const char *field = btf__name_by_offset(btf, m->name_off);

		if (!field || !*field)
			return DEF_ERR(c, -EINVAL, "unnamed field %d in the definition", i);
		ret = 0;
		if (strcmp(field, "type") == 0) {
			ret = member_uint(c, m, field, &map->type);
		} else if (strcmp(field, "max_entries") == 0) {
			ret = member_uint(c, m, field, &map->max_entries);
		} else if (strcmp(field, "map_flags") == 0) {
			ret = member_uint(c, m, field, &map->map_flags);
		} else if (strcmp(field, "numa_node") == 0) {
			ret = member_uint(c, m, field, &v); /* one node here */
		} else if (strcmp(field, "map_extra") == 0) {
			ret = member_uint(c, m, field, &v);
			map->map_extra = v;
		} else if (strcmp(field, "pinning") == 0) {
			ret = member_uint(c, m, field, &map->pinning);
			if (!ret && map->pinning > 1)
				return DEF_ERR(c, -EINVAL, "pinning %u is not LIBBPF_PIN_NONE or "
					       "LIBBPF_PIN_BY_NAME", map->pinning);
			if (!ret && is_inner && map->pinning)
				return DEF_ERR(c, -EINVAL, "inner maps cannot be pinned");
		} else if (strcmp(field, "key_size") == 0) {
			ret = member_uint(c, m, field, &v);
			if (!ret)
				ret = set_size(c, "key size", &map->key_size, v);
		} else if (strcmp(field, "value_size") == 0) {
			ret = member_uint(c, m, field, &v);
			if (!ret)
				ret = set_size(c, "value size", &map->value_size, v);
		} else if (strcmp(field, "key") == 0) {
			ret = member_type(c, m, field, &id, &sz);
			if (!ret)
				ret = set_size(c, "key size", &map->key_size, sz);
			map->btf_key_type_id = id;
		} else if (strcmp(field, "value") == 0) {
			ret = member_type(c, m, field, &id, &sz);
			if (!ret)
				ret = set_size(c, "value size", &map->value_size, sz);
			map->btf_value_type_id = id;
		} else if (strcmp(field, "values") == 0) {
			ret = member_values(c, m, map, is_inner);
			map->values_off = btf_member_bit_offset(st, i) / 8;
			if (!ret)
				ret = set_size(c, "value size", &map->value_size, 4);
		} else {
			return DEF_ERR(c, -EINVAL, "unknown field '%s' (known: type, key, value, "
				       "key_size, value_size, max_entries, map_flags, pinning, "
				       "map_extra, numa_node, values)", field);
		}
		if (ret)
			return ret;
	}
	if (map->type == BPF_MAP_TYPE_UNSPEC)
		return DEF_ERR(c, -EINVAL, "no map type: add __uint(type, BPF_MAP_TYPE_...)");
	/* libbpf sizes perf event arrays to the CPUs when left out. */
	if (map->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && map->max_entries == 0)
		map->max_entries = uebpf_map_nr_cpus();
	return 0;
}

static int find_symbol_in(const struct uebpf_object *obj, size_t shndx, const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_syms; i++)
		if (obj->syms[i].shndx == shndx && obj->syms[i].type != STT_SECTION &&
		    strcmp(obj->syms[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int parse_btf_maps(struct uebpf_object *obj, size_t shndx, struct uebpf_error *err)
{
	const struct btf_type *sec;
	const struct btf_var_secinfo *vi;
	int32_t id;
	int i, ret;

	if (!obj->btf)
		return uebpf_err(err, -EINVAL, "%s: section '.maps' needs BTF, but the object has "
				 "no .BTF section: compile with -g", obj->name);
	id = btf__find_by_name_kind(obj->btf, ".maps", BTF_KIND_DATASEC);
	if (id < 0)
		return uebpf_err(err, -EINVAL, "%s: BTF has no DATASEC '.maps' describing the "
				 "maps section", obj->name);
	sec = btf__type_by_id(obj->btf, id);
	vi = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vi++) {
		const struct btf_type *var = btf__type_by_id(obj->btf, vi->type);
		struct uebpf_object_map *map;
		const char *name;
		struct def_ctx c = { .obj = obj, .err = err };
		int sym;

		if (!var || !btf_is_var(var))
			return uebpf_err(err, -EINVAL, "%s: '.maps' entry %d is not a variable",
					 obj->name, i);
		name = btf__name_by_offset(obj->btf, var->name_off);
		if (!name || !valid_map_name(name))
			return uebpf_err(err, -EINVAL, "%s: '.maps' entry %d: map name '%s' is "
					 "empty, longer than 63 or not [A-Za-z0-9_.]", obj->name,
					 i, name ? name : "?");
		sym = find_symbol_in(obj, shndx, name);
		if (sym < 0)
			return uebpf_err(err, -EINVAL, "%s: map '%s' is in the BTF but has no symbol "
					 "in '.maps'", obj->name, name);
		map = map_new(name);
		if (!map)
			return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
		map->obj = obj;
		map->origin = UEBPF_MAP_ORIGIN_BTF;
		map->shndx = shndx;
		map->sec_offset = obj->syms[sym].value;
		map->def_size = obj->syms[sym].size;
		c.map_name = name;
		ret = parse_btf_def(&c, var->type, map, false);
		if (!ret && map->sec_offset >= obj->secs[shndx].size)
			ret = DEF_ERR(&c, -EINVAL, "symbol offset %llu is outside '.maps'",
				      (unsigned long long)map->sec_offset);
		if (!ret && obj_map_find_def(obj, shndx, map->sec_offset) >= 0)
			ret = DEF_ERR(&c, -EINVAL, "two maps at offset %llu of '.maps'",
				      (unsigned long long)map->sec_offset);
		if (ret) {
			obj_map_free(map);
			return ret;
		}
		ret = obj_map_add(obj, map, err);
		if (ret)
			return ret;
	}
	return 0;
}

/* struct bpf_map_def { type, key_size, value_size, max_entries, map_flags };
 * longer definitions (iproute2's bpf_elf_map) must have zeros beyond. */
static int parse_legacy_maps(struct uebpf_object *obj, size_t shndx, struct uebpf_error *err)
{
	const struct obj_section *sec = &obj->secs[shndx];
	size_t i;
	int ret;

	for (i = 0; i < obj->nr_syms; i++) {
		const struct obj_symbol *s = &obj->syms[i];
		struct uebpf_object_map *map;
		uint32_t def[5];
		size_t k;

		if (s->shndx != shndx || s->type == STT_SECTION || !*s->name)
			continue;
		if (!valid_map_name(s->name))
			return uebpf_err(err, -EINVAL, "%s: legacy map name '%s' is longer than 63 or "
					 "not [A-Za-z0-9_.]", obj->name, s->name);
		if (!sec->data || s->size < sizeof(def) || s->value > sec->size ||
		    s->size > sec->size - s->value)
			return uebpf_err(err, -EINVAL, "%s: legacy map '%s' (offset %llu, %llu bytes) "
					 "is not a struct bpf_map_def inside 'maps' (%zu bytes)",
					 obj->name, s->name, (unsigned long long)s->value,
					 (unsigned long long)s->size, sec->size);
		memcpy(def, sec->data + s->value, sizeof(def));
		for (k = sizeof(def); k < s->size; k++)
			if (sec->data[s->value + k])
				return uebpf_err(err, -EOPNOTSUPP, "%s: legacy map '%s' sets fields "
						 "beyond struct bpf_map_def (byte %zu); use a BTF "
						 "map definition in SEC(\".maps\")", obj->name,
						 s->name, k);
		map = map_new(s->name);
		if (!map)
			return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
		map->origin = UEBPF_MAP_ORIGIN_LEGACY;
		map->shndx = shndx;
		map->sec_offset = s->value;
		map->def_size = s->size;
		map->type = def[0];
		map->key_size = def[1];
		map->value_size = def[2];
		map->max_entries = def[3];
		map->map_flags = def[4];
		if (map->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && map->max_entries == 0)
			map->max_entries = uebpf_map_nr_cpus();
		if (obj_map_find_def(obj, shndx, map->sec_offset) >= 0) {
			obj_map_free(map);
			return uebpf_err(err, -EINVAL, "%s: two legacy maps at offset %llu",
					 obj->name, (unsigned long long)s->value);
		}
		ret = obj_map_add(obj, map, err);
		if (ret)
			return ret;
	}
	return 0;
}

int obj_maps_parse(struct uebpf_object *obj, struct uebpf_error *err)
{
	size_t i;
	int ret;

	for (i = 0; i < obj->nr_secs; i++) {
		if (obj->secs[i].kind == OBJ_SEC_MAPS_BTF)
			ret = parse_btf_maps(obj, i, err);
		else if (obj->secs[i].kind == OBJ_SEC_MAPS_LEGACY)
			ret = parse_legacy_maps(obj, i, err);
		else
			continue;
		if (ret)
			return ret;
	}
	return 0;
}

static int prog_by_symbol(const struct uebpf_object *obj, const struct obj_symbol *s)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++) {
		const struct uebpf_object_prog *p = &obj->progs[i];
		const struct obj_func *f = &obj->funcs[p->func];

		if (f->shndx == s->shndx && f->start * LOADER_INSN_SZ == s->value)
			return (int)i;
	}
	return -1;
}

/* `.values = { [i] = &inner_or_prog }` becomes an ABS64 relocation at
 * values_off + 8 * i inside the outer map's definition. */
int obj_maps_collect_inits(struct uebpf_object *obj, struct uebpf_error *err)
{
	size_t i, r;

	for (i = 0; i < obj->nr_secs; i++) {
		const struct obj_section *sec = &obj->secs[i];

		if (sec->kind != OBJ_SEC_MAPS_BTF)
			continue;
		for (r = 0; r < sec->nr_relocs; r++) {
			const struct obj_reloc *rel = &sec->relocs[r];
			const struct obj_symbol *s = &obj->syms[rel->sym];
			struct uebpf_object_map *outer = NULL;
			struct obj_map_init init, *inits;
			size_t m;
			int target;

			for (m = 0; m < obj->nr_maps; m++) {
				struct uebpf_object_map *cand = obj->maps[m];

				if (cand->shndx == i && cand->origin == UEBPF_MAP_ORIGIN_BTF &&
				    rel->offset >= cand->sec_offset &&
				    rel->offset < cand->sec_offset + cand->def_size)
					outer = cand;
			}
			if (!outer || !outer->has_values ||
			    rel->offset < outer->sec_offset + outer->values_off ||
			    (rel->offset - outer->sec_offset - outer->values_off) % 8)
				return uebpf_err(err, -EINVAL, "%s: relocation at offset %zu of '.maps' "
						 "is not a `values` slot of any map", obj->name,
						 rel->offset);
			if (rel->type != R_BPF_64_ABS64)
				return uebpf_err(err, -EINVAL, "%s: map '%s': `values` relocation of "
						 "type %u, expected R_BPF_64_ABS64", obj->name,
						 outer->name, rel->type);
			if (outer->key_size != sizeof(uint32_t))
				return uebpf_err(err, -EINVAL, "%s: map '%s': `values` initialisers need "
						 "a 4-byte key (the slot number), not %u bytes",
						 obj->name, outer->name, outer->key_size);
			init.slot = (uint32_t)((rel->offset - outer->sec_offset - outer->values_off) / 8);
			if (outer->type == BPF_MAP_TYPE_PROG_ARRAY) {
				target = prog_by_symbol(obj, s);
				init.kind = MAP_INIT_PROG;
				if (target < 0)
					return uebpf_err(err, -EINVAL, "%s: map '%s' slot %u: '%s' is "
							 "not a program of this object", obj->name,
							 outer->name, init.slot, s->name);
			} else {
				target = obj_map_find_def(obj, s->shndx, s->value);
				init.kind = MAP_INIT_MAP;
				if (target < 0 || obj->maps[target] == outer)
					return uebpf_err(err, -EINVAL, "%s: map '%s' slot %u: '%s' is "
							 "not another map of this object", obj->name,
							 outer->name, init.slot, s->name);
			}
			if (outer->type != BPF_MAP_TYPE_HASH_OF_MAPS && init.slot >= outer->max_entries)
				return uebpf_err(err, -EINVAL, "%s: map '%s': `values` slot %u is "
						 "beyond max_entries %u", obj->name, outer->name,
						 init.slot, outer->max_entries);
			init.target = (size_t)target;
			inits = realloc(outer->inits, (outer->nr_inits + 1) * sizeof(*inits));
			if (!inits)
				return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
			outer->inits = inits;
			inits[outer->nr_inits++] = init;
		}
	}
	return 0;
}
