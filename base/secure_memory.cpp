#include "base/secure_memory.hpp"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <openssl/crypto.h>

namespace cvex {

Expected<LockedRegion, SecureMemoryError> LockedRegion::allocate(size_t size) {
    // No core dumps, and no ptrace by unprivileged peers, for a process that holds secrets.
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t rounded = (std::max<size_t>(size, 1) + page - 1) / page * page;
    void* p = mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return Unexpected{SecureMemoryError{std::string("cannot map secret memory: ") + std::strerror(errno)}};
    // The system call, not libc's mlock(): AddressSanitizer intercepts mlock() and ignores it (it
    // cannot lock its own shadow), which would leave secrets swappable in the sanitizer build.
    if (syscall(SYS_mlock, p, rounded) != 0) {
        const int e = errno;
        munmap(p, rounded);
        return Unexpected{SecureMemoryError{std::string("cannot lock secret memory (raise ulimit -l): ") + std::strerror(e)}};
    }
    madvise(p, rounded, MADV_DONTDUMP);
    madvise(p, rounded, MADV_DONTFORK);
    return LockedRegion(static_cast<uint8_t*>(p), rounded);
}

LockedRegion::LockedRegion(LockedRegion&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr, o.size_ = 0; }

LockedRegion& LockedRegion::operator=(LockedRegion&& o) noexcept {
    if (this != &o) {
        release();
        data_ = o.data_, size_ = o.size_;
        o.data_ = nullptr, o.size_ = 0;
    }
    return *this;
}

LockedRegion::~LockedRegion() { release(); }

void LockedRegion::wipe(size_t offset, size_t n) {
    if (data_ && offset < size_) OPENSSL_cleanse(data_ + offset, std::min(n, size_ - offset));
}

void LockedRegion::release() {
    if (!data_) return;
    OPENSSL_cleanse(data_, size_);
    syscall(SYS_munlock, data_, size_);
    munmap(data_, size_);
    data_ = nullptr, size_ = 0;
}

}  // namespace cvex
