#include "delivery_store.hpp"

#include <algorithm>
#include <unordered_set>

#include "errors.hpp"
#include "recipient_query.hpp"
#include "rows.hpp"
#include "transaction.hpp"

namespace tidings::storage_pg {
namespace {

// How often a claimer re-selects after losing the cursor race before answering "nothing now".
constexpr int kClaimAttempts = 16;

std::string leaseSeconds(std::chrono::seconds lease) { return std::to_string(lease.count()); }

// Loads the recipients in (lo, hi] that the ledger does not already hold.
std::vector<sdk::Subscriber> pendingRecipients(Lease& lease, const RecipientScope& scope, sdk::Id lo, sdk::Id hi,
                                               std::chrono::milliseconds timeout) {
    Result r = selectRecipients(lease, scope, subscriberColumns(), lo, hi, " ORDER BY subscribers.id", timeout);
    std::vector<sdk::Subscriber> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(readSubscriber(r, i));
    return out;
}

// Drops the recipients of (lo, hi] already in the ledger (sent before a crash, or by a retry).
void dropRecorded(Lease& lease, sdk::Id campaign_id, sdk::Id lo, sdk::Id hi, std::vector<sdk::Subscriber>& out) {
    if (out.empty()) return;
    Params p;
    p.add(campaign_id);
    p.add(lo);
    p.add(hi);
    Result r = lease.execPrepared(
        "ledger_in_range",
        "SELECT subscriber_id FROM campaign_deliveries WHERE campaign_id = $1::int8"
        " AND subscriber_id > $2::int8 AND subscriber_id <= $3::int8",
        p);
    if (r.rows() == 0) return;
    std::unordered_set<sdk::Id> recorded;
    for (int i = 0; i < r.rows(); ++i) recorded.insert(r.int64(i, 0));
    std::erase_if(out, [&](const sdk::Subscriber& s) { return recorded.count(s.id) != 0; });
}

}  // namespace

sdk::Status DeliveryStoreImpl::claimBatch(sdk::Id campaign_id, std::size_t size, std::chrono::seconds lease_for,
                                          sdk::RecipientBatch& out) noexcept {
    return guarded([&] {
        out = sdk::RecipientBatch{};
        out.campaign_id = campaign_id;
        auto lease = db_.lease();
        for (int attempt = 0; attempt < kClaimAttempts; ++attempt) {
            RecipientScope scope;
            if (!loadScope(*lease, campaign_id, scope)) return sdk::Status::notFound("campaign: not found");
            if (scope.status != sdk::CampaignStatus::Running)
                return sdk::Status::conflict("status: campaign is " + std::string(sdk::toString(scope.status)));

            // A lapsed lease means its holder died or released it: take that batch first.
            Params rp;
            rp.add(campaign_id);
            rp.add(leaseSeconds(lease_for));
            Result reclaimed = lease->execPrepared(
                "batch_reclaim",
                "UPDATE campaign_batches SET leased_until = NOW() + make_interval(secs => $2::int8)"
                " WHERE id = (SELECT id FROM campaign_batches WHERE campaign_id = $1::int8"
                "  AND leased_until < NOW() ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                " RETURNING id, first_id, last_id",
                rp);
            if (reclaimed.rows() == 1) {
                const sdk::Id lo = reclaimed.int64(0, 1) - 1, hi = reclaimed.int64(0, 2);
                out.id = reclaimed.int64(0, 0);
                out.recipients = pendingRecipients(*lease, scope, lo, hi, db_.queryTimeout());
                dropRecorded(*lease, campaign_id, lo, hi, out.recipients);
                return sdk::Status{};
            }

            const sdk::Id lo = scope.last_subscriber_id;
            if (lo >= scope.max_subscriber_id) {
                out.exhausted = true;
                return sdk::Status{};
            }
            const std::string limit = " ORDER BY subscribers.id LIMIT " + std::to_string(std::max<std::size_t>(size, 1));
            std::vector<sdk::Subscriber> recipients =
                [&] {
                    Result r = selectRecipients(*lease, scope, subscriberColumns(), lo, scope.max_subscriber_id, limit,
                                                db_.queryTimeout());
                    std::vector<sdk::Subscriber> v;
                    v.reserve(static_cast<std::size_t>(r.rows()));
                    for (int i = 0; i < r.rows(); ++i) v.push_back(readSubscriber(r, i));
                    return v;
                }();
            // A short selection reached the end of the range.
            const sdk::Id hi = recipients.size() < std::max<std::size_t>(size, 1) ? scope.max_subscriber_id
                                                                                  : recipients.back().id;
            Transaction tx(*lease);
            Params cp;
            cp.add(campaign_id);
            cp.add(lo);
            cp.add(hi);
            cp.add(leaseSeconds(lease_for));
            Result cut = lease->execPrepared(
                "batch_cut",
                "WITH moved AS (UPDATE campaigns SET last_subscriber_id = $3::int8 WHERE id = $1::int8"
                "  AND status = 'running' AND last_subscriber_id = $2::int8 RETURNING id)"
                " INSERT INTO campaign_batches (campaign_id, first_id, last_id, leased_until)"
                " SELECT id, $2::int8 + 1, $3::int8, NOW() + make_interval(secs => $4::int8) FROM moved RETURNING id",
                cp);
            if (cut.rows() == 0) continue;  // another claimer moved the cursor (or the status changed)
            tx.commit();
            out.id = cut.int64(0, 0);
            out.recipients = std::move(recipients);
            dropRecorded(*lease, campaign_id, lo, hi, out.recipients);
            return sdk::Status{};
        }
        return sdk::Status{};  // lost every race this time; the caller asks again shortly
    });
}

sdk::Status DeliveryStoreImpl::renewBatch(sdk::Id batch_id, std::chrono::seconds lease_for) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(batch_id);
        p.add(leaseSeconds(lease_for));
        // A zero lease releases the batch: it lapses at once and the next claimer takes it.
        Result r = lease->execPrepared(
            "batch_renew",
            "UPDATE campaign_batches SET leased_until = CASE WHEN $2::int8 > 0"
            " THEN NOW() + make_interval(secs => $2::int8) ELSE '-infinity' END WHERE id = $1::int8",
            p);
        return r.affected() == 0 ? sdk::Status::notFound("batch: not found") : sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::record(sdk::Id campaign_id, const std::vector<sdk::Delivery>& deliveries) noexcept {
    return guarded([&] {
        if (deliveries.empty()) return sdk::Status{};
        std::vector<sdk::Id> ids;
        std::vector<std::string> statuses, errors;
        ids.reserve(deliveries.size());
        for (const auto& d : deliveries) {
            ids.push_back(d.subscriber_id);
            statuses.emplace_back(sdk::toString(d.status));
            errors.push_back(d.error);
        }
        Params p;
        p.add(campaign_id);
        p.add(bigintArray(ids));
        p.add(textArrayLiteral(statuses));
        p.add(textArrayLiteral(errors));
        // One statement: the ledger upsert and the campaign's counters, corrected for entries a
        // retry or a crash re-send replaces. The last outcome of a recipient in the batch wins.
        // An unconfirmed message went out in full and counts as sent.
        auto lease = db_.lease();
        lease->execPrepared(
            "ledger_record",
            "WITH input AS (SELECT DISTINCT ON (sid) sid, st, err FROM unnest($2::int8[], $3::text[], $4::text[])"
            "   WITH ORDINALITY AS t(sid, st, err, n) ORDER BY sid, n DESC),"
            " old AS (SELECT d.status FROM campaign_deliveries d JOIN input i ON i.sid = d.subscriber_id"
            "   WHERE d.campaign_id = $1::int8),"
            " up AS (INSERT INTO campaign_deliveries AS d (campaign_id, subscriber_id, status, error)"
            "   SELECT $1::int8, sid, st, err FROM input ORDER BY sid"
            "   ON CONFLICT (campaign_id, subscriber_id) DO UPDATE SET status = EXCLUDED.status,"
            "   error = EXCLUDED.error, attempts = d.attempts + 1, updated_at = NOW() RETURNING d.status)"
            " UPDATE campaigns SET"
            "  sent = sent + (SELECT COUNT(*) FROM up WHERE status <> 'failed')"
            "             - (SELECT COUNT(*) FROM old WHERE status <> 'failed'),"
            "  failed = failed + (SELECT COUNT(*) FROM up WHERE status = 'failed')"
            "                 - (SELECT COUNT(*) FROM old WHERE status = 'failed'),"
            "  updated_at = NOW()"
            " WHERE id = $1::int8",
            p);
        return sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::completeBatch(sdk::Id batch_id) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(batch_id);
        Result r = lease->execPrepared("batch_complete", "DELETE FROM campaign_batches WHERE id = $1::int8", p);
        return r.affected() == 0 ? sdk::Status::notFound("batch: not found") : sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::finishIfDone(sdk::Id campaign_id, bool& finished) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(campaign_id);
        // Cutting the last batch moves the cursor and inserts the batch in one transaction, so
        // "cursor at the end and no batch left" cannot be seen while one is still being cut.
        Result r = lease->execPrepared(
            "campaign_finish",
            "UPDATE campaigns SET status = 'finished', updated_at = NOW() WHERE id = $1::int8"
            " AND status = 'running' AND last_subscriber_id >= max_subscriber_id"
            " AND NOT EXISTS (SELECT 1 FROM campaign_batches WHERE campaign_id = $1::int8) RETURNING id",
            p);
        finished = r.rows() == 1;
        return sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::deliveries(sdk::Id campaign_id, std::optional<sdk::DeliveryStatus> status,
                                          std::int64_t page, std::int64_t per_page,
                                          sdk::DeliveryPage& out) noexcept {
    return guarded([&] {
        auto lease = db_.lease();
        Params p;
        p.add(campaign_id);
        if (lease->exec("SELECT 1 FROM campaigns WHERE id = $1::int8", p).rows() == 0)
            return sdk::Status::notFound("campaign: not found");
        std::string where = "d.campaign_id = $1::int8";
        if (status) where += " AND d.status = " + p.add(std::string(sdk::toString(*status)));
        sdk::DeliveryPage result;
        result.total = lease->exec("SELECT COUNT(*) FROM campaign_deliveries d WHERE " + where, p).int64(0, 0);
        std::string sql = "SELECT d.subscriber_id, COALESCE(s.email, ''), d.status, d.error, d.attempts, " +
                          us("d.updated_at") +
                          " FROM campaign_deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id WHERE " +
                          where + " ORDER BY d.subscriber_id";
        if (per_page > 0)
            sql += " LIMIT " + p.add(per_page) + "::int8 OFFSET " +
                   p.add((std::max<std::int64_t>(page, 1) - 1) * per_page) + "::int8";
        Result r = lease->exec(sql, p);
        for (int i = 0; i < r.rows(); ++i) {
            sdk::DeliveryRecord d;
            d.subscriber_id = r.int64(i, 0);
            d.email = r.str(i, 1);
            d.status = enumFrom<sdk::DeliveryStatus>(r.text(i, 2));
            d.error = r.str(i, 3);
            d.attempts = static_cast<std::int32_t>(r.int64(i, 4));
            d.updated_at = r.timestamp(i, 5);
            result.results.push_back(std::move(d));
        }
        out = std::move(result);
        return sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::retryFailed(sdk::Id campaign_id, std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        auto lease = db_.lease();
        Transaction tx(*lease);
        Params p;
        p.add(campaign_id);
        Result c = lease->exec("SELECT status FROM campaigns WHERE id = $1::int8 FOR UPDATE", p);
        if (c.rows() == 0) return sdk::Status::notFound("campaign: not found");
        if (c.text(0, 0) == "running") return sdk::Status::conflict("status: campaign is running");
        affected = lease->exec("DELETE FROM campaign_deliveries WHERE campaign_id = $1::int8 AND status = 'failed'", p)
                       .affected();
        if (affected == 0) return sdk::Status{};  // nothing to retry: leave the campaign as it is
        // The whole range is walked again; the ledger leaves out everyone already sent to, so
        // only the failed recipients (and any a stopped run never reached) are sent.
        Params u;
        u.add(campaign_id);
        u.add(affected);
        lease->exec("UPDATE campaigns SET failed = failed - $2::int8, last_subscriber_id = 0, status = 'running',"
                    " updated_at = NOW() WHERE id = $1::int8",
                    u);
        lease->exec("DELETE FROM campaign_batches WHERE campaign_id = $1::int8", p);
        tx.commit();
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_pg
