/* SPDX-License-Identifier: MIT */
/*
 * Maps: key/value stores shared between eBPF programs and the host.
 *
 * Map memory is shared memory with a position-independent layout and
 * process-shared synchronisation, so a second process can open a map by name
 * (as bpffs pinning allows in Linux) and read or change it while a program
 * runs. Map types and flags use Linux's values (enum bpf_map_type,
 * BPF_F_* flags, BPF_ANY/BPF_NOEXIST/BPF_EXIST) from <linux/bpf.h>.
 */
#ifndef UEBPF_MAP_H
#define UEBPF_MAP_H

#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct uebpf_map;

struct uebpf_map_spec {
	size_t sz;
	const char *name;          /* required; [A-Za-z0-9_.] up to 63 chars */
	uint32_t type;             /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;        /* BPF_F_NO_PREALLOC, BPF_F_RDONLY_PROG, ... */
	/* Map-in-map: a map whose shape inner maps must have. Borrowed. */
	const struct uebpf_map *inner_map;
	/* Where the map's shared-memory file lives so other processes can open
	 * it by name; NULL: anonymous (not visible to other processes). */
	const char *pin_dir;
};
#define UEBPF_MAP_SPEC_SZ_LAST offsetof(struct uebpf_map_spec, pin_dir)

int uebpf_map_create(const struct uebpf_map_spec *spec, struct uebpf_map **out,
		     struct uebpf_error *err);
/* Opens a map another process created with a pin_dir. */
int uebpf_map_open(const char *pin_dir, const char *name, struct uebpf_map **out,
		   struct uebpf_error *err);
void uebpf_map_destroy(struct uebpf_map *map);

const char *uebpf_map_name(const struct uebpf_map *map);
uint32_t uebpf_map_type(const struct uebpf_map *map);
uint32_t uebpf_map_key_size(const struct uebpf_map *map);
uint32_t uebpf_map_value_size(const struct uebpf_map *map);
uint32_t uebpf_map_max_entries(const struct uebpf_map *map);
uint32_t uebpf_map_flags(const struct uebpf_map *map);

/* Host-side access, with the kernel's bpf(2) semantics (BPF_MAP_*_ELEM):
 * per-CPU maps take and return one value per possible CPU, each rounded up
 * to 8 bytes (see uebpf_map_nr_cpus). */
int uebpf_map_lookup(struct uebpf_map *map, const void *key, void *value,
		     struct uebpf_error *err);
int uebpf_map_update(struct uebpf_map *map, const void *key, const void *value,
		     uint64_t flags, struct uebpf_error *err);
int uebpf_map_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err);
/* key NULL: first key. Returns -ENOENT after the last. */
int uebpf_map_get_next_key(struct uebpf_map *map, const void *key, void *next_key,
			   struct uebpf_error *err);
unsigned uebpf_map_nr_cpus(void);

#ifdef __cplusplus
}
#endif
#endif
