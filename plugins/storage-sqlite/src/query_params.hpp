// Parameters of a statement assembled from optional conditions: each add() returns the numbered
// placeholder ("?3") to splice into the SQL text, and bindTo() binds them all in order. Numbered
// placeholders keep our values where we put them whatever else the text contains.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connection.hpp"

namespace tidings::storage_sqlite {

class QueryParams {
public:
    std::string add(std::int64_t value) { return push({false, value, {}}); }
    std::string add(std::string value) { return push({true, 0, std::move(value)}); }

    void bindTo(Statement& st) const {
        for (std::size_t i = 0; i < values_.size(); ++i) {
            const int index = static_cast<int>(i + 1);
            if (values_[i].is_text)
                st.bind(index, values_[i].text);
            else
                st.bind(index, values_[i].number);
        }
    }

private:
    struct Value {
        bool is_text;
        std::int64_t number;
        std::string text;
    };

    std::string push(Value value) {
        values_.push_back(std::move(value));
        return "?" + std::to_string(values_.size());
    }

    std::vector<Value> values_;
};

}  // namespace tidings::storage_sqlite
