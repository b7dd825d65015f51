/* SPDX-License-Identifier: MIT */
/*
 * Objects: what one clang/libbpf-style ELF file (`clang -target bpf`) yields.
 *
 * The life cycle follows libbpf's bpf_object:
 *   open   parses the ELF, BTF and .BTF.ext, finds programs (by SEC name),
 *          maps (BTF `.maps`, legacy `maps`, global data sections) and links
 *          every program: `.text` sub-programs are appended, calls and code
 *          addresses fixed up, map and global-data references encoded as map
 *          indexes. Nothing is created yet: the host may read and change
 *          global data (e.g. `const volatile` settings in .rodata), map sizes
 *          or which programs load.
 *   load   creates the maps (reusing pinned ones), writes their initial
 *          contents, creates one uebpf_prog per program and fills static
 *          `values` initialisers (map-in-map slots get uebpf_map_id of the
 *          inner map, prog array slots the program's id in the program
 *          registry, uebpf_prog_registry_add, removed again on destroy).
 *   destroy  frees programs, maps and the object.
 *
 * Linked instructions reference maps as the kernel's fd_array loads do:
 * `lddw rX, map` is src_reg = BPF_PSEUDO_MAP_IDX (5) with imm = the index of
 * the map in the object (uebpf_object_map_at), and `lddw rX, &global + off`
 * is src_reg = BPF_PSEUDO_MAP_IDX_VALUE (6) with imm = map index and the
 * second slot's imm = byte offset in the value. uebpf_object_load hands all
 * the object's maps, in that order, to uebpf_prog_load (uebpf_prog_opts.maps).
 */
#ifndef UEBPF_OBJECT_H
#define UEBPF_OBJECT_H

#include "uebpf/map.h"
#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct btf; /* libbpf's BTF object, <bpf/btf.h> */

struct uebpf_object;
struct uebpf_object_prog;  /* one program of an object */
struct uebpf_object_map;   /* one map definition of an object */

enum uebpf_object_pin_mode {
	/* As libbpf: only maps whose definition says
	 * `__uint(pinning, LIBBPF_PIN_BY_NAME)` are placed in pin_dir. */
	UEBPF_PIN_BY_DEFINITION = 0,
	/* Every map (global data included) is placed in pin_dir, so another
	 * process (`uebpf map dump`) can open it by name. */
	UEBPF_PIN_ALL,
};

struct uebpf_object_opts {
	size_t sz;
	/* Name used in messages; default: the file's base name without
	 * extension ("mem" for open_mem). */
	const char *name;
	/* Directory for pinned maps; NULL: no map is pinned (pinning
	 * requests are ignored). A pinned map that already exists there with
	 * the same shape is reused, as libbpf does with bpffs. */
	const char *pin_dir;
	enum uebpf_object_pin_mode pin_mode;
	/* Helpers every program of the object may call. Borrowed: must
	 * outlive the object. NULL: no helpers. */
	const struct uebpf_helper_set *helpers;
};
#define UEBPF_OBJECT_OPTS_SZ_LAST offsetof(struct uebpf_object_opts, helpers)

/* Opens an object file or an in-memory copy of one (the buffer is copied).
 * Refuses anything but a little-endian 64-bit relocatable EM_BPF ELF, and
 * any program whose relocations cannot be resolved (kfunc calls, externs,
 * CO-RE relocations against kernel types, unknown relocation types), naming
 * the section, the instruction and what to do. */
int uebpf_object_open_file(const char *path, const struct uebpf_object_opts *opts,
			   struct uebpf_object **out, struct uebpf_error *err);
int uebpf_object_open_mem(const void *buf, size_t len,
			  const struct uebpf_object_opts *opts,
			  struct uebpf_object **out, struct uebpf_error *err);

/* Creates the maps and programs. On failure everything created so far is
 * destroyed again and the object may be loaded again. -EALREADY when it is
 * loaded already. */
int uebpf_object_load(struct uebpf_object *obj, struct uebpf_error *err);
void uebpf_object_destroy(struct uebpf_object *obj);

const char *uebpf_object_name(const struct uebpf_object *obj);
/* Contents of SEC("license"); "" when the object has none. */
const char *uebpf_object_license(const struct uebpf_object *obj);
/* Contents of SEC("version") (legacy kernel version), 0 when none. */
uint32_t uebpf_object_kern_version(const struct uebpf_object *obj);
bool uebpf_object_is_loaded(const struct uebpf_object *obj);
/* The object's BTF (owned by the object), NULL when it has none. */
const struct btf *uebpf_object_btf(const struct uebpf_object *obj);

