/* SPDX-License-Identifier: MIT */
/* ringbuf: kernel record semantics, order, full, discard, wrap-around,
 * threads, and a consumer in another process. */
#include "test_map_util.h"

#include <pthread.h>

struct seen {
	uint32_t n;
	uint32_t sizes[4096];
	uint8_t first[4096];
	bool bad;
};

static int record(void *ctx, const void *data, size_t size)
{
	struct seen *s = ctx;
	const uint8_t *b = data;

	if (s->n < 4096) {
		s->sizes[s->n] = (uint32_t)size;
		s->first[s->n] = size ? b[0] : 0;
		/* Every byte of a record carries the same mark. */
		for (size_t i = 1; i < size; i++)
			s->bad |= b[i] != b[0];
	}
	s->n++;
	return 0;
}

static void test_ringbuf_order_and_content(void **state)
{
	struct uebpf_map *rb = new_map("rb", BPF_MAP_TYPE_RINGBUF, 0, 0, 4 * 4096, 0);
	struct uebpf_error err = { 0 };
	static struct seen s;
	uint8_t buf[300];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(map_ringbuf_query(rb, BPF_RB_RING_SIZE), 4 * 4096);
	assert_int_equal(uebpf_ringbuf_consume(rb, record, &s, &err), 0);
	for (int round = 0; round < 50; round++) {
		for (uint32_t i = 0; i < 20; i++) {
			uint32_t size = (i * 37 + (uint32_t)round) % 300;

			memset(buf, (int)(i + 1), sizeof(buf));
			assert_int_equal(map_ringbuf_output(rb, buf, size, 0), 0);
		}
		assert_int_equal(map_ringbuf_query(rb, BPF_RB_AVAIL_DATA),
				 map_ringbuf_query(rb, BPF_RB_PROD_POS) -
					 map_ringbuf_query(rb, BPF_RB_CONS_POS));
		s.n = 0;
		assert_int_equal(uebpf_ringbuf_consume(rb, record, &s, &err), 20);
		for (uint32_t i = 0; i < 20; i++) {
			uint32_t size = (i * 37 + (uint32_t)round) % 300;

			assert_int_equal(s.sizes[i], size);
			if (size)
				assert_int_equal(s.first[i], i + 1);
		}
		assert_false(s.bad);
		assert_int_equal(uebpf_ringbuf_avail(rb), 0);
	}
	uebpf_map_destroy(rb);
}

