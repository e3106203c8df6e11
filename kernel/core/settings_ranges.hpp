// The range of every numeric runtime setting. A value outside it is refused when it is written
// (PUT /api/settings) and, should one be in storage anyway (written by hand or by an older
// version), replaced by the default when it is read, so no stored number can stop the scheduler
// or the settings API.
#pragma once

#include <string_view>

#include <Poco/Dynamic/Var.h>

namespace tidings::kernel {

/// One numeric field: the setting's key, the path inside its value ("" for the value itself,
/// "[].port", "soft.count"; see json_path.hpp), and its inclusive bounds.
struct NumericRange {
    std::string_view key;
    std::string_view path;
    double min;
    double max;
    bool integer;  ///< Whole numbers only; stored as integers.
};

/// Checks every numeric field of `value`, the new value of setting `key`, against its range and
/// rewrites whole numbers given in floating form (1e3) as integers. Throws StatusError Invalid
/// naming the field ("settings: 'app.concurrency' must be an integer from 1 to 256").
void checkNumericRanges(std::string_view key, Poco::Dynamic::Var& value);

}  // namespace tidings::kernel
