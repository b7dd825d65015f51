/* SPDX-License-Identifier: MIT */
/* The hash family's lock-free lookups under concurrent updates and
 * deletes of the same keys, from threads and from another process, for
 * the 4-byte, 8-byte and generic key paths; and lookups on a damaged
 * (cyclic) chain terminating. */
#include "test_map_util.h"
#include "maps/htab.h"

#include <pthread.h>
#include <sys/mman.h>

#define NKEYS 48
#define STABLE_KEYS 8    /* keys 0..7: updated in place, never deleted */
#define MAX_ENTRIES 32   /* fewer than NKEYS: inserts also hit -E2BIG */
#define VALUE_WORDS 3
#define READERS 2
#define READS_PER_READER 1500000
#define WRITES_PER_WRITER 800000
#define VALUE_MAGIC 0xa5a5000000000000ull
#define VALUE_FIXED_MASK 0xffff0000ffffffffull

/* Shared with the forked writer (MAP_SHARED anonymous memory). Writers
 * count a deletion in `delete_epoch` before it starts and keep
 * `deleting` raised while it runs, so a reader knows whether the element
 * it got may have been recycled for another key under its feet. */
struct key_state {
	uint64_t delete_epoch;
	uint32_t deleting;
	uint32_t pad;
};

struct shared {
	struct key_state keys[NKEYS];
	uint32_t writers_running;
};

struct stress {
	struct uebpf_map *map;
	struct shared *sh;
	uint32_t key_size;
	bool lru;
	/* per thread */
	uint64_t rng;
	uint64_t strict_checks, loose_checks, misses, failures;
	char failure[160];
};

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Key `id` spelled in key_size bytes; ids differ in every key word so the
 * 8-byte and generic paths compare all of them. */
static void make_key(uint32_t key_size, uint32_t id, uint8_t *key)
{
	uint32_t words[3] = { id * 2654435761u, ~id, id ^ 0x5a5a5a5au };

	memcpy(key, words, key_size);
}

/* Every value a writer stores for key id: the id and a magic in every word
 * (any byte mix of two such values still has them), a counter in the
 * rest. */
static void make_value(uint32_t id, uint64_t gen, uint64_t *v)
{
	for (int i = 0; i < VALUE_WORDS; i++)
		v[i] = VALUE_MAGIC | (gen & 0xffff) << 32 | id;
}

static bool value_is_of(const uint64_t *v, uint32_t id)
{
	for (int i = 0; i < VALUE_WORDS; i++)
		if ((__atomic_load_n(&v[i], __ATOMIC_RELAXED) & VALUE_FIXED_MASK) !=
		    (VALUE_MAGIC | id))
			return false;
	return true;
}

static void record_failure(struct stress *st, const char *what, uint32_t id, const uint64_t *v)
{
	if (!st->failures++)
		snprintf(st->failure, sizeof(st->failure), "%s: key %u value %016llx", what, id,
			 v ? (unsigned long long)__atomic_load_n(v, __ATOMIC_RELAXED) : 0ull);
}

static void write_some(struct stress *st, uint64_t ops)
{
	uint8_t key[12];
	uint64_t v[VALUE_WORDS];

	for (uint64_t i = 0; i < ops; i++) {
		uint64_t r = rng_next(&st->rng);
		uint32_t id = (uint32_t)(r % NKEYS);
		struct key_state *ks = &st->sh->keys[id];
		long ret;

		make_key(st->key_size, id, key);
		if (id < STABLE_KEYS || (r >> 32) % 2 == 0) {
			make_value(id, r >> 40, v);
			/* the host API for some updates: both paths share the table */
			if ((r >> 33) % 4 == 0)
				ret = uebpf_map_update(st->map, key, v, BPF_ANY, NULL);
			else
				ret = map_update_elem(st->map, key, v, BPF_ANY);
			if (ret && ret != -E2BIG)
				record_failure(st, "update failed", id, NULL);
			continue;
		}
		__atomic_fetch_add(&ks->delete_epoch, 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&ks->deleting, 1, __ATOMIC_SEQ_CST);
		ret = map_delete_elem(st->map, key);
		__atomic_fetch_sub(&ks->deleting, 1, __ATOMIC_SEQ_CST);
		if (ret && ret != -ENOENT)
			record_failure(st, "delete failed", id, NULL);
	}
}

