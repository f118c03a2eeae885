# One static library per module under lib/, linked only to the modules its layer may use (the
# graph is drawn in the README, *Architecture*). The build enforces it: a module's include path
# holds only its own headers and those of the modules it links (directly or through them), so
#   #include "sync/syncer.hpp"   in lib/api/...
# fails to compile ("No such file") instead of quietly adding an upward edge.
#
# How: every module gets a directory of its own in the build tree holding one symbolic link,
# <module> -> lib/<module>, and that directory is the module's PUBLIC include path. Linking a
# module PUBLIC passes its include path on; nothing else puts lib/ itself on a module's path.
#
#   mirror_module(<name> [DEPS <module>...] [LIBS <imported target>...] [SOURCES <extra>...])
function(mirror_module name)
  cmake_parse_arguments(M "" "" "DEPS;LIBS;SOURCES" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/lib/${name}/*.cpp)
  add_library(mirror_${name} STATIC ${sources} ${M_SOURCES})
  set(include_root ${CMAKE_BINARY_DIR}/module-include/${name})
  file(MAKE_DIRECTORY ${include_root})
  file(CREATE_LINK ${CMAKE_SOURCE_DIR}/lib/${name} ${include_root}/${name} SYMBOLIC)
  target_include_directories(mirror_${name} PUBLIC ${include_root})
  foreach(dep IN LISTS M_DEPS)
    target_link_libraries(mirror_${name} PUBLIC mirror_${dep})
  endforeach()
  target_link_libraries(mirror_${name} PUBLIC ${M_LIBS})
  set_property(GLOBAL APPEND PROPERTY MIRROR_MODULES mirror_${name})
endfunction()
