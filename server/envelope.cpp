#include "server/envelope.h"

#include "server/wire.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace dtsmock {
namespace {
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
void key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void str(Writer& w, std::string_view v) { w.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); }
}  // namespace

std::string envelope_ok(const JsonValue& body, std::string_view request_id) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, "Response");
  w.StartObject();
  if (body.IsObject()) {
    for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it) {
      if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == "RequestId") continue;
      w.Key(it->name.GetString(), it->name.GetStringLength());
      it->value.Accept(w);
    }
  }
  key(w, "RequestId");
  str(w, request_id);
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string envelope_error(std::string_view code, std::string_view message, std::string_view request_id) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  key(w, "Response");
  w.StartObject();
  key(w, "Error");
  w.StartObject();
  key(w, "Code");
  str(w, code);
  key(w, "Message");
  // Messages may quote request text (an action name from a header); keep the answer valid UTF-8.
  if (valid_utf8(message)) str(w, message);
  else str(w, sanitize_utf8(message));
  w.EndObject();
  key(w, "RequestId");
  str(w, request_id);
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace dtsmock
