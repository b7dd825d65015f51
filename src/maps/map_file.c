/* SPDX-License-Identifier: MIT */
/*
 * Map creation and opening: spec validation, the shared-memory file (a
 * memfd, or "<pin_dir>/<name>" on a tmpfs such as /dev/shm), mapping it,
 * and listing the maps of a pin dir.
 *
 * A pinned map is built under a temporary name and published with link(2),
 * which fails when the name exists: openers never see a half-initialised
 * map and two creators cannot both win.
 */
#define _GNU_SOURCE
#include "maps/map_internal.h"
#include "common/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 1 TiB: tmpfs files are sparse, but offsets must stay sane. */
#define MAP_FILE_MAX (1ull << 40)

static bool spec_has(const struct uebpf_map_spec *spec, size_t end)
{
	return spec->sz >= end;
}
#define SPEC_HAS(spec, field) \
	spec_has(spec, offsetof(struct uebpf_map_spec, field) + sizeof((spec)->field))

static int check_name(const char *name, struct uebpf_error *err)
{
	size_t len;

	if (!name || !name[0])
		return uebpf_err(err, -EINVAL, "map spec: name is required ([A-Za-z0-9_.], 1..%d chars)",
				 MAP_NAME_MAX - 1);
	len = strlen(name);
	if (len > MAP_NAME_MAX - 1)
		return uebpf_err(err, -EINVAL, "map name '%.*s...' is %zu chars long; the limit is %d",
				 20, name, len, MAP_NAME_MAX - 1);
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.'))
			return uebpf_err(err, -EINVAL, "map name '%s': character %zu ('%c') is not "
					 "allowed; use [A-Za-z0-9_.]", name, i, c);
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return uebpf_err(err, -EINVAL, "map name '%s' is reserved (a directory entry)", name);
	return 0;
}

static int check_inner(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	const struct uebpf_map *inner = spec->inner_map;
	bool outer = spec->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
		     spec->type == BPF_MAP_TYPE_HASH_OF_MAPS;

	if (!outer) {
		if (inner)
			return uebpf_err(err, -EINVAL, "map '%s': inner_map is only for "
					 "array_of_maps/hash_of_maps", spec->name);
		return 0;
	}
	if (!inner)
		return uebpf_err(err, -EINVAL, "map '%s': %s needs spec.inner_map, a map with "
				 "the shape its values will have", spec->name,
				 uebpf_map_type_name(spec->type));
	if (inner->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || inner->type == BPF_MAP_TYPE_HASH_OF_MAPS ||
	    inner->type == BPF_MAP_TYPE_PROG_ARRAY)
		return uebpf_err(err, -EINVAL, "map '%s': inner maps cannot be %s",
				 spec->name, uebpf_map_type_name(inner->type));
	return 0;
}

static int check_spec(const struct uebpf_map_spec *spec, const struct map_ops **ops_out,
		      struct uebpf_error *err)
{
	const struct map_ops *ops;
	uint32_t bad;
	int ret;

