#include "template_store.hpp"

#include "campaign_rows.hpp"
#include "errors.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

sdk::Status notFound() { return sdk::Status::notFound("template: not found"); }

bool isCampaignType(sdk::TemplateType t) { return t != sdk::TemplateType::Tx; }

void bindDraft(Params& p, const sdk::TemplateDraft& d) {
    p.add(d.name);
    p.add(std::string(sdk::toString(d.type)));
    p.add(d.subject);
    p.add(d.body);
    p.add(d.body_source.empty() ? std::nullopt : std::optional<std::string>(d.body_source));
}

// Reads one template by id on `lease`; false when absent.
bool fetch(Lease& lease, sdk::Id id, sdk::Template& out) {
    Params p;
    p.add(id);
    Result r = lease.execPrepared("template_by_id",
                                  "SELECT " + templateColumns(true) + " FROM templates WHERE id = $1::int8", p);
    if (r.rows() == 0) return false;
    out = readTemplate(r, 0);
    return true;
}

}  // namespace

sdk::Status TemplateStoreImpl::list(std::optional<sdk::TemplateType> type, bool with_body,
                                    std::vector<sdk::Template>& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        std::string sql = "SELECT " + templateColumns(with_body) + " FROM templates";
        if (type) sql += " WHERE type = " + p.add(std::string(sdk::toString(*type)));
        Result r = lease->exec(sql + " ORDER BY id", p);
        out.clear();
        for (int i = 0; i < r.rows(); ++i) out.push_back(readTemplate(r, i));
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::get(sdk::Id id, sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        return fetch(*lease, id, out) ? sdk::Status{} : notFound();
    });
}

sdk::Status TemplateStoreImpl::getDefault(sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Result r = lease->execPrepared(
            "template_default", "SELECT " + templateColumns(true) + " FROM templates WHERE is_default");
        if (r.rows() == 0) return sdk::Status::notFound("template: no default template");
        out = readTemplate(r, 0);
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::create(const sdk::TemplateDraft& draft, sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Transaction tx(*lease);
        // Serialises concurrent first inserts so exactly one of them becomes the default.
        lease->command("LOCK TABLE templates IN SHARE ROW EXCLUSIVE MODE");
        Params p;
        bindDraft(p, draft);
        p.add(isCampaignType(draft.type));
        Result r = lease->exec(
            "INSERT INTO templates (name, type, subject, body, body_source, is_default)"
            " VALUES ($1, $2, $3, $4, $5, $6::bool AND NOT EXISTS (SELECT 1 FROM templates WHERE is_default))"
            " RETURNING id",
            p);
        const sdk::Id id = r.int64(0, 0);
        fetch(*lease, id, out);
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::update(sdk::Id id, const sdk::TemplateDraft& draft, sdk::Template& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Transaction tx(*lease);
        Params p;
        bindDraft(p, draft);
        p.add(id);
        // The default must stay a campaign template; a type change to tx keeps it only when
        // it was not the default.
        Result r = lease->exec(
            "UPDATE templates SET name = $1, type = $2, subject = $3, body = $4, body_source = $5,"
            " updated_at = NOW() WHERE id = $6::int8 AND NOT (is_default AND $2 = 'tx') RETURNING id",
            p);
        if (r.rows() == 0) {
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
        auto lease = db_.lease();
        Transaction tx(*lease);
        Params p;
        p.add(id);
        Result r = lease->exec("SELECT type FROM templates WHERE id = $1::int8 FOR UPDATE", p);
        if (r.rows() == 0) return notFound();
        if (r.text(0, 0) == "tx") return sdk::Status::invalid("template: a tx template cannot be the default");
        lease->exec("UPDATE templates SET is_default = FALSE WHERE is_default AND id <> $1::int8", p);
        lease->exec("UPDATE templates SET is_default = TRUE, updated_at = NOW() WHERE id = $1::int8", p);
        fetch(*lease, id, out);
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status TemplateStoreImpl::remove(sdk::Id id) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(id);
        Result r = lease->exec(
            "WITH t AS (SELECT id, is_default FROM templates WHERE id = $1::int8),"
            " d AS (DELETE FROM templates WHERE id = (SELECT id FROM t WHERE NOT is_default) RETURNING id)"
            " SELECT (SELECT COUNT(*) FROM t), (SELECT COUNT(*) FROM d)",
            p);
        if (r.int64(0, 0) == 0) return notFound();
        if (r.int64(0, 1) == 0) return sdk::Status::conflict("template: the default template cannot be deleted");
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
