#include "schema.hpp"

namespace tidings::storage_sqlite::schema {

const char* const kSubscribers = R"SQL(
SELECT 1;
)SQL";

}  // namespace tidings::storage_sqlite::schema
