// Locked scratch memory for the prover's secret intermediates (the nonce k, RFC 6979's V and K,
// c·x): one mlock'ed, non-dumpable page per thread (cvex::LockedRegion), handed out as a stack.
// Each ScratchBytes is wiped when it goes out of scope. Mapping and locking a page per proof
// would cost more than the proof's hashing, so the page lives as long as the thread.
// Private to cvex_vrf.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace cvex::vrf::detail {

class ScratchBytes {
public:
    /// n bytes of this thread's locked page; nullopt if locked memory is unavailable or the page
    /// is exhausted (callers take a few hundred bytes at most).
    static std::optional<ScratchBytes> take(size_t n);

    ScratchBytes(ScratchBytes&& other) noexcept : bytes_(other.bytes_) { other.bytes_ = {}; }
    ScratchBytes(const ScratchBytes&) = delete;
    ScratchBytes& operator=(const ScratchBytes&) = delete;
    ScratchBytes& operator=(ScratchBytes&&) = delete;
    /// Wipes the bytes and returns them; must run in the reverse order of take() (scoped use).
    ~ScratchBytes();

    std::span<uint8_t> span() const { return bytes_; }
    template <size_t N>
    std::span<uint8_t, N> first() const {
        return bytes_.first<N>();
    }
    uint8_t* data() const { return bytes_.data(); }

private:
    explicit ScratchBytes(std::span<uint8_t> bytes) : bytes_(bytes) {}
    std::span<uint8_t> bytes_;
};

}  // namespace cvex::vrf::detail
