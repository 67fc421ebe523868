// DeployError: why a deployer step (deploy, swap, vault setup or status) failed. The detail
// names the step and, for a contract call, the contract's decoded reason; the CLI prints it
// after "error: dex deploy: " and the like, and scripts grep for it, so its text is the message.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::cli {

/// e.g. "token A: TestERC20: reverted: …"
using DeployError = cvex::DetailError<struct DeployErrorTag>;

/// The failure `detail`, ready to return from a function whose error is a DeployError.
inline cvex::Unexpected<DeployError> deploy_failure(std::string detail) { return cvex::Unexpected{DeployError{std::move(detail)}}; }

}  // namespace cvex::cli
