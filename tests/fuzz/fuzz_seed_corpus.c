/* SPDX-License-Identifier: MIT */
/*
 * Writes a starting corpus for fuzz_prog_run (layout: fuzz_input.h):
 * every conformance vector's program with its input memory, assembled at run
 * time (the vectors stay outside the repo), plus random progen programs.
 *
 * usage: fuzz_seed_corpus OUT_DIR CONFORMANCE_DIR [PROGEN_COUNT]
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/bpf.h>

#include "fuzz_input.h"
#include "progen.h"
#include "uebpf/asm.h"
#include "uebpf/uebpf.h"
#include "uebpf/vector.h"

static int write_input(const char *dir, const char *name, const void *mem, size_t mem_len,
		       const struct bpf_insn *insns, size_t cnt)
{
	unsigned char header[FUZZ_HEADER_LEN] = { (unsigned char)mem_len,
						  (unsigned char)(mem_len >> 8), 0, 0 };
	char path[4096];
	FILE *f;
	int ok;

	if (mem_len > FUZZ_MAX_MEM)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "fuzz_seed_corpus: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fwrite(header, 1, sizeof(header), f) == sizeof(header) &&
	     (!mem_len || fwrite(mem, 1, mem_len, f) == mem_len) &&
	     fwrite(insns, sizeof(*insns), cnt, f) == cnt;
	ok = !fclose(f) && ok;
	if (!ok)
		fprintf(stderr, "fuzz_seed_corpus: cannot write %s\n", path);
	return ok ? 1 : -1;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long len;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (text = malloc((size_t)len + 1))) {
		if (fread(text, 1, (size_t)len, f) != (size_t)len) {
			free(text);
			text = NULL;
		} else {
			text[len] = '\0';
		}
	}
	fclose(f);
	return text;
}

/* Returns the number of inputs written, or -1. */
static int seed_vectors(const char *out_dir, const char *vec_dir, const char *prefix)
{
	struct dirent *de;
	int written = 0;
	DIR *d = opendir(vec_dir);

	if (!d) {
		fprintf(stderr, "fuzz_seed_corpus: cannot open %s: %s\n", vec_dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		struct uebpf_vector v = { 0 };
		struct bpf_insn *insns = NULL;
		size_t cnt = 0, nlen = strlen(de->d_name);
		char path[4096], name[512];
		char *text;
		int ret = -1;

		if (nlen < 6 || strcmp(de->d_name + nlen - 5, ".data"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", vec_dir, de->d_name);
		text = read_text(path);
		if (text && !uebpf_vector_parse(text, &v, NULL)) {
			if (v.raw) {
				insns = v.raw;
				cnt = v.raw_cnt;
				v.raw = NULL;
				ret = 0;
			} else if (v.asm_text) {
				ret = uebpf_asm(v.asm_text, &insns, &cnt, NULL);
			}
		}
		/* Programs that do not even assemble are no use as seeds. */
		if (!ret) {
			snprintf(name, sizeof(name), "%s-%.*s", prefix, (int)(nlen - 5), de->d_name);
			ret = write_input(out_dir, name, v.mem, v.mem_len, insns, cnt);
			if (ret < 0) {
				free(insns);
				uebpf_vector_free(&v);
				free(text);
				closedir(d);
				return -1;
			}
			written += ret;
		}
		free(insns);
		uebpf_vector_free(&v);
		free(text);
	}
	closedir(d);
	return written;
}

static int seed_progen(const char *out_dir, unsigned long count)
{
	struct progen_opts opts = { .max_body_len = 32 };
	size_t len = progen_buffer_len(&opts);
	unsigned char *buf = malloc(len);
	int written = 0;

	if (!buf)
		return -1;
	for (unsigned long seed = 1; seed <= count; seed++) {
		struct progen_prog p;
		char name[64];
		int ret;

		if (progen_generate(seed, &opts, PROGEN_FRAME_RAW, &p))
			break;
		progen_fill_buffer(seed, &opts, buf);
		snprintf(name, sizeof(name), "progen-%lu", seed);
		ret = write_input(out_dir, name, buf, len, p.insns, p.cnt);
		progen_prog_free(&p);
		if (ret < 0) {
			free(buf);
			return -1;
		}
		written += ret;
	}
	free(buf);
	return written;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
	char buf[4096];
	size_t i, len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		buf[i] = path[i];
	}
	return 0;
}

int main(int argc, char **argv)
{
	char dir[4096];
	int tests, negative, progen, ret;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: fuzz_seed_corpus OUT_DIR CONFORMANCE_DIR [PROGEN_COUNT]\n");
		return 2;
	}
	ret = make_dirs(argv[1]);
	if (ret) {
		fprintf(stderr, "fuzz_seed_corpus: cannot create %s: %s\n", argv[1], strerror(-ret));
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/tests", argv[2]);
	tests = seed_vectors(argv[1], dir, "conf");
	snprintf(dir, sizeof(dir), "%s/negative", argv[2]);
	negative = seed_vectors(argv[1], dir, "neg");
	progen = seed_progen(argv[1], argc == 4 ? strtoul(argv[3], NULL, 0) : 100);
	if (tests < 0 || negative < 0 || progen < 0)
		return 1;
	printf("fuzz_seed_corpus: %d conformance, %d negative, %d progen inputs in %s\n", tests,
	       negative, progen, argv[1]);
	return 0;
}
