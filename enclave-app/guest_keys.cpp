#include "enclave-app/guest_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "enclave-app/sealed_keys.hpp"
#include "attest/report/snp_report.hpp"

namespace cvex::enclave {

using cvex::Bytes;
using cvex::Expected;
using cvex::Unexpected;
using Log = std::function<void(const std::string&)>;

namespace {

constexpr size_t kMaxBlobSize = 4096;  // far above any sealed key set; a bigger file is not ours

std::string hex64(uint64_t v) {
    char buf[19];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
    return buf;
}

/// The blob, or nullopt when there is none; `error` says why an existing file could not be read.
std::optional<Bytes> read_blob(const std::string& path, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno != ENOENT) error = std::strerror(errno);
        return std::nullopt;
    }
    Bytes blob(kMaxBlobSize + 1);
    size_t n = 0;
    for (ssize_t r; n < blob.size() && (r = ::read(fd, blob.data() + n, blob.size() - n)) != 0;) {
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            error = std::strerror(errno);
            ::close(fd);
            return std::nullopt;
        }
        n += static_cast<size_t>(r);
    }
    ::close(fd);
    blob.resize(n);  // a file over kMaxBlobSize stays over it and is refused as malformed
    return blob;
}

/// Write to a temporary file, fsync, rename over the blob, fsync the directory: a crash leaves
/// either the old blob or the new one, never half of one.
Expected<void, GuestError> write_blob(const std::string& dir, const Bytes& blob) {
    const std::string path = dir + "/" + kSealedKeysFile, tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return guest_failure("open " + tmp + ": " + std::strerror(errno));
    bool ok = ::write(fd, blob.data(), blob.size()) == static_cast<ssize_t>(blob.size()) && ::fsync(fd) == 0;
    const int err = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok) return guest_failure("write " + tmp + ": " + std::strerror(err));
    if (::rename(tmp.c_str(), path.c_str()) != 0) return guest_failure("rename " + tmp + ": " + std::strerror(errno));
    if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        (void)::fsync(d);
        ::close(d);
    }
    return {};
}

/// Keeps a refused blob for the operator rather than deleting it; returns where it went.
std::string move_aside(const std::string& path) {
    const std::string aside = path + ".rejected-" + std::to_string(std::time(nullptr));
    std::error_code ec;
    std::filesystem::rename(path, aside, ec);
    return ec ? path + " (could not move it: " + ec.message() + ")" : aside;
}

/// COMMITTED_TCB (report offset 0x1E0) from a fresh report: the TCB the sealing key binds.
Expected<uint64_t, GuestError> committed_tcb(attest::AttestationProvider& provider) {
    auto evidence = provider.get_evidence(attest::ReportData{}, 0);
    if (!evidence) return guest_failure(evidence.error().message());
    auto report = attest::parse_report(evidence->report);
    if (!report) return guest_failure(report.error().message());
    return report->committed_tcb;
}

Expected<GuestKeys, GuestError> generate(KeyCustody& custody) {
    auto eth = custody.generate_secp256k1();
    if (!eth) return guest_failure("key generation: " + eth.error().message());
    auto vrf = custody.generate_secp256k1();
    if (!vrf) return guest_failure("key generation: " + vrf.error().message());
    return GuestKeys{*eth, *vrf, GuestKeys::Origin::kGenerated, false};
}

/// Opens an existing blob; nullopt (after saying why, and moving a refused blob aside) if it
/// does not open here.
std::optional<GuestKeys> try_unseal(attest::AttestationProvider& provider, KeyCustody& custody, const std::string& path, const Bytes& blob,
                                    const Log& log) {
    auto opened = unseal_keys(provider, custody, blob);
    if (opened && opened->size() == 2) {
        log("unsealed the keys in " + path + ": enclave " + custody.address((*opened)[0])->checksum_hex() +
            " (sealed under the firmware's derived key at TCB " + hex64(parse_sealed_header(blob)->derivation.tcb_version) + ")");
        return GuestKeys{(*opened)[0], (*opened)[1], GuestKeys::Origin::kUnsealed, true};
    }
    std::string reason;
    if (opened) {
        for (KeyHandle h : *opened) custody.release(h);
        reason = "it holds " + std::to_string(opened->size()) + " keys, not 2";
    } else if (opened.error().code == SealError::kNoDerivedKey) {
        log(std::string(provider.name()) + " has no derived key, so the sealed keys in " + path +
            " cannot be opened here (left in place); starting with fresh keys");
        return std::nullopt;
    } else {
        reason = opened.error().message();
    }
    log("WARNING: the sealed keys in " + path + " were refused: " + reason + "; moved to " + move_aside(path) +
        "; starting with fresh keys");
    return std::nullopt;
}

}  // namespace

