// A cache of parsed and verified AMD certificates, keyed by the SHA-256 of their DER, so that
// verifying many reports from the same platforms costs one ECDSA verification each (the
// ≤ 1 ms target of issue 4 §5). It remembers which certificate verified under which issuer;
// validity periods are still checked against each verification's own time. Thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

namespace cvex::attest {

namespace detail {
struct ParsedCert;
}

class SnpCertCache {
public:
    using Sha256 = std::array<uint8_t, 32>;

    explicit SnpCertCache(size_t max_entries = 1024) : max_entries_(max_entries) {}

    std::shared_ptr<const detail::ParsedCert> find(const Sha256& der_sha256) const;
    void put(std::shared_ptr<const detail::ParsedCert> cert);
    /// True when `child`'s signature (AMD's PSS profile included) verified under `issuer`'s key.
    bool link_verified(const Sha256& child, const Sha256& issuer) const;
    void add_verified_link(const Sha256& child, const Sha256& issuer);

    size_t size() const;
    void clear();

private:
    size_t max_entries_;
    mutable std::mutex mu_;
    std::map<Sha256, std::shared_ptr<const detail::ParsedCert>> certs_;
    std::set<std::pair<Sha256, Sha256>> links_;
};

}  // namespace cvex::attest
