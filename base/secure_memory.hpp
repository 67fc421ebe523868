// LockedRegion: memory for secrets. Page-aligned, mlock'ed (never written to swap),
// MADV_DONTDUMP (left out of core dumps) and MADV_DONTFORK (not inherited by children);
// wiped before it is unmapped. The process is also made non-dumpable on first use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex {

/// Why no locked memory could be had: the mmap or mlock failure, naming its errno
/// ("cannot lock secret memory (raise ulimit -l): Cannot allocate memory").
using SecureMemoryError = DetailError<struct SecureMemoryErrorTag>;

class LockedRegion {
public:
    /// Rounds up to whole pages. Fails (naming the errno) rather than hand out swappable memory.
    static Expected<LockedRegion, SecureMemoryError> allocate(size_t size);

    LockedRegion(LockedRegion&& other) noexcept;
    LockedRegion& operator=(LockedRegion&& other) noexcept;
    LockedRegion(const LockedRegion&) = delete;
    LockedRegion& operator=(const LockedRegion&) = delete;
    ~LockedRegion();

    uint8_t* data() { return data_; }
    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }
    /// Overwrites [offset, offset + n) with zeros in a way the compiler cannot elide.
    void wipe(size_t offset, size_t n);

private:
    LockedRegion(uint8_t* data, size_t size) : data_(data), size_(size) {}
    void release();

    uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace cvex
