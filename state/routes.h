// The explicit action → handler table the dispatcher looks actions up in.
// An action of the API model that is not listed here answers
// UnsupportedOperation (the server does that by itself).
#pragma once
#include <span>
#include <string_view>

#include "state/handler.h"
#include "state/store.h"

namespace dtsmock {

struct Route {
  std::string_view action;
  Handler fn;
};

std::span<const Route> routes();

// Empties the job store (every tenant), or one tenant's jobs in every region.
// Run inside the caller's transaction. Returns the number of jobs removed.
size_t reset_all(Store& store);
size_t reset_tenant(Store& store, std::string_view tenant);

}  // namespace dtsmock
