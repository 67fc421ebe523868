// Internal to cvex_enclave: a parsed X.509 certificate as the SNP verifier and its cache hold it.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attest/cert/snp_cert.hpp"
#include "attest/verify/snp_check.hpp"

namespace cvex::attest::detail {

struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

using Sha256 = std::array<uint8_t, 32>;
Sha256 sha256(cvex::ByteView data);

struct ParsedCert {
    X509Ptr x509;
    cvex::Bytes der;
    Sha256 der_sha256{};
    std::string subject_cn, issuer_cn;
    bool self_issued = false;  // subject == issuer
    std::time_t not_before = 0, not_after = 0;
    std::optional<AmdCertExtensions> extensions;  // set when they parsed
    std::string extensions_error;                 // why they did not
};

/// Parses DER; `role` names the certificate in errors ("ARK", "signer certificate").
cvex::Expected<std::shared_ptr<const ParsedCert>, CertError> parse_cert(cvex::ByteView der, const std::string& role);

/// Checks the certificate's signatureAlgorithm is RSASSA-PSS with SHA-384, MGF1-SHA-384, salt 48,
/// trailer 1 (AMD's profile for ARK, ASK, ASVK, VCEK and VLEK). Returns "" when it is, else what it is.
std::string pss_profile_mismatch(const X509* cert);
/// The same for any signatureAlgorithm (a CRL's).
std::string pss_params_mismatch(const X509_ALGOR* alg);
std::string_view kAmdPssProfile();

}  // namespace cvex::attest::detail

namespace cvex::attest {
class SnpCrl;
}

namespace cvex::attest::detail {
/// The revocation checks (verify/snp_revocation.cpp): "crl.*" and "<role>.not_revoked" for the
/// intermediate and the leaf.
void check_revocation(std::vector<SnpCheck>& out, const SnpCrl& crl, const ParsedCert& ark, const ParsedCert& mid,
                      const ParsedCert& leaf, const std::string& mid_role, const std::string& leaf_role, std::time_t at);
}  // namespace cvex::attest::detail
