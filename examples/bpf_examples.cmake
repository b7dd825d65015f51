# BPF C example programs (examples/<group>/<name>.bpf.c), compiled with
# clang-19 into ${CMAKE_BINARY_DIR}/examples/<group>/<name>.bpf.o. They are
# the loader's test objects and the acceptance suite for verifier and JIT.
# Consumers read the global properties UEBPF_EXAMPLE_OBJECTS (all outputs)
# and UEBPF_EXAMPLES_DIR, and depend on the target uebpf_examples.
set_property(GLOBAL PROPERTY UEBPF_EXAMPLE_OBJECTS "")
set_property(GLOBAL PROPERTY UEBPF_EXAMPLES_DIR "${CMAKE_BINARY_DIR}/examples")
if(NOT CLANG_BPF)
  message(STATUS "uebpf: clang-19 not found, BPF examples and the tests using them are skipped")
  return()
endif()

# <asm/types.h> lives in the multiarch folder, which -target bpf does not search.
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(UEBPF_BPF_MULTIARCH_INCLUDE /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
else()
  set(UEBPF_BPF_MULTIARCH_INCLUDE /usr/include/x86_64-linux-gnu)
endif()

file(GLOB UEBPF_EXAMPLE_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*/*.bpf.c)
set(UEBPF_EXAMPLE_OUTPUTS "")
foreach(src ${UEBPF_EXAMPLE_SOURCES})
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(group ${dir} NAME)
  get_filename_component(name ${src} NAME_WE)
  set(out ${CMAKE_BINARY_DIR}/examples/${group}/${name}.bpf.o)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/examples/${group}
    COMMAND ${CLANG_BPF} -O2 -g -target bpf -mcpu=v3 -Wall -Werror
            -I${UEBPF_BPF_MULTIARCH_INCLUDE} -c ${src} -o ${out}
    DEPENDS ${src}
    COMMENT "clang-19 -target bpf ${group}/${name}.bpf.c"
    VERBATIM)
  list(APPEND UEBPF_EXAMPLE_OUTPUTS ${out})
endforeach()
add_custom_target(uebpf_examples ALL DEPENDS ${UEBPF_EXAMPLE_OUTPUTS})
set_property(GLOBAL PROPERTY UEBPF_EXAMPLE_OBJECTS "${UEBPF_EXAMPLE_OUTPUTS}")
