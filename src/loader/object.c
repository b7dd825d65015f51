/* SPDX-License-Identifier: MIT */
/* uebpf_object: open, destroy and accessors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <pthread.h>
#include <stdarg.h>
#include <linux/bpf.h>

#include "common/error.h"
#include "loader/loader.h"

#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetof(typeof(*(opts)), field) + sizeof((opts)->field))

/* 1 GiB: far above any real BPF object, low enough to refuse garbage. */
#define OBJECT_MAX_SIZE (1ull << 30)

static void prog_free(struct uebpf_object_prog *p)
{
	if (p->registry_id)
		uebpf_prog_registry_remove(p->registry_id);
	uebpf_prog_destroy(p->prog);
	free(p->name);
	free(p->insns);
	free(p->origin);
	free(p->func_info);
	free(p->line_info);
}

void uebpf_object_destroy(struct uebpf_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->nr_progs; i++)
		prog_free(&obj->progs[i]);
	free(obj->progs);
	for (i = 0; i < obj->nr_maps; i++) {
		struct uebpf_object_map *m = obj->maps[i];

		uebpf_map_destroy(m->map);
		if (m->inner)
			uebpf_map_destroy(m->inner->map);
		obj_map_free(m);
	}
	free(obj->maps);
	free(obj->map_ptrs);
	for (i = 0; i < obj->nr_secs; i++)
		free(obj->secs[i].relocs);
	free(obj->secs);
	free(obj->syms);
	free(obj->funcs);
	btf__free(obj->btf);
	if (obj->elf)
		elf_end(obj->elf);
	free(obj->image);
	free(obj->name);
	free(obj->pin_dir);
	free(obj);
}

static int print_nothing(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* libbpf prints its BTF complaints to stderr by default, and the library
 * must not print: the printer is swapped out around the parse. libbpf's
 * printer is process-wide, so the swap is serialised; a host that installs
 * its own printer meanwhile from another thread may see it restored late. */
static struct btf *btf_new_quiet(const void *data, uint32_t size)
{
	static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
	libbpf_print_fn_t old;
	struct btf *btf;
	int saved_errno;

	pthread_mutex_lock(&print_lock);
	old = libbpf_set_print(print_nothing);
	btf = btf__new(data, size);
	saved_errno = errno;
	libbpf_set_print(old);
	pthread_mutex_unlock(&print_lock);
	errno = saved_errno;
	return btf;
}

static int load_btf(struct uebpf_object *obj, struct uebpf_error *err)
{
	size_t i;

	for (i = 0; i < obj->nr_secs; i++) {
		const struct obj_section *sec = &obj->secs[i];

		if (!sec->name || strcmp(sec->name, ".BTF") != 0 || !sec->data)
			continue;
		if (sec->size > UINT32_MAX)
			return uebpf_err(err, -E2BIG, "%s: .BTF is too large", obj->name);
		errno = 0;
		obj->btf = btf_new_quiet(sec->data, (uint32_t)sec->size);
		if (!obj->btf) {
			int e = errno ? errno : EINVAL;

			return uebpf_err(err, -e, "%s: .BTF is corrupt (%s); rebuild the object "
					 "with clang -g", obj->name, strerror(e));
		}
		return 0;
	}
	return 0;
}

static int collect_progs(struct uebpf_object *obj, struct uebpf_error *err)
{
	size_t i, n = 0;

	obj->progs = calloc(obj->nr_funcs ? obj->nr_funcs : 1, sizeof(*obj->progs));
	if (!obj->progs)
		return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
	for (i = 0; i < obj->nr_funcs; i++) {
		const struct obj_func *f = &obj->funcs[i];
		const struct obj_section *sec = &obj->secs[f->shndx];
		struct uebpf_object_prog *p;

		if (sec->is_text)
			continue; /* sub-programs */
		if (!f->global)
			return uebpf_err(err, -EOPNOTSUPP, "%s: program '%s' in section '%s' is "
					 "static; programs must be global functions (as in libbpf)",
					 obj->name, f->name, sec->name);
		p = &obj->progs[n++];
		p->obj = obj;
		p->name = strdup(f->name);
		if (!p->name)
			return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
		p->section = sec->name;
		p->shndx = f->shndx;
		p->func = i;
		p->autoload = true;
		uebpf_sec_name_parse(sec->name, &p->sec);
		obj->nr_progs = n;
	}
	return 0;
}

static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name, *dot;

	name = strdup(base ? base + 1 : path);
	if (!name)
		return NULL;
	dot = strchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	return name;
}

