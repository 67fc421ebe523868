// SHA-256 and HMAC-SHA256 (RFC 2104) over OpenSSL 3's EVP interfaces, with the algorithms
// fetched once per process: fetching per call costs more than hashing the few bytes ECVRF hashes.
// Private to cvex_vrf.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "base/bytes.hpp"

struct evp_md_ctx_st;
struct evp_mac_ctx_st;

namespace cvex::vrf::detail {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    Sha256& update(cvex::ByteView data);
    Sha256& update(uint8_t byte) { return update(cvex::ByteView(&byte, 1)); }
    /// False only if OpenSSL fails (allocation); the hasher is spent afterwards.
    bool finalize(std::span<uint8_t, 32> out);

private:
    evp_md_ctx_st* ctx_;
    bool ok_;
};

/// HMAC-SHA256 whose key and state may be secret: OpenSSL cleanses its context when freed.
class HmacSha256 {
public:
    HmacSha256();
    ~HmacSha256();
    HmacSha256(const HmacSha256&) = delete;
    HmacSha256& operator=(const HmacSha256&) = delete;

    /// Starts a MAC under a 32-byte key (RFC 6979 §3.2 keys K are always hlen = 32 bytes).
    bool init(std::span<const uint8_t, 32> key);
    bool update(cvex::ByteView data);
    bool finalize(std::span<uint8_t, 32> out);

private:
    evp_mac_ctx_st* ctx_;
};

}  // namespace cvex::vrf::detail
