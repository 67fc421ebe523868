// cvex-enclave guests in end-to-end tests: their /health, waiting for a state, and a guest started
// from a JSON config in a directory of its own (config, log, sealed state, simulated chip).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"

namespace cvex::test {

/// GET /health on a guest's loopback port: its JSON, or null while it does not answer.
nlohmann::json guest_health(uint16_t port);
/// The guest's "state" ("" while it does not answer).
std::string guest_state(uint16_t port);
/// Polls `done` every 200 ms for up to `seconds`.
bool eventually(int seconds, const std::function<bool()>& done);

/// Writes `config` to `home/enclave.json` (with `simulated_chip` and `state_dir` under `home`) and
/// starts cvex-enclave on it, its log in `home/enclave.log`; `sim_root_dir` is CVEX_SIM_ROOT_DIR.
std::unique_ptr<ChildProcess> start_guest(const std::filesystem::path& home, nlohmann::json config, const std::string& sim_root_dir);

}  // namespace cvex::test