	ret = check_name(spec->name, err);
	if (ret)
		return ret;
	ops = map_ops_for_type(spec->type);
	if (!ops)
		return uebpf_err(err, -EINVAL, "map '%s': type %u is not supported; uebpf has "
				 "array, percpu_array, hash, percpu_hash, lru_hash, lru_percpu_hash, "
				 "lpm_trie, ringbuf, perf_event_array, queue, stack, bloom_filter, "
				 "prog_array, array_of_maps, hash_of_maps, devmap, devmap_hash",
				 spec->name, spec->type);
	bad = spec->map_flags & ~ops->allowed_flags;
	if (bad)
		return uebpf_err(err, -EINVAL, "map '%s': map_flags 0x%x not allowed for %s "
				 "(allowed: 0x%x)", spec->name, bad, ops->name, ops->allowed_flags);
	if ((spec->map_flags & (BPF_F_RDONLY | BPF_F_WRONLY)) == (BPF_F_RDONLY | BPF_F_WRONLY) ||
	    (spec->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) ==
		    (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return uebpf_err(err, -EINVAL, "map '%s': map_flags has both read-only and "
				 "write-only set", spec->name);
	if (spec->map_extra && spec->type != BPF_MAP_TYPE_BLOOM_FILTER &&
	    spec->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return uebpf_err(err, -EINVAL, "map '%s': map_extra must be 0 for %s",
				 spec->name, ops->name);
	ret = check_inner(spec, err);
	if (ret)
		return ret;
	ret = ops->check(spec, err);
	if (ret)
		return ret;
	*ops_out = ops;
	return 0;
}

static uint32_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (uint32_t)ps : 4096;
}

static void fill_identity(struct uebpf_map *map)
{
	struct map_shm_header *h = map->hdr;

	memcpy(map->name, h->name, MAP_NAME_MAX);
	map->name[MAP_NAME_MAX - 1] = '\0';
	map->type = h->type;
	map->key_size = h->key_size;
	map->value_size = h->value_size;
	map->max_entries = h->max_entries;
	map->map_flags = h->map_flags;
	map->nr_cpus = h->nr_cpus;
	map->map_extra = h->map_extra;
	map->uid = h->uid;
	map->hash_seed = h->hash_seed;
	map->store_size = (h->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
			   h->type == BPF_MAP_TYPE_HASH_OF_MAPS) ? 8 : h->value_size;
	map->slot_stride = (uint32_t)round_up8(map->store_size);
}

/* Maps the file; the ring buffer's data is mapped twice back to back so a
 * record that wraps around the end is still contiguous, as in the kernel. */
static int map_mmap(struct uebpf_map *map, struct uebpf_error *err)
{
	const struct map_layout *l = &map->layout;
	size_t len = l->file_size + (l->mirror_data ? l->data_len : 0);
	uint8_t *base;

	base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return uebpf_err(err, -errno, "map '%s': cannot reserve %zu bytes of address space: %s",
				 map->name, len, strerror(errno));
	if (mmap(base, l->file_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, map->fd, 0) ==
	    MAP_FAILED)
		goto fail;
	if (l->mirror_data &&
	    mmap(base + l->file_size, l->data_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 map->fd, (off_t)l->data_off) == MAP_FAILED)
		goto fail;
	map->base = base;
	map->mapping_len = len;
	map->hdr = (struct map_shm_header *)base;
	return 0;
fail: {
	int e = errno;

	munmap(base, len);
	return uebpf_err(err, -e, "map '%s': mmap of its %llu-byte file failed: %s", map->name,
			 (unsigned long long)l->file_size, strerror(e));
}
}

static uint64_t random_u64(void)
{
	uint64_t v = 0;
	struct timespec ts;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == sizeof(v) && v)
		return v;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	v = ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) ^
	    ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&v;
	return v ? v : 1;
}

static int compute_layout(const struct map_ops *ops, const struct map_shape *shape,
			  struct map_layout *l, const char *name, struct uebpf_error *err)
{
	memset(l, 0, sizeof(*l));
	if (ops->layout(shape, l) || l->file_size > MAP_FILE_MAX)
		return uebpf_err(err, -E2BIG, "map '%s': %u entries of key %u / value %u bytes need "
				 "more than %llu bytes; lower max_entries or the sizes", name,
				 shape->max_entries, shape->key_size, shape->value_size,
				 (unsigned long long)MAP_FILE_MAX);
	return 0;
}

static int mkdir_p(const char *dir)
{
	char path[4096];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		path[i] = dir[i];
	}
	return 0;
}

