#include "counts.hpp"

namespace tidings::storage_sqlite {
namespace {

std::string countOf(const char* status) {
    return std::string("COALESCE((SELECT count FROM subscription_counts WHERE list_id = lists.id AND status = '") +
           status + "'), 0)";
}

}  // namespace

std::int64_t subscriberTotal(Connection& c) {
    auto st = c.prepare("SELECT COALESCE(SUM(count), 0) FROM subscription_counts WHERE list_id = 0");
    return st.step() ? st.int64(0) : 0;
}

std::int64_t membershipTotal(Connection& c, sdk::Id list_id, const std::optional<sdk::SubscriptionStatus>& status) {
    if (status) {
        auto st = c.prepare("SELECT count FROM subscription_counts WHERE list_id = ?1 AND status = ?2");
        st.bindAll(list_id, std::string(sdk::toString(*status)));
        return st.step() ? st.int64(0) : 0;
    }
    auto st = c.prepare("SELECT COALESCE(SUM(count), 0) FROM subscription_counts WHERE list_id = ?1");
    st.bindAll(list_id);
    return st.step() ? st.int64(0) : 0;
}

const std::string& listCountColumns() {
    static const std::string cols =
        countOf("unconfirmed") + ", " + countOf("confirmed") + ", " + countOf("unsubscribed");
    return cols;
}

const std::string& listSubscriberCountSql() {
    static const std::string sql = "(" + countOf("unconfirmed") + " + " + countOf("confirmed") + ")";
    return sql;
}

}  // namespace tidings::storage_sqlite
