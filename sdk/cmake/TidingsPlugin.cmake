# tidings_add_plugin(<kind>-<name> SOURCES <files...>)
#
# Builds a Tidings plugin as <kind>-<name>.so with hidden visibility (so plugins cannot shadow
# each other's symbols) against the SDK target. In the Tidings tree the file lands in
# TIDINGS_PLUGIN_OUTPUT_DIR; out of tree, in the caller's binary directory.
function(tidings_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  if(TARGET tidings_sdk)
    target_link_libraries(${name} PRIVATE tidings_sdk)
  else()
    target_link_libraries(${name} PRIVATE Tidings::sdk)
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(TIDINGS_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${TIDINGS_PLUGIN_OUTPUT_DIR}")
  endif()
endfunction()