static int object_open(void *image, size_t size, const char *name,
		       const struct uebpf_object_opts *opts, struct uebpf_object **out,
		       struct uebpf_error *err)
{
	struct uebpf_object *obj;
	size_t i;
	int ret;

	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		free(image);
		return uebpf_err(err, -ENOMEM, "uebpf_object_open: out of memory");
	}
	obj->image = image;
	obj->image_size = size;
	obj->name = strdup(OPTS_HAS(opts, name) && opts->name ? opts->name : name);
	if (OPTS_HAS(opts, pin_dir) && opts->pin_dir)
		obj->pin_dir = strdup(opts->pin_dir);
	if (OPTS_HAS(opts, pin_mode))
		obj->pin_mode = opts->pin_mode;
	if (OPTS_HAS(opts, helpers))
		obj->helpers = opts->helpers;
	if (!obj->name || (OPTS_HAS(opts, pin_dir) && opts->pin_dir && !obj->pin_dir)) {
		uebpf_object_destroy(obj);
		return uebpf_err(err, -ENOMEM, "uebpf_object_open: out of memory");
	}

	ret = obj_elf_parse(obj, err);
	if (!ret)
		ret = load_btf(obj, err);
	if (!ret)
		ret = obj_maps_parse(obj, err);
	if (!ret)
		ret = obj_globals_parse(obj, err);
	if (!ret)
		ret = collect_progs(obj, err);
	if (!ret)
		ret = obj_btf_ext_check_core(obj, err);
	for (i = 0; !ret && i < obj->nr_progs; i++)
		ret = obj_link_prog(obj, &obj->progs[i], err);
	if (!ret)
		ret = obj_maps_collect_inits(obj, err);
	if (!ret)
		ret = obj_btf_ext_apply(obj, err);
	if (ret) {
		uebpf_object_destroy(obj);
		return ret;
	}
	*out = obj;
	return 0;
}

static int check_open_args(const struct uebpf_object_opts *opts, struct uebpf_object **out,
			   struct uebpf_error *err)
{
	const unsigned char *bytes = (const unsigned char *)opts;
	size_t i;

	if (!out)
		return uebpf_err(err, -EINVAL, "uebpf_object_open: out is NULL");
	*out = NULL;
	if (!opts)
		return 0;
	if (opts->sz < sizeof(opts->sz))
		return uebpf_err(err, -EINVAL, "uebpf_object_open: opts->sz is %zu; set it to "
				 "sizeof(struct uebpf_object_opts)", opts->sz);
	for (i = sizeof(*opts); i < opts->sz; i++)
		if (bytes[i])
			return uebpf_err(err, -EINVAL, "uebpf_object_open: opts has non-zero fields "
					 "this library does not know; upgrade the library");
	return 0;
}

int uebpf_object_open_mem(const void *buf, size_t len, const struct uebpf_object_opts *opts,
			  struct uebpf_object **out, struct uebpf_error *err)
{
	void *image;
	int ret = check_open_args(opts, out, err);

	if (ret)
		return ret;
	if (!buf || len == 0)
		return uebpf_err(err, -EINVAL, "uebpf_object_open_mem: empty buffer");
	if (len > OBJECT_MAX_SIZE)
		return uebpf_err(err, -E2BIG, "uebpf_object_open_mem: %zu bytes is too large "
				 "for a BPF object", len);
	image = malloc(len);
	if (!image)
		return uebpf_err(err, -ENOMEM, "uebpf_object_open_mem: out of memory for %zu bytes",
				 len);
	memcpy(image, buf, len);
	return object_open(image, len, "mem", opts, out, err);
}

int uebpf_object_open_file(const char *path, const struct uebpf_object_opts *opts,
			   struct uebpf_object **out, struct uebpf_error *err)
{
	struct stat st;
	char *name, *image = NULL;
	size_t done = 0;
	int fd, ret = check_open_args(opts, out, err);

