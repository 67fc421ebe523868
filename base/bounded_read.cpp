#include "base/bounded_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cvex {


namespace {

std::string file_kind(mode_t m) {
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

// Reads at most limit + 1 bytes: one more than allowed tells "too large" from "exactly full".
Expected<std::string, ReadError> read_fd(int fd, size_t limit, ReadError base) {
    std::string out;
    char buf[16384];
    while (out.size() <= limit) {
        const size_t want = std::min(sizeof buf, limit + 1 - out.size());
        const ssize_t n = ::read(fd, buf, want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            base.code = ReadError::kIo;
            base.detail = std::strerror(errno);
            return Unexpected{base};
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    if (out.size() > limit) {
        base.code = ReadError::kTooLarge;
        return Unexpected{base};
    }
    if (out.empty()) {
        base.code = ReadError::kEmpty;
        return Unexpected{base};
    }
    return out;
}

}  // namespace

std::string printable_path(const std::string& path) {
    std::string out;
    for (size_t i = 0; i < path.size();) {
        const auto c = static_cast<unsigned char>(path[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len > 0 && i + len <= path.size() && (len != 2 || c >= 0xC2);
        for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(path[i + k]) & 0xC0) == 0x80;
        if (ok && len == 1 && c < 0x20) ok = false;  // control characters are escaped too
        if (ok) {
            out.append(path, i, len);
            i += len;
        } else {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
            ++i;
        }
    }
    return out;
}

std::string ReadError::message() const {
    const std::string name = what + (path == "-" ? " (standard input)" : " " + printable_path(path));
    switch (code) {
        case kMissing: return name + ": " + detail;
        case kDirectory: return name + ": is a directory";
        case kNotRegular: return name + ": is " + detail + "; only a regular file, or - for standard input, is read";
        case kTooLarge:
            if (size) return name + ": " + std::to_string(size) + " bytes, over the limit of " + std::to_string(limit) + " bytes; refused without reading it";
            return name + ": more than " + std::to_string(limit) + " bytes (the limit); refused";
        case kEmpty: return name + ": is empty";
        case kIo: return name + ": cannot read: " + detail;
    }
    return name;
}

Expected<std::string, ReadError> read_bounded(const std::string& path, size_t limit, const std::string& what) {
    ReadError base{ReadError::kIo, what, path, 0, limit, ""};
    if (path == "-") return read_fd(STDIN_FILENO, limit, base);
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the checks below refuse it anyway.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        base.code = errno == EISDIR ? ReadError::kDirectory : ReadError::kMissing;
        base.detail = errno == ENOENT ? "no such file" : std::strerror(errno);
        return Unexpected{base};
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        base.detail = std::strerror(errno);
        ::close(fd);
        return Unexpected{base};
    }
    if (!S_ISREG(st.st_mode)) {
        base.code = S_ISDIR(st.st_mode) ? ReadError::kDirectory : ReadError::kNotRegular;
        base.detail = file_kind(st.st_mode);
        ::close(fd);
        return Unexpected{base};
    }
    if (static_cast<uint64_t>(st.st_size) > limit) {
        base.code = ReadError::kTooLarge;
        base.size = static_cast<uint64_t>(st.st_size);
        ::close(fd);
        return Unexpected{base};
    }
    auto r = read_fd(fd, limit, base);  // the file may grow while read: still bounded
    ::close(fd);
    return r;
}

}  // namespace cvex