static char *join_path(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

static void map_free(struct uebpf_map *map)
{
	if (map->base)
		munmap(map->base, map->mapping_len);
	if (map->fd >= 0)
		close(map->fd);
	free(map->path);
	free(map);
}

static int create_file(struct uebpf_map *map, const struct uebpf_map_spec *spec,
		       char **tmp_path, struct uebpf_error *err)
{
	int ret;

	if (!spec->pin_dir) {
		char label[MAP_NAME_MAX + 16];

		snprintf(label, sizeof(label), "uebpf-map:%s", spec->name);
		map->fd = memfd_create(label, MFD_CLOEXEC);
		if (map->fd < 0)
			return uebpf_err(err, -errno, "map '%s': memfd_create failed: %s",
					 spec->name, strerror(errno));
		return 0;
	}
	ret = mkdir_p(spec->pin_dir);
	if (ret)
		return uebpf_err(err, ret, "map '%s': cannot create pin_dir '%s': %s", spec->name,
				 spec->pin_dir, strerror(-ret));
	map->path = join_path(spec->pin_dir, spec->name);
	if (!map->path || asprintf(tmp_path, "%s/.%s.%d.%llx.tmp", spec->pin_dir, spec->name,
				   (int)getpid(), (unsigned long long)random_u64()) < 0) {
		*tmp_path = NULL;
		return uebpf_err(err, -ENOMEM, "map '%s': out of memory", spec->name);
	}
	if (access(map->path, F_OK) == 0)
		return uebpf_err(err, -EEXIST, "map '%s' already exists in '%s'; open it with "
				 "uebpf_map_open or remove the file", spec->name, spec->pin_dir);
	map->fd = open(*tmp_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (map->fd < 0)
		return uebpf_err(err, -errno, "map '%s': cannot create '%s': %s", spec->name,
				 *tmp_path, strerror(errno));
	return 0;
}

int uebpf_map_create(const struct uebpf_map_spec *spec, struct uebpf_map **out,
		     struct uebpf_error *err)
{
	struct uebpf_map_spec s = { 0 };
	const struct map_ops *ops = NULL;
	struct map_shm_header *h;
	struct map_shape shape;
	struct uebpf_map *map;
	char *tmp_path = NULL;
	int ret;

	if (!spec || !out)
		return uebpf_err(err, -EINVAL, "uebpf_map_create: spec and out must not be NULL");
	*out = NULL;
	if (spec->sz < offsetof(struct uebpf_map_spec, type) + sizeof(spec->type))
		return uebpf_err(err, -EINVAL, "uebpf_map_create: spec->sz is %zu; set it to "
				 "sizeof(struct uebpf_map_spec)", spec->sz);
	for (size_t i = sizeof(s); i < spec->sz; i++)
		if (((const uint8_t *)spec)[i])
			return uebpf_err(err, -E2BIG, "uebpf_map_create: spec has fields this "
					 "library does not know (byte %zu of %zu); upgrade the library",
					 i, spec->sz);
	memcpy(&s, spec, spec->sz < sizeof(s) ? spec->sz : sizeof(s));
	s.sz = sizeof(s);
	if (!SPEC_HAS(spec, map_extra))
		s.map_extra = 0;
	if (s.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && s.max_entries == 0)
		s.max_entries = uebpf_map_nr_cpus(); /* as libbpf does */
	ret = check_spec(&s, &ops, err);
	if (ret)
		return ret;
	s.map_flags |= ops->implied_flags;

	shape = (struct map_shape){
		.type = s.type, .key_size = s.key_size, .value_size = s.value_size,
		.max_entries = s.max_entries, .map_flags = s.map_flags, .map_extra = s.map_extra,
		.nr_cpus = map_is_percpu(s.type) ? uebpf_map_nr_cpus() : 1,
		.page_size = page_size(),
	};
	map = calloc(1, sizeof(*map));
	if (!map)
		return uebpf_err(err, -ENOMEM, "map '%s': out of memory", s.name);
	map->fd = -1;
	map->ops = ops;
	snprintf(map->name, sizeof(map->name), "%s", s.name);
	ret = compute_layout(ops, &shape, &map->layout, s.name, err);
	if (ret)
		goto fail;
	ret = create_file(map, &s, &tmp_path, err);
	if (ret)
		goto fail;
	if (ftruncate(map->fd, (off_t)map->layout.file_size)) {
		ret = uebpf_err(err, -errno, "map '%s': cannot size its file to %llu bytes: %s",
				s.name, (unsigned long long)map->layout.file_size, strerror(errno));
		goto fail;
	}
	ret = map_mmap(map, err);
	if (ret)
		goto fail;

	h = map->hdr;
	h->version = MAP_SHM_VERSION;
	h->header_size = sizeof(*h);
	h->type = s.type;
	h->key_size = s.key_size;
	h->value_size = s.value_size;
	h->max_entries = s.max_entries;
	h->map_flags = s.map_flags;
	h->nr_cpus = shape.nr_cpus;
	h->page_size = shape.page_size;
	h->map_extra = s.map_extra;
	h->file_size = map->layout.file_size;
	h->uid = random_u64();
	h->hash_seed = (s.map_flags & BPF_F_ZERO_SEED) ? 0 : random_u64();
	if (s.inner_map) {
		const struct uebpf_map *in = s.inner_map;

		h->has_inner = 1;
		h->inner_type = in->type;
		h->inner_key_size = in->key_size;
		h->inner_value_size = in->value_size;
		h->inner_max_entries = in->max_entries;
		h->inner_map_flags = in->map_flags;
	}
	snprintf(h->name, sizeof(h->name), "%s", s.name);
	fill_identity(map);
	if (ops->init)
		ops->init(map);
	/* Publish last: an opener checks the magic before anything else. */
	__atomic_store_n(&h->magic, MAP_SHM_MAGIC, __ATOMIC_RELEASE);

	if (tmp_path) {
		if (link(tmp_path, map->path)) {
			int e = errno;

			if (e == EEXIST)
				ret = uebpf_err(err, -EEXIST, "map '%s' already exists in '%s'; open it "
						"with uebpf_map_open or remove the file", s.name, s.pin_dir);
			else
				ret = uebpf_err(err, -e, "map '%s': cannot publish '%s': %s", s.name,
						map->path, strerror(e));
			goto fail;
		}
		unlink(tmp_path);
		free(tmp_path);
		tmp_path = NULL;
	}
	ret = registry_add_map(map, err);
	if (ret) {
		if (map->path)
			unlink(map->path);
		goto fail;
	}
	*out = map;
	return 0;
fail:
	if (tmp_path) {
		unlink(tmp_path);
		free(tmp_path);
	}
	map_free(map);
	return ret;
}

/* Reads and checks a map file's header without mapping the rest. */
static int read_header(int fd, const char *path, struct map_shm_header *h, uint64_t *st_size,
		       const struct map_ops **ops, struct uebpf_error *err)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st))
		return uebpf_err(err, -errno, "'%s': stat failed: %s", path, strerror(errno));
	n = pread(fd, h, sizeof(*h), 0);
	if (n != (ssize_t)sizeof(*h) || h->magic != MAP_SHM_MAGIC)
		return uebpf_err(err, -EINVAL, "'%s' is not a uebpf map (bad magic)", path);
	if (h->version != MAP_SHM_VERSION || h->header_size != sizeof(*h))
		return uebpf_err(err, -EPROTO, "'%s': map layout version %u (header %u bytes), this "
				 "library reads version %u (%zu bytes); use the same uebpf version",
				 path, h->version, h->header_size, MAP_SHM_VERSION, sizeof(*h));
	h->name[MAP_NAME_MAX - 1] = '\0';
	*ops = map_ops_for_type(h->type);
	if (!*ops)
		return uebpf_err(err, -EINVAL, "'%s': unknown map type %u", path, h->type);
	if (h->file_size != (uint64_t)st.st_size)
		return uebpf_err(err, -EINVAL, "'%s': file is %lld bytes, its header says %llu "
				 "(truncated or corrupt)", path, (long long)st.st_size,
				 (unsigned long long)h->file_size);
	*st_size = (uint64_t)st.st_size;
	return 0;
}

