/* SPDX-License-Identifier: MIT */
/* Helpers shared by the subcommands: files, hex, program inputs, engines,
 * the conformance helper set, JSON strings. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "uebpf/asm.h"
#include "uebpf/vector.h"

/* The tool links the library statically and fills messages the same way. */
static int set_err(struct uebpf_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int set_err(struct uebpf_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void cli_errorf(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "uebpf %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---------------------------------------------------------------- files */

int cli_read_stream(FILE *f, const char *what, unsigned char **data,
		    size_t *len, struct uebpf_error *err)
{
	size_t cap = 4096, used = 0;
	unsigned char *buf = malloc(cap);

	if (!buf)
		return set_err(err, -ENOMEM, "out of memory reading %s", what);
	for (;;) {
		size_t n;

		if (cap - used < 2) {
			unsigned char *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				free(buf);
				return set_err(err, -ENOMEM, "out of memory reading %s", what);
			}
			buf = bigger;
			cap *= 2;
		}
		n = fread(buf + used, 1, cap - used - 1, f);
		used += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int code = errno ? -errno : -EIO;

		free(buf);
		return set_err(err, code, "cannot read %s: %s", what, strerror(-code));
	}
	buf[used] = '\0';
	*data = buf;
	*len = used;
	return 0;
}

int cli_read_file(const char *path, unsigned char **data, size_t *len,
		  struct uebpf_error *err)
{
	FILE *f = fopen(path, "rb");
	int ret;

	if (!f)
		return set_err(err, -errno, "cannot open: %s", strerror(errno));
	ret = cli_read_stream(f, "the file", data, len, err);
	fclose(f);
	return ret;
}

int cli_write_file(const char *path, const void *data, size_t len,
		   struct uebpf_error *err)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return set_err(err, -errno, "cannot create: %s", strerror(errno));
	if (fwrite(data, 1, len, f) != len) {
		int code = errno ? -errno : -EIO;

		fclose(f);
		return set_err(err, code, "cannot write: %s", strerror(-code));
	}
	if (fclose(f) != 0)
		return set_err(err, -errno, "cannot write: %s", strerror(errno));
	return 0;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int cli_parse_hex(const char *text, unsigned char **bytes, size_t *len,
		  struct uebpf_error *err)
{
	size_t cap = strlen(text) / 2 + 1, n = 0;
	unsigned char *out = malloc(cap);
	const char *p = text;

	if (!out)
		return set_err(err, -ENOMEM, "out of memory parsing hex");
	while (*p) {
		const char *tok;
		size_t digits;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		tok = p;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		digits = 0;
		while (*p && !isspace((unsigned char)*p)) {
			if (hex_digit((unsigned char)*p) < 0) {
				free(out);
				return set_err(err, -EINVAL,
					       "bad hex byte '%.*s' at offset %zu: use hex digit pairs such as \"01 ff\"",
					       (int)strcspn(tok, " \t\r\n"), tok,
					       (size_t)(tok - text));
			}
			p++;
			digits++;
		}
		if (digits == 0 || digits % 2) {
			free(out);
			return set_err(err, -EINVAL,
				       "bad hex token '%.*s' at offset %zu: each byte needs two hex digits",
				       (int)(p - tok), tok, (size_t)(tok - text));
		}
		for (const char *d = p - digits; d < p; d += 2)
			out[n++] = (unsigned char)(hex_digit((unsigned char)d[0]) << 4 |
						   hex_digit((unsigned char)d[1]));
	}
	*bytes = out;
	*len = n;
	return 0;
}

bool cli_parse_u64(const char *text, uint64_t *out)
{
	char *end;

	if (!text || !*text || *text == '-' || isspace((unsigned char)*text))
		return false;
	errno = 0;
	*out = strtoull(text, &end, 0);
	return errno == 0 && *end == '\0';
}

/* ------------------------------------------------------- program inputs */

const char *cli_input_kind_name(enum cli_input_kind kind)
{
	switch (kind) {
	case CLI_INPUT_RAW: return "raw instructions";
	case CLI_INPUT_ASM: return "assembly";
	case CLI_INPUT_VECTOR: return "conformance vector";
	case CLI_INPUT_ELF: return "ELF object";
	}
	return "?";
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

static bool looks_like_text(const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = data[i];

		if (c == '\0' || (c < 0x20 && !isspace(c)) || c == 0x7f)
			return false;
	}
	return true;
}

static bool has_section_line(const char *text)
{
	const char *line = text;

	while (line) {
		if (strncmp(line, "-- ", 3) == 0)
			return true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

enum cli_input_kind cli_guess_input_kind(const char *path,
					 const unsigned char *data, size_t len)
{
	/* Content wins over a misleading extension for ELF, the one format
	 * that must never be fed to the raw reader. */
	if (len >= 4 && memcmp(data, "\x7f" "ELF", 4) == 0)
		return CLI_INPUT_ELF;
	if (has_suffix(path, ".s") || has_suffix(path, ".asm"))
		return CLI_INPUT_ASM;
	if (has_suffix(path, ".data"))
		return CLI_INPUT_VECTOR;
	if (has_suffix(path, ".bin") || has_suffix(path, ".o"))
		return CLI_INPUT_RAW;
	/* Raw programs always hold NUL bytes (every exit has them), so a file
	 * that is all text is assembly or a vector. */
	if (len > 0 && looks_like_text(data, len))
		return has_section_line((const char *)data) ? CLI_INPUT_VECTOR
							    : CLI_INPUT_ASM;
	return CLI_INPUT_RAW;
}

static int raw_to_insns(const unsigned char *data, size_t len,
			struct cli_program *prog, struct uebpf_error *err)
{
	if (len == 0)
		return set_err(err, -EINVAL, "empty file: a raw program needs at least one 8-byte instruction");
	if (len % sizeof(struct bpf_insn))
		return set_err(err, -EINVAL,
			       "%zu bytes is not a whole number of 8-byte instructions (raw programs are little-endian 8-byte instructions)",
			       len);
	prog->insns = malloc(len);
	if (!prog->insns)
		return set_err(err, -ENOMEM, "out of memory");
	memcpy(prog->insns, data, len);
	prog->insn_cnt = len / sizeof(struct bpf_insn);
	return 0;
}

static int vector_to_program(const char *text, struct cli_program *prog,
			     struct uebpf_error *err)
{
	struct uebpf_vector vec;
	int ret = uebpf_vector_parse(text, &vec, err);

	if (ret)
		return ret;
	if (vec.asm_text) {
		ret = uebpf_asm(vec.asm_text, &prog->insns, &prog->insn_cnt, err);
		if (ret)
			goto out;
		if (vec.raw && (vec.raw_cnt != prog->insn_cnt ||
				memcmp(vec.raw, prog->insns,
				       vec.raw_cnt * sizeof(*vec.raw)))) {
			ret = set_err(err, -EINVAL,
				      "the asm and raw sections disagree: the asm assembles to %zu instructions that differ from the raw section's %zu",
				      prog->insn_cnt, vec.raw_cnt);
			goto out;
		}
	} else if (vec.raw) {
		prog->insns = vec.raw;
		prog->insn_cnt = vec.raw_cnt;
		vec.raw = NULL;
	} else {
		ret = set_err(err, -EINVAL, "the vector has no program: add an `-- asm` or `-- raw` section");
		goto out;
	}
	if (vec.mem) {
		prog->mem = vec.mem;
		prog->mem_len = vec.mem_len;
		vec.mem = NULL;
	}
	prog->has_mem = prog->mem != NULL;
out:
	uebpf_vector_free(&vec);
	return ret;
}

int cli_load_program_file(const char *path, struct cli_program *prog,
			  struct uebpf_error *err)
{
	unsigned char *data;
	size_t len;
	int ret;

	memset(prog, 0, sizeof(*prog));
	ret = cli_read_file(path, &data, &len, err);
	if (ret)
		return ret;
	prog->kind = cli_guess_input_kind(path, data, len);
	switch (prog->kind) {
	case CLI_INPUT_ELF:
		ret = set_err(err, -EOPNOTSUPP,
			      "this is an ELF object: run its programs with `uebpf test-run OBJ [--prog NAME]`; `uebpf run` takes raw instructions (.bin), assembly (.s) or a vector (.data)");
		break;
	case CLI_INPUT_RAW:
		ret = raw_to_insns(data, len, prog, err);
		break;
	case CLI_INPUT_ASM:
		ret = uebpf_asm((const char *)data, &prog->insns, &prog->insn_cnt, err);
		break;
	case CLI_INPUT_VECTOR:
		ret = vector_to_program((const char *)data, prog, err);
		break;
	}
	free(data);
	if (ret)
		cli_program_free(prog);
	return ret;
}

void cli_program_free(struct cli_program *prog)
{
	free(prog->insns);
	free(prog->mem);
	prog->insns = NULL;
	prog->mem = NULL;
	prog->insn_cnt = prog->mem_len = 0;
}

/* ---------------------------------------------------------------- engines */

bool cli_parse_engine(const char *name, enum uebpf_engine *engine)
{
	if (strcmp(name, "interp") == 0)
		*engine = UEBPF_ENGINE_INTERP;
	else if (strcmp(name, "jit") == 0)
		*engine = UEBPF_ENGINE_JIT;
	else
		return false;
	return true;
}

const char *cli_engine_name(enum uebpf_engine engine)
{
	switch (engine) {
	case UEBPF_ENGINE_INTERP: return "interp";
	case UEBPF_ENGINE_JIT: return "jit";
	case UEBPF_ENGINE_DEFAULT: return "default";
	}
	return "?";
}

/* Helper 5 of the conformance suite (bpf_conformance, ubpf's plugin). */
static uint64_t conformance_return_arg(uint64_t r1, uint64_t r2, uint64_t r3,
				       uint64_t r4, uint64_t r5,
				       struct uebpf_run_ctx *rc)
{
	(void)r2; (void)r3; (void)r4; (void)r5;
	if (r1 == 0)
		uebpf_run_ctx_exit(rc, 0);
	return r1;
}

int cli_conformance_helpers(struct uebpf_helper_set **out,
			    struct uebpf_error *err)
{
	const struct uebpf_helper_proto unwind = {
		.id = 5,
		.name = "conformance_return_arg_or_exit",
		.fn = conformance_return_arg,
		.ret = UEBPF_RET_INTEGER,
		.args = { UEBPF_ARG_ANYTHING },
	};
	struct uebpf_helper_set *set;
	int ret = uebpf_helper_set_create(&set, err);

	if (ret)
		return ret;
	ret = uebpf_helper_set_add(set, &unwind, err);
	if (ret) {
		uebpf_helper_set_destroy(set);
		return ret;
	}
	*out = set;
	return 0;
}

/* ------------------------------------------------------------------- JSON */

void cli_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (c < 0x20)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}
