/* SPDX-License-Identifier: MIT */
/* ELF reading with libelf: sections, symbols, relocations and functions.
 * Everything read from the file is checked against the sizes libelf
 * reports, so lying headers give an error instead of a wild read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "common/error.h"
#include "loader/loader.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#ifndef R_BPF_64_64
#define R_BPF_64_64 1
#endif

const char *obj_sec_name(const struct uebpf_object *obj, size_t shndx)
{
	if (shndx >= obj->nr_secs || !obj->secs[shndx].name)
		return "?";
	return obj->secs[shndx].name;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ".data" and ".data.foo", not ".dataX". */
static bool is_named(const char *name, const char *base)
{
	size_t n = strlen(base);

	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

static enum obj_sec_kind classify(const char *name, const GElf_Shdr *sh)
{
	if (sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR))
		return OBJ_SEC_CODE;
	if (sh->sh_type == SHT_NOBITS && is_named(name, ".bss"))
		return OBJ_SEC_BSS;
	if (sh->sh_type != SHT_PROGBITS)
		return OBJ_SEC_OTHER;
	if (strcmp(name, ".maps") == 0)
		return OBJ_SEC_MAPS_BTF;
	if (strcmp(name, "maps") == 0)
		return OBJ_SEC_MAPS_LEGACY;
	if (is_named(name, ".data"))
		return OBJ_SEC_DATA;
	if (is_named(name, ".rodata"))
		return OBJ_SEC_RODATA;
	return OBJ_SEC_OTHER;
}

static int check_header(struct uebpf_object *obj, struct uebpf_error *err)
{
	GElf_Ehdr eh;
	const char *ident;
	size_t n;

	if (elf_kind(obj->elf) != ELF_K_ELF)
		return uebpf_err(err, -EINVAL, "%s: not an ELF file: compile with "
				 "`clang -target bpf -c`", obj->name);
	ident = elf_getident(obj->elf, &n);
	if (!ident || n < EI_NIDENT)
		return uebpf_err(err, -EINVAL, "%s: truncated ELF header", obj->name);
	if (ident[EI_CLASS] != ELFCLASS64)
		return uebpf_err(err, -EINVAL, "%s: 32-bit ELF; eBPF objects are ELF64", obj->name);
	if (ident[EI_DATA] != ELFDATA2LSB)
		return uebpf_err(err, -EINVAL, "%s: big-endian object (bpfeb); build it with "
				 "`-target bpfel` (or `-target bpf` on a little-endian host)",
				 obj->name);
	if (!gelf_getehdr(obj->elf, &eh))
		return uebpf_err(err, -EINVAL, "%s: bad ELF header: %s", obj->name,
				 elf_errmsg(-1));
	if (eh.e_machine != EM_BPF)
		return uebpf_err(err, -EINVAL, "%s: ELF machine is %u, not EM_BPF (247): "
				 "compile with `clang -target bpf`", obj->name, eh.e_machine);
	if (eh.e_type != ET_REL)
		return uebpf_err(err, -EINVAL, "%s: ELF type %u is not a relocatable object "
				 "(ET_REL); load the .o clang produced, not a linked file",
				 obj->name, eh.e_type);
	if (elf_getshdrstrndx(obj->elf, &obj->shstrndx))
		return uebpf_err(err, -EINVAL, "%s: no section name table: %s", obj->name,
				 elf_errmsg(-1));
	return 0;
}

static int read_section(struct uebpf_object *obj, Elf_Scn *scn, size_t idx,
			struct uebpf_error *err)
{
	struct obj_section *sec = &obj->secs[idx];
	GElf_Shdr sh;
	Elf_Data *data;

