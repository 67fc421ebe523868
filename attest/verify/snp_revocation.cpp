// The revocation checks of verify_snp_report (snp_crl.hpp): the CRL must come from the trusted
// ARK (issuer name, AMD's PSS profile, signature under the ARK's key) and be current at the
// verification time; then neither the ASK/ASVK nor the VCEK/VLEK may be on it. A CRL the host
// withholds cannot be detected here: the operator supplies it, and it fails once out of date.
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "attest/cert/snp_cert_internal.hpp"
#include "attest/cert/snp_crl.hpp"
#include "attest/verify/snp_verifier.hpp"

namespace cvex::attest::detail {

namespace {

cvex::Bytes serial_of(const ParsedCert& c) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(c.x509.get()), nullptr);
    cvex::Bytes s(static_cast<size_t>(BN_num_bytes(bn)));
    BN_bn2bin(bn, s.data());
    BN_free(bn);
    return s;
}

std::string serial_hex(const cvex::Bytes& s) { return s.empty() ? "0" : cvex::to_hex(s, false); }

void check_listed(std::vector<SnpCheck>& out, const SnpCrl& crl, const std::string& role, const ParsedCert& c) {
    const cvex::Bytes serial = serial_of(c);
    const auto when = crl.revoked(serial);
    out.push_back({role + ".not_revoked", !when, "serial " + serial_hex(serial) + " not on the ARK's CRL",
                   when ? "REVOKED on " + format_utc_time(*when) : "not listed (" + std::to_string(crl.revoked_count()) + " entries)"});
}

}  // namespace

void check_revocation(std::vector<SnpCheck>& out, const SnpCrl& crl, const ParsedCert& ark, const ParsedCert& mid,
                      const ParsedCert& leaf, const std::string& mid_role, const std::string& leaf_role, std::time_t at) {
    X509_CRL* x = const_cast<X509_CRL*>(crl.get());
    const bool issuer_ok = X509_NAME_cmp(X509_CRL_get_issuer(x), X509_get_subject_name(ark.x509.get())) == 0;
    out.push_back({"crl.issuer", issuer_ok, "the ARK (" + ark.subject_cn + ")", crl.issuer_cn()});
    const ASN1_BIT_STRING* sig = nullptr;
    const X509_ALGOR* alg = nullptr;
    X509_CRL_get0_signature(x, &sig, &alg);
    const std::string mismatch = pss_params_mismatch(alg);
    out.push_back({"crl.signature_algorithm", mismatch.empty(), std::string(kAmdPssProfile()),
                   mismatch.empty() ? std::string(kAmdPssProfile()) : mismatch});
    EVP_PKEY* key = X509_get0_pubkey(ark.x509.get());
    const bool sig_ok = issuer_ok && mismatch.empty() && key && X509_CRL_verify(x, key) == 1;
    ERR_clear_error();
    out.push_back({"crl.signature", sig_ok, "valid under the ARK key", sig_ok ? "valid" : "invalid"});
    const auto next = crl.next_update();
    const bool current = crl.this_update() <= at && next && at <= *next;
    out.push_back({"crl.validity", current, "current at " + format_utc_time(at),
                   format_utc_time(crl.this_update()) + " .. " + (next ? format_utc_time(*next) : "no nextUpdate")});
    check_listed(out, crl, mid_role, mid);
    check_listed(out, crl, leaf_role, leaf);
}

}  // namespace cvex::attest::detail
