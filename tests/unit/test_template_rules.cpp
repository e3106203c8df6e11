// Template validation: the content slot, tx subjects, visual JSON and compile errors with their
// position.
#include <catch2/catch.hpp>

#include "kernel/core/status_error.hpp"
#include "kernel/core/template_service.hpp"

using namespace tidings::kernel;

namespace {

constexpr const char* kCampaignBody = R"(<html><body>{{ template "content" . }}</body></html>)";

TemplateInput input(std::string type, std::string body, std::string subject = "") {
    TemplateInput in;
    in.name = "T";
    in.type = std::move(type);
    in.body = std::move(body);
    in.subject = std::move(subject);
    return in;
}

std::string failure(const TemplateInput& in, const sdk::Template* existing = nullptr) {
    try {
        TemplateService::draftFrom(in, existing);
    } catch (const StatusError& e) {
        CHECK(e.status().code() == sdk::StatusCode::Invalid);
        return e.status().message();
    }
    return "";
}

}  // namespace

TEST_CASE("campaign templates must graft the campaign in", "[template_rules]") {
    for (const char* ok : {R"({{ template "content" . }})", R"({{template "content" .}})", R"({{- template "content" . -}})",
                           "{{\n  template \"content\"\n  .\n}}"}) {
        INFO(ok);
        CHECK(TemplateService::hasContentSlot(ok));
    }
    for (const char* bad : {"", R"({{ template "content" }})", R"({{ template "body" . }})", R"(template "content" .)"}) {
        INFO(bad);
        CHECK_FALSE(TemplateService::hasContentSlot(bad));
    }
    CHECK(failure(input("campaign", "<p>no slot</p>")) == R"(body: a campaign template must contain {{ template "content" . }})");
    CHECK(failure(input("campaign", kCampaignBody)).empty());
}

TEST_CASE("template fields", "[template_rules]") {
    CHECK(failure(input("", kCampaignBody)).empty());  // type defaults to campaign
    CHECK(failure(input("newsletter", kCampaignBody)).rfind("type:", 0) == 0);
    TemplateInput nameless = input("campaign", kCampaignBody);
    nameless.name = " ";
    CHECK(failure(nameless) == "name: is required");
    nameless.name = std::string(2001, 'n');
    CHECK(failure(nameless) == "name: longer than 2000 bytes");

    // A campaign template's subject is the campaign's: it is blanked, as listmonk does.
    auto d = TemplateService::draftFrom(input("campaign", kCampaignBody, "ignored"), nullptr);
    CHECK(d.subject.empty());
    CHECK(d.type == sdk::TemplateType::Campaign);
}

TEST_CASE("tx templates need a subject and a body", "[template_rules]") {
    CHECK(failure(input("tx", "<p>Hi {{ .Subscriber.Name }}</p>")) == "subject: a transactional template needs a subject");
    CHECK(failure(input("tx", "", "Hello")) == "body: is required");
    auto d = TemplateService::draftFrom(input("tx", "<p>{{ .Tx.Data.order }}</p>", " Order {{ .Tx.Data.order }} "), nullptr);
    CHECK(d.subject == "Order {{ .Tx.Data.order }}");
    // Tx templates get no campaign functions.
    CHECK(failure(input("tx", "<a href=\"{{ UnsubscribeURL . }}\">x</a>", "S")).rfind("body: line 1", 0) == 0);
    CHECK(failure(input("tx", "<p>x</p>", "Hi {{ .Subscriber.Name ")).rfind("subject: line 1", 0) == 0);
}

TEST_CASE("compile errors carry line and column", "[template_rules]") {
    const std::string broken = "<html><body>\n{{ template \"content\" . }}\n<p>{{ if .Subscriber.Name }}</p>\n";
    const std::string message = failure(input("campaign", broken));
    INFO(message);
    CHECK(message.rfind("body: line ", 0) == 0);
    CHECK(message.find("column") != std::string::npos);

    const std::string unknown = failure(input("campaign", "{{ template \"content\" . }}\n\n  {{ Nope }}"));
    INFO(unknown);
    CHECK(unknown.rfind("body: line 3, column ", 0) == 0);
    CHECK(unknown.find("Nope") != std::string::npos);
}

TEST_CASE("visual templates need the editor's JSON", "[template_rules]") {
    TemplateInput in = input("campaign_visual", "<p>Hi {{ .Subscriber.Name }}</p>");
    CHECK(failure(in) == "body_source: a visual template needs the editor's JSON");
    in.body_source = "{not json";
    CHECK(failure(in) == "body_source: is not valid JSON");
    in.body_source = R"({"blocks": []})";
    CHECK(failure(in).empty());
}

TEST_CASE("an update keeps absent fields and refuses a type change", "[template_rules]") {
    sdk::Template existing;
    existing.id = 4;
    existing.name = "Stored";
    existing.type = sdk::TemplateType::Tx;
    existing.subject = "Stored subject";
    existing.body = "<p>stored</p>";
    TemplateInput in;
    in.name = "Renamed";
    auto d = TemplateService::draftFrom(in, &existing);
    CHECK(d.name == "Renamed");
    CHECK(d.subject == "Stored subject");
    CHECK(d.body == "<p>stored</p>");
    in.type = "campaign";
    CHECK(failure(in, &existing) == "type: a template's type cannot be changed");
    in.type = "tx";
    in.subject = "";
    CHECK(failure(in, &existing) == "subject: a transactional template needs a subject");
}
