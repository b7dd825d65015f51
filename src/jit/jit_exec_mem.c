/* SPDX-License-Identifier: MIT */
/*
 * Executable memory for JIT images: a process-wide pool, so that compiling
 * a program costs a copy, not a fresh mapping (mmap, page faults, mprotect,
 * munmap and the TLB flushes they bring: about 9 us per image).
 *
 * W^X: each pool chunk is one memfd mapped twice, read-execute where the
 * code runs and read-write where the JIT writes it. No mapping is ever
 * writable and executable; the writable view is never executed and never
 * handed out. Images are packed at 64-byte granularity (a bitmap per chunk,
 * first fit); the tail of an image's block and a freed block are filled
 * with int3, so a stale pointer into the pool traps rather than running
 * other code.
 *
 * The pool is the library's one piece of process-wide state: executable
 * memory is a process resource (the kernel's bpf_prog_pack is the same
 * idea). A mutex guards it; allocation and release take it briefly, running
 * code never does.
 *
 * fork: a child shares the memfd pages with its parent (MAP_SHARED), so
 * neither may write them afterwards, or one would overwrite code the other
 * still runs. A pthread_atfork handler seals every chunk that exists at the
 * fork, in both processes: sealed chunks keep running the images they hold
 * and are unmapped once those are freed, new images go to new chunks.
 * (posix_spawn and system() do not run fork handlers and need none: the
 * child shares nothing the parent writes before exec.)
 *
 * When a memfd cannot be mapped executable (an old kernel, seccomp,
 * vm.memfd_noexec), each image gets a private anonymous mapping of its own,
 * written while read-write and then switched to read-execute for good
 * (mprotect), as before the pool existed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/error.h"
#include "jit/jit_internal.h"

#define POOL_UNIT 64                      /* bytes; image blocks are multiples */
#define POOL_CHUNK_SIZE (256 * 1024)      /* bytes mapped per chunk (at least) */
#define INT3 0xcc

