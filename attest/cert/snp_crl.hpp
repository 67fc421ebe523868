// AMD's certificate revocation list for one product line, as its Key Distribution Service
// publishes it (`/vcek/v1/{product}/crl`, also `/vlek/v1/…`): X.509 CRL v2 (RFC 5280 §5),
// DER (PEM accepted), signed by that product's ARK with RSASSA-PSS SHA-384, salt 48. The
// verifier checks its issuer, signature and dates against the trusted ARK, then refuses an
// ASK/ASVK or VCEK/VLEK whose serial number it lists.
#pragma once

#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include "attest/cert/snp_cert.hpp"
#include "base/bytes.hpp"
#include "base/expected.hpp"

typedef struct X509_crl_st X509_CRL;

namespace cvex::attest {

class SnpCrl {
public:
    /// One DER CRL, or one PEM "X509 CRL" block. Anything else (a certificate, two CRLs,
    /// trailing bytes) is an error.
    static cvex::Expected<SnpCrl, CertError> parse(cvex::ByteView input);

    const X509_CRL* get() const { return crl_.get(); }
    std::time_t this_update() const { return this_update_; }
    std::optional<std::time_t> next_update() const { return next_update_; }
    std::string issuer_cn() const;
    size_t revoked_count() const;
    /// The revocation date when `serial` (big-endian magnitude) is listed.
    std::optional<std::time_t> revoked(const cvex::Bytes& serial) const;

private:
    struct Free {
        void operator()(X509_CRL* c) const;
    };
    std::shared_ptr<X509_CRL> crl_;
    std::time_t this_update_ = 0;
    std::optional<std::time_t> next_update_;
};

}  // namespace cvex::attest
