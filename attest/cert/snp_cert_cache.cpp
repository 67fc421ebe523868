#include "attest/cert/snp_cert_cache.hpp"

#include "attest/cert/snp_cert_internal.hpp"

namespace cvex::attest {

std::shared_ptr<const detail::ParsedCert> SnpCertCache::find(const Sha256& der_sha256) const {
    std::lock_guard lock(mu_);
    auto it = certs_.find(der_sha256);
    return it == certs_.end() ? nullptr : it->second;
}

void SnpCertCache::put(std::shared_ptr<const detail::ParsedCert> cert) {
    std::lock_guard lock(mu_);
    // Bounded: when full, start over rather than grow without limit on hostile input.
    if (certs_.size() >= max_entries_) certs_.clear(), links_.clear();
    certs_[cert->der_sha256] = std::move(cert);
}

bool SnpCertCache::link_verified(const Sha256& child, const Sha256& issuer) const {
    std::lock_guard lock(mu_);
    return links_.count({child, issuer}) != 0;
}

void SnpCertCache::add_verified_link(const Sha256& child, const Sha256& issuer) {
    std::lock_guard lock(mu_);
    if (links_.size() >= max_entries_) links_.clear();
    links_.insert({child, issuer});
}

size_t SnpCertCache::size() const {
    std::lock_guard lock(mu_);
    return certs_.size();
}

void SnpCertCache::clear() {
    std::lock_guard lock(mu_);
    certs_.clear();
    links_.clear();
}

}  // namespace cvex::attest