/* -------------------------------------------------------------- programs */

size_t uebpf_object_prog_cnt(const struct uebpf_object *obj);
/* NULL when idx is out of range. */
struct uebpf_object_prog *uebpf_object_prog_at(const struct uebpf_object *obj, size_t idx);
/* By function name; NULL when there is none. */
struct uebpf_object_prog *uebpf_object_find_prog(const struct uebpf_object *obj,
						 const char *name);

const char *uebpf_object_prog_name(const struct uebpf_object_prog *prog);
/* The SEC() name, e.g. "tracepoint/syscalls/sys_enter_write". */
const char *uebpf_object_prog_section(const struct uebpf_object_prog *prog);
/* enum bpf_prog_type derived from the section name by libbpf's conventions;
 * BPF_PROG_TYPE_UNSPEC (0) for sections libbpf does not know. */
uint32_t uebpf_object_prog_type(const struct uebpf_object_prog *prog);
/* enum bpf_attach_type libbpf would use (e.g. BPF_CGROUP_INET_INGRESS), 0
 * when the section implies none. */
uint32_t uebpf_object_prog_expected_attach_type(const struct uebpf_object_prog *prog);
/* The section's convention, e.g. "kprobe", "uretprobe", "cgroup_skb/ingress",
 * "xdp"; "" for unknown sections. Tells apart kinds sharing a program type
 * (kprobe/kretprobe/uprobe/usdt are all BPF_PROG_TYPE_KPROBE). */
const char *uebpf_object_prog_sec_kind(const struct uebpf_object_prog *prog);
/* What the section name says to attach to, after the kind and its '/':
 * "syscalls/sys_enter_write" for a tracepoint, "/bin/true:main" for a
 * uprobe, "do_unlinkat" for a kprobe; "" when nothing is named. */
const char *uebpf_object_prog_attach_target(const struct uebpf_object_prog *prog);
/* Sleepable section (".s" suffix: uprobe.s, lsm.s, fentry.s, syscall). */
bool uebpf_object_prog_sleepable(const struct uebpf_object_prog *prog);

/* Overrides what the section name implied (before load), as libbpf's
 * bpf_program__set_type/set_expected_attach_type. -EBUSY after load. */
int uebpf_object_prog_set_type(struct uebpf_object_prog *prog, uint32_t prog_type,
			       uint32_t expected_attach_type);
/* Programs with autoload off are not created by uebpf_object_load. */
int uebpf_object_prog_set_autoload(struct uebpf_object_prog *prog, bool autoload);
bool uebpf_object_prog_autoload(const struct uebpf_object_prog *prog);

/* The linked instructions (sub-programs appended, map references encoded
 * as described at the top). Valid as long as the object. */
const struct bpf_insn *uebpf_object_prog_insns(const struct uebpf_object_prog *prog,
					       size_t *insn_cnt);
/* The loaded program, NULL before load or when autoload is off. Owned by the
 * object. */
struct uebpf_prog *uebpf_object_prog_get(const struct uebpf_object_prog *prog);

/* Debug information from .BTF.ext, rebased onto the linked instructions.
 * Strings point into the object's BTF. */
struct uebpf_func_info {
	size_t insn_idx;        /* first instruction of the function */
	uint32_t btf_type_id;   /* BTF_KIND_FUNC */
	const char *name;
};

struct uebpf_line_info {
	size_t insn_idx;        /* first instruction this line applies to */
	const char *file;
	const char *source;     /* the source line's text, "" when unknown */
	uint32_t line;
	uint32_t col;
};

/* Sorted by insn_idx; *out is NULL and 0 is returned when there is none. */
size_t uebpf_object_prog_func_info(const struct uebpf_object_prog *prog,
				   const struct uebpf_func_info **out);
size_t uebpf_object_prog_line_info(const struct uebpf_object_prog *prog,
				   const struct uebpf_line_info **out);
/* The line record covering instruction `insn_idx` (the last one at or
 * before it), NULL when there is none. */
const struct uebpf_line_info *
uebpf_object_prog_line_at(const struct uebpf_object_prog *prog, size_t insn_idx);
/* The function containing instruction `insn_idx`, NULL when unknown. */
const struct uebpf_func_info *
uebpf_object_prog_func_at(const struct uebpf_object_prog *prog, size_t insn_idx);

