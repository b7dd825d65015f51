# The verifier corpus: programs in tests/verifier/{accept,reject}/*.s, each
# with its program type and expected verdict in its header comments.
add_executable(verifier_corpus ${CMAKE_CURRENT_LIST_DIR}/run_corpus.c
                               ${CMAKE_CURRENT_LIST_DIR}/corpus_spec.c)
target_link_libraries(verifier_corpus PRIVATE uebpf_static)
add_test(NAME verifier.corpus
         COMMAND verifier_corpus ${CMAKE_CURRENT_LIST_DIR})
set_tests_properties(verifier.corpus PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# The same in C: programs compiled by clang-19, checked with BTF line info.
include(${CMAKE_CURRENT_LIST_DIR}/c.cmake)
