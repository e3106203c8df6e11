# Fails when the SDK headers differ from what header_hash.txt records for the current ABI
# version: any change to a public header must come with an ABI version bump (or, for comment-only
# edits, a deliberate update of the recorded hash).
#   cmake -DSDK_DIR=<sdk> [-DUPDATE=ON] -P header_hash.cmake
file(GLOB headers "${SDK_DIR}/include/tidings/sdk/v1/*.hpp")
list(SORT headers)
set(all "")
foreach(h IN LISTS headers)
  file(SHA256 "${h}" one)
  get_filename_component(name "${h}" NAME)
  string(APPEND all "${name}:${one}\n")
endforeach()
string(SHA256 hash "${all}")
file(READ "${SDK_DIR}/include/tidings/sdk/v1/version.hpp" version_text)
string(REGEX MATCH "#define TIDINGS_SDK_ABI_MAJOR ([0-9]+)" _ "${version_text}")
set(major "${CMAKE_MATCH_1}")
string(REGEX MATCH "#define TIDINGS_SDK_ABI_MINOR ([0-9]+)" _ "${version_text}")
set(minor "${CMAKE_MATCH_1}")
set(record "${SDK_DIR}/tests/header_hash.txt")
if(UPDATE)
  file(WRITE "${record}" "${major}.${minor} ${hash}\n")
  message(STATUS "recorded ${major}.${minor} ${hash}")
  return()
endif()
file(READ "${record}" recorded)
string(STRIP "${recorded}" recorded)
if(NOT recorded STREQUAL "${major}.${minor} ${hash}")
  message(FATAL_ERROR "SDK headers changed without an ABI version bump: update TIDINGS_SDK_ABI_MINOR "
                      "(or MAJOR for a breaking change) and sdk/tests/header_hash.txt "
                      "(cmake -DSDK_DIR=sdk -DUPDATE=ON -P sdk/tests/header_hash.cmake).\n"
                      "recorded: ${recorded}\ncurrent:  ${major}.${minor} ${hash}")
endif()
