// Shared by the `cvex attest` integration tests: the built binary, the manifest's real cases and
// a scratch directory removed afterwards.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/sev_vectors.hpp"
#include "support/vectors.hpp"

namespace cvex::test {

inline const std::string kCvexBin = std::string(CVEX_BIN_DIR) + "/cvex";

/// The path of a file of the SEV vector set.
inline std::string sev_path(const std::string& name) { return shared_path("vectors/sev/" + name); }

inline nlohmann::json sev_case(const std::string& name) {
    for (const auto& c : sev_manifest()["cases"])
        if (c["name"] == name) return c;
    throw std::runtime_error("no case " + name);
}

/// `cvex attest verify <report> --cert … --chain … [--at …]` for a manifest case.
inline std::vector<std::string> attest_verify_args(const nlohmann::json& c) {
    std::vector<std::string> a = {kCvexBin, "attest", "verify", sev_path(c["report"]), "--cert", sev_path(c["signer_cert"]),
                                  "--chain", sev_path(c["ask_ark"])};
    if (!c["verify_at"].is_null()) a.insert(a.end(), {"--at", c["verify_at"].get<std::string>()});
    return a;
}

struct ScratchDir {
    std::filesystem::path path;
    explicit ScratchDir(const std::string& tag)
        : path(std::filesystem::temp_directory_path() / ("cvex-" + tag + "-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name, const std::string& content) const {
        const std::string p = (path / name).string();
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }
};

/// Runs a shell command line (for pipes into standard input) and times it.
struct TimedResult {
    ProcessResult r;
    std::chrono::milliseconds elapsed;
};
inline TimedResult run_shell_timed(const std::string& command) {
    const auto t0 = std::chrono::steady_clock::now();
    ProcessResult r = run_process({"/bin/sh", "-c", command});
    return {r, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)};
}

inline std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

}  // namespace cvex::test
