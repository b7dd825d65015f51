/* SPDX-License-Identifier: MIT */
/* Shared pieces of the `uebpf` command-line tool: the subcommand table,
 * exit codes, input loading and output helpers. */
#ifndef UEBPF_CLI_H
#define UEBPF_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/bpf.h> /* struct bpf_insn, as the public API uses it */

#include "uebpf/uebpf.h"

/* Kept equal to project(VERSION) in CMakeLists.txt. */
#define UEBPF_CLI_VERSION "0.1.0"

/* Exit codes, documented in docs/cli.md. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1,          /* bad input, refused program, failed vectors */
	CLI_EXIT_UNSUPPORTED = 2,   /* feature not in this build yet (JIT, ELF) */
	CLI_EXIT_USAGE = 64,        /* bad command line (sysexits EX_USAGE) */
};

/* A subcommand: argv[0] is its own name; returns a process exit code. */
struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;           /* for `uebpf --help`: arguments ... */
	const char *summary;        /* ... and what it does, in one line */
};

int cmd_asm(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_conformance(int argc, char **argv);
int cmd_plugin(int argc, char **argv);
int cmd_test_run(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_verify(int argc, char **argv);   /* cmd_verify.c (verifier) */

/* ------------------------------------------------------------- messages */

/* Prints "uebpf CMD: message" to stderr. */
void cli_errorf(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---------------------------------------------------------------- files */

/* Reads a whole file into a malloc'd buffer with a NUL appended (not counted
 * in *len) so text parsers can use it directly. */
int cli_read_file(const char *path, unsigned char **data, size_t *len,
		  struct uebpf_error *err);
int cli_read_stream(FILE *f, const char *what, unsigned char **data,
		    size_t *len, struct uebpf_error *err);
int cli_write_file(const char *path, const void *data, size_t len,
		   struct uebpf_error *err);

/* Parses hex bytes: whitespace-separated tokens, each an even number of hex
 * digits with an optional 0x prefix ("01 02", "0102", "0x01 0x02"). */
int cli_parse_hex(const char *text, unsigned char **bytes, size_t *len,
		  struct uebpf_error *err);

/* Parses a non-negative decimal (or 0x hex) integer argument. */
bool cli_parse_u64(const char *text, uint64_t *out);

/* ------------------------------------------------------- program inputs */

enum cli_input_kind {
	CLI_INPUT_RAW,      /* raw little-endian 8-byte instructions */
	CLI_INPUT_ASM,      /* text assembly */
	CLI_INPUT_VECTOR,   /* a conformance .data vector */
	CLI_INPUT_ELF,      /* an ELF object: not handled until the loader lands */
};

/* A program read from a file, with the input memory a vector carries. */
struct cli_program {
	enum cli_input_kind kind;
	struct bpf_insn *insns;     /* malloc'd */
	size_t insn_cnt;
	unsigned char *mem;         /* malloc'd; only from a vector's mem section */
	size_t mem_len;
	bool has_mem;
};

const char *cli_input_kind_name(enum cli_input_kind kind);

/* Decides how to read `path`: by extension (.s/.asm, .data, .bin), else by
 * content (ELF magic, text with "-- section" lines, other text, binary). */
enum cli_input_kind cli_guess_input_kind(const char *path,
					 const unsigned char *data, size_t len);

/* Reads a program from `path`. An ELF object yields -EOPNOTSUPP. The message
 * does not repeat the path; callers prefix it. */
int cli_load_program_file(const char *path, struct cli_program *prog,
			  struct uebpf_error *err);
void cli_program_free(struct cli_program *prog);

/* ---------------------------------------------------------------- engines */

/* "interp" / "jit" -> enum; false when unknown. */
bool cli_parse_engine(const char *name, enum uebpf_engine *engine);
const char *cli_engine_name(enum uebpf_engine engine);

/* The helpers the conformance vectors expect: helper 5 returns its first
 * argument and, when that is 0, ends the program at once with r0 = 0. */
int cli_conformance_helpers(struct uebpf_helper_set **out,
			    struct uebpf_error *err);

/* ------------------------------------------------------------------- JSON */

/* Writes `s` as a JSON string literal, quotes included. */
void cli_json_string(FILE *out, const char *s);

/* ------------------------------------------------------------ ELF objects */

/* True when the file starts with the ELF magic (false also when unreadable). */
bool cli_file_is_elf(const char *path);

/* `uebpf disasm OBJ [--prog NAME]`: prints the object's programs (or the one
 * named) with source lines and map names; returns an exit code. */
int cli_disasm_object(const char *path, const char *prog_name);
/* `uebpf disasm --jited FILE|OBJ [--prog NAME]` (disasm_jit.c): the JIT's
 * x86-64 code, checked or unchecked; returns an exit code. */
int cli_disasm_jited(const char *path, const char *prog_name, bool checked);

/* ------------------------------------------------- programs to test-run */

struct uebpf_object;
struct uebpf_object_prog;
struct uebpf_helper_set;

struct cli_load_opts {
	const char *path;           /* ELF object, raw .bin, .s or .data */
	const char *prog_name;      /* ELF: which program; NULL: the first */
	uint32_t prog_type;         /* 0: the section's (ELF) or raw */
	const char *pin_dir;        /* ELF: pin every map there; NULL: none */
};

struct cli_loaded_prog {
	struct uebpf_object *obj;           /* NULL for raw programs */
	struct uebpf_object_prog *oprog;
	struct uebpf_prog *prog;            /* owned by obj, or own_prog */
	struct uebpf_prog *own_prog;
	struct uebpf_helper_set *helpers;   /* the Linux set for prog_type */
	uint32_t prog_type;
	char *name;
	bool verified;
};

/* Loads the program with the Linux helpers of its type (all of an
 * object's maps are created, and pinned when pin_dir is set). */
int cli_load_for_run(const struct cli_load_opts *opts, struct cli_loaded_prog *lp,
		     struct uebpf_error *err);
void cli_loaded_prog_free(struct cli_loaded_prog *lp);
/* Runs the verifier (with the object's maps and line info); sets
 * lp->verified. raw_mem_size: the input size raw programs are proven for. */
int cli_verify_loaded(struct cli_loaded_prog *lp, size_t raw_mem_size, struct uebpf_error *err);

/* ------------------------------------------------------------------- maps */

struct btf;
struct uebpf_map;

/* Where `uebpf map` and `uebpf test-run --pin-dir` look for pinned maps
 * when no --pin-dir is given: $UEBPF_PIN_DIR, else this. */
#define CLI_DEFAULT_PIN_DIR "/dev/shm/uebpf"
const char *cli_default_pin_dir(void);

/* BTF of a map's key and value, for the typed form of a dump (all optional). */
struct cli_map_types {
	const struct btf *btf;
	const struct uebpf_object *obj;  /* places global variables in their section */
	uint32_t key_type_id;
	uint32_t value_type_id;
};

/* Bytes as lower-case hex, separated by spaces when `spaced`. */
void cli_print_hex(FILE *out, const void *data, size_t len, bool spaced);

/* Prints a map's contents: a header line and one line per element (text),
 * or one JSON object {"name", "type", sizes, "entries": [{"key", "value"
 * or per-CPU "values"}]}. All-zero array elements are only counted unless
 * `show_zero`. */
int cli_map_dump(FILE *out, struct uebpf_map *map, const struct cli_map_types *types,
		 bool json, bool show_zero, struct uebpf_error *err);

#endif /* UEBPF_CLI_H */
