// The error catalogue covers every code the reference documents for any
// action, and every code and message speaks both languages.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "server/api_model.h"
#include "state/errors.h"

using namespace dtsmock;

TEST_CASE("errors: every code in every action's error list is in the catalogue") {
  size_t pairs = 0;
  for (const auto& a : model::actions()) {
    for (std::string_view code : model::action_errors(a.name)) {
      std::string action(a.name), c(code);
      CAPTURE(action);
      CAPTURE(c);
      auto e = err_from_code(code);
      REQUIRE(e.has_value());
      CHECK(code_of(*e) == code);
      ++pairs;
    }
  }
  CHECK(pairs == 1240);
}

TEST_CASE("errors: every catalogue code is unique and has English and Chinese default messages") {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < static_cast<size_t>(Err::Count_); ++i) {
    const Err e = static_cast<Err>(i);
    std::string code(code_of(e));
    CAPTURE(code);
    CHECK(!code.empty());
    CHECK(seen.insert(code_of(e)).second);
    auto back = err_from_code(code);
    REQUIRE(back.has_value());
    CHECK(*back == e);
    ApiError err = make_error(e);
    CHECK(err.code == e);
    CHECK(!err.en.empty());
    CHECK(!err.zh.empty());
    CHECK(err.message(Lang::En) == err.en);
    CHECK(err.message(Lang::Zh) == err.zh);
    // The Chinese text is really Chinese (contains non-ASCII), not a copy of the English.
    CHECK(err.zh != err.en);
    bool non_ascii = false;
    for (unsigned char ch : err.zh) non_ascii |= ch >= 0x80;
    CHECK(non_ascii);
  }
  CHECK_FALSE(err_from_code("NoSuch.Code").has_value());
  CHECK_FALSE(err_from_code("").has_value());
}

TEST_CASE("errors: every message template uses the same arguments in English and Chinese") {
  const std::string marks[] = {"<#0#>", "<#1#>", "<#2#>", "<#3#>", "<#4#>", "<#5#>", "<#6#>", "<#7#>", "<#8#>", "<#9#>"};
  for (size_t i = 0; i < static_cast<size_t>(Msg::Count_); ++i) {
    CAPTURE(i);
    ApiError e = make_error(Err::InvalidParameter, static_cast<Msg>(i),
                            {marks[0], marks[1], marks[2], marks[3], marks[4], marks[5], marks[6], marks[7], marks[8],
                             marks[9]});
    CAPTURE(e.en);
    CHECK(!e.en.empty());
    CHECK(!e.zh.empty());
    CHECK(e.zh != e.en);
    for (const std::string& m : marks) {
      CAPTURE(m);
      CHECK((e.en.find(m) != std::string::npos) == (e.zh.find(m) != std::string::npos));
    }
  }
}

TEST_CASE("errors: messages substitute their arguments") {
  ApiError e = make_error(Err::MissingParameter, Msg::MissingParam, {"SrcInfo.Region"});
  CHECK(e.code == Err::MissingParameter);
  CHECK(e.en.find("`SrcInfo.Region`") != std::string::npos);
  CHECK(e.en.find("{0}") == std::string::npos);
  CHECK(e.zh.find("`SrcInfo.Region`") != std::string::npos);
}