	if (ret)
		return ret;
	if (!path)
		return uebpf_err(err, -EINVAL, "uebpf_object_open_file: path is NULL");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return uebpf_err(err, -errno, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (unsigned long long)st.st_size > OBJECT_MAX_SIZE) {
		close(fd);
		return uebpf_err(err, -EINVAL, "'%s' is not a regular, non-empty file under 1 GiB",
				 path);
	}
	image = malloc((size_t)st.st_size);
	if (!image) {
		close(fd);
		return uebpf_err(err, -ENOMEM, "out of memory reading '%s'", path);
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, image + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			close(fd);
			free(image);
			return uebpf_err(err, ret, "cannot read '%s': %s", path,
					 n < 0 ? strerror(-ret) : "file shrank while reading");
		}
		done += (size_t)n;
	}
	close(fd);
	name = default_name(path);
	if (!name) {
		free(image);
		return uebpf_err(err, -ENOMEM, "out of memory");
	}
	ret = object_open(image, done, name, opts, out, err);
	free(name);
	return ret;
}

/* ---------------------------------------------------------- accessors */

const char *uebpf_object_name(const struct uebpf_object *obj) { return obj->name; }
const char *uebpf_object_license(const struct uebpf_object *obj) { return obj->license; }
uint32_t uebpf_object_kern_version(const struct uebpf_object *obj) { return obj->kern_version; }
bool uebpf_object_is_loaded(const struct uebpf_object *obj) { return obj->loaded; }
const struct btf *uebpf_object_btf(const struct uebpf_object *obj) { return obj->btf; }

size_t uebpf_object_prog_cnt(const struct uebpf_object *obj) { return obj->nr_progs; }

struct uebpf_object_prog *uebpf_object_prog_at(const struct uebpf_object *obj, size_t idx)
{
	return idx < obj->nr_progs ? &obj->progs[idx] : NULL;
}

