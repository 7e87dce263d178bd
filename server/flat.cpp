#include "server/flat.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>

#include "server/validate.h"

namespace dtsmock {
namespace {

using model::Member;
using model::Type;

// One node of the tree the keys describe. Nodes live in a deque (stable
// addresses) and refer to their children by index.
struct Node {
  Type type = Type::Object;
  int object = -1;                 // Object nodes (and lists of objects)
  const Member* member = nullptr;  // nullptr for the root
  bool element = false;            // an element of a list member
  const std::string* value = nullptr;  // set when a key ends at this node
  std::map<std::string_view, size_t> fields;  // Object: member name -> node
  std::map<size_t, size_t> items;             // List: index -> node
};

std::string_view clip(std::string_view s) { return s.size() > 64 ? s.substr(0, 64) : s; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Canonical decimal index (no sign, no leading zero) up to kMaxFlatIndex.
std::optional<size_t> parse_index(std::string_view s) {
  if (s.empty() || s.size() > 4 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  if (v > kMaxFlatIndex) return std::nullopt;
  return v;
}

template <class T>
bool parse_full(std::string_view s, T& v) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

class Decoder {
 public:
  Decoder(const model::Action& action, std::string* hint) : hint_(hint) {
    nodes_.push_back(Node{Type::Object, action.input, nullptr, false, nullptr, {}, {}});
  }

  std::optional<ApiError> add(const std::string& key, const std::string& value) {
    size_t cur = 0;  // root
    size_t pos = 0;
    while (true) {
      size_t dot = key.find('.', pos);
      size_t end = dot == std::string::npos ? key.size() : dot;
      std::string_view seg = std::string_view(key).substr(pos, end - pos);
      Node& n = nodes_[cur];
      switch (n.type) {
        case Type::Object: {
          const model::Object& obj = model::object(n.object);
          const Member* m = obj.find(seg);
          if (!m && cur == 0) m = model::body_extra_member(seg);
          if (!m) return unknown(key.substr(0, pos), seg, obj);
          auto it = n.fields.find(m->name);
          if (it == n.fields.end()) {
            size_t child = make_node(m, false);
            it = nodes_[cur].fields.emplace(m->name, child).first;
          }
          cur = it->second;
          break;
        }
        case Type::List: {
          auto idx = parse_index(seg);
          if (!idx)
            return make_error(Err::InvalidParameter, Msg::FlatBadIndex,
                              {key.substr(0, pos == 0 ? 0 : pos - 1), clip(seg), std::to_string(kMaxFlatIndex)});
          auto it = n.items.find(*idx);
          if (it == n.items.end()) {
            size_t child = make_node(n.member, true);
            it = nodes_[cur].items.emplace(*idx, child).first;
          }
          cur = it->second;
          break;
        }
        default: {
          // A scalar (or a list element that is a scalar) has no sub-keys.
          std::string_view parent = std::string_view(key).substr(0, pos - 1);
          return make_error(Err::InvalidParameter, Msg::FlatNoChildren, {parent, describe(n), clip(seg)});
        }
      }
      if (dot == std::string::npos) break;
      pos = dot + 1;
    }
    Node& leaf = nodes_[cur];
    if (leaf.value) return make_error(Err::InvalidParameter, Msg::DuplicateParam, {key});
    leaf.value = &value;
    return std::nullopt;
  }

  std::optional<ApiError> build(Json& out) {
    out.SetObject();
    std::string path;
    return build(0, out, out.GetAllocator(), path);
  }

 private:
  size_t make_node(const Member* m, bool element) {
    Node n;
    n.member = m;
    n.element = element;
    n.type = element ? m->elem : m->type;
    n.object = m->object;
    nodes_.push_back(std::move(n));
    return nodes_.size() - 1;
  }

  static std::string describe(const Node& n) {
    if (!n.member) return "Object";
    return n.element ? element_description(*n.member) : type_description(*n.member);
  }

  ApiError unknown(std::string_view prefix, std::string_view seg, const model::Object& obj) {
    std::string full = std::string(prefix) + std::string(clip(seg));
    std::string near = model::nearest_member(obj, seg);
    if (near.empty()) return make_error(Err::UnknownParameter, Msg::UnknownParam, {full});
    std::string suggestion = std::string(prefix) + near;
    if (hint_) *hint_ = suggestion;
    return make_error(Err::UnknownParameter, Msg::UnknownParamHint, {full, suggestion});
  }

  static void push(std::string& path, std::string_view seg) {
    if (!path.empty()) path.push_back('.');
    path.append(seg);
  }

  std::optional<ApiError> build(size_t idx, JsonValue& out, Alloc& a, std::string& path) {
    const Node& n = nodes_[idx];
    if ((n.type == Type::Object || n.type == Type::List) && n.value) {
      if (!n.fields.empty() || !n.items.empty())
        return make_error(Err::InvalidParameter, Msg::FlatConflict, {path});
      return make_error(Err::InvalidParameter, Msg::WrongType, {path, describe(n)});
    }
    switch (n.type) {
      case Type::Object: {
        out.SetObject();
        for (const auto& [name, child] : n.fields) {
          size_t mark = path.size();
          push(path, name);
          JsonValue v;
          if (auto e = build(child, v, a, path)) return e;
          out.AddMember(JsonValue(name.data(), static_cast<rapidjson::SizeType>(name.size()), a), v, a);
          path.resize(mark);
        }
        return std::nullopt;
      }
      case Type::List: {
        out.SetArray();
        size_t expected = 0;
        for (const auto& [i, child] : n.items) {
          if (i != expected)
            return make_error(Err::InvalidParameter, Msg::FlatIndexGap, {path, std::to_string(expected)});
          ++expected;
          size_t mark = path.size();
          push(path, std::to_string(i));
          JsonValue v;
          if (auto e = build(child, v, a, path)) return e;
          out.PushBack(v, a);
          path.resize(mark);
        }
        return std::nullopt;
      }
      default:
        return scalar(n, out, a, path);
    }
  }

  static std::optional<ApiError> scalar(const Node& n, JsonValue& out, Alloc& a, const std::string& path) {
    const std::string& text = *n.value;  // a scalar node exists only because a key ended at it
    switch (n.type) {
      case Type::String:
        out = jstr(text, a);
        return std::nullopt;
      case Type::Int:
        if (n.member->unsigned_int) {
          uint64_t u;
          if (parse_full(text, u)) {
            out.SetUint64(u);
            return std::nullopt;
          }
          int64_t s;
          if (parse_full(text, s) && s < 0) return make_error(Err::InvalidParameter, Msg::NegativeUnsigned, {path});
        } else {
          int64_t s;
          if (parse_full(text, s)) {
            out.SetInt64(s);
            return std::nullopt;
          }
        }
        return make_error(Err::InvalidParameter, Msg::FlatBadNumber, {path, clip(text), "Integer"});
      case Type::Float: {
        double d;
        if (parse_full(text, d) && std::isfinite(d)) {
          out.SetDouble(d);
          return std::nullopt;
        }
        return make_error(Err::InvalidParameter, Msg::FlatBadNumber, {path, clip(text), "Float"});
      }
      case Type::Bool:
        if (iequals(text, "true")) {
          out.SetBool(true);
          return std::nullopt;
        }
        if (iequals(text, "false")) {
          out.SetBool(false);
          return std::nullopt;
        }
        return make_error(Err::InvalidParameter, Msg::FlatBadNumber, {path, clip(text), "Boolean"});
      default:
        return make_error(Err::InvalidParameter, Msg::WrongType, {path, describe(n)});
    }
  }

  std::deque<Node> nodes_;
  std::string* hint_;
};

// Flattening: bounded recursion (deeper content is dropped; the decoder would
// refuse it anyway).
constexpr int kMaxFlattenDepth = 64;

void flatten_into(const JsonValue& v, std::string& key, KeyValues& out, int depth) {
  if (depth > kMaxFlattenDepth) return;
  auto child = [&](std::string_view seg, const JsonValue& c) {
    size_t mark = key.size();
    if (!key.empty()) key.push_back('.');
    key.append(seg);
    flatten_into(c, key, out, depth + 1);
    key.resize(mark);
  };
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
      child(std::string_view(it->name.GetString(), it->name.GetStringLength()), it->value);
  } else if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) child(std::to_string(i), v[i]);
  } else if (v.IsString()) {
    out.emplace_back(key, std::string(v.GetString(), v.GetStringLength()));
  } else if (v.IsBool()) {
    out.emplace_back(key, v.GetBool() ? "true" : "false");
  } else if (v.IsInt64()) {
    out.emplace_back(key, std::to_string(v.GetInt64()));
  } else if (v.IsUint64()) {
    out.emplace_back(key, std::to_string(v.GetUint64()));
  } else if (v.IsNumber()) {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.GetDouble());
    out.emplace_back(key, std::string(buf, ec == std::errc() ? p : buf));
  }
  // null: dropped, as the Node SDK does.
}

void percent_encode(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
}

}  // namespace

std::optional<ApiError> decode_flat(const model::Action& action, const KeyValues& kv, Json& out,
                                    std::string* did_you_mean) {
  if (did_you_mean) did_you_mean->clear();
  if (kv.size() > kMaxFlatKeys)
    return make_error(Err::InvalidParameter, Msg::TooManyParams,
                      {std::to_string(kv.size()), std::to_string(kMaxFlatKeys)});
  Decoder d(action, did_you_mean);
  for (const auto& [key, value] : kv) {
    if (is_common_parameter(key)) continue;
    if (key.empty() && value.empty()) continue;  // stray '&'
    if (auto e = d.add(key, value)) return e;
  }
  return d.build(out);
}

void flatten(const JsonValue& params, KeyValues& out) {
  if (!params.IsObject()) return;
  std::string key;
  flatten_into(params, key, out, 0);
}

std::string encode_flat(const JsonValue& params) {
  KeyValues kv;
  flatten(params, kv);
  std::string out;
  for (const auto& [k, v] : kv) {
    if (!out.empty()) out.push_back('&');
    percent_encode(k, out);
    out.push_back('=');
    percent_encode(v, out);
  }
  return out;
}

}  // namespace dtsmock
