// Verifies a SEV-SNP attestation report against AMD's certificate chain (AMD SEV-SNP ABI spec
// §3 "Attestation" and the VCEK/KDS specification):
//   1. the ARK in the chain is one of AMD's, pinned by the SHA-256 of its DER (Milan, Genoa,
//      Turin) — or, only with `trust_sim_root`, a simulated root published by sim_platform;
//      a root that merely arrives with the evidence is never trusted;
//   2. ARK self-signed → ASK (ASVK for a VLEK) → VCEK/VLEK, each RSASSA-PSS SHA-384 MGF1-SHA-384
//      salt 48 (the parameters are checked, not only the signature), each valid at `at`;
//   3. the VCEK/VLEK TCB extensions equal REPORTED_TCB (Turin: FMC too), its hwID equals CHIP_ID
//      (64 bytes; 8 on Turin) unless MASK_CHIP_KEY;
//   4. the report's ECDSA P-384 signature over SHA-384 of bytes 0x000–0x29F;
//   5. with a CRL: it is the trusted ARK's, current, and lists neither the ASK/ASVK nor the
//      VCEK/VLEK (snp_crl.hpp).
// Every check is returned, passed or not; ok() is true only when all passed.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/expected.hpp"
#include "attest/cert/snp_cert_cache.hpp"
#include "attest/verify/snp_check.hpp"
#include "attest/report/snp_report.hpp"

namespace cvex::attest {

struct PinnedArk {
    SnpProduct product;
    std::string_view der_sha256_hex;
};
/// AMD's ARKs as served by kdsintf.amd.com (`cert_chain`), pinned by SHA-256 of the DER.
const std::vector<PinnedArk>& pinned_amd_arks();

struct SnpVerifyOptions {
    std::time_t at = 0;           // verification time (UNIX seconds); certificates must be valid then
    bool trust_sim_root = false;  // accept a root published by publish_sim_root() (development only)
    std::string sim_root_dir;     // where to look for it; empty: sim_root_dir()
    SnpCertCache* cache = nullptr;
    ByteView crl;  // AMD's CRL for the product (DER or PEM, snp_crl.hpp); empty: not checked
};

struct SnpVerification {
    AttestationReport report;
    std::optional<SnpProduct> product;  // from the trusted root
    std::string root;                   // which root anchored the chain
    bool simulated = false;             // anchored in a simulated root
    std::string signer_subject;         // CN of the VCEK/VLEK
    std::vector<SnpCheck> checks;
    bool ok() const { return all_passed(checks); }
};

/// Input that cannot be evaluated at all (not a report, not a certificate, no ARK in the chain).
struct SnpInputError {
    enum Code { kReport, kSignerCert, kChain, kCrl } code;
    std::string detail;
    std::string message() const;
};

/// `signer_cert`: the VCEK or VLEK (DER or PEM). `chain`: the ASK (or ASVK) and the ARK (PEM, as
/// AMD's KDS serves `cert_chain`, or concatenated DER is not accepted: use PEM).
cvex::Expected<SnpVerification, SnpInputError> verify_snp_report(cvex::ByteView report, cvex::ByteView signer_cert,
                                                                  cvex::ByteView chain, const SnpVerifyOptions& options);

/// "2025-06-01T00:00:00Z" (RFC 3339, UTC, whole seconds) → UNIX time.
std::optional<std::time_t> parse_utc_time(std::string_view text);
std::string format_utc_time(std::time_t t);

}  // namespace cvex::attest
