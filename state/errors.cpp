#include "state/errors.h"

#include <array>
#include <string>
#include <unordered_map>

namespace dtsmock {
namespace {

struct ErrEntry { std::string_view code, en, zh; };
constexpr ErrEntry kErrors[] = {
#define DTS_ERROR(name, code, en, zh) {code, en, zh},
#include "state/errors.def"
#undef DTS_ERROR
};
static_assert(std::size(kErrors) == static_cast<size_t>(Err::Count_));

struct MsgEntry { std::string_view en, zh; };
constexpr MsgEntry kMessages[] = {
#define DTS_MESSAGE(name, en, zh) {en, zh},
#include "state/messages.def"
#undef DTS_MESSAGE
};
static_assert(std::size(kMessages) == static_cast<size_t>(Msg::Count_));

std::string format(std::string_view tmpl, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 2] == '}' && tmpl[i + 1] >= '0' && tmpl[i + 1] <= '9') {
      size_t idx = static_cast<size_t>(tmpl[i + 1] - '0');
      if (idx < args.size()) out.append(*(args.begin() + idx));
      i += 2;
    } else {
      out.push_back(tmpl[i]);
    }
  }
  return out;
}

}  // namespace

std::string_view code_of(Err e) { return kErrors[static_cast<size_t>(e)].code; }

std::optional<Err> err_from_code(std::string_view code) {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, Err>();
    for (size_t i = 0; i < std::size(kErrors); ++i) m->emplace(kErrors[i].code, static_cast<Err>(i));
    return m;
  }();
  auto it = index->find(code);
  if (it == index->end()) return std::nullopt;
  return it->second;
}

ApiError make_error(Err e) {
  const auto& entry = kErrors[static_cast<size_t>(e)];
  return ApiError{e, std::string(entry.en), std::string(entry.zh)};
}

ApiError make_error(Err e, Msg m, std::initializer_list<std::string_view> args) {
  const auto& entry = kMessages[static_cast<size_t>(m)];
  return ApiError{e, format(entry.en, args), format(entry.zh, args)};
}

ApiError make_error_text(Err e, std::string_view text) {
  return ApiError{e, std::string(text), std::string(text)};
}

}  // namespace dtsmock
