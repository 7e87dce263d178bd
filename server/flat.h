// The flattened parameter codec of the GET and v1 (form) request styles:
// `Tags.0.TagKey=a&Tags.0.TagValue=b&Limit=10` <-> {"Tags":[{"TagKey":"a","TagValue":"b"}],"Limit":10}.
// Flattening loses the types, so decoding is guided by the API model.
#pragma once
#include <optional>
#include <string>

#include "server/api_model.h"
#include "server/wire.h"
#include "state/errors.h"
#include "state/json.h"

namespace dtsmock {

inline constexpr size_t kMaxFlatKeys = 10000;   // key/value pairs in one request
inline constexpr size_t kMaxFlatIndex = 9999;   // largest list index accepted

// Rebuilds typed request parameters from URL-decoded key/values. Common
// parameters (is_common_parameter) are skipped. Each value is typed by its
// member: Integer (int64, or uint64 for unsigned members), Float, Boolean
// (`true`/`false`, any case), String (as is). `DateTimeISOFormat` is accepted
// at the top level as a Boolean (model::body_extra_member).
// Errors (nothing is partially trusted; `out` is unspecified after an error):
//  - more than kMaxFlatKeys pairs                           -> InvalidParameter
//  - an unknown member at any level                         -> UnknownParameter (did-you-mean
//                                                              into `did_you_mean` when given)
//  - text that is not a number / Boolean for such a member  -> InvalidParameter naming the key
//  - a list index that is not canonical decimal <= kMaxFlatIndex,
//    a list with a gap in its indices, a sub-key under a scalar, an index on a
//    non-list, a value on an object/list, a key given twice -> InvalidParameter
// Required members are not checked here: pass the result through validate().
std::optional<ApiError> decode_flat(const model::Action& action, const KeyValues& kv, Json& out,
                                    std::string* did_you_mean = nullptr);

// Flattens a JSON object the way the SDKs do (nested keys joined by '.', list
// indices from 0, Booleans as true/false, numbers in decimal, nulls and empty
// lists/objects dropped). Non-objects give no pairs.
void flatten(const JsonValue& params, KeyValues& out);

// flatten() joined as an application/x-www-form-urlencoded string
// (RFC 3986 unreserved characters kept, everything else %XX).
std::string encode_flat(const JsonValue& params);

}  // namespace dtsmock
