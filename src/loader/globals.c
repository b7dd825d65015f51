/* SPDX-License-Identifier: MIT */
/* Global data: each .data*, .rodata* and .bss* section becomes a
 * single-element array map named after the section, as in libbpf. Programs
 * reach variables through `lddw src=6` (map value + offset); the host reads
 * and sets them through the map's initial value before load. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <linux/bpf.h>

#include "common/error.h"
#include "loader/loader.h"

static int add_global_map(struct uebpf_object *obj, size_t shndx, struct uebpf_error *err)
{
	struct obj_section *sec = &obj->secs[shndx];
	struct uebpf_object_map *map;
	size_t n = strlen(sec->name);
	int32_t id;

	if (n > 63 || strspn(sec->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789_.") != n)
		return uebpf_err(err, -EINVAL, "%s: global data section '%s' cannot name a map: "
				 "keep section names to 63 characters of [A-Za-z0-9_.]",
				 obj->name, sec->name);
	if (sec->size > UINT32_MAX)
		return uebpf_err(err, -E2BIG, "%s: global data section '%s' is too large",
				 obj->name, sec->name);
	map = calloc(1, sizeof(*map));
	if (!map)
		return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
	map->name = strdup(sec->name);
	map->initial = calloc(1, sec->size);
	map->initial_size = sec->size;
	if (!map->name || !map->initial) {
		obj_map_free(map);
		return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
	}
	if (sec->kind != OBJ_SEC_BSS)
		memcpy(map->initial, sec->data, sec->size);
	map->origin = UEBPF_MAP_ORIGIN_GLOBAL_DATA;
	map->shndx = shndx;
	map->def_size = sec->size;
	map->type = BPF_MAP_TYPE_ARRAY;
	map->key_size = sizeof(uint32_t);
	map->value_size = (uint32_t)sec->size;
	map->max_entries = 1;
	/* As libbpf: programs must not write constants. */
	if (sec->kind == OBJ_SEC_RODATA)
		map->map_flags = BPF_F_RDONLY_PROG;
	if (obj->btf) {
		id = btf__find_by_name_kind(obj->btf, sec->name, BTF_KIND_DATASEC);
		if (id > 0)
			map->btf_value_type_id = (uint32_t)id;
	}
	sec->map_idx = (int)obj->nr_maps;
	return obj_map_add(obj, map, err);
}

int obj_globals_parse(struct uebpf_object *obj, struct uebpf_error *err)
{
	size_t i;
	int ret;

	for (i = 0; i < obj->nr_secs; i++) {
		enum obj_sec_kind kind = obj->secs[i].kind;

		/* An empty section cannot be referenced: no map for it. */
		if (kind != OBJ_SEC_DATA && kind != OBJ_SEC_RODATA && kind != OBJ_SEC_BSS)
			continue;
		if (obj->secs[i].size == 0)
			continue;
		ret = add_global_map(obj, i, err);
		if (ret)
			return ret;
	}
	return 0;
}

int uebpf_object_find_var(const struct uebpf_object *obj, const char *name,
			  struct uebpf_object_map **map, uint32_t *offset, uint32_t *size)
{
	size_t i;

	if (!obj || !name)
		return -EINVAL;
	for (i = 0; i < obj->nr_syms; i++) {
		const struct obj_symbol *s = &obj->syms[i];
		const struct obj_section *sec;

		if (s->type != STT_OBJECT || s->shndx == SHN_UNDEF || s->shndx >= obj->nr_secs ||
		    strcmp(s->name, name) != 0)
			continue;
		sec = &obj->secs[s->shndx];
		if (sec->map_idx < 0 || s->value > sec->size || s->size > sec->size - s->value)
			continue;
		if (map)
			*map = obj->maps[sec->map_idx];
		if (offset)
			*offset = (uint32_t)s->value;
		if (size)
			*size = (uint32_t)s->size;
		return 0;
	}
	return -ENOENT;
}