static void *writer_thread(void *p)
{
	struct stress *st = p;

	write_some(st, WRITES_PER_WRITER);
	__atomic_fetch_sub(&st->sh->writers_running, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static bool in_pool(const struct uebpf_map *map, const void *p, size_t len)
{
	struct uebpf_region r;

	/* no cmocka assert here: this runs in reader threads */
	if (map_value_regions(map, &r, 1) != 1)
		return false;
	return (const uint8_t *)p >= (const uint8_t *)r.addr &&
	       (const uint8_t *)p + len <= (const uint8_t *)r.addr + r.len;
}

static void *reader_thread(void *p)
{
	struct stress *st = p;
	uint8_t key[12];
	uint64_t host_value[VALUE_WORDS];
	uint64_t n = 0;

	/* Keep reading while any writer runs, and at least a fixed number. */
	while (n < READS_PER_READER ||
	       __atomic_load_n(&st->sh->writers_running, __ATOMIC_SEQ_CST)) {
		uint32_t id = (uint32_t)(rng_next(&st->rng) % NKEYS);
		struct key_state *ks = &st->sh->keys[id];
		uint64_t epoch = __atomic_load_n(&ks->delete_epoch, __ATOMIC_SEQ_CST);
		bool quiet = __atomic_load_n(&ks->deleting, __ATOMIC_SEQ_CST) == 0;
		const uint64_t *v;

		n++;
		make_key(st->key_size, id, key);
		if (n % 8 == 0) {
			/* Host lookups copy under the bucket lock: always exact. */
			int ret = uebpf_map_lookup(st->map, key, host_value, NULL);

			if (ret == 0 && !value_is_of(host_value, id))
				record_failure(st, "host lookup copied a foreign value", id,
					       host_value);
			else if (ret && ret != -ENOENT)
				record_failure(st, "host lookup failed", id, NULL);
			else if (ret == -ENOENT && id < STABLE_KEYS && !st->lru)
				record_failure(st, "host lookup lost a stable key", id, NULL);
			continue;
		}
		v = map_lookup_elem(st->map, key);
		if (!v) {
			st->misses++;
			if (id < STABLE_KEYS && !st->lru)
				record_failure(st, "lookup lost a key that is never deleted", id, NULL);
			continue;
		}
		if (!in_pool(st->map, v, VALUE_WORDS * 8) || (uintptr_t)v % 8) {
			record_failure(st, "lookup returned a pointer outside the element pool", id,
				       NULL);
			continue;
		}
		if (!value_is_of(v, id)) {
			/* Exact unless a delete of this key overlapped the lookup
			 * (the element may then be reused at once, as the kernel's
			 * preallocated elements are) or LRU evicted it. */
			bool exact = !st->lru && quiet &&
				     __atomic_load_n(&ks->delete_epoch, __ATOMIC_SEQ_CST) == epoch;

			if (exact || (__atomic_load_n(v, __ATOMIC_RELAXED) & VALUE_MAGIC) !=
					     VALUE_MAGIC)
				record_failure(st, "lookup returned an element holding a foreign or "
					       "unwritten value", id, v);
			st->loose_checks++;
		} else {
			st->strict_checks++;
		}
	}
	return NULL;
}

static int child_writes(void *p)
{
	struct stress *st = p;

	st->rng ^= 0x9e3779b97f4a7c15ull;
	write_some(st, WRITES_PER_WRITER);
	__atomic_fetch_sub(&st->sh->writers_running, 1, __ATOMIC_SEQ_CST);
	return st->failures ? 1 : 0;
}

struct child_arg {
	struct stress *st;
	pid_t pid;
};

static void run_stress(uint32_t type, uint32_t key_size)
{
	struct uebpf_map *m = new_map("stress", type, key_size, VALUE_WORDS * 8, MAX_ENTRIES, 0);
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct stress readers[READERS], writer, child;
	pthread_t rt[READERS], wt;
	uint64_t strict = 0, loose = 0, misses = 0;
	bool lru = type == BPF_MAP_TYPE_LRU_HASH;
	uint8_t key[12];
	uint64_t v[VALUE_WORDS];
	int status = 0;
	pid_t pid, waited;

	assert_true(sh != MAP_FAILED);
	memset(sh, 0, sizeof(*sh));
	for (uint32_t id = 0; id < STABLE_KEYS; id++) {
		make_key(key_size, id, key);
		make_value(id, 0, v);
		assert_int_equal(uebpf_map_update(m, key, v, BPF_NOEXIST, NULL), 0);
	}
	sh->writers_running = 2;
	writer = (struct stress){ .map = m, .sh = sh, .key_size = key_size, .lru = lru,
				  .rng = 0x1234567 };
	child = writer;
	child.rng = 0x7654321;
	/* The other process writes through its own mapping of the memfd. */
	pid = fork();
	if (pid == 0)
		_exit(child_writes(&child));
	assert_true(pid > 0);
	assert_int_equal(pthread_create(&wt, NULL, writer_thread, &writer), 0);
	for (int i = 0; i < READERS; i++) {
		readers[i] = writer;
		readers[i].rng = 0xabcdef + (uint64_t)i * 7919;
		assert_int_equal(pthread_create(&rt[i], NULL, reader_thread, &readers[i]), 0);
	}
	/* Everything is joined before any check: a failing check leaves the
	 * function, and a thread still running would use its stack. */
	pthread_join(wt, NULL);
	waited = waitpid(pid, &status, 0);
	for (int i = 0; i < READERS; i++)
		pthread_join(rt[i], NULL);
	assert_int_equal(waited, pid);
	for (int i = 0; i < READERS; i++) {
		if (readers[i].failures)
			fail_msg("reader %d: %llu failures, first: %s", i,
				 (unsigned long long)readers[i].failures, readers[i].failure);
		strict += readers[i].strict_checks;
		loose += readers[i].loose_checks;
		misses += readers[i].misses;
	}
	if (writer.failures)
		fail_msg("writer: %s", writer.failure);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* The stable keys are still there with one of their values. */
	for (uint32_t id = 0; id < STABLE_KEYS && !lru; id++) {
		make_key(key_size, id, key);
		assert_int_equal(uebpf_map_lookup(m, key, v, NULL), 0);
		assert_true(value_is_of(v, id));
	}
	print_message("%s key %u: %llu exact values, %llu recycled during a delete, "
		      "%llu misses\n", lru ? "lru_hash" : "hash", key_size,
		      (unsigned long long)strict, (unsigned long long)loose,
		      (unsigned long long)misses);
	/* Some lookups found their key: the test did exercise the paths. */
	assert_true(strict > 0);
	munmap(sh, sizeof(*sh));
	uebpf_map_destroy(m);
}

static void test_stress_u32_keys(void **state)
{
	(void)state;
	run_stress(BPF_MAP_TYPE_HASH, 4);
}

static void test_stress_u64_keys(void **state)
{
	(void)state;
	run_stress(BPF_MAP_TYPE_HASH, 8);
}

static void test_stress_generic_keys(void **state)
{
	(void)state;
	run_stress(BPF_MAP_TYPE_HASH, 12);
}

static void test_stress_lru(void **state)
{
	(void)state;
	run_stress(BPF_MAP_TYPE_LRU_HASH, 4);
}

/* A damaged file (a chain that loops) must not hang lookups: the walk is
 * bounded by max_entries. */
static void test_cyclic_chain_terminates(void **state)
{
	struct uebpf_map *m = new_map("cycle", BPF_MAP_TYPE_HASH, 4, 8, 8, 0);
	uint32_t k = 1, other;
	uint64_t v = 7;
	struct htab_bucket *b;
	struct htab_elem *e;

	(void)state;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, NULL), 0);
	b = htab_bucket(m, map_hash_bytes(&k, 4, m->hash_seed));
	e = htab_elem(m, b->head);
	assert_non_null(e);
	e->next = b->head;
	/* A missing key of the same bucket walks the loop. */
	for (other = 2;; other++)
		if (htab_bucket(m, map_hash_bytes(&other, 4, m->hash_seed)) == b)
			break;
	assert_null(map_lookup_elem(m, &other));
	assert_non_null(map_lookup_elem(m, &k));
	assert_int_equal(uebpf_map_lookup(m, &other, &v, NULL), -ENOENT);
	uebpf_map_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress_u32_keys),
		cmocka_unit_test(test_stress_u64_keys),
		cmocka_unit_test(test_stress_generic_keys),
		cmocka_unit_test(test_stress_lru),
		cmocka_unit_test(test_cyclic_chain_terminates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
