// Catch2 main for the storage conformance executables.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