	sec->map_idx = -1;
	if (!gelf_getshdr(scn, &sh))
		return uebpf_err(err, -EINVAL, "%s: section %zu: bad header: %s", obj->name,
				 idx, elf_errmsg(-1));
	sec->name = elf_strptr(obj->elf, obj->shstrndx, sh.sh_name);
	if (!sec->name)
		return uebpf_err(err, -EINVAL, "%s: section %zu: name offset %u is outside "
				 "the section name table", obj->name, idx, sh.sh_name);
	sec->sh_type = sh.sh_type;
	sec->sh_flags = sh.sh_flags;
	sec->kind = classify(sec->name, &sh);
	sec->is_text = sec->kind == OBJ_SEC_CODE && strcmp(sec->name, ".text") == 0;
	if (sh.sh_type == SHT_NOBITS) {
		sec->size = sh.sh_size;
		if (sec->kind == OBJ_SEC_BSS && sec->size > (1u << 30))
			return uebpf_err(err, -E2BIG, "%s: section '%s' claims %llu bytes",
					 obj->name, sec->name, (unsigned long long)sh.sh_size);
		return 0;
	}
	if (sh.sh_type == SHT_NULL)
		return 0;
	/* libelf checks offset + size against the file: a section whose size
	 * lies fails here. */
	data = elf_getdata(scn, NULL);
	if (!data) {
		if (sh.sh_size == 0)
			return 0;
		return uebpf_err(err, -EINVAL, "%s: section '%s' (%zu): cannot read %llu bytes "
				 "at offset %llu: %s", obj->name, sec->name, idx,
				 (unsigned long long)sh.sh_size, (unsigned long long)sh.sh_offset,
				 elf_errmsg(-1));
	}
	if (data->d_size && !data->d_buf)
		return uebpf_err(err, -EINVAL, "%s: section '%s' has no data", obj->name, sec->name);
	sec->data = data->d_buf;
	sec->size = data->d_size;
	if (sec->kind == OBJ_SEC_CODE && sec->size % LOADER_INSN_SZ)
		return uebpf_err(err, -EINVAL, "%s: code section '%s' is %zu bytes, not a multiple "
				 "of the 8-byte instruction size", obj->name, sec->name, sec->size);
	return 0;
}

static int read_symbols(struct uebpf_object *obj, Elf_Scn *scn, size_t idx,
			struct uebpf_error *err)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	GElf_Shdr sh;
	size_t i, n;

	if (obj->syms)
		return uebpf_err(err, -EINVAL, "%s: more than one symbol table", obj->name);
	if (!gelf_getshdr(scn, &sh) || !data)
		return uebpf_err(err, -EINVAL, "%s: unreadable symbol table: %s", obj->name,
				 elf_errmsg(-1));
	n = data->d_size / sizeof(Elf64_Sym);
	obj->syms = calloc(n ? n : 1, sizeof(*obj->syms));
	if (!obj->syms)
		return uebpf_err(err, -ENOMEM, "%s: out of memory for %zu symbols", obj->name, n);
	obj->nr_syms = n;
	obj->symtab_shndx = idx;
	for (i = 0; i < n; i++) {
		struct obj_symbol *s = &obj->syms[i];
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym))
			return uebpf_err(err, -EINVAL, "%s: symbol %zu unreadable", obj->name, i);
		s->name = sym.st_name ? elf_strptr(obj->elf, sh.sh_link, sym.st_name) : "";
		if (!s->name)
			return uebpf_err(err, -EINVAL, "%s: symbol %zu: name offset %u is outside "
					 "the string table", obj->name, i, sym.st_name);
		s->value = sym.st_value;
		s->size = sym.st_size;
		s->shndx = sym.st_shndx;
		s->type = GELF_ST_TYPE(sym.st_info);
		s->bind = GELF_ST_BIND(sym.st_info);
		if (s->shndx >= SHN_LORESERVE)
			continue; /* SHN_ABS, SHN_COMMON: never referenced by code */
		if (s->shndx >= obj->nr_secs)
			return uebpf_err(err, -EINVAL, "%s: symbol '%s' is in section %zu, but the "
					 "object has %zu sections", obj->name, s->name, s->shndx,
					 obj->nr_secs);
	}
	return 0;
}

