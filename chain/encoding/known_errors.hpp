// Custom errors every revert decoder in the process knows besides the ones a caller passes:
// the cvex contracts' errors (each program registers its compiled-in table at start-up,
// chain/contract_errors/) and any artifact given with `--abi`. decode_revert() falls back to them,
// so a revert of any cvex contract reads as `Name(args…)` in every message and log line.
#pragma once

#include <memory>
#include <vector>

#include "chain/encoding/abi_type.hpp"

namespace cvex::chain {

/// Adds `errors` (a duplicate selector keeps its first signature). Call it before threads that
/// decode start; readers see either the old or the new list, never a torn one.
void register_known_errors(const std::vector<AbiSignature>& errors);

/// The registered errors (empty until something registers).
std::shared_ptr<const std::vector<AbiSignature>> known_errors();

}  // namespace cvex::chain
