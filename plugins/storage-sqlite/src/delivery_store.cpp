#include "delivery_store.hpp"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "errors.hpp"
#include "recipient_query.hpp"
#include "rows.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace tidings::storage_sqlite {
namespace {

// How often a claimer re-selects after losing the cursor race before answering "nothing now".
constexpr int kClaimAttempts = 16;

// A released lease ends at a time long past, so the next claimer takes the batch at once.
constexpr const char* kReleased = "1970-01-01 00:00:00.000000";

sdk::Timestamp now() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string leaseEnd(std::chrono::seconds lease) { return formatTimestamp(now() + lease); }

// Drops the recipients of (lo, hi] already in the ledger (sent before a crash, or by a retry).
void dropRecorded(Connection& reader, sdk::Id campaign_id, sdk::Id lo, sdk::Id hi,
                  std::vector<sdk::Subscriber>& out) {
    if (out.empty()) return;
    auto st = reader.prepare(
        "SELECT subscriber_id FROM campaign_deliveries WHERE campaign_id = ?1"
        " AND subscriber_id > ?2 AND subscriber_id <= ?3");
    st.bindAll(campaign_id, lo, hi);
    std::unordered_set<sdk::Id> recorded;
    while (st.step()) recorded.insert(st.int64(0));
    if (recorded.empty()) return;
    std::erase_if(out, [&](const sdk::Subscriber& s) { return recorded.count(s.id) != 0; });
}

// The pending recipients of the batch (lo, hi].
std::vector<sdk::Subscriber> batchRecipients(Connection& reader, const RecipientScope& scope, sdk::Id lo, sdk::Id hi) {
    auto recipients = selectRecipients(reader, scope, lo, hi, 0);
    dropRecorded(reader, scope.campaign_id, lo, hi, recipients);
    return recipients;
}

struct Reclaimed {
    sdk::Id id = 0;
    sdk::Id lo = 0;
    sdk::Id hi = 0;
};

}  // namespace

sdk::Status DeliveryStoreImpl::claimBatch(sdk::Id campaign_id, std::size_t size, std::chrono::seconds lease_for,
                                          sdk::RecipientBatch& out) noexcept {
    return guarded([&] {
        out = sdk::RecipientBatch{};
        out.campaign_id = campaign_id;
        const std::size_t want = std::max<std::size_t>(size, 1);
        // Reads (the scope, and the recipients, which may run a segment) happen on readers; the
        // writer is held only for the short conditional writes that make a claim exclusive. No
        // lease is held while another is taken.
        for (int attempt = 0; attempt < kClaimAttempts; ++attempt) {
            RecipientScope scope;
            std::optional<sdk::Id> lapsed;
            {
                auto reader = db_.reader();
                if (!loadScope(*reader, campaign_id, scope)) return sdk::Status::notFound("campaign: not found");
                if (scope.status != sdk::CampaignStatus::Running)
                    return sdk::Status::conflict("status: campaign is " + std::string(sdk::toString(scope.status)));
                auto st = reader->prepare(
                    "SELECT id FROM campaign_batches WHERE campaign_id = ?1 AND leased_until < ?2 ORDER BY id LIMIT 1");
                st.bindAll(campaign_id, nowText());
                if (st.step()) lapsed = st.int64(0);
            }

            // A lapsed lease means its holder died or released it: take that batch first.
            if (lapsed) {
                std::optional<Reclaimed> got;
                {
                    auto writer = db_.writer();
                    Transaction tx(*writer);
                    {
                        // RETURNING applies its change on the first step; the statement is
                        // reset (when it goes out of scope) before the commit.
                        auto st = writer->prepare(
                            "UPDATE campaign_batches SET leased_until = ?3 WHERE id = ?1 AND leased_until < ?2"
                            " AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = campaign_batches.campaign_id"
                            " AND c.status = 'running') RETURNING first_id, last_id");
                        st.bindAll(*lapsed, nowText(), leaseEnd(lease_for));
                        if (st.step()) got = Reclaimed{*lapsed, st.int64(0) - 1, st.int64(1)};
                    }
                    tx.commit();
                }
                if (!got) continue;  // another claimer took it first
                auto reader = db_.reader();
                out.id = got->id;
                out.recipients = batchRecipients(*reader, scope, got->lo, got->hi);
                return sdk::Status{};
            }

            const sdk::Id lo = scope.last_subscriber_id;
            if (lo >= scope.max_subscriber_id) {
                out.exhausted = true;
                return sdk::Status{};
            }
            std::vector<sdk::Subscriber> recipients;
            {
                auto reader = db_.reader();
                recipients = selectRecipients(*reader, scope, lo, scope.max_subscriber_id, want);
            }
            // A short selection reached the end of the range.
            const sdk::Id hi = recipients.size() < want ? scope.max_subscriber_id : recipients.back().id;
            sdk::Id batch_id = 0;
            {
                auto writer = db_.writer();
                Transaction tx(*writer);
                const auto moved =
                    writer->prepare(
                              "UPDATE campaigns SET last_subscriber_id = ?3 WHERE id = ?1 AND status = 'running'"
                              " AND last_subscriber_id = ?2")
                        .bindAll(campaign_id, lo, hi)
                        .run();
                if (moved == 0) continue;  // another claimer moved the cursor (or the status changed)
                writer->prepare(
                          "INSERT INTO campaign_batches (campaign_id, first_id, last_id, leased_until)"
                          " VALUES (?1, ?2, ?3, ?4)")
                    .bindAll(campaign_id, lo + 1, hi, leaseEnd(lease_for))
                    .run();
                batch_id = writer->lastInsertId();
                tx.commit();
            }
            out.id = batch_id;
            out.recipients = std::move(recipients);
            auto reader = db_.reader();
            dropRecorded(*reader, campaign_id, lo, hi, out.recipients);
            return sdk::Status{};
        }
        return sdk::Status{};  // lost every race this time; the caller asks again shortly
    });
}

