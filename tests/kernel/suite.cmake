# Differential test against the Linux kernel: random programs (progen) run as
# XDP programs through BPF_PROG_TEST_RUN and in uebpf must agree byte for byte.
# Needs root and bpf(2); exits 77 (skip) otherwise. See docs/testing.md.
add_executable(kdiff
  ${CMAKE_CURRENT_LIST_DIR}/kdiff.c
  ${CMAKE_CURRENT_LIST_DIR}/progen.c
  ${CMAKE_CURRENT_LIST_DIR}/kbpf.c)
target_include_directories(kdiff PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(kdiff PRIVATE uebpf_static PkgConfig::LIBBPF)
# A fixed seed keeps CI reproducible; other seeds: kdiff --seed S --count N.
add_test(NAME kernel.diff COMMAND kdiff --count 10000 --seed 1)
set_tests_properties(kernel.diff PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