static void test_ringbuf_full_and_discard(void **state)
{
	struct uebpf_map *rb = new_map("rbfull", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	static struct seen s;
	void *samples[512];
	int n = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	/* 100-byte samples take 112 bytes with their header: 36 fit in 4096. */
	while ((samples[n] = map_ringbuf_reserve(rb, 100, 0)) != NULL) {
		memset(samples[n], n, 100);
		n++;
		assert_true(n < 512);
	}
	assert_int_equal(n, 4096 / 112); /* 36 */
	/* 64 bytes are left, but as in the kernel the producer stays less than
	 * the ring's size ahead of the consumer: a 64-byte record does not fit. */
	assert_null(map_ringbuf_reserve(rb, 50, 0));
	assert_non_null(samples[n] = map_ringbuf_reserve(rb, 40, 0)); /* 48 bytes */
	memset(samples[n], n, 40);
	n++;
	/* Nothing committed yet: the consumer sees nothing. */
	assert_int_equal(uebpf_ringbuf_consume(rb, record, &s, NULL), 0);
	for (int i = n - 1; i >= 0; i--) { /* commit out of order */
		if (i % 2)
			map_ringbuf_discard(samples[i], 0);
		else
			map_ringbuf_submit(samples[i], BPF_RB_NO_WAKEUP);
	}
	assert_int_equal(uebpf_ringbuf_consume(rb, record, &s, NULL), (n + 1) / 2);
	for (uint32_t i = 0; i < s.n; i++)
		assert_int_equal(s.first[i], 2 * i);
	/* Room again. */
	assert_null(map_ringbuf_reserve(rb, 4096 - 8, 0)); /* would fill the ring */
	assert_non_null(samples[0] = map_ringbuf_reserve(rb, 4096 - 16, 0));
	map_ringbuf_submit(samples[0], 0);
	assert_null(map_ringbuf_reserve(rb, 4096, 0));
	assert_null(map_ringbuf_reserve(rb, 8, 1)); /* flags must be 0 */
	assert_int_equal(map_ringbuf_output(rb, samples, 8, 0), -EAGAIN);
	assert_int_equal(map_ringbuf_output(rb, samples, 8, 4), -EINVAL);
	uebpf_map_destroy(rb);
}

static void test_ringbuf_commit_order(void **state)
{
	struct uebpf_map *rb = new_map("rbord", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	static struct seen s;
	uint8_t *a, *b;

	(void)state;
	memset(&s, 0, sizeof(s));
	a = map_ringbuf_reserve(rb, 16, 0);
	b = map_ringbuf_reserve(rb, 16, 0);
	assert_non_null(a);
	assert_non_null(b);
	memset(a, 'a', 16);
	memset(b, 'b', 16);
	map_ringbuf_submit(b, 0);
	assert_int_equal(uebpf_ringbuf_consume(rb, record, &s, NULL), 0);
	map_ringbuf_submit(a, 0);
	assert_int_equal(uebpf_ringbuf_consume(rb, record, &s, NULL), 2);
	assert_int_equal(s.first[0], 'a');
	assert_int_equal(s.first[1], 'b');
	uebpf_map_destroy(rb);
}

/* Records straddling the end of the data are contiguous (double map). */
static void test_ringbuf_wraparound(void **state)
{
	struct uebpf_map *rb = new_map("rbwrap", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	static struct seen s;
	uint8_t buf[1000];

	(void)state;
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 100; i++) {
		memset(buf, i, sizeof(buf));
		assert_int_equal(map_ringbuf_output(rb, buf, 1000 - (size_t)i, 0), 0);
		assert_int_equal(map_ringbuf_output(rb, buf, 999 - (size_t)i, 0), 0);
		assert_int_equal(uebpf_ringbuf_consume(rb, record, &s, NULL), 2);
	}
	assert_int_equal(s.n, 200);
	assert_false(s.bad);
	uebpf_map_destroy(rb);
}

static int stop_after_one(void *ctx, const void *data, size_t size)
{
	(void)data;
	(void)size;
	++*(int *)ctx;
	return 1;
}

static void test_ringbuf_callback_stops(void **state)
{
	struct uebpf_map *rb = new_map("rbstop", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	uint64_t v = 1;
	int calls = 0;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(map_ringbuf_output(rb, &v, sizeof(v), 0), 0);
	assert_int_equal(uebpf_ringbuf_consume(rb, stop_after_one, &calls, NULL), 1);
	assert_int_equal(uebpf_ringbuf_consume(rb, stop_after_one, &calls, NULL), 1);
	assert_int_equal(calls, 2);
	assert_int_equal(uebpf_ringbuf_avail(rb), 16);
	uebpf_map_destroy(rb);
}

static void test_ringbuf_spec_checks(void **state)
{
	struct uebpf_map_spec s = map_spec("r", BPF_MAP_TYPE_RINGBUF, 0, 0, 1000, 0);
	struct uebpf_error err;
	struct uebpf_map *m;

	(void)state;
	expect_create_error(&s, -EINVAL, "power of 2 and a multiple of the page size");
	s.max_entries = 3 * 4096;
	expect_create_error(&s, -EINVAL, "power of 2");
	s = map_spec("r", BPF_MAP_TYPE_RINGBUF, 4, 0, 4096, 0);
	expect_create_error(&s, -EINVAL, "key_size and value_size must be 0");
	m = new_map("r", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	assert_int_equal(uebpf_map_lookup(m, &s, &s, &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "does not support lookup"));
	uebpf_map_destroy(m);
}

/* --------------------------------------------------- concurrent producers */

struct producer {
	struct uebpf_map *rb;
	uint32_t id;
};

struct tagged {
	uint32_t producer;
	uint32_t seq;
};

#define PER_PRODUCER 20000

static void *produce(void *p)
{
	struct producer *pr = p;

	for (uint32_t i = 0; i < PER_PRODUCER; i++) {
		struct tagged t = { pr->id, i };

		while (map_ringbuf_output(pr->rb, &t, sizeof(t), 0) == -EAGAIN)
			sched_yield();
	}
	return NULL;
}

struct ordered {
	uint32_t next[8];
	uint32_t total;
	bool bad;
};

static int check_order(void *ctx, const void *data, size_t size)
{
	struct ordered *o = ctx;
	struct tagged t;

	memcpy(&t, data, sizeof(t));
	if (size != sizeof(t) || t.producer >= 8 || t.seq != o->next[t.producer])
		o->bad = true;
	else
		o->next[t.producer]++;
	o->total++;
	return 0;
}

static void test_ringbuf_threads(void **state)
{
	struct uebpf_map *rb = new_map("rbmt", BPF_MAP_TYPE_RINGBUF, 0, 0, 8192, 0);
	struct producer pr[3];
	struct ordered o = { 0 };
	pthread_t t[3];

	(void)state;
	for (uint32_t i = 0; i < 3; i++) {
		pr[i] = (struct producer){ rb, i };
		pthread_create(&t[i], NULL, produce, &pr[i]);
	}
	while (o.total < 3 * PER_PRODUCER && !o.bad) {
		int n = uebpf_ringbuf_poll(rb, check_order, &o, 1000, NULL);

		assert_true(n >= 0);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	assert_false(o.bad);
	assert_int_equal(o.total, 3 * PER_PRODUCER);
	uebpf_map_destroy(rb);
}

static int child_produces(void *dir)
{
	struct uebpf_map *rb;

	if (uebpf_map_open(dir, "events", &rb, NULL))
		return 1;
	for (uint32_t i = 0; i < PER_PRODUCER; i++) {
		struct tagged t = { 5, i };

		while (map_ringbuf_output(rb, &t, sizeof(t), 0) == -EAGAIN)
			sched_yield();
	}
	uebpf_map_destroy(rb);
	return 0;
}

static void test_ringbuf_other_process(void **state)
{
	struct uebpf_map_spec s = map_spec("events", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	struct ordered o = { 0 };
	struct uebpf_map *rb;
	char dir[64];
	int status, idle = 0;
	pid_t pid;

	(void)state;
	make_pin_dir(dir, sizeof(dir));
	s.pin_dir = dir;
	assert_int_equal(uebpf_map_create(&s, &rb, NULL), 0);
	pid = fork();
	if (pid == 0)
		_exit(child_produces(dir));
	/* Consume while the child produces: the ring (4 KiB) is far smaller
	 * than what goes through it, so both sides wait on each other. */
	while (o.total < PER_PRODUCER && !o.bad && idle < 30) {
		int n = uebpf_ringbuf_poll(rb, check_order, &o, 1000, NULL);

		assert_true(n >= 0);
		idle = n ? 0 : idle + 1;
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_false(o.bad);
	assert_int_equal(o.total, PER_PRODUCER);
	assert_int_equal(o.next[5], PER_PRODUCER);
	uebpf_map_destroy(rb);
	rm_pin_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ringbuf_order_and_content),
		cmocka_unit_test(test_ringbuf_full_and_discard),
		cmocka_unit_test(test_ringbuf_commit_order),
		cmocka_unit_test(test_ringbuf_wraparound),
		cmocka_unit_test(test_ringbuf_callback_stops),
		cmocka_unit_test(test_ringbuf_spec_checks),
		cmocka_unit_test(test_ringbuf_threads),
		cmocka_unit_test(test_ringbuf_other_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