std::string_view to_string(GuestKeys::Origin origin) {
    switch (origin) {
        case GuestKeys::Origin::kUnsealed: return "unsealed";
        case GuestKeys::Origin::kHandedOver: return "handed-over";
        case GuestKeys::Origin::kGenerated: break;
    }
    return "generated";
}

Expected<void, GuestError> seal_key_set(attest::AttestationProvider& provider, KeyCustody& custody, const std::string& state_dir,
                                         KeyHandle eth, KeyHandle vrf) {
    auto tcb = committed_tcb(provider);
    if (!tcb) return guest_failure("cannot read the platform's TCB to seal with: " + tcb.error().message());
    auto sealed = seal_keys(provider, attest::sealing_key_request(*tcb), custody, std::array{eth, vrf});
    if (!sealed) return guest_failure("sealing: " + sealed.error().message());
    return write_blob(state_dir, *sealed);
}

Expected<GuestKeys, GuestError> restore_or_generate_keys(attest::AttestationProvider& provider, KeyCustody& custody,
                                                          const std::optional<std::string>& state_dir, const Log& log) {
    if (!state_dir) {
        log("keys are not sealed (no state_dir configured): a restart makes new keys");
        return generate(custody);
    }
    const std::string path = *state_dir + "/" + kSealedKeysFile;
    auto tcb = committed_tcb(provider);
    if (!tcb) {
        log("WARNING: cannot read the platform's TCB to seal with: " + tcb.error().message() + "; keys are not sealed");
        return generate(custody);
    }
    std::string read_error;
    if (auto blob = read_blob(path, read_error)) {
        // Trust decision: keys come back only from a blob the firmware's derived key authenticates.
        if (auto keys = try_unseal(provider, custody, path, *blob, log)) {
            const auto header = parse_sealed_header(*blob);
            if (header->derivation.tcb_version == *tcb) return *keys;
            // Sealed at an older TCB (the firmware was updated): bind the blob to today's TCB,
            // so rolling the firmware back no longer opens it.
            auto resealed = seal_keys(provider, attest::sealing_key_request(*tcb), custody, std::array{keys->eth, keys->vrf});
            if (resealed && write_blob(*state_dir, *resealed)) log("resealed the keys at TCB " + hex64(*tcb));
            return *keys;
        }
    } else if (!read_error.empty()) {
        log("WARNING: cannot read " + path + ": " + read_error + "; starting with fresh keys");
    }

    auto keys = generate(custody);
    if (!keys) return keys;
    auto sealed = seal_keys(provider, attest::sealing_key_request(*tcb), custody, std::array{keys->eth, keys->vrf});
    if (!sealed) {
        if (sealed.error().code == SealError::kNoDerivedKey)
            log(std::string(provider.name()) + " has no derived key: the keys are not sealed and live as long as this guest "
                "(persistence comes from a handover)");
        else
            log("WARNING: sealing the keys failed: " + sealed.error().message() + "; a restart makes new keys");
        return keys;
    }
    if (auto w = write_blob(*state_dir, *sealed); !w) {
        log("WARNING: cannot store the sealed keys: " + w.error().message() + "; a restart makes new keys");
        return keys;
    }
    keys->sealed = true;
    log("sealed the new keys into " + path + " (AES-256-GCM under the firmware's key derived from VCEK, measurement, policy, TCB " +
        hex64(*tcb) + ")");
    return keys;
}

}  // namespace cvex::enclave