sdk::Status DeliveryStoreImpl::renewBatch(sdk::Id batch_id, std::chrono::seconds lease_for) noexcept {
    return guarded([&] {
        // A zero lease releases the batch: it lapses at once and the next claimer takes it.
        const std::string until = lease_for.count() > 0 ? leaseEnd(lease_for) : std::string(kReleased);
        auto writer = db_.writer();
        const auto changed =
            writer->prepare("UPDATE campaign_batches SET leased_until = ?2 WHERE id = ?1").bindAll(batch_id, until).run();
        return changed == 0 ? sdk::Status::notFound("batch: not found") : sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::record(sdk::Id campaign_id, const std::vector<sdk::Delivery>& deliveries) noexcept {
    return guarded([&] {
        if (deliveries.empty()) return sdk::Status{};
        // The last outcome of a recipient in the call wins; id order keeps the writes local.
        std::map<sdk::Id, const sdk::Delivery*> latest;
        for (const auto& d : deliveries) latest[d.subscriber_id] = &d;

        const std::string now = nowText();
        auto writer = db_.writer();
        Transaction tx(*writer);
        {
            auto st = writer->prepare("SELECT 1 FROM campaigns WHERE id = ?1");
            st.bindAll(campaign_id);
            if (!st.step()) return sdk::Status::notFound("campaign: not found");
        }
        // The counters move by what each entry becomes minus what it replaces (a retry or a
        // crash re-send), so they always equal the ledger's counts. An unconfirmed message went
        // out in full and counts as sent.
        std::int64_t sent = 0, failed = 0;
        for (const auto& [subscriber_id, d] : latest) {
            {
                auto old = writer->prepare(
                    "SELECT status FROM campaign_deliveries WHERE campaign_id = ?1 AND subscriber_id = ?2");
                old.bindAll(campaign_id, subscriber_id);
                if (old.step()) (old.text(0) == "failed" ? failed : sent) -= 1;
            }
            (d->status == sdk::DeliveryStatus::Failed ? failed : sent) += 1;
            writer->prepare(
                      "INSERT INTO campaign_deliveries (campaign_id, subscriber_id, status, error, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (campaign_id, subscriber_id) DO UPDATE SET"
                      " status = excluded.status, error = excluded.error, attempts = attempts + 1,"
                      " updated_at = excluded.updated_at")
                .bindAll(campaign_id, subscriber_id, sdk::toString(d->status), d->error, now)
                .run();
        }
        writer->prepare("UPDATE campaigns SET sent = sent + ?2, failed = failed + ?3, updated_at = ?4 WHERE id = ?1")
            .bindAll(campaign_id, sent, failed, now)
            .run();
        tx.commit();
        return sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::completeBatch(sdk::Id batch_id) noexcept {
    return guarded([&] {
        auto writer = db_.writer();
        const auto removed = writer->prepare("DELETE FROM campaign_batches WHERE id = ?1").bindAll(batch_id).run();
        return removed == 0 ? sdk::Status::notFound("batch: not found") : sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::finishIfDone(sdk::Id campaign_id, bool& finished) noexcept {
    return guarded([&] {
        finished = false;
        // Cutting the last batch moves the cursor and inserts the batch in one transaction, so
        // "cursor at the end and no batch left" cannot be seen while one is still being cut.
        static constexpr const char* kDone =
            " id = ?1 AND status = 'running' AND last_subscriber_id >= max_subscriber_id"
            " AND NOT EXISTS (SELECT 1 FROM campaign_batches WHERE campaign_id = ?1)";
        {
            // Most calls find the run still going: they are answered without the write lock.
            auto reader = db_.reader();
            auto st = reader->prepare(std::string("SELECT 1 FROM campaigns WHERE") + kDone);
            st.bindAll(campaign_id);
            if (!st.step()) return sdk::Status{};
        }
        auto writer = db_.writer();
        finished = writer->prepare(std::string("UPDATE campaigns SET status = 'finished', updated_at = ?2 WHERE") + kDone)
                       .bindAll(campaign_id, nowText())
                       .run() == 1;
        return sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::deliveries(sdk::Id campaign_id, std::optional<sdk::DeliveryStatus> status,
                                          std::int64_t page, std::int64_t per_page,
                                          sdk::DeliveryPage& out) noexcept {
    return guarded([&] {
        auto reader = db_.reader();
        Transaction tx(*reader, Transaction::Mode::Read);
        {
            auto st = reader->prepare("SELECT 1 FROM campaigns WHERE id = ?1");
            st.bindAll(campaign_id);
            if (!st.step()) return sdk::Status::notFound("campaign: not found");
        }
        const std::optional<std::string> wanted =
            status ? std::optional<std::string>(sdk::toString(*status)) : std::nullopt;
        sdk::DeliveryPage result;
        {
            auto st = reader->prepare(
                "SELECT COUNT(*) FROM campaign_deliveries d WHERE d.campaign_id = ?1 AND (?2 IS NULL OR d.status = ?2)");
            st.bindAll(campaign_id, wanted);
            if (st.step()) result.total = st.int64(0);
        }
        auto st = reader->prepare(
            "SELECT d.subscriber_id, COALESCE(s.email, ''), d.status, d.error, d.attempts, d.updated_at"
            " FROM campaign_deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id"
            " WHERE d.campaign_id = ?1 AND (?2 IS NULL OR d.status = ?2)"
            " ORDER BY d.subscriber_id LIMIT ?3 OFFSET ?4");
        st.bindAll(campaign_id, wanted, per_page > 0 ? per_page : std::int64_t{-1},
                   per_page > 0 ? (std::max<std::int64_t>(page, 1) - 1) * per_page : std::int64_t{0});
        while (st.step()) {
            sdk::DeliveryRecord d;
            d.subscriber_id = st.int64(0);
            d.email = st.text(1);
            d.status = enumFrom<sdk::DeliveryStatus>(st.text(2));
            d.error = st.text(3);
            d.attempts = static_cast<std::int32_t>(st.int64(4));
            d.updated_at = parseTimestamp(st.text(5));
            result.results.push_back(std::move(d));
        }
        out = std::move(result);
        return sdk::Status{};
    });
}

sdk::Status DeliveryStoreImpl::retryFailed(sdk::Id campaign_id, std::int64_t& affected) noexcept {
    return guarded([&] {
        affected = 0;
        auto writer = db_.writer();
        Transaction tx(*writer);
        {
            auto st = writer->prepare("SELECT status FROM campaigns WHERE id = ?1");
            st.bindAll(campaign_id);
            if (!st.step()) return sdk::Status::notFound("campaign: not found");
            if (st.text(0) == "running") return sdk::Status::conflict("status: campaign is running");
        }
        const std::int64_t removed =
            writer->prepare("DELETE FROM campaign_deliveries WHERE campaign_id = ?1 AND status = 'failed'")
                .bindAll(campaign_id)
                .run();
        if (removed == 0) return sdk::Status{};  // nothing to retry: leave the campaign as it is
        // The whole range is walked again; the ledger leaves out everyone already sent to, so
        // only the failed recipients (and any a stopped run never reached) are sent.
        writer->prepare(
                  "UPDATE campaigns SET failed = failed - ?2, last_subscriber_id = 0, status = 'running',"
                  " updated_at = ?3 WHERE id = ?1")
            .bindAll(campaign_id, removed, nowText())
            .run();
        writer->prepare("DELETE FROM campaign_batches WHERE campaign_id = ?1").bindAll(campaign_id).run();
        tx.commit();
        affected = removed;
        return sdk::Status{};
    });
}

}  // namespace tidings::storage_sqlite
