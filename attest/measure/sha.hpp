// SHA-256 and SHA-384 through OpenSSL's EVP interface (its assembly, SHA-NI where the CPU has
// it): one-shot for pages, incremental for files streamed from disk.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

namespace cvex::attest::measure {

using Sha256Digest = std::array<uint8_t, 32>;
using Sha384Digest = std::array<uint8_t, 48>;

/// False only if OpenSSL fails (out of memory).
bool sha256(std::span<const uint8_t> in, Sha256Digest& out);
bool sha384(std::span<const uint8_t> in, Sha384Digest& out);

/// An incremental hash; `ok()` turns false for good once OpenSSL reports a failure.
class StreamingHash {
public:
    enum class Algorithm { kSha256, kSha384 };
    explicit StreamingHash(Algorithm a);
    void update(std::span<const uint8_t> data);
    /// Writes the digest (32 or 48 bytes) into `out`, which must be large enough.
    void finish(std::span<uint8_t> out);
    bool ok() const { return ok_; }

private:
    struct Free {
        void operator()(void* ctx) const;
    };
    std::unique_ptr<void, Free> ctx_;
    bool ok_ = false;
};

}  // namespace cvex::attest::measure
