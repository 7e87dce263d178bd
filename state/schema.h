// Numbered schema migrations: entry N (0-based) takes the database from
// version N to N+1. Append only; never edit a released migration.
#pragma once
#include <span>
#include <string_view>

namespace dtsmock {
std::span<const std::string_view> schema_migrations();
}
