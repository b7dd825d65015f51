# libFuzzer targets, built only with -DUEBPF_FUZZ=ON and clang, in a build
# directory of their own (see tests/fuzz/run-fuzz.sh and docs/testing.md):
#   CC=clang-19 cmake -B build-fuzz -DUEBPF_FUZZ=ON -DUEBPF_SANITIZE=ON
if(UEBPF_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "UEBPF_FUZZ=ON needs clang, which ships libFuzzer: "
                        "configure a separate build dir with CC=clang-19")
  endif()
  if(NOT UEBPF_SANITIZE)
    # The sanitizer runtimes also supply the coverage callbacks that the
    # instrumented library needs in the non-fuzzer executables.
    message(FATAL_ERROR "UEBPF_FUZZ=ON needs -DUEBPF_SANITIZE=ON")
  endif()

  # Coverage feedback from the library code the fuzzer drives; the library
  # objects are shared by every target of this build directory.
  target_compile_options(uebpf_objs PRIVATE -fsanitize=fuzzer-no-link)

  add_executable(fuzz_prog_run ${CMAKE_CURRENT_LIST_DIR}/fuzz_prog_run.c
                               ${CMAKE_CURRENT_LIST_DIR}/fuzz_helpers.c)
  target_compile_options(fuzz_prog_run PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_prog_run PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_prog_run PRIVATE uebpf_static)

  # The verifier and the unchecked engines together: accepted programs run
  # without checks (JIT and interpreter) against a checked referee.
  add_executable(fuzz_verified_run ${CMAKE_CURRENT_LIST_DIR}/fuzz_verified_run.c
                                   ${CMAKE_CURRENT_LIST_DIR}/fuzz_helpers.c)
  target_compile_options(fuzz_verified_run PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_verified_run PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_verified_run PRIVATE uebpf_static)

  # The ELF/BTF loader over arbitrary bytes: open_mem + load.
  add_executable(fuzz_loader ${CMAKE_CURRENT_LIST_DIR}/fuzz_loader.c)
  target_compile_options(fuzz_loader PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_loader PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_loader PRIVATE uebpf_static)

  add_executable(fuzz_seed_corpus
    ${CMAKE_CURRENT_LIST_DIR}/fuzz_seed_corpus.c
    ${CMAKE_CURRENT_SOURCE_DIR}/kernel/progen.c)
  target_include_directories(fuzz_seed_corpus PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/kernel)
  target_link_libraries(fuzz_seed_corpus PRIVATE uebpf_static)

  # The corpus is made at test time from the conformance vectors (never
  # committed) and grows in the build directory from run to run.
  set(UEBPF_FUZZ_CORPUS ${CMAKE_BINARY_DIR}/fuzz-corpus/prog_run)
  add_test(NAME fuzz.prog_run.seed
           COMMAND fuzz_seed_corpus ${UEBPF_FUZZ_CORPUS} ${UEBPF_SHARED_DIR}/conformance)
  set_tests_properties(fuzz.prog_run.seed PROPERTIES FIXTURES_SETUP fuzz_prog_run_corpus)
  add_test(NAME fuzz.prog_run.smoke
           COMMAND fuzz_prog_run -max_total_time=20 -print_final_stats=1
                   -artifact_prefix=${CMAKE_BINARY_DIR}/fuzz-artifacts-
                   ${UEBPF_FUZZ_CORPUS})
  set_tests_properties(fuzz.prog_run.smoke PROPERTIES
                       FIXTURES_REQUIRED fuzz_prog_run_corpus TIMEOUT 300)
  # Same input layout, so the same seeds (a copy: libFuzzer adds to it).
  set(UEBPF_FUZZ_VERIFIED_CORPUS ${CMAKE_BINARY_DIR}/fuzz-corpus/verified_run)
  add_test(NAME fuzz.verified_run.seed
           COMMAND fuzz_seed_corpus ${UEBPF_FUZZ_VERIFIED_CORPUS} ${UEBPF_SHARED_DIR}/conformance)
  set_tests_properties(fuzz.verified_run.seed PROPERTIES
                       FIXTURES_SETUP fuzz_verified_run_corpus)
  add_test(NAME fuzz.verified_run.smoke
           COMMAND fuzz_verified_run -max_total_time=20 -print_final_stats=1
                   -artifact_prefix=${CMAKE_BINARY_DIR}/fuzz-artifacts-verified-
                   ${UEBPF_FUZZ_VERIFIED_CORPUS})
  set_tests_properties(fuzz.verified_run.smoke PROPERTIES
                       FIXTURES_REQUIRED fuzz_verified_run_corpus TIMEOUT 300)
endif()
