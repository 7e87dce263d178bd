#include "server/validate.h"

#include <string_view>

namespace dtsmock {
namespace {

using model::Member;
using model::Object;
using model::Type;

std::string_view sv(const JsonValue& v) { return {v.GetString(), v.GetStringLength()}; }

// Walks one request with a reusable path buffer ("SrcInfo.Info.0.Port").
class Validator {
 public:
  explicit Validator(std::string* hint) : hint_(hint) {}

  std::optional<ApiError> object(const Object& obj, const JsonValue& v, int depth, bool top) {
    if (depth > kMaxParamDepth) return make_error(Err::InvalidParameter, Msg::TooDeep, {path_, depth_text()});
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string_view name = sv(it->name);
      if (it->value.IsNull()) continue;  // null means absent (the Node SDK drops them)
      const Member* m = obj.find(name);
      if (!m && top) m = model::body_extra_member(name);
      // An unknown name is echoed in the message: keep it short.
      size_t mark = push(m || name.size() <= 64 ? name : name.substr(0, 64));
      if (!m) {
        std::string near = model::nearest_member(obj, name);
        if (near.empty()) return make_error(Err::UnknownParameter, Msg::UnknownParam, {path_});
        std::string suggestion = mark == 0 ? near : path_.substr(0, mark) + "." + near;
        if (hint_) *hint_ = suggestion;
        return make_error(Err::UnknownParameter, Msg::UnknownParamHint, {path_, suggestion});
      }
      if (auto e = member(*m, it->value, depth)) return e;
      pop(mark);
    }
    for (const Member& m : obj.all()) {
      if (!m.required) continue;
      const JsonValue* present = dtsmock::member(v, m.name);
      if (present && !present->IsNull()) continue;
      push(m.name);
      return make_error(Err::MissingParameter, Msg::MissingParam, {path_});
    }
    return std::nullopt;
  }

 private:
  std::optional<ApiError> member(const Member& m, const JsonValue& v, int depth) {
    if (m.type != Type::List) return scalar_or_object(m, m.type, v, depth, false);
    if (!v.IsArray()) return wrong_type(m, false);
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      size_t mark = push(std::to_string(i));
      // Elements must be present: a null inside a list is not "absent".
      if (auto e = scalar_or_object(m, m.elem, v[i], depth + 1, true)) return e;
      pop(mark);
    }
    return std::nullopt;
  }

  std::optional<ApiError> scalar_or_object(const Member& m, Type t, const JsonValue& v, int depth, bool element) {
    switch (t) {
      case Type::String:
        if (!v.IsString()) return wrong_type(m, element);
        return std::nullopt;
      case Type::Int:
        if (m.unsigned_int) {
          if (v.IsUint64()) return std::nullopt;
          if (v.IsInt64()) return make_error(Err::InvalidParameter, Msg::NegativeUnsigned, {path_});
          return wrong_type(m, element);
        }
        if (!v.IsInt64()) return wrong_type(m, element);
        return std::nullopt;
      case Type::Float:
        if (!v.IsNumber()) return wrong_type(m, element);
        return std::nullopt;
      case Type::Bool:
        if (!v.IsBool()) return wrong_type(m, element);
        return std::nullopt;
      case Type::Object:
        if (!v.IsObject()) return wrong_type(m, element);
        return object(model::object(m.object), v, depth + 1, false);
      case Type::List:
        break;  // the model has no list of lists
    }
    return wrong_type(m, element);
  }

  // Inside a list (`element`), the path ends with an index: name the element type.
  ApiError wrong_type(const Member& m, bool element) {
    std::string desc = element ? element_description(m) : type_description(m);
    return make_error(Err::InvalidParameter, Msg::WrongType, {path_, desc});
  }

  size_t push(std::string_view seg) {
    size_t mark = path_.size();
    if (!path_.empty()) path_.push_back('.');
    path_.append(seg);
    return mark;
  }
  void pop(size_t mark) { path_.resize(mark); }
  std::string depth_text() const { return std::to_string(kMaxParamDepth); }

  std::string path_;
  std::string* hint_;
};

}  // namespace

std::string element_description(const model::Member& m) {
  if (m.elem == Type::Object && m.object >= 0) return std::string(model::object(m.object).name);
  return std::string(model::type_name(m.elem));
}

std::string type_description(const model::Member& m) {
  if (m.type == Type::List) return "Array of " + element_description(m);
  return element_description(m);
}

std::optional<ApiError> validate(const model::Action& action, const JsonValue& params, std::string* did_you_mean) {
  if (did_you_mean) did_you_mean->clear();
  if (!params.IsObject()) return make_error(Err::InvalidParameter, Msg::ParamsNotObject, {});
  Validator v(did_you_mean);
  return v.object(model::object(action.input), params, 1, true);
}

}  // namespace dtsmock
