// ApiError: what a refused call answers. Codes come only from errors.def;
// handler-specific texts come from messages.def, in English and Chinese.
#pragma once
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace dtsmock {

enum class Err : unsigned short {
#define DTS_ERROR(name, code, en, zh) name,
#include "state/errors.def"
#undef DTS_ERROR
  Count_
};

enum class Msg : unsigned short {
#define DTS_MESSAGE(name, en, zh) name,
#include "state/messages.def"
#undef DTS_MESSAGE
  Count_
};

enum class Lang : unsigned char { En, Zh };

std::string_view code_of(Err e);
std::optional<Err> err_from_code(std::string_view code);

struct ApiError {
  Err code;
  std::string en;  // message in English
  std::string zh;  // message in Chinese
  const std::string& message(Lang l) const { return l == Lang::Zh ? zh : en; }
};

// The code's default message.
ApiError make_error(Err e);
// A catalogued message with positional arguments {0}, {1}, ... substituted.
ApiError make_error(Err e, Msg m, std::initializer_list<std::string_view> args);
// A free-form message (fault rules carry user-given texts); used in both languages.
ApiError make_error_text(Err e, std::string_view text);

// Result of a handler: either an output object or an ApiError.
}  // namespace dtsmock
