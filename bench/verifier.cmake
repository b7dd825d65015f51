# Verification speed: time and states explored per program for the example
# objects, big synthetic programs and generated ones, next to the kernel's
# verification time (log_level 4) when bpf(2) is permitted. Not a test:
# run `build/bench/bench_verifier` by hand; it prints a table.
add_executable(bench_verifier
  ${CMAKE_CURRENT_LIST_DIR}/bench_verifier.c
  ${CMAKE_SOURCE_DIR}/tests/vsound/vgen.c)
target_include_directories(bench_verifier PRIVATE ${CMAKE_SOURCE_DIR}/tests/vsound)
target_compile_definitions(bench_verifier PRIVATE
  UEBPF_BENCH_EXAMPLES_DIR="${CMAKE_BINARY_DIR}/examples")
target_link_libraries(bench_verifier PRIVATE uebpf_static PkgConfig::LIBBPF)
if(TARGET uebpf_examples)
  add_dependencies(bench_verifier uebpf_examples)
endif()
