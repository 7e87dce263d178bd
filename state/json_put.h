// Building API output objects member by member (the key and string values are copied).
#pragma once
#include <cstdint>
#include <string_view>

#include "state/json.h"

namespace dtsmock {

inline void put(JsonValue& o, std::string_view k, std::string_view v, Alloc& a) { o.AddMember(jstr(k, a), jstr(v, a), a); }
inline void put(JsonValue& o, std::string_view k, const char* v, Alloc& a) { put(o, k, std::string_view(v), a); }
inline void put(JsonValue& o, std::string_view k, int64_t v, Alloc& a) { o.AddMember(jstr(k, a), JsonValue(v), a); }
inline void put(JsonValue& o, std::string_view k, int v, Alloc& a) { put(o, k, static_cast<int64_t>(v), a); }
inline void put(JsonValue& o, std::string_view k, JsonValue&& v, Alloc& a) { o.AddMember(jstr(k, a), v, a); }

}  // namespace dtsmock
