#include "attest/measure/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <span>

namespace cvex::attest::measure {
namespace {

using Kind = MeasureError::Kind;

constexpr size_t kBlock = 1u << 20;

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

MeasureError error(Kind kind, const std::string& subject, std::string detail) { return {kind, subject, std::move(detail)}; }

// The null device (char 1:3 on Linux) reads as empty; every other non-regular file is refused.
bool is_null_device(const struct stat& st) { return S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3; }

struct Opened {
    std::unique_ptr<Fd> fd;
    uint64_t size = 0;
};

Expected<Opened, MeasureError> open_bounded(const std::string& path, const std::string& subject, uint64_t max_size) {
    if (path.empty()) return Unexpected(error(Kind::kInvalidArgument, subject, "empty path"));
    // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
    auto fd = std::make_unique<Fd>(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (fd->get() < 0) return Unexpected(error(Kind::kUnreadableFile, subject, std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd->get(), &st) != 0) return Unexpected(error(Kind::kUnreadableFile, subject, std::strerror(errno)));
    if (is_null_device(st)) return Opened{std::move(fd), 0};
    if (!S_ISREG(st.st_mode)) return Unexpected(error(Kind::kNotRegularFile, subject, "not a regular file"));
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size > max_size)
        return Unexpected(error(Kind::kFileTooLarge, subject,
                                std::to_string(size) + " bytes, more than the " + std::to_string(max_size) + " accepted"));
    return Opened{std::move(fd), size};
}

// Reads up to out.size() bytes; returns how many (0 at end of file) or -1 with errno set.
ssize_t read_some(int fd, std::span<uint8_t> out) {
    for (;;) {
        const ssize_t n = ::read(fd, out.data(), out.size());
        if (n >= 0 || errno != EINTR) return n;
    }
}

}  // namespace

Expected<std::vector<uint8_t>, MeasureError> read_input_file(const std::string& path, const std::string& subject, uint64_t max_size) {
    auto opened = open_bounded(path, subject, max_size);
    if (!opened) return Unexpected(std::move(opened).error());
    std::vector<uint8_t> data(opened->size);
    size_t got = 0;
    while (got < data.size()) {
        const ssize_t n = read_some(opened->fd->get(), std::span(data).subspan(got));
        if (n < 0) return Unexpected(error(Kind::kUnreadableFile, subject, std::strerror(errno)));
        if (n == 0) return Unexpected(error(Kind::kUnreadableFile, subject, "the file shrank while it was read"));
        got += static_cast<size_t>(n);
    }
    uint8_t probe = 0;  // a file that grew since fstat would be measured only in part
    if (read_some(opened->fd->get(), std::span(&probe, 1)) != 0)
        return Unexpected(error(Kind::kUnreadableFile, subject, "the file grew while it was read"));
    return data;
}

Expected<FileDigests, MeasureError> digest_input_file(const std::string& path, const std::string& subject, uint64_t max_size,
                                                      bool with_sha384) {
    auto opened = open_bounded(path, subject, max_size);
    if (!opened) return Unexpected(std::move(opened).error());
    StreamingHash h256(StreamingHash::Algorithm::kSha256);
    std::optional<StreamingHash> h384;
    if (with_sha384) h384.emplace(StreamingHash::Algorithm::kSha384);
    std::vector<uint8_t> block(kBlock);
    FileDigests d;
    for (;;) {
        const ssize_t n = read_some(opened->fd->get(), block);
        if (n < 0) return Unexpected(error(Kind::kUnreadableFile, subject, std::strerror(errno)));
        if (n == 0) break;
        d.size += static_cast<uint64_t>(n);
        if (d.size > max_size)
            return Unexpected(error(Kind::kFileTooLarge, subject, "grew past the " + std::to_string(max_size) + " bytes accepted"));
        const std::span<const uint8_t> chunk(block.data(), static_cast<size_t>(n));
        h256.update(chunk);
        if (h384) h384->update(chunk);
    }
    h256.finish(d.sha256);
    if (h384) {
        d.sha384.emplace();
        h384->finish(*d.sha384);
    }
    if (!h256.ok() || (h384 && !h384->ok())) return Unexpected(error(Kind::kCrypto, subject, "OpenSSL failed to hash the file"));
    return d;
}

Expected<uint64_t, MeasureError> input_file_size(const std::string& path, const std::string& subject, uint64_t max_size) {
    auto opened = open_bounded(path, subject, max_size);
    if (!opened) return Unexpected(std::move(opened).error());
    return opened->size;
}

}  // namespace cvex::attest::measure
