#include "state/schema.h"

namespace dtsmock {
namespace {
constexpr std::string_view kMigrations[] = {
    // 1: placeholder table so the schema version is meaningful from the start.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
};
}  // namespace

std::span<const std::string_view> schema_migrations() { return kMigrations; }

}  // namespace dtsmock