struct uebpf_object_prog *uebpf_object_find_prog(const struct uebpf_object *obj,
						 const char *name)
{
	size_t i;

	for (i = 0; name && i < obj->nr_progs; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	return NULL;
}

const char *uebpf_object_prog_name(const struct uebpf_object_prog *p) { return p->name; }
const char *uebpf_object_prog_section(const struct uebpf_object_prog *p) { return p->section; }
uint32_t uebpf_object_prog_type(const struct uebpf_object_prog *p) { return p->sec.prog_type; }

uint32_t uebpf_object_prog_expected_attach_type(const struct uebpf_object_prog *p)
{
	return p->sec.expected_attach_type;
}

const char *uebpf_object_prog_sec_kind(const struct uebpf_object_prog *p) { return p->sec.kind; }

const char *uebpf_object_prog_attach_target(const struct uebpf_object_prog *p)
{
	return p->sec.attach_target;
}

bool uebpf_object_prog_sleepable(const struct uebpf_object_prog *p) { return p->sec.sleepable; }

int uebpf_object_prog_set_type(struct uebpf_object_prog *p, uint32_t prog_type,
			       uint32_t expected_attach_type)
{
	if (p->obj->loaded)
		return -EBUSY;
	p->sec.prog_type = prog_type;
	p->sec.expected_attach_type = expected_attach_type;
	return 0;
}

int uebpf_object_prog_set_autoload(struct uebpf_object_prog *p, bool autoload)
{
	if (p->obj->loaded)
		return -EBUSY;
	p->autoload = autoload;
	return 0;
}

bool uebpf_object_prog_autoload(const struct uebpf_object_prog *p) { return p->autoload; }

const struct bpf_insn *uebpf_object_prog_insns(const struct uebpf_object_prog *p,
					       size_t *insn_cnt)
{
	if (insn_cnt)
		*insn_cnt = p->insn_cnt;
	return p->insns;
}

struct uebpf_prog *uebpf_object_prog_get(const struct uebpf_object_prog *p) { return p->prog; }

size_t uebpf_object_prog_func_info(const struct uebpf_object_prog *p,
				   const struct uebpf_func_info **out)
{
	*out = p->func_info;
	return p->nr_func_info;
}

size_t uebpf_object_prog_line_info(const struct uebpf_object_prog *p,
				   const struct uebpf_line_info **out)
{
	*out = p->line_info;
	return p->nr_line_info;
}

const struct uebpf_line_info *uebpf_object_prog_line_at(const struct uebpf_object_prog *p,
							size_t insn_idx)
{
	size_t lo = 0, hi = p->nr_line_info;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->line_info[mid].insn_idx <= insn_idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &p->line_info[lo - 1] : NULL;
}

const struct uebpf_func_info *uebpf_object_prog_func_at(const struct uebpf_object_prog *p,
							size_t insn_idx)
{
	size_t lo = 0, hi = p->nr_func_info;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->func_info[mid].insn_idx <= insn_idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &p->func_info[lo - 1] : NULL;
}

size_t uebpf_object_map_cnt(const struct uebpf_object *obj) { return obj->nr_maps; }

struct uebpf_object_map *uebpf_object_map_at(const struct uebpf_object *obj, size_t idx)
{
	return idx < obj->nr_maps ? obj->maps[idx] : NULL;
}

struct uebpf_object_map *uebpf_object_find_map(const struct uebpf_object *obj,
					       const char *name)
{
	size_t i;

	for (i = 0; name && i < obj->nr_maps; i++)
		if (strcmp(obj->maps[i]->name, name) == 0)
			return obj->maps[i];
	return NULL;
}

const char *uebpf_object_map_name(const struct uebpf_object_map *m) { return m->name; }

enum uebpf_object_map_origin uebpf_object_map_origin(const struct uebpf_object_map *m)
{
	return m->origin;
}

void uebpf_object_map_spec(const struct uebpf_object_map *m, struct uebpf_map_spec *spec)
{
	const struct uebpf_object *obj = m->obj;
	bool pinned = obj->pin_dir && (m->pinning || obj->pin_mode == UEBPF_PIN_ALL);

	memset(spec, 0, sizeof(*spec));
	spec->sz = sizeof(*spec);
	spec->name = m->name;
	spec->type = m->type;
	spec->key_size = m->key_size;
	spec->value_size = m->value_size;
	spec->max_entries = m->max_entries;
	spec->map_flags = m->map_flags;
	spec->map_extra = m->map_extra;
	spec->pin_dir = pinned ? obj->pin_dir : NULL;
}

uint32_t uebpf_object_map_pinning(const struct uebpf_object_map *m) { return m->pinning; }
uint64_t uebpf_object_map_extra(const struct uebpf_object_map *m) { return m->map_extra; }

uint32_t uebpf_object_map_btf_key_type_id(const struct uebpf_object_map *m)
{
	return m->btf_key_type_id;
}

uint32_t uebpf_object_map_btf_value_type_id(const struct uebpf_object_map *m)
{
	return m->btf_value_type_id;
}

const struct uebpf_object_map *uebpf_object_map_inner(const struct uebpf_object_map *m)
{
	return m->inner;
}

int uebpf_object_map_set_max_entries(struct uebpf_object_map *m, uint32_t max_entries)
{
	if (m->obj->loaded)
		return -EBUSY;
	if (m->origin == UEBPF_MAP_ORIGIN_GLOBAL_DATA)
		return -EINVAL;
	m->max_entries = max_entries;
	return 0;
}

int uebpf_object_map_set_flags(struct uebpf_object_map *m, uint32_t map_flags)
{
	if (m->obj->loaded)
		return -EBUSY;
	m->map_flags = map_flags;
	return 0;
}

void *uebpf_object_map_initial_value(struct uebpf_object_map *m, size_t *size)
{
	if (m->obj->loaded || !m->initial) {
		if (size)
			*size = 0;
		return NULL;
	}
	if (size)
		*size = m->initial_size;
	return m->initial;
}

int uebpf_object_map_set_initial_value(struct uebpf_object_map *m, const void *data,
				       size_t size, struct uebpf_error *err)
{
	if (m->obj->loaded)
		return uebpf_err(err, -EBUSY, "map '%s': the object is loaded; change the map "
				 "with uebpf_map_update", m->name);
	if (!m->initial)
		return uebpf_err(err, -EINVAL, "map '%s' is not global data: it has no initial "
				 "value", m->name);
	if (!data || size != m->initial_size)
		return uebpf_err(err, -EINVAL, "map '%s': initial value is %zu bytes, got %zu",
				 m->name, m->initial_size, size);
	memcpy(m->initial, data, size);
	return 0;
}

struct uebpf_map *uebpf_object_map_get(const struct uebpf_object_map *m) { return m->map; }
