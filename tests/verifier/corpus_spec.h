/* SPDX-License-Identifier: MIT */
/*
 * The header of a verifier corpus file (the .s files of tests/verifier/accept
 * and tests/verifier/reject), read by the corpus runner and by vagree:
 *
 *   # type: xdp                      program type (default raw)
 *   # mem: 64                        raw programs: buffer size
 *   # strict: yes                    unprivileged rules
 *   # attach: N                      expected attach type
 *   # map: NAME TYPE KEY VALUE MAX [rdonly|wronly]
 *   # expect: accept|refuse
 *   # reason: text the refusal must contain
 *   # insn: N                        the instruction it must name
 */
#ifndef UEBPF_TESTS_CORPUS_SPEC_H
#define UEBPF_TESTS_CORPUS_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "uebpf/verifier.h"

#define CORPUS_MAX_MAPS 16

struct corpus_spec {
	struct uebpf_verify_opts opts;         /* opts.maps points into maps[] */
	struct uebpf_verify_map maps[CORPUS_MAX_MAPS];
	char map_names[CORPUS_MAX_MAPS][32];
	bool expect_accept, have_expect;
	char reason[400];
	long insn;                              /* -1: not given */
};

/* The whole file, NUL-terminated (malloc'd), or NULL with errno set. */
char *corpus_read_file(const char *path);

/* Fills *s from the header lines of `text`. Returns 0, or -1 with what is
 * wrong in why[] (an unknown program type, a bad map line). Whether the
 * expectation lines are present is the caller's business. */
int corpus_parse_header(const char *text, struct corpus_spec *s, char *why, size_t why_len);

#endif