/* ------------------------------------------------------------------ maps */

/* Where a map definition came from. */
enum uebpf_object_map_origin {
	UEBPF_MAP_ORIGIN_BTF = 0,      /* struct { __uint(type, ...) } m SEC(".maps") */
	UEBPF_MAP_ORIGIN_LEGACY,       /* struct bpf_map_def m SEC("maps") */
	UEBPF_MAP_ORIGIN_GLOBAL_DATA,  /* .data, .rodata, .bss and .data.* etc. */
};

size_t uebpf_object_map_cnt(const struct uebpf_object *obj);
struct uebpf_object_map *uebpf_object_map_at(const struct uebpf_object *obj, size_t idx);
/* By name: the variable name for defined maps, the section name (".data",
 * ".rodata.str1.1") for global data. NULL when there is none. */
struct uebpf_object_map *uebpf_object_find_map(const struct uebpf_object *obj,
					       const char *name);

const char *uebpf_object_map_name(const struct uebpf_object_map *map);
enum uebpf_object_map_origin uebpf_object_map_origin(const struct uebpf_object_map *map);
/* The shape the map will be created with (name, type, sizes, flags; pin_dir
 * as load will use it; inner_map NULL). */
void uebpf_object_map_spec(const struct uebpf_object_map *map, struct uebpf_map_spec *spec);
/* LIBBPF_PIN_NONE (0) or LIBBPF_PIN_BY_NAME (1). */
uint32_t uebpf_object_map_pinning(const struct uebpf_object_map *map);
uint64_t uebpf_object_map_extra(const struct uebpf_object_map *map);
/* BTF ids of `__type(key, ...)` / `__type(value, ...)` (or of the global
 * data section's DATASEC as value), 0 when not given. */
uint32_t uebpf_object_map_btf_key_type_id(const struct uebpf_object_map *map);
uint32_t uebpf_object_map_btf_value_type_id(const struct uebpf_object_map *map);
/* Map-in-map: the inner map definition (`__array(values, struct inner)`),
 * NULL for other maps. Its uebpf_map (a template shape) exists after load. */
const struct uebpf_object_map *uebpf_object_map_inner(const struct uebpf_object_map *map);

/* Changes the shape before load (as bpf_map__set_max_entries etc.).
 * -EBUSY after load; global data maps keep their size. */
int uebpf_object_map_set_max_entries(struct uebpf_object_map *map, uint32_t max_entries);
int uebpf_object_map_set_flags(struct uebpf_object_map *map, uint32_t map_flags);

/* Global data: the bytes the single-element array map starts with (the
 * section's contents, zeros for .bss). Writable through the pointer until
 * load; after load the map holds the data (use uebpf_map_lookup/update) and
 * this returns NULL. NULL also for maps without initial data. */
void *uebpf_object_map_initial_value(struct uebpf_object_map *map, size_t *size);
/* Replaces the whole initial value (size must equal the value size).
 * -EBUSY after load. */
int uebpf_object_map_set_initial_value(struct uebpf_object_map *map, const void *data,
				       size_t size, struct uebpf_error *err);

/* A global variable by its symbol name ("threshold"): the global data map
 * holding it, its offset in the map's value and its size. -ENOENT when the
 * object has no such variable. */
int uebpf_object_find_var(const struct uebpf_object *obj, const char *name,
			  struct uebpf_object_map **map, uint32_t *offset, uint32_t *size);

/* The created map, NULL before load. Owned by the object (or borrowed from
 * a pinned map the object reused). */
struct uebpf_map *uebpf_object_map_get(const struct uebpf_object_map *map);

/* ------------------------------------------------------- section names */

struct uebpf_sec_info {
	uint32_t prog_type;             /* enum bpf_prog_type, 0 when unknown */
	uint32_t expected_attach_type;  /* enum bpf_attach_type */
	const char *kind;               /* see uebpf_object_prog_sec_kind */
	const char *attach_target;      /* points into the section name */
	bool sleepable;
	bool known;                     /* false: libbpf has no convention for it */
};

/* Derives program type and attach point from a SEC() name as libbpf does.
 * Returns false (and info->known = false) for unknown names. */
bool uebpf_sec_name_parse(const char *sec_name, struct uebpf_sec_info *info);

#ifdef __cplusplus
}
#endif
#endif /* UEBPF_OBJECT_H */
