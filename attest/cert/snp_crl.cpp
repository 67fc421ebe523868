#include "attest/cert/snp_crl.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>

namespace cvex::attest {

using cvex::Bytes;
using cvex::ByteView;
using cvex::Expected;
using cvex::Unexpected;

namespace {

std::optional<std::time_t> to_time(const ASN1_TIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
    return timegm(&tm);
}

// The DER inside one PEM "X509 CRL" block, or the input itself when it is not PEM.
Expected<Bytes, CertError> der_of(ByteView input) {
    static constexpr std::string_view kTag = "-----BEGIN X509 CRL-----";
    const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
    if (text.find("-----BEGIN") == std::string_view::npos) return Bytes(input.begin(), input.end());
    if (text.find(kTag) == std::string_view::npos) return Unexpected{CertError{"CRL", "PEM input without an X509 CRL block"}};
    if (text.find(kTag, text.find(kTag) + kTag.size()) != std::string_view::npos)
        return Unexpected{CertError{"CRL", "more than one CRL; give the CRL of the evidence's product"}};
    BIO* bio = BIO_new_mem_buf(input.data(), static_cast<int>(input.size()));
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    Bytes out;
    bool ok = false;
    while (PEM_read_bio(bio, &name, &header, &data, &len) == 1) {
        if (std::strcmp(name, "X509 CRL") == 0) out.assign(data, data + len), ok = true;
        OPENSSL_free(name), OPENSSL_free(header), OPENSSL_free(data);
        name = header = nullptr, data = nullptr;
    }
    BIO_free(bio);
    ERR_clear_error();
    if (!ok) return Unexpected{CertError{"CRL", "the X509 CRL PEM block does not decode"}};
    return out;
}

}  // namespace

void SnpCrl::Free::operator()(X509_CRL* c) const { X509_CRL_free(c); }

Expected<SnpCrl, CertError> SnpCrl::parse(ByteView input) {
    auto der = der_of(input);
    if (!der) return Unexpected{der.error()};
    const unsigned char* p = der->data();
    X509_CRL* raw = d2i_X509_CRL(nullptr, &p, static_cast<long>(der->size()));
    ERR_clear_error();
    if (!raw) return Unexpected{CertError{"CRL", "not a DER X.509 CRL (RFC 5280 §5)"}};
    SnpCrl crl;
    crl.crl_.reset(raw, Free{});
    if (p != der->data() + der->size()) return Unexpected{CertError{"CRL", "trailing bytes after the CRL"}};
    auto last = to_time(X509_CRL_get0_lastUpdate(raw));
    if (!last) return Unexpected{CertError{"CRL", "unreadable thisUpdate"}};
    crl.this_update_ = *last;
    if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(raw)) {
        auto n = to_time(next);
        if (!n) return Unexpected{CertError{"CRL", "unreadable nextUpdate"}};
        crl.next_update_ = *n;
    }
    return crl;
}

std::string SnpCrl::issuer_cn() const {
    const X509_NAME* name = X509_CRL_get_issuer(crl_.get());
    const int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (i < 0) return "";
    const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
}

size_t SnpCrl::revoked_count() const {
    const STACK_OF(X509_REVOKED)* r = X509_CRL_get_REVOKED(crl_.get());
    return r ? static_cast<size_t>(sk_X509_REVOKED_num(r)) : 0;
}

std::optional<std::time_t> SnpCrl::revoked(const Bytes& serial) const {
    const STACK_OF(X509_REVOKED)* list = X509_CRL_get_REVOKED(crl_.get());
    for (int i = 0; list && i < sk_X509_REVOKED_num(list); ++i) {
        const X509_REVOKED* r = sk_X509_REVOKED_value(list, i);
        BIGNUM* bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(r), nullptr);
        Bytes s(static_cast<size_t>(BN_num_bytes(bn)));
        BN_bn2bin(bn, s.data());
        BN_free(bn);
        if (s == serial) return to_time(X509_REVOKED_get0_revocationDate(r)).value_or(0);
    }
    return std::nullopt;
}

}  // namespace cvex::attest
