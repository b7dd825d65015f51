# The verifier's C corpus: libbpf-style programs in c/reject/*.bpf.c (unsafe,
# each naming the refusal it must get) and c/accept/*.bpf.c (safe), compiled
# with clang-19 like the examples and run by run_c_corpus.c (CTest
# verifier.c_corpus). Without clang-19 the objects are missing and the test
# skips.
set(UEBPF_VERIFIER_C_OBJ_DIR ${CMAKE_BINARY_DIR}/tests/verifier/c)

add_executable(verifier_c_corpus ${CMAKE_CURRENT_LIST_DIR}/run_c_corpus.c)
target_link_libraries(verifier_c_corpus PRIVATE uebpf_static)

if(CLANG_BPF)
  if(CMAKE_LIBRARY_ARCHITECTURE)
    set(_vc_multiarch /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  else()
    set(_vc_multiarch /usr/include/x86_64-linux-gnu)
  endif()
  file(GLOB _vc_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/c/*/*.bpf.c)
  set(_vc_outputs "")
  foreach(src ${_vc_sources})
    get_filename_component(dir ${src} DIRECTORY)
    get_filename_component(kind ${dir} NAME)
    get_filename_component(name ${src} NAME_WE)
    set(out ${UEBPF_VERIFIER_C_OBJ_DIR}/${kind}/${name}.bpf.o)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${UEBPF_VERIFIER_C_OBJ_DIR}/${kind}
      COMMAND ${CLANG_BPF} -O2 -g -target bpf -mcpu=v3 -Wall -Werror -D__TARGET_ARCH_x86
              -I${_vc_multiarch} -I${CMAKE_CURRENT_LIST_DIR}/c -c ${src} -o ${out}
      DEPENDS ${src} ${CMAKE_CURRENT_LIST_DIR}/c/common.h
      COMMENT "clang-19 -target bpf tests/verifier/c/${kind}/${name}.bpf.c"
      VERBATIM)
    list(APPEND _vc_outputs ${out})
  endforeach()
  add_custom_target(uebpf_verifier_c_objects ALL DEPENDS ${_vc_outputs})
  add_dependencies(verifier_c_corpus uebpf_verifier_c_objects)
endif()

add_test(NAME verifier.c_corpus
         COMMAND verifier_c_corpus ${CMAKE_CURRENT_LIST_DIR}/c ${UEBPF_VERIFIER_C_OBJ_DIR})
set_tests_properties(verifier.c_corpus PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
