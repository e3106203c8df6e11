// Template rules: validation (a campaign template must graft the campaign body in; a tx template
// needs a subject; every body must compile), the default templates installed on first start, and
// previews rendered with sample data.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tidings/sdk/v1/storage.hpp>

#include "kernel/template/campaign_message.hpp"

namespace tidings::kernel {

namespace sdk = tidings::sdk::v1;

/// A template as a client sent it; unset optionals were absent from the request.
struct TemplateInput {
    std::optional<std::string> name;
    std::optional<std::string> type;
    std::optional<std::string> subject;
    std::optional<std::string> body;
    std::optional<std::string> body_source;
};

/// The sources of the templates installed when the store holds none (web/email-templates/).
struct DefaultTemplateSources {
    std::string campaign;  ///< Becomes the default campaign template.
    std::string archive;   ///< For the public archive.
    std::string tx;        ///< A sample transactional template.
};

/// A rendered preview and its MIME type.
struct Preview {
    std::string body;
    std::string content_type;  ///< "text/html; charset=utf-8" or "text/plain; charset=utf-8"
};

inline constexpr std::size_t kMaxTemplateNameBytes = 2000;
inline constexpr std::size_t kMaxSubjectBytes = 5000;

class TemplateService {
public:
    /// `context` returns the live link settings used to render previews.
    TemplateService(sdk::TemplateStore& store, std::function<MessageContext()> context);

    /// Every template, ordered by `order_by` (an orderColumn() value) in `order`.
    std::vector<sdk::Template> list(bool with_body, const std::string& order_by = "id",
                                    sdk::SortOrder order = sdk::SortOrder::Asc);
    sdk::Template get(sdk::Id id);
    sdk::Template create(const TemplateInput& input);
    /// Fields absent from `input` keep their stored values; the type cannot change.
    sdk::Template update(sdk::Id id, const TemplateInput& input);
    /// Makes a campaign template the default; returns every template, as listmonk does.
    std::vector<sdk::Template> setDefault(sdk::Id id);
    /// Refuses the default template and the last one.
    void remove(sdk::Id id);

    /// Renders `body` as a template of `type` with a sample subscriber and sample content.
    Preview preview(sdk::TemplateType type, const std::string& body) const;
    /// Renders a stored template; `body` replaces its body when given.
    Preview preview(sdk::Id id, const std::optional<std::string>& body);

    /// Installs the default templates when the store has none. `guard`, when given, makes one
    /// process of several starting together do it. Returns how many were installed.
    int installDefaults(const DefaultTemplateSources& sources, sdk::StateStore* guard);

    /// Validates `input` (merged over `existing` on update) into a draft; throws an Invalid
    /// StatusError naming the field. Pure: no storage.
    static sdk::TemplateDraft draftFrom(const TemplateInput& input, const sdk::Template* existing);

    /// Maps an `order_by` value to a template field; Invalid for anything else.
    static std::string orderColumn(const std::string& order_by);

    /// Throws an Invalid StatusError ("body: line 3, column 7: ...") unless `draft` compiles.
    static void checkCompiles(const sdk::TemplateDraft& draft);

    /// Whether a campaign template body grafts the campaign in with {{ template "content" . }}.
    static bool hasContentSlot(const std::string& body);

private:
    sdk::TemplateStore& store_;
    std::function<MessageContext()> context_;
};

}  // namespace tidings::kernel
