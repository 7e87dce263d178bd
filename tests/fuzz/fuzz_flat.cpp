// libFuzzer target "flat": see tests/fuzz/targets.h for the input format.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return dtsmock::fuzz::fuzz_flat(data, size); }
