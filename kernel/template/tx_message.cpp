#include "kernel/template/tx_message.hpp"

#include "kernel/template/message_i18n.hpp"
#include "kernel/template/message_values.hpp"
#include "kernel/template/template.hpp"

namespace tidings::kernel {

using tmpl::Mode;
using tmpl::Value;

struct TxMessage::Compiled {
    tmpl::Template body;
    tmpl::Template subject;  // empty when the subject holds no action
    std::string literal_subject;

    Value dot(const sdk::Subscriber& s, const std::string& data_json, const std::string& subject) const {
        Value tx = Value::map({{"Data", jsonValue(data_json)}, {"Subject", Value(subject)}});
        return Value::map({{"Subscriber", subscriberValue(s)}, {"Tx", std::move(tx)}});
    }
};

namespace {

tmpl::FunctionTable txFunctions() {
    tmpl::FunctionTable functions = tmpl::FunctionTable::builtins();
    addMessageFunctions(functions);
    return functions;
}

}  // namespace

TxMessage TxMessage::compile(const sdk::Template& t) {
    const tmpl::FunctionTable functions = txFunctions();
    auto c = std::make_shared<Compiled>();
    c->body = tmpl::Template::compile("body", t.body, Mode::Html, functions);
    if (t.subject.find("{{") != std::string::npos) {
        c->subject = tmpl::Template::compile("subject", t.subject, Mode::Text, functions);
    } else {
        c->literal_subject = t.subject;
    }
    return TxMessage(std::move(c));
}

std::string TxMessage::renderSubject(const sdk::Subscriber& subscriber, const std::string& data_json) const {
    const Compiled& c = *compiled_;
    if (!c.subject) return c.literal_subject;
    return c.subject.render(c.dot(subscriber, data_json, ""));
}

std::string TxMessage::renderBody(const sdk::Subscriber& subscriber, const std::string& data_json) const {
    const Compiled& c = *compiled_;
    return c.body.render(c.dot(subscriber, data_json, renderSubject(subscriber, data_json)));
}

std::string TxMessage::renderText(const std::string& source, const sdk::Subscriber& subscriber,
                                  const std::string& data_json) const {
    if (source.find("{{") == std::string::npos) return source;
    const Compiled& c = *compiled_;
    return tmpl::Template::compile("text", source, Mode::Text, txFunctions())
        .render(c.dot(subscriber, data_json, renderSubject(subscriber, data_json)));
}

}  // namespace tidings::kernel
