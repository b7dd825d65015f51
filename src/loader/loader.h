/* SPDX-License-Identifier: MIT */
/*
 * Internal shape of an object (include/uebpf/object.h), shared by the
 * loader's files:
 *   elf.c       ELF sections, symbols and relocations (libelf)
 *   maps_def.c  map definitions from BTF `.maps` and legacy `maps`
 *   globals.c   global data sections as single-element array maps
 *   link.c      per program: sub-programs appended, relocations applied
 *   btf_ext.c   .BTF.ext func/line info
 *   object.c    open/destroy and the accessors
 *   load.c      uebpf_object_load: maps and programs created
 */
#ifndef UEBPF_LOADER_H
#define UEBPF_LOADER_H

#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"
#include "uebpf/object.h"

#define LOADER_INSN_SZ 8u

enum obj_sec_kind {
	OBJ_SEC_OTHER = 0,  /* ignored: debug info, .llvm_addrsig, ... */
	OBJ_SEC_CODE,       /* executable: `.text` or a program section */
	OBJ_SEC_DATA,       /* .data, .data.* */
	OBJ_SEC_RODATA,     /* .rodata, .rodata.* */
	OBJ_SEC_BSS,        /* .bss, .bss.* */
	OBJ_SEC_MAPS_BTF,   /* .maps */
	OBJ_SEC_MAPS_LEGACY,/* maps */
};

struct obj_reloc {
	size_t offset;      /* byte offset in the target section */
	size_t sym;         /* symbol index */
	uint32_t type;      /* R_BPF_* */
};

struct obj_section {
	const char *name;   /* in the ELF string table */
	enum obj_sec_kind kind;
	uint32_t sh_type;
	uint64_t sh_flags;
	const uint8_t *data; /* NULL for NOBITS and empty sections */
	size_t size;
	struct obj_reloc *relocs;  /* sorted by offset; owned */
	size_t nr_relocs;
	bool is_text;
	int map_idx;        /* global data: index of its map, -1 otherwise */
};

struct obj_symbol {
	const char *name;   /* "" when unnamed */
	uint64_t value;
	uint64_t size;
	size_t shndx;       /* SHN_UNDEF for externs */
	uint8_t type;       /* STT_* */
	uint8_t bind;       /* STB_* */
};

/* A function inside a code section: the unit that is copied when a
 * program calls it. */
struct obj_func {
	size_t shndx;
	size_t start;       /* first instruction in the section */
	size_t cnt;
	const char *name;
	bool global;
};

struct obj_insn_origin {
	uint32_t shndx;
	uint32_t idx;       /* instruction index in that section */
};

enum obj_map_init_kind { MAP_INIT_MAP, MAP_INIT_PROG };

/* A slot of a map-in-map or prog array filled by a `values` initialiser. */
struct obj_map_init {
	uint32_t slot;
	enum obj_map_init_kind kind;
	size_t target;      /* map index, or program index */
};

struct uebpf_object_map {
	struct uebpf_object *obj;
	char *name;
	enum uebpf_object_map_origin origin;
	size_t shndx;       /* where it is defined */
	uint64_t sec_offset;
	uint64_t def_size;
	uint32_t type, key_size, value_size, max_entries, map_flags;
	uint32_t pinning;
	uint64_t map_extra;
	uint32_t btf_key_type_id, btf_value_type_id;
	struct uebpf_object_map *inner; /* owned template, not in obj->maps */
	uint64_t values_off;            /* byte offset of `values` in the definition */
	bool has_values;
	struct obj_map_init *inits;
	size_t nr_inits;
	uint8_t *initial;               /* global data; owned */
	size_t initial_size;
	struct uebpf_map *map;          /* after load */
};

struct uebpf_object_prog {
	struct uebpf_object *obj;
	char *name;
	const char *section;
	size_t shndx;
	size_t func;                    /* index in obj->funcs */
	struct uebpf_sec_info sec;
	bool autoload;
	struct bpf_insn *insns;         /* linked; owned */
	size_t insn_cnt;
	struct obj_insn_origin *origin; /* per linked instruction; owned */
	struct uebpf_func_info *func_info;
	size_t nr_func_info;
	struct uebpf_line_info *line_info;
	size_t nr_line_info;
	struct uebpf_prog *prog;        /* after load */
	uint32_t registry_id;           /* program registry id, 0 when none */
};

struct uebpf_object {
	char *name;
	char *pin_dir;
	enum uebpf_object_pin_mode pin_mode;
	const struct uebpf_helper_set *helpers;

	void *image;                    /* owned copy of the file */
	size_t image_size;
	Elf *elf;
	size_t shstrndx;

	struct obj_section *secs;       /* indexed by ELF section index */
	size_t nr_secs;
	struct obj_symbol *syms;
	size_t nr_syms;
	size_t symtab_shndx;

	struct obj_func *funcs;         /* sorted by (shndx, start) */
	size_t nr_funcs;

	struct uebpf_object_prog *progs;
	size_t nr_progs;
	struct uebpf_object_map **maps;
	size_t nr_maps;
	struct uebpf_map **map_ptrs;    /* created maps, by index; lent to programs */

	struct btf *btf;                /* owned, NULL without .BTF */
	const uint8_t *btf_ext;         /* .BTF.ext section, NULL without */
	size_t btf_ext_size;

	char license[128];
	uint32_t kern_version;
	bool loaded;
};

/* elf.c: reads sections, symbols and relocations into obj. */
int obj_elf_parse(struct uebpf_object *obj, struct uebpf_error *err);
/* Finds the function of section `shndx` containing instruction `idx`. */
const struct obj_func *obj_func_at(const struct uebpf_object *obj, size_t shndx, size_t idx);
/* The relocation at byte `offset` of section `shndx`, NULL if none. */
const struct obj_reloc *obj_reloc_at(const struct uebpf_object *obj, size_t shndx,
				     size_t offset);
/* "section 'xdp' insn 12" style location, for messages. */
const char *obj_sec_name(const struct uebpf_object *obj, size_t shndx);

/* maps_def.c */
int obj_maps_parse(struct uebpf_object *obj, struct uebpf_error *err);
/* Adds a map to obj->maps (takes ownership). */
int obj_map_add(struct uebpf_object *obj, struct uebpf_object_map *map,
		struct uebpf_error *err);
void obj_map_free(struct uebpf_object_map *map);
/* The map defined at `offset` of maps section `shndx`, -1 if none. */
int obj_map_find_def(const struct uebpf_object *obj, size_t shndx, uint64_t offset);
/* map-in-map and prog array `values` initialisers (needs programs). */
int obj_maps_collect_inits(struct uebpf_object *obj, struct uebpf_error *err);

/* globals.c */
int obj_globals_parse(struct uebpf_object *obj, struct uebpf_error *err);

/* link.c */
int obj_link_prog(struct uebpf_object *obj, struct uebpf_object_prog *prog,
		  struct uebpf_error *err);

/* btf_ext.c: fills func_info/line_info of every program. */
int obj_btf_ext_apply(struct uebpf_object *obj, struct uebpf_error *err);
/* Refuses CO-RE relocations (.BTF.ext core_relo) uebpf cannot resolve. */
int obj_btf_ext_check_core(struct uebpf_object *obj, struct uebpf_error *err);

#endif /* UEBPF_LOADER_H */
