#include "template_store.hpp"

#include "campaign_rows.hpp"
#include "errors.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

sdk::Status notFound() { return sdk::Status::notFound("template: not found"); }

std::optional<std::string> optText(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// Reads one template by id; false when absent.
bool fetch(Connection& conn, sdk::Id id, sdk::Template& out) {
    auto st = conn.prepare("SELECT " + templateColumns(true) + " FROM templates WHERE id = ?1");
    st.bindAll(id);
    if (!st.step()) return false;
    out = readTemplate(st);
    return true;
}

}  // namespace

sdk::Status TemplateStoreImpl::list(std::optional<sdk::TemplateType> type, bool with_body,
                                    std::vector<sdk::Template>& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare("SELECT " + templateColumns(with_body) +
                                 " FROM templates WHERE ?1 IS NULL OR type = ?1 ORDER BY id");
        if (type) st.bind(1, sdk::toString(*type));
        std::vector<sdk::Template> result;
        while (st.step()) result.push_back(readTemplate(st));
        out = std::move(result);
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::get(sdk::Id id, sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        return fetch(*lease, id, out) ? sdk::Status{} : notFound();
    });
}

sdk::Status TemplateStoreImpl::getDefault(sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.reader();
        auto st = lease->prepare("SELECT " + templateColumns(true) + " FROM templates WHERE is_default = 1");
        if (!st.step()) return sdk::Status::notFound("template: no default template");
        out = readTemplate(st);
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::create(const sdk::TemplateDraft& draft, sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        // The write transaction serialises concurrent first inserts, so exactly one of them
        // becomes the default.
        Transaction tx(*lease);
        const std::string now = nowText();
        lease->prepare(
                 "INSERT INTO templates (name, type, subject, body, body_source, is_default, created_at, updated_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6 AND NOT EXISTS (SELECT 1 FROM templates WHERE is_default = 1),"
                 " ?7, ?7)")
            .bindAll(draft.name, sdk::toString(draft.type), draft.subject, draft.body, optText(draft.body_source),
                     draft.type != sdk::TemplateType::Tx, now)
            .run();
        const sdk::Id id = lease->lastInsertId();
        fetch(*lease, id, out);
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::update(sdk::Id id, const sdk::TemplateDraft& draft, sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        Transaction tx(*lease);
        // The default must stay a campaign template: a change to tx is refused for it.
        const auto changed =
            lease->prepare(
                     "UPDATE templates SET name = ?1, type = ?2, subject = ?3, body = ?4, body_source = ?5,"
                     " updated_at = ?6 WHERE id = ?7 AND NOT (is_default = 1 AND ?2 = 'tx')")
                .bindAll(draft.name, sdk::toString(draft.type), draft.subject, draft.body,
                         optText(draft.body_source), nowText(), id)
                .run();
        if (changed == 0) {
            if (!fetch(*lease, id, out)) return notFound();
            return sdk::Status::invalid("type: the default template must be a campaign template");
        }
        fetch(*lease, id, out);
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::setDefault(sdk::Id id, sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        Transaction tx(*lease);
        std::string type;
        {
            auto st = lease->prepare("SELECT type FROM templates WHERE id = ?1");
            st.bindAll(id);
            if (!st.step()) return notFound();
            type = st.text(0);
        }
        if (type == "tx") return sdk::Status::invalid("template: a tx template cannot be the default");
        lease->prepare("UPDATE templates SET is_default = 0 WHERE is_default = 1 AND id <> ?1").bindAll(id).run();
        lease->prepare("UPDATE templates SET is_default = 1, updated_at = ?2 WHERE id = ?1 AND is_default = 0")
            .bindAll(id, nowText())
            .run();
        fetch(*lease, id, out);
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::remove(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.writer();
        Transaction tx(*lease);
        bool is_default = false;
        {
            auto st = lease->prepare("SELECT is_default FROM templates WHERE id = ?1");
            st.bindAll(id);
            if (!st.step()) return notFound();
            is_default = st.boolean(0);
        }
        if (is_default) return sdk::Status::conflict("template: the default template cannot be deleted");
        // Campaigns that used it keep their body; their references are cleared by ON DELETE SET NULL.
        lease->prepare("DELETE FROM templates WHERE id = ?1").bindAll(id).run();
        tx.commit();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
