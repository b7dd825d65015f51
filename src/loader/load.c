/* SPDX-License-Identifier: MIT */
/* uebpf_object_load: maps first (programs reference them by index), then
 * their initial contents, then the programs. All or nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "common/error.h"
#include "loader/loader.h"

/* A pinned map that exists is reused, as libbpf reuses bpffs pins; one with
 * another shape is an error rather than a silent replacement. */
static int create_map(struct uebpf_object *obj, struct uebpf_object_map *m,
		      struct uebpf_error *err)
{
	struct uebpf_map_spec spec;
	int ret;

	if (m->inner) {
		struct uebpf_map_spec inner;

		uebpf_object_map_spec(m->inner, &inner);
		inner.pin_dir = NULL;
		ret = uebpf_map_create(&inner, &m->inner->map, err);
		if (ret) {
			uebpf_err_prefix(err, "%s: inner map of '%s'", obj->name, m->name);
			return ret;
		}
	}
	uebpf_object_map_spec(m, &spec);
	spec.inner_map = m->inner ? m->inner->map : NULL;
	if (spec.pin_dir) {
		ret = uebpf_map_open(spec.pin_dir, spec.name, &m->map, NULL);
		if (ret == 0) {
			ret = uebpf_map_check_spec(m->map, &spec, err);
			if (ret == 0)
				return 0; /* reused as is: its contents are not reset */
			uebpf_map_destroy(m->map);
			m->map = NULL;
			uebpf_err_prefix(err, "%s: map '%s' is pinned in '%s' with another shape; "
					 "remove the pinned map or fix the definition",
					 obj->name, m->name, spec.pin_dir);
			return -EEXIST;
		}
	}
	ret = uebpf_map_create(&spec, &m->map, err);
	if (ret) {
		uebpf_err_prefix(err, "%s: map '%s'", obj->name, m->name);
		return ret;
	}
	if (m->initial) {
		uint32_t zero = 0;

		ret = uebpf_map_update(m->map, &zero, m->initial, 0, err);
		if (ret) {
			uebpf_err_prefix(err, "%s: initial value of '%s'", obj->name, m->name);
			return ret;
		}
	}
	return 0;
}

/* `values` initialisers store ids, as kernel map slots store fds: a
 * map-in-map slot the inner map's uebpf_map_id, a prog array slot the id
 * the program got in the process's program registry (uebpf_prog_registry_add;
 * the object removes it again when it unloads). */
static int install_inits(struct uebpf_object *obj, struct uebpf_object_map *m,
			 enum obj_map_init_kind kind, struct uebpf_error *err)
{
	size_t i;
	int ret;

	for (i = 0; i < m->nr_inits; i++) {
		const struct obj_map_init *init = &m->inits[i];
		const char *what;
		uint32_t id;

		if (init->kind != kind)
			continue;
		if (kind == MAP_INIT_MAP) {
			what = obj->maps[init->target]->name;
			id = uebpf_map_id(obj->maps[init->target]->map);
		} else {
			struct uebpf_object_prog *p = &obj->progs[init->target];

			what = p->name;
			if (!p->prog)
				return uebpf_err(err, -EINVAL, "%s: map '%s' slot %u = program '%s', "
						 "whose autoload is off", obj->name, m->name,
						 init->slot, p->name);
			if (!p->registry_id) {
				ret = uebpf_prog_registry_add(p->prog, &p->registry_id, err);
				if (ret) {
					uebpf_err_prefix(err, "%s: program '%s'", obj->name, p->name);
					return ret;
				}
			}
			id = p->registry_id;
		}
		ret = uebpf_map_update(m->map, &init->slot, &id, BPF_ANY, err);
		if (ret) {
			uebpf_err_prefix(err, "%s: map '%s' slot %u = '%s'", obj->name, m->name,
					 init->slot, what);
			return ret;
		}
	}
	return 0;
}

static void unload(struct uebpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++) {
		struct uebpf_object_prog *p = &obj->progs[i];

		if (p->registry_id)
			uebpf_prog_registry_remove(p->registry_id);
		p->registry_id = 0;
		uebpf_prog_destroy(p->prog);
		p->prog = NULL;
	}
	for (i = 0; i < obj->nr_maps; i++) {
		struct uebpf_object_map *m = obj->maps[i];

		uebpf_map_destroy(m->map);
		m->map = NULL;
		if (m->inner) {
			uebpf_map_destroy(m->inner->map);
			m->inner->map = NULL;
		}
	}
}

int uebpf_object_load(struct uebpf_object *obj, struct uebpf_error *err)
{
	struct uebpf_map **maps;
	size_t i;
	int ret = 0;

	/* Programs borrow the array: it lives as long as the object. */

	if (!obj)
		return uebpf_err(err, -EINVAL, "uebpf_object_load: obj is NULL");
	if (obj->loaded)
		return uebpf_err(err, -EALREADY, "%s: already loaded", obj->name);
	free(obj->map_ptrs);
	maps = obj->map_ptrs = calloc(obj->nr_maps ? obj->nr_maps : 1, sizeof(*maps));
	if (!maps)
		return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
	for (i = 0; !ret && i < obj->nr_maps; i++) {
		ret = create_map(obj, obj->maps[i], err);
		maps[i] = obj->maps[i]->map;
	}
	for (i = 0; !ret && i < obj->nr_maps; i++)
		ret = install_inits(obj, obj->maps[i], MAP_INIT_MAP, err);
	for (i = 0; !ret && i < obj->nr_progs; i++) {
		struct uebpf_object_prog *p = &obj->progs[i];
		struct uebpf_prog_opts opts = {
			.sz = sizeof(opts), .name = p->name, .helpers = obj->helpers,
			.maps = maps, .nr_maps = obj->nr_maps,
		};

		if (!p->autoload)
			continue;
		ret = uebpf_prog_load(p->insns, p->insn_cnt, &opts, &p->prog, err);
		if (ret)
			uebpf_err_prefix(err, "%s: section '%s'", obj->name, p->section);
	}
	for (i = 0; !ret && i < obj->nr_maps; i++)
		ret = install_inits(obj, obj->maps[i], MAP_INIT_PROG, err);
	if (ret) {
		unload(obj);
		return ret;
	}
	obj->loaded = true;
	return 0;
}