int uebpf_map_open(const char *pin_dir, const char *name, struct uebpf_map **out,
		   struct uebpf_error *err)
{
	const struct map_ops *ops;
	struct map_shm_header h;
	struct map_shape shape;
	struct uebpf_map *map;
	uint64_t st_size;
	int ret;

	if (!pin_dir || !name || !out)
		return uebpf_err(err, -EINVAL, "uebpf_map_open: pin_dir, name and out must not be NULL");
	*out = NULL;
	ret = check_name(name, err);
	if (ret)
		return ret;
	map = calloc(1, sizeof(*map));
	if (!map)
		return uebpf_err(err, -ENOMEM, "map '%s': out of memory", name);
	snprintf(map->name, sizeof(map->name), "%s", name);
	map->path = join_path(pin_dir, name);
	if (!map->path) {
		free(map);
		return uebpf_err(err, -ENOMEM, "map '%s': out of memory", name);
	}
	map->fd = open(map->path, O_RDWR | O_CLOEXEC);
	if (map->fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			uebpf_err(err, ret, "no map '%s' in '%s' (no file %s)", name, pin_dir, map->path);
		else
			uebpf_err(err, ret, "cannot open map file '%s': %s", map->path, strerror(-ret));
		goto fail;
	}
	ret = read_header(map->fd, map->path, &h, &st_size, &ops, err);
	if (ret)
		goto fail;
	shape = (struct map_shape){
		.type = h.type, .key_size = h.key_size, .value_size = h.value_size,
		.max_entries = h.max_entries, .map_flags = h.map_flags, .map_extra = h.map_extra,
		.nr_cpus = h.nr_cpus, .page_size = h.page_size,
	};
	if (h.page_size != page_size() || h.nr_cpus == 0 ||
	    (!map_is_percpu(h.type) && h.nr_cpus != 1)) {
		ret = uebpf_err(err, -EINVAL, "'%s': header has page size %u / %u CPU slots, which "
				"this machine cannot use", map->path, h.page_size, h.nr_cpus);
		goto fail;
	}
	ret = compute_layout(ops, &shape, &map->layout, name, err);
	if (ret)
		goto fail;
	if (map->layout.file_size != st_size) {
		ret = uebpf_err(err, -EINVAL, "'%s': size %llu does not match its shape (%llu "
				"expected): corrupt file", map->path, (unsigned long long)st_size,
				(unsigned long long)map->layout.file_size);
		goto fail;
	}
	map->ops = ops;
	ret = map_mmap(map, err);
	if (ret)
		goto fail;
	fill_identity(map);
	ret = registry_add_map(map, err);
	if (ret)
		goto fail;
	*out = map;
	return 0;
fail:
	map_free(map);
	return ret;
}

