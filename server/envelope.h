// The Tencent Cloud API 3.0 response envelope.
#pragma once
#include <string>
#include <string_view>

#include "state/errors.h"
#include "state/json.h"

namespace dtsmock {

// {"Response": {<members of body>, "RequestId": "..."}}
std::string envelope_ok(const JsonValue& body, std::string_view request_id);
// {"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}}
std::string envelope_error(std::string_view code, std::string_view message, std::string_view request_id);
inline std::string envelope_error(const ApiError& e, Lang lang, std::string_view request_id) {
  return envelope_error(code_of(e.code), e.message(lang), request_id);
}

}  // namespace dtsmock
