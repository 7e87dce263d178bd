// Request validation against the API model: required members, unknown members
// and JSON types, walked recursively through the action's input object.
#pragma once
#include <optional>
#include <string>

#include "server/api_model.h"
#include "state/errors.h"
#include "state/json.h"

namespace dtsmock {

// Deepest nesting of objects and lists the validator follows (the DTS model
// itself needs fewer than 12); anything deeper is InvalidParameter.
inline constexpr int kMaxParamDepth = 32;

// Checks `params` (the request body, common parameters removed) against the
// input object of `action`. Returns the first problem found, or nullopt:
//  - params not a JSON object                 -> InvalidParameter
//  - a member the model does not know         -> UnknownParameter (with "did you mean")
//  - a value of the wrong JSON type           -> InvalidParameter (path and expected type)
//  - a required member absent or null         -> MissingParameter (full path, e.g. Tags.0.TagKey)
// Within one object, members present are checked (depth first) before
// required members are looked for, so a misspelt required member is reported
// as unknown with a suggestion rather than as missing.
// A JSON null counts as absent. `DateTimeISOFormat` (a Boolean) is accepted at
// the top level of every action (model::body_extra_member).
// When `did_you_mean` is given it receives the suggested full path for the
// first unknown member (e.g. "Tags.0.TagKey"), or "" when there is none.
std::optional<ApiError> validate(const model::Action& action, const JsonValue& params,
                                 std::string* did_you_mean = nullptr);

// The expected type of a member as messages spell it: "String", "Integer",
// "Boolean", "TagItem", "Array of String", "Array of TagItem", ...
std::string type_description(const model::Member& m);
// The same for one element of a list member ("TagItem"); for a non-list,
// equal to type_description.
std::string element_description(const model::Member& m);

}  // namespace dtsmock
