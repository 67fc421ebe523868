// What the host may still set at boot beside the measured config (`cvex-enclave --host-config
// FILE`; in a VM, QEMU's fw_cfg `opt/cvex/host.json`). The host is the adversary: it gets only
// settings that cannot change whom the guest trusts or pays. Today that is one key:
//
//   { "http": { "port": 9100 } }   the port of the read-only API inside the guest
//
// Any other key is refused with an error naming it — it belongs in the measured config, where
// changing it changes the MEASUREMENT validators approve.
#pragma once

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "enclave-app/enclave_config.hpp"

namespace cvex::enclave {

/// `config` with the host's settings applied; `config.source` (what /attestation publishes) is
/// left as measured.
cvex::Expected<EnclaveConfig, ConfigError> apply_host_config(EnclaveConfig config, std::string_view json_text);
cvex::Expected<EnclaveConfig, ConfigError> load_host_config(EnclaveConfig config, const std::string& path);

}  // namespace cvex::enclave