static int cmp_reloc(const void *a, const void *b)
{
	const struct obj_reloc *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int read_relocs(struct uebpf_object *obj, Elf_Scn *scn, size_t idx,
		       struct uebpf_error *err)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	struct obj_section *target;
	GElf_Shdr sh;
	size_t i, n;

	if (!gelf_getshdr(scn, &sh) || !data)
		return uebpf_err(err, -EINVAL, "%s: unreadable relocation section %zu: %s",
				 obj->name, idx, elf_errmsg(-1));
	if (sh.sh_info >= obj->nr_secs)
		return uebpf_err(err, -EINVAL, "%s: relocation section '%s' applies to section "
				 "%u, which does not exist", obj->name, obj_sec_name(obj, idx),
				 sh.sh_info);
	target = &obj->secs[sh.sh_info];
	/* Only code and map definitions are relocated here: debug info and
	 * BTF relocations serve linkers, not loaders. */
	if (target->kind != OBJ_SEC_CODE && target->kind != OBJ_SEC_MAPS_BTF)
		return 0;
	if (sh.sh_type == SHT_RELA)
		return uebpf_err(err, -EINVAL, "%s: '%s' has RELA relocations; clang emits REL "
				 "for BPF, rebuild the object with clang -target bpf",
				 obj->name, obj_sec_name(obj, idx));
	if (target->relocs)
		return uebpf_err(err, -EINVAL, "%s: section '%s' has two relocation sections",
				 obj->name, target->name);
	if (sh.sh_link != obj->symtab_shndx)
		return uebpf_err(err, -EINVAL, "%s: relocation section '%s' does not use the "
				 "symbol table", obj->name, obj_sec_name(obj, idx));
	n = data->d_size / sizeof(Elf64_Rel);
	target->relocs = calloc(n ? n : 1, sizeof(*target->relocs));
	if (!target->relocs)
		return uebpf_err(err, -ENOMEM, "%s: out of memory for relocations", obj->name);
	target->nr_relocs = n;
	for (i = 0; i < n; i++) {
		struct obj_reloc *r = &target->relocs[i];
		GElf_Rel rel;

		if (!gelf_getrel(data, (int)i, &rel))
			return uebpf_err(err, -EINVAL, "%s: relocation %zu of '%s' unreadable",
					 obj->name, i, target->name);
		r->offset = rel.r_offset;
		r->sym = GELF_R_SYM(rel.r_info);
		r->type = GELF_R_TYPE(rel.r_info);
		if (r->sym >= obj->nr_syms)
			return uebpf_err(err, -EINVAL, "%s: relocation %zu of '%s' names symbol %zu; "
					 "the symbol table has %zu", obj->name, i, target->name,
					 r->sym, obj->nr_syms);
		if (rel.r_offset >= target->size ||
		    (target->kind == OBJ_SEC_CODE && rel.r_offset % LOADER_INSN_SZ))
			return uebpf_err(err, -EINVAL, "%s: relocation %zu of '%s' at offset %llu "
					 "is outside the section (%zu bytes) or not on an "
					 "instruction", obj->name, i, target->name,
					 (unsigned long long)rel.r_offset, target->size);
	}
	qsort(target->relocs, n, sizeof(*target->relocs), cmp_reloc);
	for (i = 1; i < n; i++)
		if (target->relocs[i].offset == target->relocs[i - 1].offset)
			return uebpf_err(err, -EINVAL, "%s: two relocations at offset %zu of '%s'",
					 obj->name, target->relocs[i].offset, target->name);
	return 0;
}