struct jit_exec_chunk {
	struct jit_exec_chunk *next;
	uint8_t *rx;                      /* where the code runs */
	uint8_t *rw;                      /* where it is written; NULL: private image */
	size_t size;                      /* bytes mapped (each view) */
	size_t nr_units;
	size_t used_units;
	size_t hint;                      /* first unit that may be free */
	bool sealed;                      /* shared with a forked process: never written again */
	uint64_t bitmap[];                /* bit set: unit in use */
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct jit_exec_chunk *pool_chunks;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static bool pool_unusable;               /* memfd views failed once: private images only */

static void pool_prepare_fork(void)
{
	pthread_mutex_lock(&pool_lock);
	for (struct jit_exec_chunk *ch = pool_chunks; ch; ch = ch->next)
		ch->sealed = true;
}

static void pool_after_fork(void)
{
	pthread_mutex_unlock(&pool_lock);
}

static void pool_init(void)
{
	if (pthread_atfork(pool_prepare_fork, pool_after_fork, pool_after_fork))
		pool_unusable = true;   /* without the handler a fork could corrupt code */
}

static size_t page_size(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 0 ? (size_t)page : 4096;
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

static bool unit_used(const struct jit_exec_chunk *ch, size_t u)
{
	return (ch->bitmap[u / 64] >> (u % 64)) & 1;
}

static void mark_units(struct jit_exec_chunk *ch, size_t first, size_t n, bool used)
{
	for (size_t u = first; u < first + n; u++) {
		if (used)
			ch->bitmap[u / 64] |= 1ull << (u % 64);
		else
			ch->bitmap[u / 64] &= ~(1ull << (u % 64));
	}
}

/* The first run of `n` free units at or after the chunk's hint; SIZE_MAX
 * when none. */
static size_t find_free_run(const struct jit_exec_chunk *ch, size_t n)
{
	size_t run = 0, start = 0, u = ch->hint;

	while (u < ch->nr_units) {
		if (u % 64 == 0 && ch->bitmap[u / 64] == UINT64_MAX) {
			run = 0;
			u += 64;
			continue;
		}
		if (unit_used(ch, u)) {
			run = 0;
		} else {
			if (!run)
				start = u;
			if (++run == n)
				return start;
		}
		u++;
	}
	return SIZE_MAX;
}

/* A new memfd chunk of at least `min_size` bytes, or NULL (errno set). */
static struct jit_exec_chunk *chunk_create(size_t min_size)
{
	size_t size = round_up(min_size > POOL_CHUNK_SIZE ? min_size : POOL_CHUNK_SIZE,
			       page_size());
	size_t nr_units = size / POOL_UNIT;
	struct jit_exec_chunk *ch;
	void *rx = MAP_FAILED, *rw = MAP_FAILED;
	int fd, saved;

	ch = calloc(1, sizeof(*ch) + (nr_units + 63) / 64 * sizeof(uint64_t));
	if (!ch)
		return NULL;
	fd = memfd_create("uebpf-jit", MFD_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (ftruncate(fd, (off_t)size))
		goto fail;
	rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	if (rx == MAP_FAILED)
		goto fail;
	rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (rw == MAP_FAILED)
		goto fail;
	close(fd);   /* the mappings keep the pages */
	ch->rx = rx;
	ch->rw = rw;
	ch->size = size;
	ch->nr_units = nr_units;
	return ch;
fail:
	saved = errno;
	if (rx != MAP_FAILED)
		munmap(rx, size);
	if (fd >= 0)
		close(fd);
	free(ch);
	errno = saved;
	return NULL;
}

static void chunk_destroy(struct jit_exec_chunk *ch)
{
	munmap(ch->rx, ch->size);
	if (ch->rw)
		munmap(ch->rw, ch->size);
	free(ch);
}

/* The fallback: a private mapping for one image, written, then made
 * read-execute. */
static int private_image(const uint8_t *bytes, size_t len, struct jit_exec_mem *out,
			 struct uebpf_error *err)
{
	size_t size = round_up(len, page_size());
	struct jit_exec_chunk *ch = calloc(1, sizeof(*ch));
	void *mem;
	int ret;

	if (!ch)
		return uebpf_err(err, -ENOMEM, "out of memory for a JIT image");
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		ret = -errno;
		free(ch);
		return uebpf_err(err, ret, "cannot map %zu bytes for JIT code: %s", size,
				 strerror(-ret));
	}
	memcpy(mem, bytes, len);
	memset((uint8_t *)mem + len, INT3, size - len);
	if (mprotect(mem, size, PROT_READ | PROT_EXEC)) {
		ret = -errno;
		munmap(mem, size);
		free(ch);
		return uebpf_err(err, ret,
				 "cannot make JIT code executable (mprotect): %s; a security policy "
				 "may forbid executable mappings", strerror(-ret));
	}
	ch->rx = mem;
	ch->size = size;
	out->code = mem;
	out->chunk = ch;
	return 0;
}

int jit_exec_alloc(const uint8_t *bytes, size_t len, struct jit_exec_mem *out,
		   struct uebpf_error *err)
{
	size_t units = round_up(len ? len : 1, POOL_UNIT) / POOL_UNIT;
	struct jit_exec_chunk *ch;
	size_t first = SIZE_MAX;

	memset(out, 0, sizeof(*out));
	pthread_once(&pool_once, pool_init);
	pthread_mutex_lock(&pool_lock);
	if (pool_unusable) {
		pthread_mutex_unlock(&pool_lock);
		return private_image(bytes, len, out, err);
	}
	for (ch = pool_chunks; ch; ch = ch->next) {
		if (ch->sealed || ch->nr_units - ch->used_units < units)
			continue;
		first = find_free_run(ch, units);
		if (first != SIZE_MAX)
			break;
	}
	if (!ch) {
		ch = chunk_create(units * POOL_UNIT);
		if (!ch) {
			/* Not a memory shortage: a policy refusing executable memfd
			 * mappings. Every later image takes the private path. */
			if (errno != ENOMEM)
				pool_unusable = true;
			pthread_mutex_unlock(&pool_lock);
			return private_image(bytes, len, out, err);
		}
		ch->next = pool_chunks;
		pool_chunks = ch;
		first = 0;
	}
	mark_units(ch, first, units, true);
	ch->used_units += units;
	if (first == ch->hint)
		ch->hint = first + units;
	pthread_mutex_unlock(&pool_lock);

	/* The block is ours: write it outside the lock. */
	memcpy(ch->rw + first * POOL_UNIT, bytes, len);
	memset(ch->rw + first * POOL_UNIT + len, INT3, units * POOL_UNIT - len);
	out->code = ch->rx + first * POOL_UNIT;
	out->len = len;
	out->chunk = ch;
	return 0;
}

void jit_exec_free(struct jit_exec_mem *mem)
{
	struct jit_exec_chunk *ch = mem->chunk, **link;
	size_t first, units;
	bool destroy = false;

	if (!ch)
		return;
	if (!ch->rw) {   /* private image */
		chunk_destroy(ch);
		memset(mem, 0, sizeof(*mem));
		return;
	}
	first = (size_t)(mem->code - ch->rx) / POOL_UNIT;
	units = round_up(mem->len ? mem->len : 1, POOL_UNIT) / POOL_UNIT;
	pthread_mutex_lock(&pool_lock);
	if (!ch->sealed)
		memset(ch->rw + first * POOL_UNIT, INT3, units * POOL_UNIT);
	mark_units(ch, first, units, false);
	ch->used_units -= units;
	if (first < ch->hint)
		ch->hint = first;
	if (ch->used_units == 0) {
		/* Keep one empty chunk, so that compiling and freeing in turn
		 * does not map and unmap every time. */
		destroy = ch->sealed;
		for (struct jit_exec_chunk *o = pool_chunks; o && !destroy; o = o->next)
			if (o != ch && !o->sealed && o->used_units == 0)
				destroy = true;
		if (destroy) {
			for (link = &pool_chunks; *link != ch; link = &(*link)->next)
				;
			*link = ch->next;
		}
	}
	pthread_mutex_unlock(&pool_lock);
	if (destroy)
		chunk_destroy(ch);
	memset(mem, 0, sizeof(*mem));
}
