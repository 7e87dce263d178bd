// The DTS 2021-12-06 API model as data: every action, every object reachable
// from an action's input or output, every member's type and required flags,
// and every action's documented error codes. The facts live in the generated
// server/api_model_data.inc (scripts/gen_model.py); this header is how the
// rest of the server reads them. Everything here is static, immutable and
// safe to read from any thread.
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace dtsmock::model {

enum class Type : unsigned char { String, Int, Float, Bool, Object, List };

// Short name of a type for messages: "String", "Integer", "Float", "Boolean",
// "Object", "Array".
std::string_view type_name(Type t);

struct Member {
  std::string_view name;
  Type type;
  Type elem;             // a list's element type; for a non-list, equal to `type`
  int object;            // index of the object (type Object, or List of objects), else -1
  bool required;         // required in a request (as the reference records it)
  bool output_required;  // always present in a response (as the reference records it)
  bool unsigned_int;     // Int (or list of Int) declared uint64
};

struct Object {
  std::string_view name;
  const Member* members;  // sorted by name (byte order)
  size_t count;

  std::span<const Member> all() const { return {members, count}; }
  // Exact (case-sensitive) lookup; nullptr when absent.
  const Member* find(std::string_view name) const;
};

struct Action {
  std::string_view name;
  int input;   // object index
  int output;  // object index
};

// Exact (case-sensitive) lookup; nullptr when the action does not exist.
const Action* find_action(std::string_view name);
// All actions, sorted by name.
std::span<const Action> actions();

const Object& object(int index);
size_t object_count();
// Exact lookup by object name (e.g. "TagItem"); nullptr when absent.
const Object* find_object(std::string_view name);

// The error codes the reference documents for an action (sorted, unique);
// empty for an unknown action.
std::span<const std::string_view> action_errors(std::string_view action);

// Members that some clients put in a request body although no action declares
// them (migrate-jobs.md §0: `DateTimeISOFormat`, a Boolean). The validator and
// the flat decoder accept them at the top level of any request and the
// handlers may read them; nullptr for any other name.
const Member* body_extra_member(std::string_view name);

// "Did you mean": the closest name by case-insensitive edit distance, or ""
// when none is within max(2, length/3) edits of `name`.
std::string nearest_action(std::string_view name);
std::string nearest_member(const Object& obj, std::string_view name);

// Case-insensitive Levenshtein distance (exposed for tests).
size_t edit_distance_ci(std::string_view a, std::string_view b);

}  // namespace dtsmock::model