void uebpf_map_destroy(struct uebpf_map *map)
{
	if (!map)
		return;
	registry_remove_map(map);
	map_free(map);
}

int uebpf_map_unpin(struct uebpf_map *map, struct uebpf_error *err)
{
	if (!map)
		return uebpf_err(err, -EINVAL, "uebpf_map_unpin: map is NULL");
	if (!map->path)
		return uebpf_err(err, -EINVAL, "map '%s' is anonymous (no pin_dir): nothing to unpin",
				 map->name);
	if (unlink(map->path) && errno != ENOENT)
		return uebpf_err(err, -errno, "map '%s': cannot remove '%s': %s", map->name,
				 map->path, strerror(errno));
	free(map->path);
	map->path = NULL;
	return 0;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int uebpf_map_list_pinned(const char *pin_dir, uebpf_map_list_fn fn, void *ctx,
			  struct uebpf_error *err)
{
	struct dirent **entries;
	int n, ret = 0;

	if (!pin_dir || !fn)
		return uebpf_err(err, -EINVAL, "uebpf_map_list_pinned: pin_dir and fn must not be NULL");
	n = scandir(pin_dir, &entries, NULL, name_cmp);
	if (n < 0)
		return uebpf_err(err, -errno, "cannot list pin_dir '%s': %s", pin_dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		const struct map_ops *ops;
		struct uebpf_map_info info = { 0 };
		struct map_shm_header h;
		uint64_t st_size;
		char *path = NULL;
		int fd;

		if (ret || check_name(entries[i]->d_name, NULL) ||
		    !(path = join_path(pin_dir, entries[i]->d_name)))
			goto next;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd < 0)
			goto next;
		if (read_header(fd, path, &h, &st_size, &ops, NULL) == 0 &&
		    strcmp(h.name, entries[i]->d_name) == 0) {
			snprintf(info.name, sizeof(info.name), "%s", h.name);
			info.type = h.type;
			info.key_size = h.key_size;
			info.value_size = h.value_size;
			info.max_entries = h.max_entries;
			info.map_flags = h.map_flags;
			info.nr_slots = h.nr_cpus;
			info.map_extra = h.map_extra;
			info.frozen = h.frozen != 0;
			ret = fn(ctx, &info);
		}
		close(fd);
next:
		free(path);
		free(entries[i]);
	}
	free(entries);
	return ret;
}
