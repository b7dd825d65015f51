# Kernel parity: the example objects run through BPF_PROG_TEST_RUN in the
# kernel (libbpf) and through uebpf_prog_test_run must agree on return
# values, output data and context, and map contents after every run.
# Needs bpf(2) (root); exits 77 (skip) otherwise or without clang-19.
get_property(UEBPF_KPARITY_OBJECTS GLOBAL PROPERTY UEBPF_EXAMPLE_OBJECTS)
add_executable(kparity ${CMAKE_CURRENT_LIST_DIR}/kparity.c)
target_link_libraries(kparity PRIVATE uebpf_static PkgConfig::LIBBPF)
if(TARGET uebpf_examples)
  add_dependencies(kparity uebpf_examples)
endif()
add_test(NAME kernel.parity COMMAND kparity ${UEBPF_KPARITY_OBJECTS})
set_tests_properties(kernel.parity PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
