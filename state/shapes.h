// Output shapes of the nested API objects a job echoes back (DBEndpointInfo,
// MigrateOption, CompareObject, ...): every documented member present, in the
// documented order, with the default the real service shows for an unset
// value ("" / 0 / false / [] / normalised sub-object). Inputs are normalised
// once when stored, so rendering only re-emits them.
#pragma once
#include <span>
#include <string_view>

#include "state/json.h"

namespace dtsmock {

struct Shape;

struct Field {
  enum Kind : unsigned char { Str, Int, Bool, StrList, Obj, ObjList };
  std::string_view name;
  Kind kind;
  const Shape* shape = nullptr;  // for Obj / ObjList
  std::string_view sdef = "";    // default of a Str
  int64_t idef = 0;              // default of an Int
};

struct Shape {
  std::span<const Field> fields;
};

namespace shapes {
extern const Shape DBEndpointInfo;
extern const Shape DBInfo;
extern const Shape KeyValue;
extern const Shape MigrateOption;
extern const Shape DatabaseTableObject;
extern const Shape CompareObject;
extern const Shape CompareOptions;
extern const Shape TagItem;
}  // namespace shapes

// A copy of `in` (may be null or not an object) with every member of `shape`;
// members the shape does not know are dropped.
JsonValue normalize(const JsonValue* in, const Shape& shape, Alloc& a);

}  // namespace dtsmock
