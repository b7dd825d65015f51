# Differential fuzzer: random programs (progen from tests/kernel, plus
# jitdiff's own generator and bit-flip mutations that exercise faults, the
# budget, helpers and calls) run in the checked interpreter and the checked
# JIT, which must agree exactly. Longer runs: jitdiff --count N --seed S.
# Compile-time figure: jitdiff --bench-compile 4096 (see docs/jit.md).
add_executable(jitdiff
  ${CMAKE_CURRENT_LIST_DIR}/jitdiff.c
  ${CMAKE_SOURCE_DIR}/tests/kernel/progen.c)
target_include_directories(jitdiff PRIVATE ${CMAKE_SOURCE_DIR}/tests/kernel)
target_link_libraries(jitdiff PRIVATE uebpf_static)
# A fixed seed keeps CI reproducible.
add_test(NAME jit.diff COMMAND jitdiff --count 20000 --seed 1)
set_tests_properties(jit.diff PROPERTIES TIMEOUT 600)
