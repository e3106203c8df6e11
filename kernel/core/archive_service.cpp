#include "kernel/core/archive_service.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "kernel/core/message_context.hpp"
#include "kernel/core/status_error.hpp"
#include "kernel/template/campaign_message.hpp"

namespace tidings::kernel {
namespace {

sdk::Status notInArchive() { return sdk::Status::notFound("archive: no such campaign in the archive"); }

bool isArchived(const sdk::Campaign& c) {
    return c.archive && c.type == sdk::CampaignType::Regular &&
           (c.status == sdk::CampaignStatus::Running || c.status == sdk::CampaignStatus::Paused ||
            c.status == sdk::CampaignStatus::Finished);
}

// archive_meta stands for the reader: {uuid, email, name, attribs}, all optional.
sdk::Subscriber metaSubscriber(const std::string& json) {
    sdk::Subscriber s;
    s.uuid = "00000000-0000-0000-0000-000000000000";
    try {
        auto o = Poco::JSON::Parser().parse(json.empty() ? "{}" : json).extract<Poco::JSON::Object::Ptr>();
        if (!o) return s;
        s.uuid = o->optValue<std::string>("uuid", s.uuid);
        s.email = o->optValue<std::string>("email", "");
        s.name = o->optValue<std::string>("name", "");
        if (auto attribs = o->getObject("attribs")) {
            std::ostringstream text;
            attribs->stringify(text);
            s.attribs_json = text.str();
        }
    } catch (const Poco::Exception&) {
        // Validated when saved; a damaged value renders with the anonymous reader.
    }
    if (s.attribs_json.empty()) s.attribs_json = "{}";
    return s;
}

}  // namespace

ArchiveService::ArchiveService(sdk::Storage& storage, const SettingsService& settings)
    : storage_(storage), settings_(settings) {}

bool ArchiveService::enabled() const { return settings_.flag("app.enable_public_archive"); }
bool ArchiveService::rssContent() const { return settings_.flag("app.enable_public_archive_rss_content"); }

sdk::CampaignPage ArchiveService::list(std::int64_t page, std::int64_t per_page) {
    sdk::CampaignQuery q;
    q.archived_only = true;
    q.order_by = "created_at";
    q.order = sdk::SortOrder::Desc;
    q.page = page;
    q.per_page = per_page;
    q.with_body = false;
    sdk::CampaignPage out;
    check(storage_.campaigns().query(q, out));
    return out;
}

std::string ArchiveService::url(const sdk::Campaign& c) const {
    return settings_.rootUrl() + "/archive/" + (c.archive_slug && !c.archive_slug->empty() ? *c.archive_slug : c.uuid);
}

ArchiveService::Rendered ArchiveService::render(const std::string& id_or_slug) {
    sdk::Campaign c;
    sdk::CampaignQuery q;
    q.archived_only = true;
    q.per_page = 1;
    if (id_or_slug == "latest") {
        q.order_by = "created_at";
    } else if (sdk::Status st = storage_.campaigns().getByUuid(id_or_slug, c); st) {
        if (!isArchived(c)) throw StatusError(notInArchive());
        return render(c);
    } else if (st.code() != sdk::StatusCode::NotFound) {
        check(st);
    } else {
        q.archive_slug = id_or_slug;
    }
    sdk::CampaignPage page;
    check(storage_.campaigns().query(q, page));
    if (page.results.empty()) throw StatusError(notInArchive());
    return render(page.results.front());
}

ArchiveService::Rendered ArchiveService::render(const sdk::Campaign& campaign) {
    sdk::Campaign c = campaign;
    if (c.body.empty()) check(storage_.campaigns().get(c.id, c));  // listings come without bodies
    std::optional<sdk::Template> tmpl;
    sdk::Template t;
    sdk::Status st = c.archive_template_id ? storage_.templates().get(*c.archive_template_id, t)
                                           : storage_.templates().getDefault(t);
    if (st) tmpl = std::move(t);
    else if (st.code() != sdk::StatusCode::NotFound) check(st);
    try {
        // Archive pages are never tracked: there is no reader to attribute a view to.
        const auto message = CampaignMessage::compile(c, tmpl, messageContext(settings_));
        const sdk::Message m = message.render(metaSubscriber(c.archive_meta_json));
        return {c, m.subject, m.body};
    } catch (const TemplateError& e) {
        throw StatusError(sdk::Status::internal(std::string("archive: campaign does not render: ") + e.what()));
    }
}

ArchiveService::Rendered ArchiveService::preview(sdk::Id campaign_id, std::optional<sdk::Id> template_id,
                                                 const std::optional<std::string>& archive_meta_json) {
    sdk::Campaign c;
    check(storage_.campaigns().get(campaign_id, c));
    if (template_id && *template_id > 0) {
        sdk::Template t;
        sdk::Status st = storage_.templates().get(*template_id, t);
        if (st.code() == sdk::StatusCode::NotFound) invalid("template_id: no template " + std::to_string(*template_id));
        check(st);
        c.archive_template_id = *template_id;
    }
    if (archive_meta_json) c.archive_meta_json = *archive_meta_json;
    return render(c);
}

}  // namespace tidings::kernel
