// allowed() is a message-free fast path of refusal(); they must never disagree.
#include <doctest/doctest.h>

#include "state/transitions.h"

using namespace dtsmock;

TEST_CASE("transitions: allowed() agrees with refusal() for every rule and job view") {
  size_t checked = 0;
  for (const Rule& r : rules())
    for (Status st : all_statuses())
      for (size_t t = 0; t < static_cast<size_t>(Trade::Count_); ++t)
        for (int bits = 0; bits < 8; ++bits) {
          JobView v;
          v.job_id = "dts-x";
          v.status = st;
          v.trade = static_cast<Trade>(t);
          v.redis = bits & 1;
          v.postpay = bits & 2;
          v.removed = bits & 4;
          CAPTURE(r.api);
          CAPTURE(status_name(st));
          CHECK(allowed(r.act, v) == !refusal(r.act, v).has_value());
          ++checked;
        }
  CHECK(checked > 1000);
}
