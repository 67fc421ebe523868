// The simulated platform's files on the host: its chip seed, and the directory its roots are
// published to for `--trust-sim-root` (a trust decision: only a directory this user alone can
// write is accepted).
#include <fcntl.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "attest/provider/sim_platform.hpp"

namespace cvex::attest {

using cvex::Bytes;
using cvex::Expected;
using cvex::Unexpected;

namespace {

std::string mode_text(mode_t m) {
    char b[8];
    std::snprintf(b, sizeof b, "%04o", static_cast<unsigned>(m & 07777));
    return b;
}

}  // namespace

Expected<std::array<uint8_t, 32>, SimPlatformError> load_or_create_sim_chip(const std::string& path) {
    std::array<uint8_t, 32> seed{};
    std::ifstream in(path);
    if (in) {
        std::string hex;
        in >> hex;
        if (!cvex::from_hex_fixed(hex, seed)) return sim_platform_failure("simulated chip " + path + ": not 64 hex digits");
        return seed;
    }
    if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) != 1) return sim_platform_failure("RAND_bytes failed");
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return sim_platform_failure("simulated chip " + path + ": " + std::strerror(errno));
    const std::string text = cvex::to_hex(seed, false) + "\n";
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) return sim_platform_failure("simulated chip " + path + ": write failed");
    return seed;
}

std::string sim_root_dir() {
    if (const char* d = std::getenv("CVEX_SIM_ROOT_DIR"); d && *d) return d;
    const char* home = std::getenv("HOME");
    // No shared fallback (a world-writable /tmp path would let anyone plant a root).
    return home && *home ? std::string(home) + "/.local/share/cvex/sim-root" : std::string();
}

Expected<void, SimPlatformError> check_sim_root_dir(const std::string& dir) {
    if (dir.empty()) return sim_platform_failure("no simulated root directory: set CVEX_SIM_ROOT_DIR or HOME");
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return sim_platform_failure(dir + ": " + std::strerror(errno));
    if (!S_ISDIR(st.st_mode)) return sim_platform_failure(dir + " is not a directory");
    // Trust decision: whoever can write here decides which roots --trust-sim-root accepts.
    if (st.st_uid != ::geteuid())
        return sim_platform_failure(dir + " is owned by uid " + std::to_string(st.st_uid) + ", not by this user (uid " + std::to_string(::geteuid()) + ")");
    if (st.st_mode & (S_IWGRP | S_IWOTH)) return sim_platform_failure(dir + " is writable by its group or by others (mode " + mode_text(st.st_mode) + ")");
    return {};
}

Expected<std::string, SimPlatformError> publish_sim_root(const SimulatedSnpPlatform& platform) {
    const std::string dir = sim_root_dir();
    if (dir.empty()) return sim_platform_failure("no simulated root directory: set CVEX_SIM_ROOT_DIR or HOME");
    std::error_code ec;
    if (std::filesystem::create_directories(dir, ec))
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    if (ec) return sim_platform_failure("cannot create " + dir + ": " + ec.message());
    if (auto safe = check_sim_root_dir(dir); !safe) return sim_platform_failure("refusing to publish: " + safe.error().message());
    const Bytes der = platform.ark_der();
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(der.data(), der.size(), digest);
    const std::string tag = cvex::to_hex(cvex::ByteView(digest, 8), false);
    const std::string ark_path = dir + "/ark-" + tag + ".pem";
    std::ofstream(ark_path) << platform.ark_pem();
    std::ofstream(dir + "/ask_ark-" + tag + ".pem") << platform.ask_ark_pem();
    if (!std::filesystem::exists(ark_path)) return sim_platform_failure("cannot write " + ark_path);
    return ark_path;
}

}  // namespace cvex::attest
