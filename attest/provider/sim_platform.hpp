// A SIMULATED SEV-SNP platform for machines without SEV hardware (development and tests only).
// It holds its own ARK → ASK → VCEK chain with AMD's algorithms and certificate profile
// (RSA-4096 ARK/ASK signing with RSASSA-PSS SHA-384 salt 48; a P-384 VCEK carrying the TCB and
// hwID extensions of AMD's VCEK spec) and signs 1184-byte reports in the firmware's format.
// Every certificate names itself SIMULATED, and no verifier trusts its root unless told to
// (`--trust-sim-root`). Its keys live only in this process's memory.
#pragma once

#include <array>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "attest/provider/sim_platform_error.hpp"
#include "attest/provider/attestation_provider.hpp"

namespace cvex::attest {

/// What the simulated firmware reports about the guest and the platform.
struct SimulatedGuest {
    std::string product = "Milan";  // Milan, Genoa or Turin: selects CPUID and the TCB layout
    uint32_t report_version = 3;
    uint64_t policy = 0x30000;  // SNP ABI Table 9: bit 16 reserved-one, bit 17 SMT allowed; no debug
    uint32_t guest_svn = 0;
    std::array<uint8_t, 48> measurement{};
    std::array<uint8_t, 32> host_data{};
    std::array<uint8_t, 16> family_id{};
    std::array<uint8_t, 16> image_id{};
    // Boot loader 4, TEE 0, SNP 0x18, microcode 0xDB (Milan/Genoa layout): at the default policy's
    // floor (AMD-SB-3019), so simulated guests pass the policy validators apply by default.
    uint64_t tcb = 0xDB18000000000004;
    uint8_t fw_build = 21, fw_minor = 55, fw_major = 1;
    uint64_t platform_info = 0x1;  // SMT enabled
};

class SimulatedSnpPlatform {
public:
    ~SimulatedSnpPlatform();
    SimulatedSnpPlatform(const SimulatedSnpPlatform&) = delete;
    SimulatedSnpPlatform& operator=(const SimulatedSnpPlatform&) = delete;

    /// Generates a fresh chain (two RSA-4096 keys: about a second). The chip — its id and the
    /// secret it derives guest keys from — comes from `chip_seed` when given, so a simulated
    /// machine outlives the process (its guests can unseal after a restart); otherwise it is random.
    static cvex::Expected<std::unique_ptr<SimulatedSnpPlatform>, SimPlatformError> create(
        SimulatedGuest guest, std::optional<std::array<uint8_t, 32>> chip_seed = std::nullopt);

    /// A signed report carrying `report_data`, at `vmpl`.
    cvex::Bytes make_report(const ReportData& report_data, unsigned vmpl) const;

    const SimulatedGuest& guest() const { return guest_; }
    const std::array<uint8_t, 64>& chip_id() const { return chip_id_; }
    cvex::Bytes ark_der() const;
    cvex::Bytes ask_der() const;
    cvex::Bytes vcek_der() const;
    std::string ark_pem() const;
    std::string ask_pem() const;
    std::string vcek_pem() const;
    /// ASK then ARK, as AMD's KDS serves `cert_chain`.
    std::string ask_ark_pem() const { return ask_pem() + ark_pem(); }
    /// Serial numbers (big-endian magnitude) of the ASK and the VCEK, for make_crl.
    Bytes ask_serial() const;
    Bytes vcek_serial() const;
    /// A CRL as AMD's KDS publishes it (X.509 v2, issued and signed by the ARK with RSASSA-PSS
    /// SHA-384 salt 48) listing `revoked_serials`, valid from `this_update` to `next_update`.
    Bytes make_crl(const std::vector<Bytes>& revoked_serials, std::time_t this_update, std::time_t next_update) const;
    /// The secret the simulated firmware derives guest keys from (SNP_GET_DERIVED_KEY).
    const std::array<uint8_t, 32>& derivation_secret() const;

    /// What one guest VM needs of this platform to sign its reports — the VCEK's private key,
    /// the VCEK/ASK/ARK certificates, the chip id, the derivation secret and what the firmware
    /// reports about the guest (its MEASUREMENT) — as JSON (sim_platform_file.cpp). The host hands
    /// it to the VM through QEMU's fw_cfg, outside the measured inputs, as real firmware sits
    /// outside the guest. The ARK's and ASK's private keys never leave this process.
    std::string export_for_guest() const;
    /// The inverse of export_for_guest(): a platform that can sign reports but not issue certificates.
    static cvex::Expected<std::unique_ptr<SimulatedSnpPlatform>, SimPlatformError> import_for_guest(std::string_view json_text);

private:
    struct Keys;
    SimulatedSnpPlatform(SimulatedGuest guest, std::unique_ptr<Keys> keys);

    SimulatedGuest guest_;
    std::array<uint8_t, 64> chip_id_{};
    std::unique_ptr<Keys> keys_;
};

/// The provider over a simulated platform: evidence is marked `simulated` and carries the
/// whole chain in its certificate table.
class SimulatedProvider final : public AttestationProvider {
public:
    explicit SimulatedProvider(std::shared_ptr<const SimulatedSnpPlatform> platform) : platform_(std::move(platform)) {}
    std::string_view name() const override { return "simulated"; }
    bool simulated() const override { return true; }
    cvex::Expected<Evidence, ProviderError> get_evidence(const ReportData& report_data, unsigned vmpl) override;
    /// HMAC-SHA-384 of the request and the selected guest fields under the chip's secret,
    /// truncated to 32 bytes: stable for the chip, like the firmware's derivation. As the
    /// firmware, refuses a TCB_VERSION above the platform's (committed) TCB.
    cvex::Expected<void, ProviderError> derive_key(const DerivedKeyRequest& request, DerivedKeyOut out) override;

private:
    std::shared_ptr<const SimulatedSnpPlatform> platform_;
};

/// The seed of a simulated chip kept in a file (64 hex digits), created with a random seed when
/// the file does not exist. It stands in for the hardware: whoever reads the file can derive the
/// simulated guest's sealing key, so it protects nothing — development and tests only.
cvex::Expected<std::array<uint8_t, 32>, SimPlatformError> load_or_create_sim_chip(const std::string& path);

/// Where simulated roots are published for `--trust-sim-root`: $CVEX_SIM_ROOT_DIR, else
/// $HOME/.local/share/cvex/sim-root; empty when neither is set (there is no shared fallback).
/// Each root is `ark-<first 16 hex of its DER's SHA-256>.pem`.
std::string sim_root_dir();
/// The directory may hold trusted simulated roots only if it is a directory owned by this user
/// and writable by no one else; otherwise the reason.
cvex::Expected<void, SimPlatformError> check_sim_root_dir(const std::string& dir);
/// Writes the platform's ARK (and the ASK+ARK chain) into sim_root_dir(); returns the ARK's path.
cvex::Expected<std::string, SimPlatformError> publish_sim_root(const SimulatedSnpPlatform& platform);

}  // namespace cvex::attest
