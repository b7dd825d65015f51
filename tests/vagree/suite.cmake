# Agreement of uebpf's verifier with the kernel's: the verifier corpus, the
# example objects and generated XDP programs loaded into both; every
# disagreement must be listed in deliberate.txt with a reason. Needs bpf(2)
# (root); exits 77 (skip) otherwise. See docs/verifier.md.
get_property(UEBPF_VAGREE_OBJECTS GLOBAL PROPERTY UEBPF_EXAMPLE_OBJECTS)
add_executable(vagree
  ${CMAKE_CURRENT_LIST_DIR}/vagree.c
  ${CMAKE_CURRENT_LIST_DIR}/../vsound/vgen.c
  ${CMAKE_CURRENT_LIST_DIR}/../vsound/shadow.c
  ${CMAKE_CURRENT_LIST_DIR}/../kernel/kbpf.c
  ${CMAKE_CURRENT_LIST_DIR}/../verifier/corpus_spec.c)
target_include_directories(vagree PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../vsound
                           ${CMAKE_CURRENT_LIST_DIR}/../kernel
                           ${CMAKE_CURRENT_LIST_DIR}/../verifier)
target_link_libraries(vagree PRIVATE uebpf_static PkgConfig::LIBBPF)
if(TARGET uebpf_examples)
  add_dependencies(vagree uebpf_examples)
endif()
add_test(NAME verifier.agreement
         COMMAND vagree --corpus ${CMAKE_SOURCE_DIR}/tests/verifier
                        --deliberate ${CMAKE_CURRENT_LIST_DIR}/deliberate.txt
                        --vgen 2000 --seed 1 ${UEBPF_VAGREE_OBJECTS})
set_tests_properties(verifier.agreement PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
