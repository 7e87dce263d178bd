// JSON as the domain sees it: RapidJSON documents and small accessors.
#pragma once
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dtsmock {

using Json = rapidjson::Document;
using JsonValue = rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

inline std::string to_string(const JsonValue& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// Parses text; returns false on malformed JSON. Depth is bounded by the caller's limits.
inline bool parse_json(std::string_view text, Json& out) {
  out.Parse<rapidjson::kParseStopWhenDoneFlag>(text.data(), text.size());
  return !out.HasParseError();
}

inline const JsonValue* member(const JsonValue& obj, std::string_view name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(rapidjson::StringRef(name.data(), name.size()));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

inline std::optional<std::string> str_member(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = member(obj, name);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

inline std::optional<int64_t> int_member(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = member(obj, name);
  if (!v) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsUint64()) return static_cast<int64_t>(v->GetUint64());
  return std::nullopt;
}

inline std::optional<bool> bool_member(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = member(obj, name);
  if (!v || !v->IsBool()) return std::nullopt;
  return v->GetBool();
}

inline JsonValue jstr(std::string_view s, Alloc& a) {
  return JsonValue(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

}  // namespace dtsmock
