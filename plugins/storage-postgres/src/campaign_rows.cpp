#include "campaign_rows.hpp"

#include <unordered_map>

#include "rows.hpp"

namespace tidings::storage_pg {

std::string templateColumns(bool with_body) {
    return std::string("templates.id, templates.name, templates.type, templates.subject, ") +
           (with_body ? "templates.body, COALESCE(templates.body_source, ''), " : "'', '', ") +
           "templates.is_default, " + us("templates.created_at") + ", " + us("templates.updated_at");
}

sdk::Template readTemplate(const Result& r, int i) {
    sdk::Template t;
    t.id = r.int64(i, 0);
    t.name = r.str(i, 1);
    t.type = enumFrom<sdk::TemplateType>(r.text(i, 2));
    t.subject = r.str(i, 3);
    t.body = r.str(i, 4);
    t.body_source = r.str(i, 5);
    t.is_default = r.boolean(i, 6);
    t.created_at = r.timestamp(i, 7);
    t.updated_at = r.timestamp(i, 8);
    return t;
}

std::string campaignColumns(bool with_body) {
    return std::string("campaigns.id, campaigns.uuid::text, campaigns.type, campaigns.name,"
                       " campaigns.subject, campaigns.from_email, ") +
           (with_body ? "campaigns.body, COALESCE(campaigns.body_source, ''), COALESCE(campaigns.altbody, ''), "
                      : "'', '', '', ") +
           us("campaigns.send_at") + ", campaigns.status, campaigns.content_type, campaigns.tags,"
           " campaigns.headers::text, campaigns.attribs::text, campaigns.template_id, campaigns.messenger,"
           " campaigns.archive, campaigns.archive_slug, campaigns.archive_template_id,"
           " campaigns.archive_meta::text, campaigns.segment, campaigns.to_send, campaigns.sent,"
           " campaigns.failed, " +
           us("campaigns.started_at") + ", " + us("campaigns.created_at") + ", " + us("campaigns.updated_at");
}

sdk::Campaign readCampaign(const Result& r, int i) {
    sdk::Campaign c;
    c.id = r.int64(i, 0);
    c.uuid = r.str(i, 1);
    c.type = enumFrom<sdk::CampaignType>(r.text(i, 2));
    c.name = r.str(i, 3);
    c.subject = r.str(i, 4);
    c.from_email = r.str(i, 5);
    c.body = r.str(i, 6);
    c.body_source = r.str(i, 7);
    c.altbody = r.str(i, 8);
    if (!r.isNull(i, 9)) c.send_at = r.timestamp(i, 9);
    c.status = enumFrom<sdk::CampaignStatus>(r.text(i, 10));
    c.content_type = enumFrom<sdk::ContentType>(r.text(i, 11));
    c.tags = r.textArray(i, 12);
    c.headers_json = r.str(i, 13);
    c.attribs_json = r.str(i, 14);
    if (!r.isNull(i, 15)) c.template_id = r.int64(i, 15);
    c.messenger = r.str(i, 16);
    c.archive = r.boolean(i, 17);
    if (!r.isNull(i, 18)) c.archive_slug = r.str(i, 18);
    if (!r.isNull(i, 19)) c.archive_template_id = r.int64(i, 19);
    c.archive_meta_json = r.str(i, 20);
    c.segment = r.str(i, 21);
    c.to_send = r.int64(i, 22);
    c.sent = r.int64(i, 23);
    c.failed = r.int64(i, 24);
    if (!r.isNull(i, 25)) c.started_at = r.timestamp(i, 25);
    c.created_at = r.timestamp(i, 26);
    c.updated_at = r.timestamp(i, 27);
    return c;
}

void loadCampaignLists(Lease& lease, std::vector<sdk::Campaign>& campaigns) {
    if (campaigns.empty()) return;
    std::vector<sdk::Id> ids;
    std::unordered_map<sdk::Id, sdk::Campaign*> by_id;
    for (auto& c : campaigns) {
        ids.push_back(c.id);
        by_id[c.id] = &c;
        c.lists.clear();
    }
    Params p;
    p.add(bigintArray(ids));
    Result r = lease.execPrepared(
        "campaign_lists_of",
        "SELECT campaign_id, COALESCE(list_id, 0), list_name FROM campaign_lists"
        " WHERE campaign_id = ANY($1::int8[]) ORDER BY campaign_id, list_id NULLS LAST, id",
        p);
    for (int i = 0; i < r.rows(); ++i)
        by_id.at(r.int64(i, 0))->lists.push_back({r.int64(i, 1), r.str(i, 2)});
}

}  // namespace tidings::storage_pg