const struct obj_reloc *obj_reloc_at(const struct uebpf_object *obj, size_t shndx,
				     size_t offset)
{
	const struct obj_section *sec = &obj->secs[shndx];
	size_t lo = 0, hi = sec->nr_relocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sec->relocs[mid].offset == offset)
			return &sec->relocs[mid];
		if (sec->relocs[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int cmp_func(const void *a, const void *b)
{
	const struct obj_func *x = a, *y = b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Functions come from STT_FUNC symbols; code outside any (a section without
 * function symbols) becomes one function per section, named after it. */
static int collect_funcs(struct uebpf_object *obj, struct uebpf_error *err)
{
	size_t i, n = 0, cap = obj->nr_syms + obj->nr_secs;

	obj->funcs = calloc(cap ? cap : 1, sizeof(*obj->funcs));
	if (!obj->funcs)
		return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
	for (i = 0; i < obj->nr_syms; i++) {
		const struct obj_symbol *s = &obj->syms[i];
		const struct obj_section *sec;

		if (s->type != STT_FUNC || s->shndx == SHN_UNDEF || s->shndx >= obj->nr_secs)
			continue;
		sec = &obj->secs[s->shndx];
		if (sec->kind != OBJ_SEC_CODE)
			return uebpf_err(err, -EINVAL, "%s: function '%s' is in section '%s', which "
					 "is not executable", obj->name, s->name, sec->name);
		if (s->value % LOADER_INSN_SZ || s->size % LOADER_INSN_SZ ||
		    s->value > sec->size || s->size > sec->size - s->value)
			return uebpf_err(err, -EINVAL, "%s: function '%s' (offset %llu, %llu bytes) "
					 "does not fit section '%s' (%zu bytes) on instruction "
					 "boundaries", obj->name, s->name,
					 (unsigned long long)s->value, (unsigned long long)s->size,
					 sec->name, sec->size);
		obj->funcs[n++] = (struct obj_func){
			.shndx = s->shndx, .start = s->value / LOADER_INSN_SZ,
			.cnt = s->size / LOADER_INSN_SZ, .name = s->name,
			.global = s->bind != STB_LOCAL,
		};
	}
	qsort(obj->funcs, n, sizeof(*obj->funcs), cmp_func);
	for (i = 0; i < n; i++) {
		struct obj_func *f = &obj->funcs[i];
		size_t sec_cnt = obj->secs[f->shndx].size / LOADER_INSN_SZ;
		bool last = i + 1 == n || obj->funcs[i + 1].shndx != f->shndx;
		size_t end = last ? sec_cnt : obj->funcs[i + 1].start;

		if (f->cnt == 0 && f->start < end)
			f->cnt = end - f->start; /* size-less symbol: up to the next */
		if (f->cnt == 0)
			return uebpf_err(err, -EINVAL, "%s: function '%s' in section '%s' has no "
					 "instructions", obj->name, f->name, obj->secs[f->shndx].name);
		if (f->start + f->cnt > end)
			return uebpf_err(err, -EINVAL, "%s: functions '%s' and '%s' overlap in "
					 "section '%s'", obj->name, f->name,
					 obj->funcs[i + 1].name, obj->secs[f->shndx].name);
	}
	for (i = 0; i < obj->nr_secs; i++) {
		const struct obj_section *sec = &obj->secs[i];
		size_t j;
		bool found = false;

		if (sec->kind != OBJ_SEC_CODE || sec->size == 0)
			continue;
		for (j = 0; j < n && !found; j++)
			found = obj->funcs[j].shndx == i;
		if (!found)
			obj->funcs[n++] = (struct obj_func){
				.shndx = i, .start = 0, .cnt = sec->size / LOADER_INSN_SZ,
				.name = sec->name, .global = !sec->is_text,
			};
	}
	qsort(obj->funcs, n, sizeof(*obj->funcs), cmp_func);
	obj->nr_funcs = n;
	return 0;
}

const struct obj_func *obj_func_at(const struct uebpf_object *obj, size_t shndx, size_t idx)
{
	size_t lo = 0, hi = obj->nr_funcs;

	/* Last function starting at or before (shndx, idx). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct obj_func *f = &obj->funcs[mid];

		if (f->shndx < shndx || (f->shndx == shndx && f->start <= idx))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	{
		const struct obj_func *f = &obj->funcs[lo - 1];

		if (f->shndx != shndx || idx >= f->start + f->cnt)
			return NULL;
		return f;
	}
}

static int read_license(struct uebpf_object *obj, const struct obj_section *sec,
			struct uebpf_error *err)
{
	size_t n = sec->size < sizeof(obj->license) - 1 ? sec->size : sizeof(obj->license) - 1;

	if (!sec->data || sec->size == 0)
		return 0;
	if (!memchr(sec->data, '\0', sec->size))
		return uebpf_err(err, -EINVAL, "%s: section 'license' is not a NUL-terminated "
				 "string", obj->name);
	memcpy(obj->license, sec->data, n);
	obj->license[n] = '\0';
	return 0;
}

int obj_elf_parse(struct uebpf_object *obj, struct uebpf_error *err)
{
	Elf_Scn *scn = NULL;
	size_t i, n;
	int ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return uebpf_err(err, -EINVAL, "libelf is too old: %s", elf_errmsg(-1));
	obj->elf = elf_memory(obj->image, obj->image_size);
	if (!obj->elf)
		return uebpf_err(err, -EINVAL, "%s: not a readable ELF file: %s", obj->name,
				 elf_errmsg(-1));
	ret = check_header(obj, err);
	if (ret)
		return ret;
	if (elf_getshdrnum(obj->elf, &n))
		return uebpf_err(err, -EINVAL, "%s: bad section count: %s", obj->name,
				 elf_errmsg(-1));
	if (n == 0 || n > 65535)
		return uebpf_err(err, -EINVAL, "%s: %zu sections", obj->name, n);
	obj->secs = calloc(n, sizeof(*obj->secs));
	if (!obj->secs)
		return uebpf_err(err, -ENOMEM, "%s: out of memory", obj->name);
	obj->nr_secs = n;

	for (i = 0; (scn = elf_nextscn(obj->elf, scn)); ) {
		i = elf_ndxscn(scn);
		if (i >= n)
			return uebpf_err(err, -EINVAL, "%s: section index %zu out of range", obj->name, i);
		ret = read_section(obj, scn, i, err);
		if (ret)
			return ret;
	}
	/* Symbols before relocations: relocations are checked against them. */
	for (scn = NULL; (scn = elf_nextscn(obj->elf, scn)); ) {
		i = elf_ndxscn(scn);
		if (obj->secs[i].sh_type == SHT_SYMTAB) {
			ret = read_symbols(obj, scn, i, err);
			if (ret)
				return ret;
		}
	}
	if (!obj->syms)
		return uebpf_err(err, -EINVAL, "%s: no symbol table; do not strip BPF objects",
				 obj->name);
	for (scn = NULL; (scn = elf_nextscn(obj->elf, scn)); ) {
		i = elf_ndxscn(scn);
		if (obj->secs[i].sh_type == SHT_REL || obj->secs[i].sh_type == SHT_RELA) {
			ret = read_relocs(obj, scn, i, err);
			if (ret)
				return ret;
		}
	}
	for (i = 0; i < n; i++) {
		const struct obj_section *sec = &obj->secs[i];

		if (!sec->name)
			continue;
		if (strcmp(sec->name, "license") == 0) {
			ret = read_license(obj, sec, err);
			if (ret)
				return ret;
		} else if (strcmp(sec->name, "version") == 0 && sec->data) {
			if (sec->size != sizeof(uint32_t))
				return uebpf_err(err, -EINVAL, "%s: section 'version' is %zu bytes, "
						 "not 4", obj->name, sec->size);
			memcpy(&obj->kern_version, sec->data, sizeof(uint32_t));
		} else if (strcmp(sec->name, ".BTF.ext") == 0 && sec->data) {
			obj->btf_ext = sec->data;
			obj->btf_ext_size = sec->size;
		} else if (has_prefix(sec->name, ".kconfig") || has_prefix(sec->name, ".ksyms")) {
			return uebpf_err(err, -EOPNOTSUPP, "%s: section '%s' holds kernel externs, "
					 "which uebpf cannot provide; remove __kconfig/__ksym "
					 "variables", obj->name, sec->name);
		}
	}
	return collect_funcs(obj, err);
}
