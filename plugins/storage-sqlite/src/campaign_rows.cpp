#include "campaign_rows.hpp"

#include <unordered_map>

#include "json_array.hpp"
#include "rows.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {

std::string templateColumns(bool with_body) {
    return std::string("templates.id, templates.name, templates.type, templates.subject, ") +
           (with_body ? "templates.body, COALESCE(templates.body_source, ''), " : "'', '', ") +
           "templates.is_default, templates.created_at, templates.updated_at";
}

sdk::Template readTemplate(const Statement& st) {
    sdk::Template t;
    t.id = st.int64(0);
    t.name = st.text(1);
    t.type = enumFrom<sdk::TemplateType>(st.text(2));
    t.subject = st.text(3);
    t.body = st.text(4);
    t.body_source = st.text(5);
    t.is_default = st.boolean(6);
    t.created_at = parseTimestamp(st.text(7));
    t.updated_at = parseTimestamp(st.text(8));
    return t;
}

std::string campaignColumns(bool with_body) {
    return std::string("campaigns.id, campaigns.uuid, campaigns.type, campaigns.name,"
                       " campaigns.subject, campaigns.from_email, ") +
           (with_body ? "campaigns.body, COALESCE(campaigns.body_source, ''), COALESCE(campaigns.altbody, ''), "
                      : "'', '', '', ") +
           "campaigns.send_at, campaigns.status, campaigns.content_type, campaigns.tags,"
           " campaigns.headers, campaigns.attribs, campaigns.template_id, campaigns.messenger,"
           " campaigns.archive, campaigns.archive_slug, campaigns.archive_template_id,"
           " campaigns.archive_meta, campaigns.segment, campaigns.to_send, campaigns.sent,"
           " campaigns.failed, campaigns.started_at, campaigns.created_at, campaigns.updated_at"
           ", (SELECT COUNT(*) FROM bounces WHERE bounces.campaign_id = campaigns.id)"
           ", (SELECT COUNT(*) FROM campaign_views WHERE campaign_views.campaign_id = campaigns.id)"
           ", (SELECT COUNT(*) FROM link_clicks WHERE link_clicks.campaign_id = campaigns.id)";
}

sdk::Campaign readCampaign(const Statement& st) {
    sdk::Campaign c;
    c.id = st.int64(0);
    c.uuid = st.text(1);
    c.type = enumFrom<sdk::CampaignType>(st.text(2));
    c.name = st.text(3);
    c.subject = st.text(4);
    c.from_email = st.text(5);
    c.body = st.text(6);
    c.body_source = st.text(7);
    c.altbody = st.text(8);
    if (!st.isNull(9)) c.send_at = parseTimestamp(st.text(9));
    c.status = enumFrom<sdk::CampaignStatus>(st.text(10));
    c.content_type = enumFrom<sdk::ContentType>(st.text(11));
    c.tags = fromJsonArray(st.text(12));
    c.headers_json = st.text(13);
    c.attribs_json = st.text(14);
    c.template_id = st.optInt64(15);
    c.messenger = st.text(16);
    c.archive = st.boolean(17);
    c.archive_slug = st.optText(18);
    c.archive_template_id = st.optInt64(19);
    c.archive_meta_json = st.text(20);
    c.segment = st.text(21);
    c.to_send = st.int64(22);
    c.sent = st.int64(23);
    c.failed = st.int64(24);
    if (!st.isNull(25)) c.started_at = parseTimestamp(st.text(25));
    c.created_at = parseTimestamp(st.text(26));
    c.updated_at = parseTimestamp(st.text(27));
    c.bounces = st.int64(28);
    c.views = st.int64(29);
    c.clicks = st.int64(30);
    return c;
}

void loadCampaignLists(Connection& conn, std::vector<sdk::Campaign>& campaigns) {
    if (campaigns.empty()) return;
    std::vector<sdk::Id> ids;
    std::unordered_map<sdk::Id, sdk::Campaign*> by_id;
    for (auto& c : campaigns) {
        ids.push_back(c.id);
        by_id[c.id] = &c;
        c.lists.clear();
    }
    auto st = conn.prepare(
        "SELECT campaign_id, COALESCE(list_id, 0), list_name FROM campaign_lists"
        " WHERE campaign_id IN (SELECT value FROM json_each(?1))"
        " ORDER BY campaign_id, list_id IS NULL, list_id, id");
    st.bindAll(idsJson(ids));
    while (st.step()) by_id.at(st.int64(0))->lists.push_back({st.int64(1), st.text(2)});
}

bool fetchCampaign(Connection& conn, sdk::Id id, sdk::Campaign& out) {
    std::vector<sdk::Campaign> one;
    {
        auto st = conn.prepare("SELECT " + campaignColumns(true) + " FROM campaigns WHERE id = ?1");
        st.bindAll(id);
        if (!st.step()) return false;
        one.push_back(readCampaign(st));
    }
    loadCampaignLists(conn, one);
    out = std::move(one.front());
    return true;
}

std::string likeContains(const std::string& text) {
    std::string out = "%";
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

}  // namespace tidings::storage_sqlite
